# A long-lived session's next write uses the registry as another session left it. The version a
# fact is stored on is read for each row, in C, both where a fact is written by version id (the
# test of antq.assessment_check) and where it is written by code (the row trigger and the end of
# the statement of antq.assessment_by_code): nothing of the registry is kept between rows or
# statements. Here a session writes by id and by code, another gives a unit a new version and
# then closes a unit, and the first session's next writes land on what the registry now says.
# Last, the by-code views of an extension created again and again in one session.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('registry_change', "antq.worker_enabled = off\n");
my $db = 'rc';
AntqNode::seed($node, $db, 1, 1, 2);    # areas 100101 (00101-T1) and 100102 (00101-T2)

my $writer = $node->background_psql($db);
# Where the session's writes of a year went: code@version valid_from for each stored row.
sub stored
{
	my ($year) = @_;
	return $node->safe_psql($db, "SELECT string_agg(format('%s@%s', u.code, u.valid_from), ' ' ORDER BY u.code)
		FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE a.year = $year");
}

$writer->query_safe("INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (100101, 2026, 1)");
$writer->query_safe("INSERT INTO antq.assessment_by_code (unit_code, year, crime_count) VALUES ('00101-T2', 2026, 1)");
is(stored(2026), '00101-T1@2015-01-01 00101-T2@2016-01-01', 'the session writes 2026 by id and by code on the versions in force');

# Another session: 00101-T1 carries on in a new version from 1 July 2026 (its 2026 row follows it).
$node->safe_psql($db, q{
BEGIN;
UPDATE antq.unit SET valid_to = '2026-07-01' WHERE unit_id = 100101;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (100901, 'residential_area', 'thon', '00101-T1', 'Thôn 1 mới', 1001, 1, '01', '2026-07-01');
COMMIT;
});
is(stored(2026), '00101-T1@2026-07-01 00101-T2@2016-01-01', 'the registry change moves the stored 2026 row to the new version');

$writer->query_safe("DELETE FROM antq.assessment WHERE year = 2026");
$writer->query_safe("INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (100101, 2026, 2)");
is(stored(2026), '00101-T1@2026-07-01', "the session's next write on the old version id is stored on the new version");
$writer->query_safe("DELETE FROM antq.assessment WHERE year = 2026");
$writer->query_safe("INSERT INTO antq.assessment_by_code (unit_code, year, crime_count) VALUES ('00101-T1', 2026, 3)");
is(stored(2026), '00101-T1@2026-07-01', 'and its next write by code too');

# Another session closes 00101-T2 before the 2026 window ends: it takes no part in 2026.
$node->safe_psql($db, "UPDATE antq.unit SET valid_to = '2026-10-01' WHERE unit_id = 100102");
# (psql of the session stops at an error: the error is caught in it and returned as text)
$writer->query_safe(q{CREATE FUNCTION pg_temp.err(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE p_sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLERRM;
END $$});
like($writer->query_safe(q{SELECT pg_temp.err('INSERT INTO antq.assessment (unit_id, year, crime_count) VALUES (100102, 2026, 1)')}),
	qr/no version of code 00101-T2 is in force on 2026-10-31/, "the session's next write by id for the closed unit is refused");
like($writer->query_safe(q{SELECT pg_temp.err('INSERT INTO antq.assessment_by_code (unit_code, year, crime_count) VALUES (''00101-T2'', 2026, 1)')}),
	qr/^row 1: unit_code 00101-T2 of assessment for 2026: the unit is not in force on 2026-10-31/, 'and by code');
$writer->quit;
is(stored(2026), '00101-T1@2026-07-01', 'nothing was stored for the closed unit');

# The trigger keeping rows by code keeps a little for each view it served; the views of an
# extension dropped and created again, nine times in one transaction, do not use it up.
my $round = q{
DROP EXTENSION antq CASCADE;
CREATE EXTENSION antq;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from)
VALUES (1, 'province', 'tinh', '01', 'Tỉnh 1', 1, '01', '2000-01-01');
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (1001, 'commune', 'xa', '00101', 'Xã 1', 1, 1, '01', '2000-01-01');
INSERT INTO antq.assessment_by_code (unit_code, year, crime_count) VALUES ('00101', 2026, 1);
};
my $again = $node->background_psql($db);
is($again->query_safe('SET client_min_messages = warning; BEGIN;' . ($round x 9) . 'SELECT count(*) FROM antq.assessment_by_code; COMMIT;'), '1',
	'a session writes by code after the extension was created again nine times in one transaction');
$again->quit;

AntqNode::no_leaks($node);
done_testing();
