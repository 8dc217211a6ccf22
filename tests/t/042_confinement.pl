# Per-province confinement with real logins and the worker running (issue 17): writers w01 and
# w08, each confined to its province with antq.grant_province, write their facts from their own
# connections, and the worker computes both provinces' results and summaries (antq.verify()
# clean as superuser). COPY FROM, which PostgreSQL refuses to roles that row-level security
# applies to, stores nothing for a confined writer, of any province; the documented way, COPY
# into a temporary table then INSERT ... SELECT, stores its own province's rows and refuses a
# batch with a row of another province whole. A confined reader's COPY TO and its queries, also
# after SET ROLE, show its province only.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('confinement');
my $db = 'c';
# provinces 01..08, 2 communes each (1000p+c), 3 residential areas a commune (100000p+100c+a)
AntqNode::seed($node, $db, 8, 2, 3);
$node->safe_psql($db, q{
CREATE ROLE w01 LOGIN IN ROLE antq_writer;
CREATE ROLE w08 LOGIN IN ROLE antq_writer;
CREATE ROLE r08 LOGIN IN ROLE antq_reader;
SELECT antq.grant_province('w01', '01'), antq.grant_province('w08', '08'), antq.grant_province('r08', '08');
});
AntqNode::wait_drained($node, $db, 'after seeding');

# Run $sql as $role in its own connection; return [exit code, stdout, stderr].
sub as_role
{
	my ($role, $sql) = @_;
	my ($ret, $out, $err) = $node->psql($db, "\\set VERBOSITY verbose\n$sql", extra_params => [ '-U', $role ]);
	return [ $ret, $out, $err ];
}

# The assessments of 2024 as superuser, by province.
sub stored
{
	return $node->safe_psql($db, q{SELECT coalesce(string_agg(p || ':' || n, ' ' ORDER BY p), '')
	  FROM (SELECT u.province_code p, count(*) n FROM antq.assessment a JOIN antq.unit u USING (unit_id)
	         WHERE a.year = 2024 GROUP BY 1) x});
}

my $cols = 'unit_id, year, registered_on, households_total, households_registered, crime_count, new_hotspots, new_vice_persons, monitored_managed';
sub row { my ($unit) = @_; return "$unit\t2024\t2024-02-01\t100\t100\t0\t0\t0\tt\n"; }

# COPY FROM: refused to a confined writer, for its own rows and another province's alike.
my $r = as_role('w08', "COPY antq.assessment ($cols) FROM stdin;\n" . row(100101) . "\\.\n");
like($r->[2], qr/ERROR:  0A000: COPY FROM not supported with row-level security/, 'w08 cannot COPY a row of 01 into antq.assessment');
$r = as_role('w08', "COPY antq.assessment ($cols) FROM stdin;\n" . row(800101) . "\\.\n");
like($r->[2], qr/0A000: COPY FROM not supported/, 'nor its own rows: COPY FROM is refused under row-level security');
is(stored(), '', 'nothing was stored');

# COPY into a temporary table, then INSERT ... SELECT.
my $staged = "CREATE TEMP TABLE staged (LIKE antq.assessment);\nCOPY staged ($cols) FROM stdin;\n%s\\.\n"
  . "INSERT INTO antq.assessment SELECT * FROM staged;\n";
$r = as_role('w08', sprintf($staged, row(800101) . row(100101)));
like($r->[2], qr/ERROR:  42501: residential_area 00101-T1 \(unit_id 100101\) of province 01 is outside the provinces this session may write \(08\)/,
	'w08\'s batch with a row of 01 is refused, naming the unit and its province');
like($r->[2], qr/HINT:  .*antq.grant_province/, 'with a hint naming antq.grant_province');
is(stored(), '', 'the whole batch was refused');

# Each writer sends its province's year from its own connection.
my $all = join('', map { my $p = $_; map { my $c = $_; map { row(100000 * $p + 100 * $c + $_) } 1 .. 3 } 1 .. 2 } (1, 8));
my $mine = sub {
	my ($p) = @_;
	return join('', grep { /^$p/ } split /(?<=\n)/, $all);
};
is(as_role('w01', sprintf($staged, $mine->(1)))->[0], 0, 'w01 stores the 6 assessments of 01');
is(as_role('w08', sprintf($staged, $mine->(8)))->[0], 0, 'w08 stores the 6 assessments of 08');
$r = as_role('w08', "INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference) VALUES (800101, '2024-03-02', 'crime', 'serious', 'A1');\n"
	. "UPDATE antq.assessment SET crime_count = 3 WHERE year = 2024;\nDELETE FROM antq.assessment WHERE unit_id = 100102;");
is($r->[0], 0, 'w08 records an incident, updates and deletes "every" assessment');
is(stored(), '01:6 08:6', 'every assessment of 01 is still there');
is($node->safe_psql($db, q{SELECT string_agg(DISTINCT u.province_code || ':' || a.crime_count, ' ') FROM antq.assessment a JOIN antq.unit u USING (unit_id)}),
	'01:0 08:3', 'and w08 changed those of 08 only');

# The worker computes both provinces.
AntqNode::wait_drained($node, $db, 'after both provinces wrote');
is(AntqNode::differences($node, $db), '0', 'verify() as superuser is clean');
is($node->safe_psql($db, q{SELECT string_agg(province_code || ':' || n, ' ' ORDER BY province_code)
                             FROM (SELECT province_code, count(*) FILTER (WHERE registered) n FROM antq.unit_result
                                    WHERE year = 2024 AND kind = 'residential_area' GROUP BY 1) x WHERE n > 0}),
	'01:6 08:6', 'both provinces\' results are stored');
is($node->safe_psql($db, q{SELECT string_agg(area_code || ':' || registered || '/' || incidents, ' ' ORDER BY area_code)
                             FROM antq.summary WHERE year = 2024 AND unit_kind = 'residential_area'
                              AND area_level IN ('province', 'nation') AND registered > 0}),
	'01:6/0 08:6/1 VN:12/1', 'and their summaries, and the nation\'s');

# The confined reader: COPY TO, queries, and SET ROLE.
$r = as_role('r08', "COPY (SELECT DISTINCT u.province_code FROM antq.assessment a JOIN antq.unit u USING (unit_id)) TO stdout;\n"
	. "COPY antq.unit_result TO stdout;\n");
is($r->[0], 0, 'r08 copies out');
unlike($r->[1], qr/(^|\n)01\n|\t01\t/, 'r08 sees no row of 01 through COPY TO');
like($r->[1], qr/(^|\n)08\n/, 'but those of 08');
$r = as_role('r08', "SET ROLE antq_reader;\nSELECT string_agg(DISTINCT province_code, ',') FROM antq.v_summary;\n"
	. "SELECT count(*) FROM antq.v_unit_result WHERE province_code <> '08';");
is($r->[1], "08\n0", 'after SET ROLE antq_reader r08 still sees only 08 and the nation (NULL province) in v_summary, nothing else in v_unit_result')
  or diag $r->[1];

AntqNode::no_leaks($node);
done_testing();
