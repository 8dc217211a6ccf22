# The national pass in C (antq.results_stale) collects row positions in one scan and fetches the
# rows later; the tables must not be rewritten in between. It keeps its locks to the end of the
# transaction, as the executor does: VACUUM FULL of a table it read waits until the pass's
# transaction ends, and the pass's figures stay those of the rows it saw.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('pass_locks');
my $db = 'pl';
AntqNode::seed($node, $db, 2, 3, 5);
AntqNode::assess_all($node, $db, 2025);
AntqNode::wait_drained($node, $db, 'after seeding');

my $pass = $node->background_psql($db);
$pass->query_safe('BEGIN');
is($pass->query_safe('SELECT cardinality(stale) IS NOT NULL FROM antq.results_stale(2025)'), 't',
	'the pass in C ran (it did not hand over to the SQL path)');

# Each table the pass read is still locked by it: a rewrite cannot run under it.
for my $table (qw(unit assessment unit_result incident unit_lineage))
{
	my ($ret, $stdout, $stderr) = $node->psql($db, "SET lock_timeout = '200ms'; VACUUM FULL antq.$table");
	like($stderr, qr/canceling statement due to lock timeout/,
		"VACUUM FULL antq.$table waits while the pass's transaction is open");
}
$pass->query_safe('COMMIT');
$pass->quit;

my ($ret, $stdout, $stderr) = $node->psql($db, "SET lock_timeout = '5s'; VACUUM FULL antq.assessment");
is($ret, 0, 'VACUUM FULL runs once the pass has ended') or diag $stderr;
is(AntqNode::differences($node, $db), '0', 'verify() is clean');

AntqNode::no_leaks($node);
done_testing();
