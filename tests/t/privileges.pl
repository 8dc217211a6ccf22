# Hostile roles against the queue, the worker and its status (issue 17): each attempt is refused
# with its SQLSTATE, and what it aimed at is unchanged afterwards.
#  hole 3  a reader (or a role granted a capture function by mistake) cannot queue recomputes
#          through a table of its own: the queue stays empty once the attempts have committed;
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

# The worker is off at first, so that the queue can be read after the attempts commit.
my $node = AntqNode::new_node('privileges', "antq.worker_enabled = off\n");
AntqNode::seed($node, 'r1', 2, 2, 2);
$node->safe_psql('r1', q{
CREATE ROLE rdr LOGIN IN ROLE antq_reader;
CREATE ROLE wtr LOGIN IN ROLE antq_writer;
CREATE ROLE mallory LOGIN;
DELETE FROM antq.pending;
});

# Run $sql in $db as $user and expect it to fail with $sqlstate and a message matching $re.
sub refused
{
	my ($db, $user, $sql, $sqlstate, $re, $name) = @_;
	my ($ret, $out, $err) = $node->psql($db, "\\set VERBOSITY verbose\n$sql", extra_params => [ '-U', $user ]);
	like($err, qr/ERROR:  $sqlstate: $re/, $name);
}

sub queued
{
	return $node->safe_psql('r1', 'SELECT count(*) FROM antq.pending');
}

# Hole 3: a TEMP table of the reader's with the capture trigger, and bogus keys written into it.
my $attach = q{
CREATE TEMP TABLE t (unit_id bigint, year integer);
CREATE TRIGGER t_capture AFTER INSERT ON t REFERENCING NEW TABLE AS antq_new
    FOR EACH STATEMENT EXECUTE FUNCTION antq.capture_facts('unit_id', 'year');
};
my $bogus = 'INSERT INTO t SELECT 100101, y FROM generate_series(2000, 2014) y UNION ALL SELECT 100101, 2147483000;';
refused('r1', 'rdr', $attach . $bogus, '42501', 'permission denied for function antq.capture_facts',
	'a reader cannot attach the capture to a TEMP table of its own');
is(queued(), '0', 'the queue is empty');
$node->safe_psql('r1', 'GRANT EXECUTE ON FUNCTION antq.capture_facts() TO rdr');
refused('r1', 'rdr', $attach . $bogus, '42501', 'antq.capture_facts\(\) may not capture changes of table pg_temp_\d+.t',
	'given EXECUTE by mistake, the reader attaches it, but the capture refuses its table');
is(queued(), '0', 'the queue is still empty');
$node->safe_psql('r1', 'REVOKE EXECUTE ON FUNCTION antq.capture_facts() FROM rdr');

done_testing();
