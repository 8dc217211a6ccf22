# A province replayed through the 1 July 2025 reform with the worker running (issue 19, "Must
# show"): Hà Giang (02) registers its units in Q1 2025 and records first-half incidents; on 1 July
# its communes merge and move into Tuyên Quang (08), across the province border; then late
# corrections of pre-reform facts are written on the old version ids, as a provincial system
# that kept them would. Every 2025 summary figure is checked against values computed by hand
# below, and verify() must find nothing. docs/reform.md states the rules the figures follow.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('reform_replay');
my $db = 'r';
$node->safe_psql('postgres', "CREATE DATABASE $db");
$node->safe_psql($db, q{
CREATE EXTENSION antq;
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '02', 'Tỉnh Hà Giang', '1991-10-01'), ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'phuong', c.code, c.name, (antq.unit_at(c.province, '2020-01-01')).unit_id, '2010-09-27'
  FROM (VALUES ('00688', 'Phường Quang Trung', '02'), ('00691', 'Phường Trần Phú', '02'), ('00694', 'Phường Nguyễn Trãi', '02'),
               ('02230', 'Phường Minh Xuân', '08')) c(code, name, province);
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'residential_area', 'to_dan_pho', a.code, a.name, (antq.unit_at(left(a.code, 5), '2020-01-01')).unit_id, '2015-01-01'
  FROM (VALUES ('00688-T1', 'Tổ 1'), ('00688-T2', 'Tổ 2'), ('00691-T1', 'Tổ 1'), ('00694-T1', 'Tổ 1'), ('02230-T1', 'Tổ 1')) a(code, name);
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
VALUES ('agency', 'CQ-0691', 'Kho bạc Trần Phú', (antq.unit_at('00691', '2020-01-01')).unit_id, (antq.unit_at('00691', '2020-01-01')).unit_id, '2015-01-01');
});
AntqNode::wait_drained($node, $db, 'after the registry');

# Q1 2025: every area but 00688-T2 registers with the facts under which it meets the standard
# (a Party cell resolution and registration in Q1, every household registered, policy
# implemented, no crime, hotspot or new vice, monitoring done, its force rated "completed" with
# nobody disciplined), 00694-T1 with 90 of 100 households, corrected later; the communes but 00694 register
# without a Party resolution (not met); the agency registers having briefed 10 of 50 (not met).
$node->safe_psql($db, q{
INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on, households_total, households_registered, implements_policy,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed, force_rating, force_disciplined)
SELECT (antq.unit_at(a.code, '2025-03-31')).unit_id, 2025, '2025-02-01', '2025-01-15', 100, a.households, true, 0, 0, 0, true, 'completed', 0
  FROM (VALUES ('00688-T1', 100), ('00691-T1', 100), ('00694-T1', 90), ('02230-T1', 100)) a(code, households);
INSERT INTO antq.assessment (unit_id, year, registered_on, active_models)
SELECT (antq.unit_at(c, '2025-03-31')).unit_id, 2025, '2025-03-01', 1 FROM unnest(ARRAY['00688', '00691', '02230']) c;
INSERT INTO antq.assessment (unit_id, year, registered_on, staff_total, staff_briefed)
VALUES ((antq.unit_at('CQ-0691', '2025-03-31')).unit_id, 2025, '2025-02-01', 50, 10);
});
# First half: a serious crime in 00691-T1 (it fails), a dispute in 02230-T1 (it fails), a
# fire in commune 00688 and a crowd incited in commune 00691.
$node->safe_psql($db, q{
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference)
SELECT (antq.unit_at(i.code, i.day)).unit_id, i.day, i.kind, i.severity, i.ref
  FROM (VALUES ('00691-T1', date '2025-02-10', 'crime', 'serious', 'HG-1'), ('02230-T1', '2025-03-03', 'prolonged_dispute', NULL, 'TQ-1'),
               ('00688', '2025-04-01', 'serious_fire_explosion', NULL, 'HG-2'), ('00691', '2025-06-10', 'inciting_crowds', NULL, 'HG-3')) i(code, day, kind, severity, ref);
});
AntqNode::wait_drained($node, $db, 'after the first half-year');
is(AntqNode::differences($node, $db), '0', 'verify() is clean before the reform');

# The old version ids, kept by the provincial system.
my %old = map { split /\|/ } split /\n/, $node->safe_psql($db,
	"SELECT code || '|' || unit_id FROM antq.unit WHERE valid_from < '2025-07-01' AND kind <> 'province'");

