# A database fed by a logical-replication subscription is kept fresh like any other: the apply
# worker fires row triggers only (never statement triggers), and the capture's row-level
# triggers (ENABLE REPLICA) queue what it applies; a rule change applied there reaches the
# compiled rules of every backend, the worker's included.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $pub = AntqNode::new_node('publisher', "wal_level = logical\nmax_wal_senders = 10\nmax_replication_slots = 10\n");
my $sub = AntqNode::new_node('subscriber', "antq.naptime = '200ms'\n");
my $db = 'rep';
AntqNode::seed($pub, $db, 2, 2, 3);
AntqNode::assess_all($pub, $db, 2025);
$pub->safe_psql($db, q{
INSERT INTO antq.score (unit_id, year, item, points)
SELECT unit_id, 2025, 'other', 75 FROM antq.unit WHERE kind = 'residential_area';
CREATE PUBLICATION antq_facts FOR TABLE antq.unit, antq.unit_lineage, antq.assessment, antq.incident, antq.score;
CREATE PUBLICATION antq_rules FOR TABLE antq.rating_band;
});
$sub->safe_psql('postgres', "CREATE DATABASE $db");
$sub->safe_psql($db, 'CREATE EXTENSION antq');
my $conn = $pub->connstr() . " dbname=$db";
# The rules ship with the extension on both sides: they are not copied, only later changes.
$sub->safe_psql($db, "CREATE SUBSCRIPTION facts CONNECTION '$conn' PUBLICATION antq_facts");
$sub->safe_psql($db, "CREATE SUBSCRIPTION rules CONNECTION '$conn' PUBLICATION antq_rules WITH (copy_data = false)");
$sub->wait_for_subscription_sync($pub, 'facts');
$sub->wait_for_subscription_sync($pub, 'rules');
AntqNode::wait_drained($sub, $db, 'after the initial copy');

my $summary = q{SELECT concat_ws(' ', registered, incidents, rating_weak, rating_average, rating_good, rating_excellent) FROM antq.summary
                WHERE area_level = 'province' AND area_code = '01' AND year = 2025 AND unit_kind = 'residential_area'};
my $copied = $sub->safe_psql($db, $summary);
like($copied, qr/^6 0 0 \d+ \d+ 0$/, "the subscriber summarized the copied facts: 6 registered, rated Trung bình or Khá ($copied)");

# Single changes, applied row by row.
$pub->safe_psql($db, q{
UPDATE antq.assessment SET registered_on = NULL WHERE unit_id = 100101 AND year = 2025;
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (100102, '2025-04-01', 'crime', 'serious');
});
$pub->wait_for_catchup('facts');
AntqNode::wait_drained($sub, $db, 'after applied fact changes');
like($sub->safe_psql($db, $summary), qr/^5 1 /, 'an applied update and an applied incident are recomputed on the subscriber');

# A rule change applied there: Yếu below 200 points for residential areas (sheet 1).
$pub->safe_psql($db, q{
UPDATE antq.rating_band SET min_score = CASE WHEN rating::integer > 1 THEN rating::integer * 100 ELSE 0 END,
                            max_score = CASE WHEN rating::integer < 4 THEN (rating::integer + 1) * 100 END
 WHERE sheet_id = 1;
});
$pub->wait_for_catchup('rules');
# The queue of a rules change comes from the publisher's capture of the band table, which the
# subscriber does not run: the applied change queues it here.
AntqNode::wait_drained($sub, $db, 'after an applied rule change');
is($sub->safe_psql($db, $summary), '5 1 6 0 0 0', 'the applied band change reached the worker\'s rules: every area is now Yếu');
is(AntqNode::differences($sub, $db), '0', 'verify() on the subscriber finds no difference');

AntqNode::no_leaks($sub);
done_testing();
