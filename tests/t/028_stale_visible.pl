# antq.results_stale fetches rows by TID, and on a block VACUUM has marked all visible it reads
# them without the block's lock or a visibility check (extension/recompute/table_read.c). After VACUUM
# the pass still finds exactly the stale units, alone and split with a parallel worker; and a
# fact changed by another session after the pass's snapshot was taken (its block no longer all
# visible) is read as that snapshot sees it. Shared buffers are small, so the tables are fetched
# through a ring of buffers, as the nation's are.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

# Shared buffers as small as PostgreSQL allows with room to spare (32 buffers): tables larger
# than a quarter of them are fetched through a ring of buffers, as the nation's tables are.
my $node = AntqNode::new_node('visible', "antq.worker_enabled = off\nshared_buffers = '256kB'\n");
my $db = 'v';
AntqNode::seed($node, $db, 2, 9, 99);
$node->safe_psql($db, q{
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered, crime_count, tipoffs)
SELECT u.unit_id, y, make_date(y, 2, 1), 100, 60 + u.unit_id % 40, u.unit_id % 3, u.unit_id % 5
FROM antq.unit u, generate_series(2023, 2024) y WHERE u.kind = 'residential_area';
SELECT antq.refresh(NULL, 2024);
});
$node->safe_psql($db, 'VACUUM (FREEZE, ANALYZE) antq.unit, antq.assessment, antq.unit_result');
is($node->safe_psql($db, q{
SELECT bool_and(c.relallvisible = c.relpages AND c.relpages > 0) FROM pg_class c
WHERE c.oid IN ('antq.unit'::regclass, 'antq.assessment'::regclass, 'antq.unit_result'::regclass)}),
	't', 'after VACUUM every block of the tables the pass fetches from is all visible');
is($node->safe_psql($db, q{
SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
WHERE c.oid IN ('antq.unit'::regclass, 'antq.assessment'::regclass, 'antq.unit_result'::regclass)
  AND pg_relation_size(c.oid) / current_setting('block_size')::int
      > (SELECT s.setting::int / 4 FROM pg_settings s WHERE s.name = 'shared_buffers')}),
	'assessment unit unit_result', 'each of them is larger than a quarter of shared buffers: fetched through a ring');

# The stale units' ids, sorted, as a text array.
sub stale
{
	my ($workers, $session) = @_;
	my $sql = "SET antq.stale_workers = $workers; SET parallel_setup_cost = 0; "
	  . 'SELECT (antq.results_stale(2024)).stale::text';
	return $session ? $session->query_safe($sql) : $node->safe_psql($db, $sql);
}

is(stale(0), '{}', 'all visible: nothing stale, the pass alone');
is(stale(1), '{}', 'all visible: nothing stale, the pass split with a parallel worker');

# A snapshot taken before another session changes a fact, then the pass in that snapshot.
my $reader = $node->background_psql($db);
$reader->query_safe('BEGIN ISOLATION LEVEL REPEATABLE READ');
$reader->query_safe('SELECT count(*) FROM antq.unit');
$node->safe_psql($db, 'UPDATE antq.assessment SET tipoffs = 99 WHERE unit_id = 100215 AND year = 2024');
is(stale(0, $reader), '{}', 'a snapshot from before the change does not see it (the pass alone)');
is(stale(1, $reader), '{}', 'nor split with a parallel worker');
$reader->query_safe('COMMIT');
is(stale(0, $reader), '{100215}', 'a new snapshot finds the changed unit stale (the pass alone)');
is(stale(1, $reader), '{100215}', 'and split with a parallel worker');
$reader->quit;

# Stored rows changed and removed after VACUUM, in blocks that were all visible.
$node->safe_psql($db, q{
SELECT antq.refresh(NULL, 2024);
VACUUM (FREEZE) antq.unit, antq.assessment, antq.unit_result;
});
is(stale(0), '{}', 'recomputed and vacuumed again: nothing stale');
$node->safe_psql($db, q{
UPDATE antq.unit_result SET name = name || '.' WHERE unit_id = 100120 AND year = 2024;
DELETE FROM antq.unit_result WHERE unit_id = 200333 AND year = 2024;
UPDATE antq.unit SET name = 'Thôn đổi tên' WHERE unit_id = 200101;
});
is(stale(0), '{100120,200101,200333}', 'a changed stored row, a removed one and a renamed unit are stale (alone)');
is(stale(1), '{100120,200101,200333}', 'and split with a parallel worker');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
