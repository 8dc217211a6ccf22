# Hostile roles against the queue, the worker and its status (issue 17): each attempt is refused
# with its SQLSTATE, and what it aimed at is unchanged afterwards.
#  hole 3  a reader (or a role granted a capture function by mistake) cannot queue recomputes
#          through a table of its own: the queue stays empty once the attempts have committed;
#  hole 5  a reader holding the advisory keys the worker used to lock no longer holds up a
#          recompute (nor a writer registering a unit code), and cannot take the locks that
#          replaced them; held by the owner, those do make the worker wait;
#  hole 8  antq.worker_status shows a reader its own database's worker only, without the error
#          text; members of pg_read_all_stats (and superusers) see every database's, text too;
#  hole 6  DROP DATABASE of a database the caller may not drop (another's, or in a transaction
#          block) fails and leaves that database's worker running with the same pid; its owner's
#          DROP DATABASE still stops the worker and drops it.
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

# The worker on: it drains what the seeding queued.
$node->safe_psql('postgres', 'ALTER SYSTEM SET antq.worker_enabled = on');
$node->safe_psql('postgres', 'SELECT pg_reload_conf()');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'r1'"),
	'the worker of r1 runs');
AntqNode::wait_drained($node, 'r1', 'after seeding');

# Whether the queue of $db empties within $secs seconds.
sub drained_within
{
	my ($db, $secs) = @_;
	for (my $i = 0; $i < 10 * $secs; $i++)
	{
		return 1 if $node->safe_psql($db, 'SELECT count(*) = 0 FROM antq.pending') eq 't';
		select(undef, undef, undef, 0.1);
	}
	return 0;
}

# Hole 5: the reader holds the advisory locks of province 01's 2025 key and of the nation's
# 2025, as the worker took them before; a writer's fact of unit 100101 in 2025 is recomputed
# regardless, and a writer registers a unit code the reader holds the old lock of.
my $fact = q{INSERT INTO antq.assessment (unit_id, year, crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES (100101, 2025, 3, 0, 0, true)};
my $result = 'SELECT count(*) FROM antq.unit_result WHERE unit_id = 100101 AND year = 2025 AND incidents = 0';
my $holder = $node->background_psql('r1', extra_params => [ '-U', 'rdr' ]);
$holder->query_safe(q{SELECT pg_advisory_lock(hashtextextended('antq 01 2025', 0)), pg_advisory_lock(hashtextextended('antq nation 2025', 0)),
       pg_advisory_lock(hashtext('antq.unit.code:' || '00101-X'))});
$node->safe_psql('r1', $fact, extra_params => [ '-U', 'wtr' ]);
ok(drained_within('r1', 20), 'the advisory keys a reader holds do not hold up the recompute of province 01 in 2025');
is($node->safe_psql('r1', 'SELECT count(*) FROM antq.verify(\'01\', 2025)'), '0', 'which stored the fresh result');
my ($ret, $out, $err) = $node->psql('r1', q{SET statement_timeout = '10s';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES ('residential_area', 'thon', '00101-X', 'Thôn X', 1001, '2020-01-01')},
	extra_params => [ '-U', 'wtr' ]);
is($ret, 0, 'nor does the advisory key of a unit code hold up a writer registering that code') or diag $err;
refused('r1', 'rdr', q{SELECT antq.lock_keys(ARRAY['01'], ARRAY[2025])}, '42501', 'permission denied for function lock_keys',
	'the reader cannot take the recompute locks');
refused('r1', 'rdr', q{SELECT antq.lock_recompute_key('01', 2025)}, '42501', 'permission denied for function lock_recompute_key',
	'nor the lock of one key');
refused('r1', 'rdr', q{SELECT antq.lock_unit_code('00101-X')}, '42501', 'permission denied for function lock_unit_code',
	'nor the lock of a unit code');
$holder->quit;

# The new lock is the one the worker waits on: held by the owner, it keeps the key queued,
# with the worker waiting on an object lock of class antq.pending, until released.
$holder = $node->background_psql('r1');
$holder->query_safe(q{BEGIN; SELECT antq.lock_recompute_key('01', 2025)});
$node->safe_psql('r1', 'UPDATE antq.assessment SET crime_count = 4 WHERE unit_id = 100101 AND year = 2025', extra_params => [ '-U', 'wtr' ]);
ok($node->poll_query_until('r1', q{SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE a.backend_type = 'antq worker' AND NOT l.granted AND l.locktype = 'object' AND l.classid = 'antq.pending'::regclass
   AND l.objid = 2025 AND l.objsubid = 101}), 'the worker waits on the recompute lock of (01, 2025) the owner holds');
is($node->safe_psql('r1', 'SELECT count(*) > 0 FROM antq.pending'), 't', 'the key stays queued meanwhile');
$holder->query_safe('COMMIT');
ok(drained_within('r1', 20), 'released, the worker recomputes the key');
$holder->quit;

# A second database with its worker; a role that reads all statistics.
AntqNode::seed($node, 'r2', 1, 1, 1);
$node->safe_psql('r1', 'CREATE ROLE stats LOGIN IN ROLE antq_reader, pg_read_all_stats; CREATE ROLE owner2 LOGIN');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'r2'"),
	'the worker of r2 runs');

