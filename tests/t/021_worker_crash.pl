# Nothing is lost to a crash: kill -9 of the worker in the middle of a batch (the postmaster
# reinitializes, the launcher starts a new worker, which redoes the batch), and an immediate
# shutdown with keys queued (they are in a WAL-logged table). antq.verify() is clean after both.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('crash', "restart_after_crash = on\nantq.batch_size = 1\n");
AntqNode::seed($node, 'c', 4, 5, 10);
AntqNode::wait_drained($node, 'c', 'after seeding');
is(AntqNode::differences($node, 'c'), '0', 'verify() is clean after seeding');

my $total_sql = "SELECT string_agg(area_code || ':' || total, ' ' ORDER BY area_code) FROM antq.summary "
  . "WHERE area_level = 'province' AND year = 2025 AND unit_kind = 'residential_area'";
is($node->safe_psql('c', $total_sql), '01:50 02:50 03:50 04:50', 'province totals before the moves');

# Keep the worker busy with filler keys (years without units), then move ten areas of
# province 01 to a commune of province 02, and kill the worker while it is in a batch.
$node->safe_psql('c', "INSERT INTO antq.pending (province_code, first_year, last_year) SELECT '03', g, g FROM generate_series(1000, 1999) g");
$node->safe_psql('c', 'UPDATE antq.unit SET parent_id = 2001 WHERE unit_id BETWEEN 100101 AND 100110');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'c' AND state = 'active'"),
	'the worker is in a batch');
my $pid = AntqNode::worker_pid($node, 'c');
my $queued = $node->safe_psql('c', 'SELECT count(*) FROM antq.pending');
ok($queued > 0, "keys still queued when the worker is killed ($queued)");
kill 'KILL', $pid;
ok(AntqNode::poll_across_restart($node, 'postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'c' AND pid <> $pid"),
	'a new worker runs after the crash');
AntqNode::wait_drained($node, 'c', 'after the crash');
is(AntqNode::differences($node, 'c'), '0', 'verify() is clean after kill -9 of the worker');
is($node->safe_psql('c', $total_sql), '01:40 02:60 03:50 04:50', 'the moves are summarized');
like(slurp_file($node->logfile), qr/terminated by signal 9/, 'the server log shows the kill');

# Immediate shutdown with keys queued and no worker to take them.
$node->safe_psql('postgres', 'ALTER SYSTEM SET antq.worker_enabled = off');
$node->reload;
ok($node->poll_query_until('postgres', "SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'antq worker'"),
	'workers stopped');
$node->safe_psql('c', 'UPDATE antq.unit SET parent_id = 3001 WHERE unit_id BETWEEN 200101 AND 200110');
$queued = $node->safe_psql('c', 'SELECT count(*) FROM antq.pending');
ok($queued > 0, "keys queued before the immediate stop ($queued)");
$node->stop('immediate');
$node->start;
is($node->safe_psql('c', 'SELECT count(*) FROM antq.pending'), $queued, 'every queued key survived the immediate stop');
$node->safe_psql('postgres', 'ALTER SYSTEM RESET antq.worker_enabled');
$node->reload;
AntqNode::wait_drained($node, 'c', 'after restart');
is(AntqNode::differences($node, 'c'), '0', 'verify() is clean after the immediate stop');
is($node->safe_psql('c', $total_sql), '01:40 02:50 03:60 04:50', 'the moves before the stop are summarized');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
