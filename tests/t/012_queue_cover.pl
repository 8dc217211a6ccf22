# Keys queued as a whole (extension/capture/capture_cover.c): once a key of antq.pending is queued for
# every unit and committed, writers whose change it covers write no row, until something takes
# rows; a key with more units queued than antq.capture_unit_limit is queued whole by the next
# writer. Prepared transactions always write; a REPEATABLE READ taker queues the keys again; a
# taker waits for the writers that relied on what it clears, and a writer never relies on a cover
# while it waits for a lock a taker holds; a crash forgets every cover. Then,
# with the worker on, many single-unit writers relying on covers while the worker takes them:
# nothing is lost (verify() finds no difference).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

# Synchronous replication to a standby that never comes holds a writer that asks for it
# (synchronous_commit = on) between its pre-commit and its commit; everyone else commits locally.
# Years up to 2031 are written, beyond the default window of years (antq.years_ahead).
my $node = AntqNode::new_node('cover',
	"antq.worker_enabled = off\nantq.capture_first_year = 2024\nantq.years_ahead = 10\nantq.capture_unit_limit = 2\nmax_prepared_transactions = 2\n"
	  . "wal_level = replica\nmax_wal_senders = 2\nsynchronous_standby_names = 'nobody'\nsynchronous_commit = local\n");
my $db = 'c';
AntqNode::seed($node, $db, 2, 2, 3);
my $next = $node->safe_psql($db, 'SELECT extract(year FROM now())::int + 1');
$node->safe_psql($db, q{
CREATE TABLE public.fact_year (unit_id bigint NOT NULL, year integer NOT NULL, v integer);
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
DELETE FROM antq.pending;
});

# The queued rows as "pp:first-last:{unit ids}" ("all" for NULL ids), oldest first.
sub queued
{
	return $node->safe_psql($db,
		"SELECT coalesce(string_agg(province_code || ':' || first_year || '-' || last_year || ':' || coalesce(unit_ids::text, 'all'), ' '"
		  . " ORDER BY queued_at, province_code, first_year), '') FROM antq.pending");
}

sub fact
{
	my ($unit, $year) = @_;
	$node->safe_psql($db, "INSERT INTO fact_year VALUES ($unit, $year, 1)");
}

fact(100101, 2024);
fact(100102, 2024);
is(queued(), '01:2024-2025:{100101} 01:2024-2025:{100102}', 'up to antq.capture_unit_limit units queued, each writer lists its unit');
fact(100103, 2024);
is(queued(), '01:2024-2025:{100101} 01:2024-2025:{100102} 01:2024-2025:all',
	'past the limit, the next writer queues the key for every unit');
$node->safe_psql($db, 'INSERT INTO fact_year VALUES (100201, 2024, 1), (100202, 2024, 1)');
is(queued(), '01:2024-2025:{100101} 01:2024-2025:{100102} 01:2024-2025:all',
	'a change the whole-key row covers writes nothing');
fact(100101, 2030);
fact(200101, 2024);
is(queued(),
	'01:2024-2025:{100101} 01:2024-2025:{100102} 01:2024-2025:all 01:2030-2031:{100101} 02:2024-2025:{200101}',
	'other years and other provinces are not covered');
fact(100202, 2023);
like(queued(), qr/ 01:2023-2024:all$/, 'a range only partly covered is written (whole: one of its years is past the limit)');

is($node->safe_psql($db, 'SELECT count(*) > 0 FROM antq.take_pending(100)'), 't', 'the worker\'s side takes the rows');
fact(100101, 2024);
is(queued(), '01:2024-2025:{100101}', 'after a take nothing is covered and the counts start again');

$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102");
fact(100103, 2024);
is(queued(), "01:2024-2025:{100101} 01:2024-$next:all", 'a registry change covers the province\'s years it queued');

