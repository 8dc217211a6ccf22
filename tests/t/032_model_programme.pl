# The model-unit programme with the worker running (issue 19): selections written by code are
# captured like other facts, and the worker keeps the participant counts of antq.summary
# ("1/2 on track") by difference as a whole recompute would (antq.verify); a selection refused
# by the rule stores nothing; a new version of a selected commune carries its selection along;
# and the national pass in C (antq.refresh() of every province) leaves the same rows.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('model_programme');
my $db = 'm';
AntqNode::seed($node, $db, 1, 3, 2);

# Every commune and residential area meets the safe standard in 2023 and 2024; in 2023 the
# communes 00101 and 00102 are classified Khá (85 points), 00103 Trung bình (60).
$node->safe_psql($db, q{
INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on, plan_on, has_party_org, households_total,
      households_registered, staff_total, staff_briefed, active_models, internal_rules, implements_policy,
      crime_count, new_hotspots, new_vice_persons, monitored_managed, force_rating, force_disciplined,
      police_proactive, offenders_count)
SELECT u.unit_id, y, make_date(y, 2, 1), make_date(y, 1, 15), make_date(y, 1, 20), true, 100, 100, 50, 50, 1, true, true,
       5, 0, 0, true, 'completed_well', 0, true, 0
  FROM antq.unit u, generate_series(2023, 2024) y WHERE u.kind IN ('commune', 'residential_area');
INSERT INTO antq.score (unit_id, year, item, points)
SELECT unit_id, 2023, 'other', CASE WHEN code = '00103' THEN 60 ELSE 85 END FROM antq.unit WHERE kind = 'commune';
});
AntqNode::wait_drained($node, $db, 'after the facts');

my $select = q{INSERT INTO antq.model_participation_by_code (unit_code, year, selected_on, decision_number, authority)
               VALUES ('%s', 2024, '2024-02-20', '45/QĐ-BCĐ', 'Ban Chỉ đạo 138 tỉnh')};
$node->safe_psql($db, sprintf($select, $_)) for ('00101', '00102');
my ($rc, $out, $err) = $node->psql($db, sprintf($select, '00103'));
like($err, qr/ERROR:  row 1: unit_id for commune 00103 .* classified Trung bình in 2023 \(computed\), below Khá/,
	'a commune rated Trung bình in 2023 is refused by code, naming the row, the code and the reason');
$node->safe_psql($db, q{
INSERT INTO antq.model_check (unit_id, year, criterion_no, met)
SELECT 1001, 2024, n, true FROM generate_series(1, 34) n
UNION ALL SELECT 1002, 2024, n, n <> 21 FROM generate_series(1, 21) n;
});
AntqNode::wait_drained($node, $db, 'after the selections and checks');

my $province = q{SELECT format('%s %s %s', participants, on_track_label, complete_label) FROM antq.v_model_programme_summary
                  WHERE area_level = 'province' AND area_code = '01' AND year = 2024 AND unit_kind = 'commune'};
my $units = q{SELECT string_agg(format('%s %s %s', code, progress, on_track), '; ' ORDER BY code) FROM antq.v_model_programme};
is($node->safe_psql($db, $province), '2 1/2 1/2', 'the worker counts 2 communes taking part, 1 on track, 1 complete');
is($node->safe_psql($db, $units), '00101 34/34 t; 00102 20/34 f', 'and each participant\'s progress');
is($node->safe_psql($db, q{SELECT model_candidates FROM antq.summary WHERE area_level = 'province' AND year = 2024 AND unit_kind = 'commune'}),
	'3', 'while all 3 assessed communes are candidates');
is(AntqNode::differences($node, $db), '0', 'verify() is clean');

# Criterion 21 met after all: by difference, the second commune is on track.
$node->safe_psql($db, 'UPDATE antq.model_check SET met = true WHERE unit_id = 1002 AND year = 2024 AND criterion_no = 21');
AntqNode::wait_drained($node, $db, 'after the correction');
is($node->safe_psql($db, $province), '2 2/2 1/2', 'both communes on track');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the difference');

# A new version of 00101 from 1 June 2024: its 2024 facts, the selection with them, move to it.
my $new = $node->safe_psql($db, q{SELECT antq.reorganize(1001, '2024-06-01', p_name => 'Phường 1-1')});
AntqNode::wait_drained($node, $db, 'after the new version');
is($node->safe_psql($db, q{SELECT p.unit_id FROM antq.model_participation p JOIN antq.unit u USING (unit_id) WHERE u.code = '00101'}), $new,
	'the selection moved to the new version');
is($node->safe_psql($db, $units), '00101 34/34 t; 00102 21/34 t', 'progress carried along');
is($node->safe_psql($db, $province), '2 2/2 1/2', 'and counted once');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the new version');

# The national pass (every province, extension/stale_results.c first) rewrites nothing.
$node->safe_psql($db, 'SELECT antq.refresh()');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after a national recompute');
is($node->safe_psql($db, $province), '2 2/2 1/2', 'with the same counts');

# Withdrawn: the worker takes it out again.
$node->safe_psql($db, q{DELETE FROM antq.model_participation WHERE unit_id = 1002 AND year = 2024});
AntqNode::wait_drained($node, $db, 'after the withdrawal');
is($node->safe_psql($db, $province), '1 1/1 1/1', 'one commune left in the programme');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the withdrawal');

is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'no key was set aside');
AntqNode::no_leaks($node);
$node->stop;
done_testing();