# 1 July 2025: 00691 absorbs 00688 and, like 00694, moves into Tuyên Quang; Hà Giang closes.
$node->safe_psql($db, q{
SELECT antq.merge_units((antq.unit_at('00691', '2025-06-30')).unit_id, ARRAY[(antq.unit_at('00688', '2025-06-30')).unit_id], '2025-07-01',
                        (antq.unit_at('08', '2025-07-01')).unit_id, 'Phường Hà Giang 2', NULL, 'Nghị quyết 202/2025/QH15');
SELECT antq.reorganize((antq.unit_at('00694', '2025-06-30')).unit_id, '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, 'Phường Hà Giang 1');
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE code = '02';
INSERT INTO antq.unit_lineage (predecessor_id, successor_id, event, effective_date, legal_basis)
VALUES ((antq.unit_at('02', '2025-06-30')).unit_id, (antq.unit_at('08', '2025-07-01')).unit_id, 'merge', '2025-07-01', 'Nghị quyết 202/2025/QH15');
});
AntqNode::wait_drained($node, $db, 'after the reform');
is($node->safe_psql($db, "SELECT string_agg(code, ' ' ORDER BY code) FROM antq.unit WHERE valid_from = '2025-07-01'"),
	'00688-T1 00688-T2 00691 00691-T1 00694 00694-T1 CQ-0691', 'the reform gave new versions, in province 08');

# Late corrections on the old ids: 00688-T2's registration (15 March), 00694-T1's households,
# the recognitions of 00688-T1, 00694-T1 and the agency, and an incident of 1 August in 00691.
$node->safe_psql($db, qq{
INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on, households_total, households_registered, implements_policy,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed, force_rating, force_disciplined)
VALUES ($old{'00688-T2'}, 2025, '2025-03-15', '2025-01-20', 80, 80, true, 0, 0, 0, true, 'completed', 0),
       ($old{'00694-T1'}, 2025, '2025-02-01', '2025-01-15', 100, 100, true, 0, 0, 0, true, 'completed', 0)
ON CONFLICT (unit_id, year) DO UPDATE SET households_registered = EXCLUDED.households_registered;
INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority)
VALUES ($old{'00688-T1'}, 2025, 'recognition', true, '101/QĐ-UBND', '2025-11-14', 'UBND phường Hà Giang 2'),
       ($old{'00694-T1'}, 2025, 'recognition', true, '102/QĐ-UBND', '2025-11-14', 'UBND phường Hà Giang 1'),
       ($old{'CQ-0691'}, 2025, 'recognition', true, '103/QĐ-UBND', '2025-11-20', 'UBND phường Hà Giang 2');
INSERT INTO antq.incident (unit_id, occurred_on, kind, reference) VALUES ($old{'00691'}, '2025-08-01', 'sabotage', 'HG-4');
});
AntqNode::wait_drained($node, $db, 'after the late corrections');

is($node->safe_psql($db, q{SELECT count(*) FROM antq.assessment a JOIN antq.unit u USING (unit_id)
                            WHERE a.year = 2025 AND u.province_code = '08'}), '8',
	'every 2025 assessment but the absorbed commune\'s is stored on a version in province 08');
is($node->safe_psql($db, q{SELECT string_agg(format('%s %s %s', table_name, unit_code, year), '; ') FROM antq.facts_not_counted}),
	'assessment 00688 2025', 'only the absorbed commune\'s own registration counts nowhere');

# Hand-computed 2025 figures: kind total/registered/met/recognized incidents {by kind}.
#  areas   00688-T1 reg met rec; 00688-T2 reg (late) met; 00691-T1 reg, crime; 00694-T1 reg met
#          (corrected) rec; 02230-T1 reg, dispute.
#  agency  CQ-0691 reg, not met (10/50 briefed), rec.
#  communes 00691 (its Q1 row carried over; incidents: its own crowd and sabotage, 00688's fire),
#          00694 (no registration), 02230 reg; none met (no Party resolution), none recognized.
my $summary = q{SELECT string_agg(format('%s %s %s %s/%s/%s/%s %s %s', area_level, area_code, unit_kind, total, registered, met,
                                         recognized, incidents, incidents_by_kind), E'\n'
                                  ORDER BY area_level, area_code, unit_kind)
                  FROM antq.summary WHERE year = 2025};
my $expected = join("\n",
	'commune 00691 agency 1/1/0/1 0 {}',
	'commune 00691 residential_area 3/3/2/1 1 {"crime": 1}',
	'commune 00694 residential_area 1/1/1/1 0 {}',
	'commune 02230 residential_area 1/1/0/0 1 {"prolonged_dispute": 1}',
	'nation VN agency 1/1/0/1 0 {}',
	'nation VN commune 3/2/0/0 3 {"sabotage": 1, "inciting_crowds": 1, "serious_fire_explosion": 1}',
	'nation VN residential_area 5/5/3/2 2 {"crime": 1, "prolonged_dispute": 1}',
	'province 08 agency 1/1/0/1 0 {}',
	'province 08 commune 3/2/0/0 3 {"sabotage": 1, "inciting_crowds": 1, "serious_fire_explosion": 1}',
	'province 08 residential_area 5/5/3/2 2 {"crime": 1, "prolonged_dispute": 1}');
is($node->safe_psql($db, $summary), $expected, 'every 2025 summary figure is the hand-computed one');
is($node->safe_psql($db, q{SELECT string_agg(format('%s %s %s', area_level, area_code, unit_kind), ', ')
                            FROM antq.v_summary WHERE year = 2025 AND registered <> (SELECT s.registered FROM antq.summary s
                              WHERE s.area_level = v_summary.area_level AND s.area_code = v_summary.area_code
                                AND s.year = 2025 AND s.unit_kind = v_summary.unit_kind)}), '',
	'antq.v_summary shows the same figures');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the late corrections')
  or diag $node->safe_psql($db, 'SELECT what, area_code, year, stored, computed FROM antq.verify()');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'no key was set aside');
AntqNode::no_leaks($node);
$node->stop;
done_testing();
