# A randomized workload — four pgbench clients moving residential areas between communes and
# provinces, adding and deleting areas, closing and reopening them, writing and deleting
# assessments (tip-offs, outreach, crime reports, traffic included; for a year the area takes
# part in, as antq refuses the others), incidents and other facts,
# and editing the criteria — runs while the worker recomputes. Afterwards the queue drains,
# antq.verify() finds no difference between the stored summaries and a full recompute, and every
# additive column adds up: nation = sum of provinces, and for residential areas (which always lie
# in a commune) province = sum of its communes.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('random', "antq.batch_size = 20\n");
my $db = 'r';
AntqNode::seed($node, $db, 4, 5, 10);
$node->safe_psql($db, q{
CREATE SEQUENCE public.code_seq;
CREATE TABLE public.fact_year (unit_id bigint NOT NULL, year integer NOT NULL, v integer);
CREATE TABLE public.rule_test (id integer PRIMARY KEY, v integer NOT NULL);
INSERT INTO public.rule_test VALUES (1, 0);
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
SELECT antq.capture_rule_changes('public.rule_test');
});
AntqNode::wait_drained($node, $db, 'after seeding');

my $script = q{
\set op random(1, 100)
\set p random(1, 4)
\set c random(1, 5)
\set a random(1, 10)
\set p2 random(1, 4)
\set c2 random(1, 5)
\set y random(0, 12)
\if :op <= 40
UPDATE antq.unit SET parent_id = 1000 * :p2 + :c2 WHERE unit_id = 100000 * :p + 100 * :c + :a;
\elif :op <= 60
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES ('residential_area', 'thon', 'X' || nextval('public.code_seq'), 'Thôn mới', 1000 * :p2 + :c2, :p2,
        lpad(:p2::text, 2, '0'), make_date(2013 + :y, 1, 1));
\elif :op <= 72
DELETE FROM antq.unit WHERE unit_id = (SELECT unit_id FROM antq.unit WHERE code LIKE 'X%' ORDER BY random() LIMIT 1);
\elif :op <= 80
UPDATE antq.unit SET valid_to = CASE WHEN valid_to IS NULL THEN make_date(2025 + :y % 3, 1, 1) END
WHERE unit_id = 100000 * :p + 100 * :c + :a;
\elif :op <= 86
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered, crime_count,
                             tipoffs, outreach_target, outreach_reached, crime_reports_received, crime_reports_handled,
                             traffic_accidents, traffic_deaths, traffic_injuries)
SELECT u.unit_id, 2013 + :y, make_date(2013 + :y, 2, 1), 100, 40 + 6 * :a, :a,
       :c, 10 * :a, 12 * :c, :a, least(:a, :c), :c, :c % 2, :a % 3
FROM antq.unit u
WHERE u.unit_id = 100000 * :p + 100 * :c + :a AND u.valid_from <= antq.window_end(u.kind, 2013 + :y)
  AND (u.valid_to IS NULL OR u.valid_to > antq.window_end(u.kind, 2013 + :y))
FOR SHARE
ON CONFLICT (unit_id, year) DO UPDATE
SET households_registered = EXCLUDED.households_registered, crime_count = EXCLUDED.crime_count,
    tipoffs = EXCLUDED.tipoffs, outreach_reached = EXCLUDED.outreach_reached;
\elif :op <= 90
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity)
SELECT u.unit_id, d.d, CASE WHEN :c % 2 = 0 THEN 'crime' ELSE 'inciting_crowds' END,
       CASE WHEN :c % 2 = 0 THEN 'less_serious' END
FROM antq.unit u, make_date(2012 + :y, 1 + 2 * :c, :a) AS d(d)
WHERE u.unit_id = 100000 * :p + 100 * :c2 + :a AND u.valid_from <= d.d AND (u.valid_to IS NULL OR u.valid_to > d.d);
\elif :op <= 92
DELETE FROM antq.incident WHERE incident_id = (SELECT min(incident_id) FROM antq.incident
                                               WHERE unit_id = 100000 * :p + 100 * :c + :a);
\elif :op <= 94
DELETE FROM antq.assessment WHERE unit_id = 100000 * :p + 100 * :c + :a AND year = 2013 + :y;
\elif :op <= 97
BEGIN;
INSERT INTO public.fact_year SELECT 100000 * :p + 100 * :c + :a, 2013 + :y, g FROM generate_series(1, 20) g;
UPDATE public.fact_year SET year = 2013 + :y WHERE unit_id = 100000 * :p2 + 100 * :c2 + :a;
DELETE FROM public.fact_year WHERE v = :a;
COMMIT;
\elif :op <= 99
UPDATE antq.criterion SET threshold = CASE WHEN threshold = 1 THEN 0.9 ELSE 1 END
WHERE form = 'ratio_at_least' AND fact = 'households_registered';
\else
UPDATE public.rule_test SET v = v + 1 WHERE id = 1;
\endif
};

$node->pgbench('--no-vacuum --client=4 --jobs=2 --transactions=750', 0,
	[qr/number of transactions actually processed: 3000/], [qr/^$/],
	'randomized workload of 3000 transactions', { 'antq_random' => $script }, $db);

AntqNode::wait_drained($node, $db, 'after the workload');
my $diff = $node->safe_psql($db, 'SELECT count(*) FROM antq.verify()');
is($diff, '0', 'verify() finds no difference after the randomized workload')
  or diag $node->safe_psql($db, 'SELECT * FROM antq.verify() LIMIT 20');
