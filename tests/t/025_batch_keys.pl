# The worker recomputes the keys of a batch that name their changed units together
# (antq.recompute_unit_keys): one computation per year for every province of the batch. Here a
# batch holds unit keys of two provinces and two years, with two units of province 01
# reorganized into other provinces: one into 02, whose key is in the batch (its successor is
# recomputed in the same batch), one into 03, whose key is not (its successor is queued for
# 03, as antq.recompute_units does). Afterwards the stored rows are those of a from-scratch
# recompute. Then a batch whose group recompute fails: the good keys are recomputed one at a
# time and the failing one is set aside. The worker is off: the test takes the batches itself.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('batch_keys', "antq.worker_enabled = off\n");
my $db = 'bk';
AntqNode::seed($node, $db, 3, 2, 3);
AntqNode::assess_all($node, $db, 2024);
AntqNode::assess_all($node, $db, 2025);

# Thôn 1 of commune 1001 moves under commune 2001 (province 02), thôn 1 of commune 1002 under
# commune 3001 (province 03), both on 2025-07-01; their 2025 rows follow them (facts belong to
# the code, sql/48_facts_unit.sql), and are corrected to 2 crimes.
my $succ2 = $node->safe_psql($db, "SELECT antq.reorganize(100101, '2025-07-01', p_parent => 2001)");
my $succ3 = $node->safe_psql($db, "SELECT antq.reorganize(100201, '2025-07-01', p_parent => 3001)");
is($node->safe_psql($db, "SELECT string_agg(province_code, ' ' ORDER BY unit_id) FROM antq.unit WHERE unit_id IN ($succ2, $succ3)"),
	'02 03', 'the successors lie in provinces 02 and 03');
$node->safe_psql($db, "INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered,
                                                    crime_count, new_hotspots, new_vice_persons, monitored_managed)
SELECT u, 2025, '2025-02-01', 100, 100, 2, 0, 0, true FROM unnest(ARRAY[$succ2, $succ3]::bigint[]) u
ON CONFLICT (unit_id, year) DO UPDATE SET crime_count = EXCLUDED.crime_count");
$node->safe_psql($db, 'SELECT antq.refresh(); DELETE FROM antq.pending;');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the refresh');

# A commune listed with no province counts its other units as stored for its own province,
# as a province's key does.
is($node->safe_psql($db, "SELECT unit_counts::text FROM antq.results_computed(NULL, 2025, ARRAY[1001]::bigint[], true)"),
	$node->safe_psql($db, "SELECT unit_counts::text FROM antq.results_computed('01', 2025, ARRAY[1001]::bigint[], true)"),
	'a commune listed with no province counts its stored units as with its province');

# The predecessors' 2024 crimes (read by their successors' 2025 criterion 4a) queue 01 for
# 2024-2025; a registration withdrawn in 01 (commune 1001's criterion 4 counts it) and a 2025
# crime in 02 queue 01 and 02 for 2025-2026. Nothing of 03 is queued.
$node->safe_psql($db, $_) for (
	'UPDATE antq.assessment SET crime_count = 5 WHERE unit_id IN (100101, 100201) AND year = 2024',
	'UPDATE antq.assessment SET registered_on = NULL WHERE unit_id = 100102 AND year = 2025',
	'UPDATE antq.assessment SET crime_count = 3 WHERE unit_id = 200102 AND year = 2025');
my $keys = "SELECT string_agg(province_code || ':' || first_year || '-' || last_year, ' ' ORDER BY province_code, first_year)
            FROM antq.pending";
is($node->safe_psql($db, $keys), '01:2024-2025 01:2025-2026 02:2025-2026', 'the changes are queued for 01 and 02');

is($node->safe_psql($db, 'SELECT keys FROM antq.process_pending(100)'), '5', 'one batch takes the five keys');
# Queued for their own keys, as antq.recompute_units queues them: the successor in 03 and the
# communes the successors lie in, for the years in which 02 and 03 have no key in the batch.
is($node->safe_psql($db, $keys), '02:2024-2024 03:2024-2025',
	'the successor in 03 is queued for its key, the one in 02 was recomputed in the batch (02:2025 not queued)');
