# The antq worker's life: started by CREATE EXTENSION after server start, one per database,
# keeps running across ALTER EXTENSION UPDATE, restarted after pg_terminate_backend, stopped
# by antq.worker_enabled, gone after DROP EXTENSION, and never in the way of DROP DATABASE,
# even while it is busy; a lineage link is captured and followed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('lifecycle', "antq.batch_size = 1\n");

# CREATE EXTENSION after start: the worker appears without a restart and keeps summaries fresh.
AntqNode::seed($node, 'a', 2, 2, 3);
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'a'"),
	'CREATE EXTENSION after start gets a worker');
AntqNode::wait_drained($node, 'a', 'after seeding');
is($node->safe_psql('a', "SELECT total FROM antq.summary WHERE area_level = 'province' AND area_code = '01' AND year = 2025 AND unit_kind = 'residential_area'"),
	'6', 'the worker summarized the seeded registry (2 communes x 3 areas in province 01 in 2025)');
is(AntqNode::differences($node, 'a'), '0', 'verify() finds no difference after seeding');
is($node->safe_psql('a', "SELECT count(*) FROM antq.worker_status WHERE database = 'a' AND running AND last_error IS NULL"),
	'1', 'worker_status shows the running worker without error');

# verify() notices a stored figure that disagrees with a recompute; refresh() repairs it.
$node->safe_psql('a', "UPDATE antq.summary SET total = total + 1 WHERE area_level = 'commune' AND area_code = '00101' AND year = 2020");
is(AntqNode::differences($node, 'a'), '1', 'verify() reports a tampered summary row');
is($node->safe_psql('a', "SELECT antq.refresh('01', 2020)"), '1', 'refresh() of one province and year recomputes one key');
is(AntqNode::differences($node, 'a'), '0', 'verify() is clean after refresh()');

# A lineage link written on its own is captured and followed: the successor's "no more crime
# than last year" (4a) now reads its predecessor's 2023 row (5 against 8: not met, and with it
# criterion 4) where it had no row to compare with (not applicable, criterion 4 met); removing
# the link brings the first result back.
$node->safe_psql('a', q{
UPDATE antq.unit SET valid_to = '2024-01-01' WHERE unit_id = 100103;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (500001, 'residential_area', 'thon', '00101-S', 'Thôn S', 1001, 1, '01', '2024-01-01');
INSERT INTO antq.assessment (unit_id, year, crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES (100103, 2023, 5, 0, 0, true), (500001, 2024, 8, 0, 0, true);
});
AntqNode::wait_drained($node, 'a', 'after adding a successor');
my $successor = "SELECT safe_attainment::text FROM antq.unit_result WHERE unit_id = 500001 AND year = 2024";
my $unlinked = $node->safe_psql('a', $successor);
my $why = "SELECT string_agg(reason, '; ') FROM antq.explain_unit(500001, 2024)";
like($node->safe_psql('a', $why), qr/4: met \(4a: not applicable \(no crime_count for 2023\)\)/, 'unlinked, the successor has no 2023 row to compare with');
$node->safe_psql('a', "INSERT INTO antq.unit_lineage VALUES (100103, 500001, 'merge', '2024-01-01', NULL)");
AntqNode::wait_drained($node, 'a', 'after a lineage link');
my $linked = $node->safe_psql('a', $successor);
isnt($linked, $unlinked, 'the link changed the successor\'s stored result');
like($node->safe_psql('a', $why), qr/4a: crime_count = 8, above 2023's 5/, 'it now compares 8 with the predecessor\'s 5');
is(AntqNode::differences($node, 'a'), '0', 'verify() is clean after the link');
$node->safe_psql('a', 'DELETE FROM antq.unit_lineage WHERE successor_id = 500001');
AntqNode::wait_drained($node, 'a', 'after removing the link');
is($node->safe_psql('a', $successor), $unlinked, 'removing the link brings the unlinked result back');
is(AntqNode::differences($node, 'a'), '0', 'verify() is clean after removing the link');

# A '*' key (every province: a rule edit queues them) that changes no result keeps the
# summaries as they are; one that does change results has them summed again.
my $stamps = "SELECT string_agg(computed_at::text, ',' ORDER BY area_level, area_code, unit_kind) FROM antq.summary WHERE year = 2024";
my $stamps_before = $node->safe_psql('a', $stamps);
$node->safe_psql('a', "INSERT INTO antq.pending (province_code, first_year, last_year) VALUES ('*', 2024, 2024); SELECT antq.wake_worker()");
AntqNode::wait_drained($node, 'a', "after a '*' key that changes nothing");
is($node->safe_psql('a', $stamps), $stamps_before, "a '*' key that changes no result leaves the summary rows as they were");
$node->safe_psql('a', q{
ALTER TABLE antq.assessment DISABLE TRIGGER antq_capture_update;
UPDATE antq.assessment SET tipoffs = 7 WHERE unit_id = 500001 AND year = 2024;
ALTER TABLE antq.assessment ENABLE ALWAYS TRIGGER antq_capture_update;
});
is($node->safe_psql('a', "SELECT string_agg(what || ' ' || coalesce(area_level, '') || ' ' || coalesce(area_code, ''), ',' ORDER BY what, area_level, area_code) FROM antq.verify()"), 'unit_result unit 500001',
	'a fact changed behind the capture: verify() reports the stale result');
$node->safe_psql('a', "INSERT INTO antq.pending (province_code, first_year, last_year) VALUES ('*', 2024, 2024); SELECT antq.wake_worker()");
AntqNode::wait_drained($node, 'a', "after a '*' key that changes a result");
isnt($node->safe_psql('a', $stamps), $stamps_before, "a '*' key that changes a result sums the summaries again");
is(AntqNode::differences($node, 'a'), '0', "verify() is clean after the '*' key");

# A database without the extension has no worker.
$node->safe_psql('postgres', 'CREATE DATABASE plain');
$node->safe_psql('postgres', "SELECT pg_sleep(1.5)");
is(AntqNode::worker_pid($node, 'plain'), '', 'no worker in a database without antq');

# ALTER EXTENSION UPDATE: the same worker carries on and still drains the queue.
$node->safe_psql('postgres', 'CREATE DATABASE u');
$node->safe_psql('u', "CREATE EXTENSION antq VERSION '0.1'");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'u'"),
	'worker started for database u');
