# The worker never stores results computed with rules older than the keys it takes. A rules
# change wakes the worker at commit, before the change's invalidation reaches it (PostgreSQL
# sends invalidations after the commit callbacks), so the worker could take the keys the change
# queued and compute them with its old copy of the rules. Here an admin adds a provincial
# criteria set and then its criteria one autocommit statement at a time, round after round,
# while the worker runs; after each round the queue drains and antq.verify() finds no
# difference. The worker also checks antq.rules_version itself: a bumped version drops its copy
# without any invalidation.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('rules_cache', "antq.naptime = '50ms'\n");
my $db = 'rc';
AntqNode::seed($node, $db, 2, 3, 6);
# Facts for 2025 under which the provincial criteria decide: crime_count 0..3, traffic deaths 0..1.
$node->safe_psql($db, q{
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed, traffic_deaths)
SELECT unit_id, 2025, '2025-02-01', 100, 100, unit_id % 4, 0, 0, true, unit_id % 2
  FROM antq.unit WHERE kind = 'residential_area';
INSERT INTO antq.score (unit_id, year, item, points)
SELECT unit_id, 2025, 'other', 60 + unit_id % 40 FROM antq.unit WHERE kind = 'residential_area';
});
AntqNode::wait_drained($node, $db, 'after seeding');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after seeding');

my $rounds = 12;
my $stale_rounds = 0;
for my $i (1 .. $rounds)
{
	my $set = "01-ra-$i";
	my $limit = $i % 4;
	# Each statement on its own (autocommit), as an admin at a psql prompt would.
	$node->safe_psql($db, "INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, last_year, title)
		VALUES ('$set', 'safe', 'residential_area', '01', 2025, 2025, 'Provincial round $i')");
	$node->safe_psql($db, "INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold)
		VALUES ('$set', 'P1', 1, 'At most $limit crimes', 'count_at_most', 'crime_count', $limit)");
	$node->safe_psql($db, "INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, threshold)
		VALUES ('$set', 'P2', 2, 'No traffic deaths', 'count_at_most', 'traffic_deaths', 0)");
	$node->safe_psql($db, "UPDATE antq.criterion SET threshold = " . (3 - $limit) . " WHERE set_id = '$set' AND label = 'P1'");
	$node->safe_psql($db, "DELETE FROM antq.criteria_set WHERE set_id = '01-ra-" . ($i - 1) . "'") if $i > 1;
	AntqNode::wait_drained($node, $db, "round $i");
	my $diff = AntqNode::differences($node, $db);
	$stale_rounds++ if $diff ne '0';
	diag("round $i: verify() reports $diff differences") if $diff ne '0';
}
is($stale_rounds, 0, "no stale result after any of $rounds rounds of autocommit rule edits");

# The last round's criteria decide the stored results of province 01 (the set is in force).
is($node->safe_psql($db, "SELECT count(*) > 0 FROM antq.unit_result r JOIN antq.unit u USING (unit_id)
	WHERE u.province_code = '01' AND r.year = 2025 AND u.kind = 'residential_area' AND pg_catalog.length(r.safe_attainment::text) = 7"),
	't', 'the provincial criteria are part of the stored results (7 criteria)');

# The version check alone: a rules change that bumps antq.rules_version but sends no
# invalidation (its trigger disabled beforehand, the bump written by hand) stands for the
# window in which the worker has taken the keys and the invalidation has not yet arrived.
$node->safe_psql($db, 'ALTER TABLE antq.rating_band DISABLE TRIGGER rating_band_changed');
# The worker reads the rules again (after the ALTER's invalidation) to recompute a fact change.
$node->safe_psql($db, "UPDATE antq.assessment SET crime_count = crime_count WHERE year = 2025 AND unit_id = 100101");
AntqNode::wait_drained($node, $db, 'the worker has read the rules');
my $ratings = "SELECT string_agg(rating::integer::text, '' ORDER BY unit_id) FROM antq.unit_result WHERE year = 2025 AND rating IS NOT NULL";
my $before = $node->safe_psql($db, $ratings);
$node->safe_psql($db, q{
BEGIN;
UPDATE antq.rating_band SET min_score = CASE WHEN rating::integer > 1 THEN rating::integer * 100 ELSE 0 END,
                            max_score = CASE WHEN rating::integer < 4 THEN (rating::integer + 1) * 100 END
 WHERE sheet_id = 1;
UPDATE antq.rules_version SET version = version + 1;
COMMIT;
});
AntqNode::wait_drained($node, $db, 'after a rules change without invalidation');
my $after = $node->safe_psql($db, $ratings);
isnt($before, '', 'residential areas have stored ratings');
like($after, qr/^1+$/, 'every residential area is now rated Yếu');
isnt($after, $before, 'the stored ratings changed with the bands (Yếu below 200 points)');
is(AntqNode::differences($node, $db), '0', 'verify() is clean: the worker did not use its old copy of the bands');
$node->safe_psql($db, 'ALTER TABLE antq.rating_band ENABLE ALWAYS TRIGGER rating_band_changed');

AntqNode::no_leaks($node);
done_testing();