# Hole 8: an error of r1's worker (a key that fails alone is set aside, so the queue itself is
# made untakeable), then the view as each role sees it.
$node->safe_psql('r1', q{
CREATE FUNCTION public.refuse_take() RETURNS trigger LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'the queue of r1 cannot be taken in this test'; END $$;
CREATE TRIGGER refuse_take BEFORE DELETE ON antq.pending FOR EACH STATEMENT EXECUTE FUNCTION public.refuse_take();
INSERT INTO antq.pending (province_code, first_year, last_year) VALUES ('01', 2025, 2025);
SELECT antq.wake_worker();
});
ok($node->poll_query_until('r1', "SELECT last_error IS NOT NULL FROM antq.worker_status WHERE database = 'r1'"),
	'the worker of r1 failed to take its queue');
$node->safe_psql('r1', 'DROP TRIGGER refuse_take ON antq.pending');
my $status = q{SELECT string_agg(database || ':' || (pid IS NOT NULL) || ':' || (last_error IS NOT NULL) || ':' || (last_error_at IS NOT NULL), ' ' ORDER BY database)
FROM antq.worker_status};
is($node->safe_psql('r1', $status, extra_params => [ '-U', 'rdr' ]), 'r1:true:false:true',
	'a reader sees the worker of its own database only, and that it failed, not the error text');
is($node->safe_psql('r2', $status, extra_params => [ '-U', 'rdr' ]), 'r2:true:false:false',
	'connected to r2, the worker of r2 only');
is($node->safe_psql('r1', 'SELECT count(*) FROM antq.worker_status_raw()', extra_params => [ '-U', 'rdr' ]), '1',
	'and the function behind the view shows no more');
is($node->safe_psql('r1', $status, extra_params => [ '-U', 'stats' ]), 'r1:true:true:true r2:true:false:false',
	'a member of pg_read_all_stats sees every database\'s worker, with the error text');
is($node->safe_psql('r1', $status), 'r1:true:true:true r2:true:false:false', 'so does a superuser');

# Hole 6: r1's worker and its pid, through drops that must fail.
my $r1_pid = AntqNode::worker_pid($node, 'r1');
isnt($r1_pid, '', 'r1 has a worker');
refused('postgres', 'mallory', 'DROP DATABASE r1', '42501', 'must be owner of database r1',
	'a role that does not own r1 cannot drop it');
refused('postgres', 'rdr', 'DROP DATABASE IF EXISTS r1 WITH (FORCE)', '42501', 'must be owner of database r1',
	'nor can a reader, forcing');
refused('postgres', 'postgres', 'BEGIN; DROP DATABASE r1', '25001', 'DROP DATABASE cannot run inside a transaction block',
	'a superuser\'s DROP DATABASE inside a transaction block fails too');
$node->safe_psql('postgres', 'SELECT pg_sleep(1)');
is(AntqNode::worker_pid($node, 'r1'), $r1_pid, 'the worker of r1 still runs, with the same pid');
is($node->safe_psql('r1', "SELECT running FROM antq.worker_status WHERE database = 'r1'"), 't', 'and worker_status shows it running');

# The owner of r2 drops it, its worker connected: the hook stops the worker first.
$node->safe_psql('postgres', 'ALTER DATABASE r2 OWNER TO owner2');
isnt(AntqNode::worker_pid($node, 'r2'), '', 'r2 has a worker');
my ($drop_ret, $drop_out, $drop_err) = $node->psql('postgres', 'DROP DATABASE r2', extra_params => [ '-U', 'owner2' ]);
is($drop_ret, 0, 'the owner of r2 drops it while its worker runs') or diag $drop_err;
is(AntqNode::worker_pid($node, 'r1'), $r1_pid, 'r1\'s worker is untouched');

done_testing();