is($node->safe_psql($db, "SELECT count(*) FROM antq.worker_status WHERE database = '$db' AND last_error IS NULL"),
	'1', 'the worker recorded no error');
ok($node->safe_psql($db, "SELECT count(*) FROM antq.unit_result WHERE registered") > 0,
	'assessments written by the workload reached the results');
# The province rows add up to the nation row, and each province's units are all counted.
is($node->safe_psql($db, q{
SELECT count(*) FROM antq.summary n
WHERE n.area_level = 'nation'
  AND n.total <> (SELECT sum(p.total) FROM antq.summary p
                  WHERE p.area_level = 'province' AND p.year = n.year AND p.unit_kind = n.unit_kind)}),
	'0', 'nation totals equal the sum of province totals');
is($node->safe_psql($db, q{
SELECT count(*) FROM antq.summary s
WHERE s.area_level = 'province' AND s.year = 2025 AND s.unit_kind = 'residential_area'
  AND s.total <> (SELECT count(*) FROM antq.unit u
                  WHERE u.kind = 'residential_area' AND u.province_code = s.area_code
                    AND u.valid_from <= '2025-12-31' AND (u.valid_to IS NULL OR u.valid_to > '2025-12-31'))}),
	'0', 'province totals for 2025 match a direct count of the registry');

# Every additive column of a row, as one jsonb, and the same summed over a set of rows.
my $figures = q{jsonb_build_object('total', %1$s.total, 'registered', %1$s.registered, 'met', %1$s.met,
  'registered_share', %1$s.registered_share::text, 'incidents', %1$s.incidents, 'by_kind', %1$s.incidents_by_kind,
  'tipoffs', %1$s.tipoffs, 'outreach_target', %1$s.outreach_target, 'outreach_reached', %1$s.outreach_reached,
  'received', %1$s.crime_reports_received, 'handled', %1$s.crime_reports_handled,
  'accidents', %1$s.traffic_accidents, 'deaths', %1$s.traffic_deaths, 'injuries', %1$s.traffic_injuries)};
my $summed = q{jsonb_build_object('total', sum(%1$s.total), 'registered', sum(%1$s.registered), 'met', sum(%1$s.met),
  'registered_share', antq.sum(%1$s.registered_share)::text, 'incidents', sum(%1$s.incidents),
  'by_kind', antq.incidents_sum(%1$s.incidents_by_kind), 'tipoffs', sum(%1$s.tipoffs),
  'outreach_target', sum(%1$s.outreach_target), 'outreach_reached', sum(%1$s.outreach_reached),
  'received', sum(%1$s.crime_reports_received), 'handled', sum(%1$s.crime_reports_handled),
  'accidents', sum(%1$s.traffic_accidents), 'deaths', sum(%1$s.traffic_deaths), 'injuries', sum(%1$s.traffic_injuries))};
# A province's share is over all its units, published when any of them reported; the nation's
# adds up the provinces that reported (docs/figures.md): its communes' shares add up to it only
# when every commune reported.
(my $summed_units = $summed) =~ s{antq\.sum\(%1\$s\.registered_share\)}
	{antq.reported_share(sum(%1\$s.registered)::integer, sum(%1\$s.total)::integer, sum(%1\$s.assessed)::integer)};
ok($node->safe_psql($db, "SELECT sum(incidents) > 0 AND sum(tipoffs) > 0 AND sum(outreach_reached) > 0
  FROM antq.summary WHERE area_level = 'province'") eq 't',
	'incidents, tip-offs and outreach written by the workload reached the summary');
is($node->safe_psql($db, sprintf(q{
SELECT count(*) FROM antq.summary n
WHERE n.area_level = 'nation'
  AND %s IS DISTINCT FROM (SELECT %s FROM antq.summary p
                           WHERE p.area_level = 'province' AND p.year = n.year AND p.unit_kind = n.unit_kind)},
	sprintf($figures, 'n'), sprintf($summed, 'p'))),
	'0', 'every additive column of the nation rows equals the sum of the province rows');
is($node->safe_psql($db, sprintf(q{
SELECT count(*) FROM antq.summary p
WHERE p.area_level = 'province' AND p.unit_kind = 'residential_area'
  AND %s IS DISTINCT FROM (SELECT %s FROM antq.summary c
                           WHERE c.area_level = 'commune' AND c.province_code = p.area_code
                             AND c.year = p.year AND c.unit_kind = 'residential_area')},
	sprintf($figures, 'p'), sprintf($summed_units, 'c'))),
	'0', 'every additive column of a province equals the sum of its communes (residential areas lie in communes)');
is($node->safe_psql($db, q{
SELECT count(*) FROM antq.summary s
WHERE s.area_level = 'province' AND s.unit_kind = 'residential_area'
  AND s.incidents <> (SELECT count(*) FROM antq.unit_result r JOIN antq.incident i ON i.unit_id = r.unit_id
                      WHERE r.province_code = s.area_code AND r.year = s.year AND r.kind = 'residential_area'
                        AND i.occurred_on BETWEEN make_date(s.year - 1, 11, 1) AND make_date(s.year, 10, 31))}),
	'0', 'province incidents match a direct count of the incidents in the residential areas\' windows');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