$node->safe_psql($db, "BEGIN; INSERT INTO fact_year VALUES (100103, 2024, 2); PREPARE TRANSACTION 'p';");
$node->safe_psql($db, "COMMIT PREPARED 'p'");
is(queued(), "01:2024-2025:{100101} 01:2024-$next:all 01:2024-2025:{100103}",
	'a prepared transaction writes its row even when covered (it may commit long after a take)');

# A taker under REPEATABLE READ cannot see writers that relied on what it takes after its snapshot:
# it queues every covered key again, as a whole, and those rows cover nothing.
$node->safe_psql($db, 'BEGIN ISOLATION LEVEL REPEATABLE READ; DELETE FROM antq.pending; COMMIT;');
is(queued(), "01:2024-$next:all", 'a REPEATABLE READ taker queues the covered keys again');
fact(100101, 2024);
is(queued(), "01:2024-$next:all 01:2024-2025:{100101}", 'and its rows do not cover: the next writer writes');

# A taker waits for the writers that relied on a key it clears: its next statements (the
# recompute) must see their changes. The writer is held after its pre-commit, before its commit
# becomes visible, by synchronous replication.
$node->safe_psql($db, 'TRUNCATE antq.pending');
$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102");
my $writer = $node->background_psql($db);
$writer->query_until(qr/sent/, "SET synchronous_commit = on;\n\\echo sent\nINSERT INTO fact_year VALUES (100103, 2024, 7);\n");
ok($node->poll_query_until($db, "SELECT count(*) = 1 FROM pg_stat_activity WHERE wait_event = 'SyncRep'"),
	'a writer relying on the covered key is held between its pre-commit and its commit');
my $taker = $node->background_psql($db);
$taker->query_until(qr/sent/, "\\echo sent\nDELETE FROM antq.pending;\n");
ok($node->poll_query_until($db,
		"SELECT wait_event = 'Extension' FROM pg_stat_activity WHERE query = 'DELETE FROM antq.pending;' AND state = 'active'"),
	'a taker clearing the key waits for it');
$node->safe_psql($db, 'SELECT pg_sleep(0.5)');
is($node->safe_psql($db, "SELECT wait_event FROM pg_stat_activity WHERE query = 'DELETE FROM antq.pending;' AND state = 'active'"),
	'Extension', 'and keeps waiting while the writer has not committed');
$node->safe_psql($db, "ALTER SYSTEM SET synchronous_standby_names = ''; SELECT pg_reload_conf();");
is($taker->query_safe('SELECT count(*) FROM fact_year WHERE v = 7'), '1',
	"once the writer has committed, the taker goes on and its next statement sees the writer's change");
is($writer->query_safe('SELECT 1'), '1', 'the writer has committed');
$writer->quit;
$taker->quit;
$node->safe_psql($db, "ALTER SYSTEM RESET synchronous_standby_names; SELECT pg_reload_conf();");

# A taker holding a lock on the queue that a writer needs (LOCK TABLE, then DELETE) is not held
# up by that writer in the wait the deadlock detector cannot see: the writer takes its lock on
# the queue before it relies on any cover, so it waits for the taker, which waits for nobody.
$node->safe_psql($db, 'TRUNCATE antq.pending');
$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102");
my $locker = $node->background_psql($db, on_error_stop => 0);
$locker->query_safe('BEGIN; LOCK TABLE antq.pending IN SHARE MODE;');
my $blocked = $node->background_psql($db);
# one row the whole-key row covers (01, 2024) and one it does not (02, 2024), which must be written
$blocked->query_until(qr/sent/, "\\echo sent\nINSERT INTO fact_year VALUES (100103, 2024, 8), (200101, 2024, 8);\n");
ok($node->poll_query_until($db,
		"SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE query LIKE 'INSERT INTO fact_year VALUES (100103, 2024, 8)%'"),
	'the writer waits for the lock on the queue held by the taker');
