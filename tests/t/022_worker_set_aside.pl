# One failing key must not block the database: the worker sets it aside (its units wait in
# antq.pending_set_aside) and retries it after a delay that doubles with each failure, while
# every other key keeps flowing. Here every recompute of province 01 fails (a trigger on
# antq.unit_result refuses its rows) while both provinces are written, commit after commit.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);
use AntqNode;

my $node = AntqNode::new_node('set_aside', "antq.naptime = '100ms'\n");
my $db = 'sa';
AntqNode::seed($node, $db, 2, 2, 3);
AntqNode::assess_all($node, $db, 2025);
AntqNode::wait_drained($node, $db, 'after seeding');

$node->safe_psql($db, q{
CREATE FUNCTION public.refuse_01() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'results of province 01 are refused for this test'; END $$;
CREATE TRIGGER refuse_01 BEFORE INSERT OR UPDATE ON antq.unit_result
  FOR EACH ROW WHEN (NEW.province_code = '01') EXECUTE FUNCTION public.refuse_01();
});

# 30 commits, each changing a unit of 01 and a unit of 02.
my $start = time;
for my $i (1 .. 30)
{
	$node->safe_psql($db, "UPDATE antq.assessment SET crime_count = $i % 3 WHERE year = 2025 AND unit_id IN (100101, 200101)");
	usleep(100_000);
}
ok($node->poll_query_until($db, "SELECT NOT EXISTS (SELECT FROM antq.pending)"), 'the queue is drained: 01\'s keys wait aside');
my $elapsed = time - $start;

is($node->safe_psql($db, "SELECT count(*) FROM antq.verify('02')"), '0',
	'province 02 kept flowing: its stored results and summaries are fresh');
is($node->safe_psql($db, "SELECT string_agg(province_code || ':' || year, ' ' ORDER BY year) FROM antq.pending_set_aside"),
	'01:2025 01:2026', 'the keys of province 01 (2025 and the year after) are set aside');
# Delays of 1, 2, 4, ... seconds: in $elapsed seconds at most 1 + log2(elapsed + 1) + 1 tries.
my $most = 2 + int(log($elapsed + 1) / log(2));
my $attempts = $node->safe_psql($db, "SELECT max(attempts) FROM antq.pending_set_aside");
cmp_ok($attempts, '<=', $most, "at most one try per backoff step ($attempts tries in " . sprintf('%.1f', $elapsed) . " s, 30 commits)");
cmp_ok($attempts, '>=', 2, 'the key was retried after its delay');
like($node->safe_psql($db, "SELECT set_aside::text FROM antq.worker_status WHERE database = current_database()"),
	qr/"year": 2025.*"attempts": \d+.*"retry_at"|"retry_at".*"year": 2025/s, 'worker_status shows the keys set aside with tries and next retry');
like($node->safe_psql($db, "SELECT set_aside -> 0 ->> 'last_error' FROM antq.worker_status WHERE database = current_database()"),
	qr/refused for this test/, 'and their error');
is($node->safe_psql($db, "SELECT keys_set_aside FROM antq.worker_status WHERE database = current_database()"), '2',
	'worker_status counts them');
like(PostgreSQL::Test::Utils::slurp_file($node->logfile), qr/WARNING:  antq: recompute of province 01 year 2025 failed/,
	'the server log names the key that failed');

# The cause removed, the next retry recomputes 01 with every change it missed.
$node->safe_psql($db, 'DROP TRIGGER refuse_01 ON antq.unit_result');
ok($node->poll_query_until($db, 'SELECT NOT EXISTS (SELECT FROM antq.pending_set_aside)'), 'the keys are retried and leave the side');
is(AntqNode::differences($node, $db), '0', 'verify() is clean: nothing written while 01 failed was lost');

AntqNode::no_leaks($node);
done_testing();
