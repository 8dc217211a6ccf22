# Facts written before their unit commits. With session_replication_role = replica no foreign
# key is checked (bulk loads set it; a subscription's initial copy runs under it and copies its
# tables in parallel), so a writer may store facts of a unit that another transaction has
# inserted and not yet committed. The capture cannot find that unit's province; if the unit
# commits first and the worker recomputes its province before the facts commit, only the
# facts' own queue row can bring them in. They are queued under '?' and the worker looks the
# units up when it takes them. The same holds for a lineage link to a successor not yet
# committed.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('unseen', "antq.naptime = '200ms'\n");
my $db = 'u';
AntqNode::seed($node, $db, 1, 1, 2);
AntqNode::assess_all($node, $db, 2025);
AntqNode::wait_drained($node, $db, 'after seeding');

my $result = "SELECT concat_ws(' ', assessed, registered, incidents) FROM antq.unit_result WHERE unit_id = %d AND year = 2025";

# The unit, in one transaction; its facts, in another, while the unit is not yet committed.
my $unit_writer = $node->background_psql($db);
$unit_writer->query_safe(q{SET session_replication_role = replica; BEGIN;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (100109, 'residential_area', 'thon', '00101-T9', 'Thôn 9', 1001, 1, '01', '2020-01-01');});
my $fact_writer = $node->background_psql($db);
$fact_writer->query_safe(q{SET session_replication_role = replica; BEGIN;
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES (100109, 2025, '2025-02-01', 80, 80, 0, 0, 0, true);
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity) VALUES (100109, '2025-05-01', 'crime', 'serious');});
is($node->safe_psql($db, "SELECT count(*) FROM antq.unit WHERE unit_id = 100109"), '0', 'the unit is not committed yet');

# The unit commits first, and the worker recomputes its province without the facts.
$unit_writer->query_safe('COMMIT');
AntqNode::wait_drained($node, $db, 'after the unit committed');
is($node->safe_psql($db, sprintf($result, 100109)), 'f f 0', 'the worker saw the unit but no facts of it yet: not assessed');

$fact_writer->query_safe('COMMIT');
AntqNode::wait_drained($node, $db, 'after its facts committed');
is($node->safe_psql($db, sprintf($result, 100109)), 't t 1', 'the facts committed after their unit are recomputed');
is(AntqNode::differences($node, $db), '0', 'verify() finds no difference');

# A successor not yet committed when the link to it is written: its results read its
# predecessor's incidents (the serious crime of unit 100109 above).
$unit_writer->query_safe(q{SET session_replication_role = replica; BEGIN;
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE unit_id = 100109;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (100110, 'residential_area', 'thon', '00101-T10', 'Thôn 10', 1001, 1, '01', '2025-07-01');
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES (100110, 2025, '2025-07-02', 80, 80, 0, 0, 0, true);});
$fact_writer->query_safe(q{SET session_replication_role = replica; BEGIN;
INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date) VALUES (100109, 100110, 'merge', '2025-07-01');});
$unit_writer->query_safe('COMMIT');
AntqNode::wait_drained($node, $db, 'after the successor committed');
is($node->safe_psql($db, sprintf($result, 100110)), 't t 0', 'the worker saw the successor without its lineage');

$fact_writer->query_safe('COMMIT');
AntqNode::wait_drained($node, $db, 'after the link committed');
is($node->safe_psql($db, sprintf($result, 100110)), 't t 1', 'the link committed after its successor is recomputed: the predecessor\'s incident counts');
is(AntqNode::differences($node, $db), '0', 'verify() finds no difference');

# Facts of a unit that never comes: the worker drops them from the queue and goes on.
$node->safe_psql($db, q{SET session_replication_role = replica;
INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (999999, 2025, 1);});
AntqNode::wait_drained($node, $db, 'after facts of a unit that does not exist');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'nothing is set aside for them');

$unit_writer->quit;
$fact_writer->quit;
AntqNode::no_leaks($node);
done_testing();