like($locker->query("SET statement_timeout = '10s'; DELETE FROM antq.pending; SELECT 'deleted';"), qr/deleted/,
	'the taker deletes at once: no writer relies on a cover while waiting for its lock');
$locker->query_safe('COMMIT');
is($blocked->query_safe('SELECT count(*) FROM fact_year WHERE v = 8'), '2', 'the writer commits once the taker has');
like(queued(), qr/^01:2024-2025:\S+ 02:2024-2025:\{200101\}$/, 'and, the cover taken away, it queued both of its rows');
$locker->quit;
$blocked->quit;

# A READ COMMITTED DELETE by hand clears the covers like a take.
$node->safe_psql($db, 'DELETE FROM antq.pending');
fact(100101, 2024);
is(queued(), '01:2024-2025:{100101}', 'a DELETE of the queue clears the covers');
$node->safe_psql($db, 'TRUNCATE antq.pending');
$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102");
$node->safe_psql($db, 'TRUNCATE antq.pending');
fact(100101, 2024);
is(queued(), '01:2024-2025:{100101}', 'so does a TRUNCATE');

# A crash empties shared memory: nothing is covered after the restart.
$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102");
fact(100103, 2024);
is(queued(), "01:2024-2025:{100101} 01:2024-$next:all", 'covered before the crash');
AntqNode::no_leaks($node);
$node->stop('immediate');
$node->start;
fact(100103, 2024);
is(queued(), "01:2024-2025:{100101} 01:2024-$next:all 01:2024-2025:{100103}",
	'after a crash and restart nothing is covered or counted: the writer lists its unit');

# With the worker on: writers relying on covers while the worker takes them lose nothing. (The
# rows taken by hand above were never recomputed: refresh first.)
$node->safe_psql($db, 'SELECT antq.refresh(); DELETE FROM antq.pending;');
is(AntqNode::differences($node, $db), '0', 'refreshed: no difference before the writers');
$node->safe_psql($db, "ALTER SYSTEM SET antq.worker_enabled = on; ALTER SYSTEM SET antq.naptime = '200ms'; SELECT pg_reload_conf();");
AntqNode::wait_drained($node, $db, 'before the writers');
my $before = $node->safe_psql($db, q{SELECT pg_stat_force_next_flush(); SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = 'antq.pending'::regclass});
$node->pgbench('--no-vacuum --client=4 --jobs=2 --transactions=500', 0,
	[qr/number of transactions actually processed: 2000/], [qr/^$/],
	'2000 single-unit writers while the worker takes', { 'antq_cover' => q{
\set p random(1, 2)
\set c random(1, 2)
\set a random(1, 3)
\set t random(0, 9)
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered, crime_count, tipoffs)
VALUES (100000 * :p + 100 * :c + :a, 2024, '2024-02-01', 100, 90, 0, :t)
ON CONFLICT (unit_id, year) DO UPDATE SET tipoffs = EXCLUDED.tipoffs;
} }, $db);
AntqNode::wait_drained($node, $db, 'after the writers');
is(AntqNode::differences($node, $db), '0', 'verify() finds no difference');
is($node->safe_psql($db, q{SELECT s.tipoffs = (SELECT sum(a.tipoffs) FROM antq.assessment a JOIN antq.unit u USING (unit_id)
                                              WHERE a.year = 2024 AND u.province_code = '01' AND u.kind = 'residential_area')
                           FROM antq.summary s
                           WHERE s.area_level = 'province' AND s.area_code = '01' AND s.year = 2024 AND s.unit_kind = 'residential_area'}),
	't', 'the province summary shows the last tip-offs written');
my $rows = $node->safe_psql($db, q{SELECT pg_stat_force_next_flush(); SELECT n_tup_ins FROM pg_stat_user_tables WHERE relid = 'antq.pending'::regclass}) - $before;
cmp_ok($rows, '<', 1500, "writers relied on covers: $rows queue rows for 2000 transactions");

done_testing();