my $pid_before = AntqNode::worker_pid($node, 'u');
$node->safe_psql('u', "ALTER EXTENSION antq UPDATE TO '0.2'");
is($node->safe_psql('u', "SELECT extversion FROM pg_extension WHERE extname = 'antq'"), '0.2', 'updated to 0.2');
$node->safe_psql('u', "INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from) VALUES (7, 'province', 'tinh', '07', 'Tỉnh 7', NULL, 7, '07', '2020-01-01'), (7001, 'commune', 'xa', '00701', 'Xã 7', 7, 7, '07', '2020-01-01')");
AntqNode::wait_drained($node, 'u', 'after ALTER EXTENSION UPDATE');
is(AntqNode::worker_pid($node, 'u'), $pid_before, 'the worker survived ALTER EXTENSION UPDATE');
is($node->safe_psql('u', "SELECT count(*) > 0 FROM antq.summary WHERE province_code = '07'"), 't',
	'a change after the update was summarized');

# pg_terminate_backend: the launcher starts a new worker.
$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid_before)");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'u' AND pid <> $pid_before"),
	'a terminated worker is replaced');

# antq.worker_enabled = off stops every worker; on brings them back (SIGHUP handling).
$node->safe_psql('postgres', "ALTER SYSTEM SET antq.worker_enabled = off");
$node->reload;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'antq worker'"),
	'antq.worker_enabled = off stops the workers');
$node->safe_psql('postgres', "ALTER SYSTEM RESET antq.worker_enabled");
$node->reload;
$node->safe_psql('a', "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 1");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 2 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname IN ('a', 'u')"),
	'antq.worker_enabled = on starts them again');
AntqNode::wait_drained($node, 'a', 'after re-enabling');

# Keep the worker of a database busy: thousands of distinct keys, one per transaction.
sub make_busy
{
	my ($db) = @_;
	$node->safe_psql($db, "INSERT INTO antq.pending (province_code, first_year, last_year) SELECT '01', g, g FROM generate_series(1, 20000) g");
	$node->safe_psql($db, 'SELECT antq.wake_worker()');
	ok($node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = '$db' AND state = 'active'"),
		"worker of $db is busy");
}

# DROP EXTENSION while busy: succeeds, and the worker goes away.
make_busy('a');
my ($ret, $out, $err) = $node->psql('a', 'DROP EXTENSION antq', timeout => 60);
is($ret, 0, 'DROP EXTENSION succeeds while the worker is busy') or diag $err;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'a'"),
	'the worker leaves after DROP EXTENSION');
$node->safe_psql('a', 'CREATE EXTENSION antq');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'a'"),
	'CREATE EXTENSION again brings it back');

# DROP DATABASE while busy: not blocked by the worker, which is not restarted.
make_busy('u');
($ret, $out, $err) = $node->psql('postgres', 'DROP DATABASE u', timeout => 60);
is($ret, 0, 'DROP DATABASE succeeds while the worker is busy') or diag $err;
$node->safe_psql('postgres', "SELECT pg_sleep(2)");
is(AntqNode::worker_pid($node, 'u'), '', 'no worker for the dropped database');
is($node->safe_psql('postgres', "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'antq launcher'"),
	'1', 'the launcher is still running');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