is($node->safe_psql($db, "SELECT count(*) FROM antq.verify('02')"), '0', 'province 02, successor included, is fresh already');
is($node->safe_psql($db, "SELECT count(*) FROM antq.verify('01')"), '0', 'so is province 01');
is($node->safe_psql($db, 'SELECT keys FROM antq.process_pending(100)'), '3', 'the next batch takes those keys');
is(AntqNode::differences($node, $db), '0', 'verify() is clean');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'no key was set aside');

# The stored rows equal a from-scratch recompute's.
$node->safe_psql($db, q{
CREATE TABLE public.kept AS
  SELECT 'r' AS t, to_jsonb(r) - 'computed_at' AS j FROM antq.unit_result r
  UNION ALL SELECT 's', to_jsonb(s) - 'computed_at' FROM antq.summary s;
TRUNCATE antq.unit_result, antq.summary;
SELECT antq.refresh();
DELETE FROM antq.pending;
});
is($node->safe_psql($db, q{
SELECT count(*) FROM ((SELECT * FROM public.kept
                       EXCEPT ALL (SELECT 'r', to_jsonb(r) - 'computed_at' FROM antq.unit_result r
                                   UNION ALL SELECT 's', to_jsonb(s) - 'computed_at' FROM antq.summary s))
                      UNION ALL
                      ((SELECT 'r', to_jsonb(r) - 'computed_at' FROM antq.unit_result r
                        UNION ALL SELECT 's', to_jsonb(s) - 'computed_at' FROM antq.summary s)
                       EXCEPT ALL SELECT * FROM public.kept)) d}), '0',
	'the stored results and summaries equal those of a recompute from scratch');
cmp_ok($node->safe_psql($db, "SELECT count(*) FROM public.kept WHERE j ->> 'unit_id' IN ('$succ2', '$succ3')"), '>=', 2,
	'and hold the successors');

# A batch whose group recompute fails: every result of province 03 is refused. The keys of 01
# and 02 are recomputed one at a time; those of 03 are set aside.
$node->safe_psql($db, q{
CREATE FUNCTION public.refuse_03() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'results of province 03 are refused for this test'; END $$;
CREATE TRIGGER refuse_03 BEFORE INSERT OR UPDATE ON antq.unit_result
  FOR EACH ROW WHEN (NEW.province_code = '03') EXECUTE FUNCTION public.refuse_03();
});
$node->safe_psql($db, 'UPDATE antq.assessment SET crime_count = 1 WHERE unit_id IN (100103, 200103, 300103) AND year = 2025');
is($node->safe_psql($db, 'SELECT keys FROM antq.process_pending(100)'), '6', 'one batch takes the six keys');
is($node->safe_psql($db, "SELECT string_agg(province_code || ':' || year, ' ' ORDER BY year) FROM antq.pending_set_aside"),
	'03:2025 03:2026', 'the keys of 03 are set aside');
is($node->safe_psql($db, "SELECT count(*) FROM antq.verify('01')") . ' ' . $node->safe_psql($db, "SELECT count(*) FROM antq.verify('02')"),
	'0 0', 'the keys of 01 and 02 are recomputed');
isnt($node->safe_psql($db, "SELECT count(*) FROM antq.verify('03')"), '0', 'province 03 is not (its results are refused)');
$node->safe_psql($db, 'DROP TRIGGER refuse_03 ON antq.unit_result');
$node->safe_psql($db, "UPDATE antq.pending_set_aside SET retry_at = now() - interval '1 second'");
is($node->safe_psql($db, 'SELECT keys FROM antq.process_pending(100)'), '2', 'the keys of 03 are retried once due');
is(AntqNode::differences($node, $db), '0', 'verify() is clean');

AntqNode::no_leaks($node);
done_testing();
