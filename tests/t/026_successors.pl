# Successors in another province (issue 18): a unit of province 01 reorganized on 2025-07-01
# into a version in province 02 (as the 2025 reform moved whole provinces, Hà Giang into
# Tuyên Quang). The successor's 2025 result reads its predecessor's facts through the lineage:
# its 2024 row (criterion 4a: no more crime than last year) and its incidents in the window.
# A change of those facts is queued under the predecessor's province (01) only; the worker
# must hand the successor on to province 02 and recompute it there. Whole keys of 01 do the
# same for every successor of a unit of 01; a fact of the successor recomputes no predecessor.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('successors');
my $db = 's';
AntqNode::seed($node, $db, 2, 2, 3);
AntqNode::wait_drained($node, $db, 'after seeding');

# Thôn 1 of commune 1001 (province 01) moves under commune 2001 (province 02) on 2025-07-01.
my $succ = $node->safe_psql($db, "SELECT antq.reorganize(100101, '2025-07-01', p_parent => 2001)");
is($node->safe_psql($db, "SELECT province_code FROM antq.unit WHERE unit_id = $succ"), '02',
	'the successor lies in province 02');
# Its own 2025 row, to compare with last year's.
$node->safe_psql($db, "INSERT INTO antq.assessment (unit_id, year, crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES ($succ, 2025, 4, 0, 0, true)");
AntqNode::wait_drained($node, $db, 'after the reorganization');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the reorganization');

my $why = "SELECT string_agg(reason, '; ') FROM antq.explain_unit($succ, 2025)";
my $stored = "SELECT safe_attainment::text FROM antq.unit_result WHERE unit_id = $succ AND year = 2025";
my $computed = "SELECT safe_attainment::text FROM antq.results_computed('02', 2025, ARRAY[$succ]::bigint[])";

# The successor's stored 2025 result is what a live computation gives, and verify() is clean.
sub fresh
{
	my ($what) = @_;
	my $s = $node->safe_psql($db, $stored);
	isnt($s, '', "the successor has a stored 2025 result $what");
	is($s, $node->safe_psql($db, $computed), "the successor's stored 2025 result is the computed one $what");
	is(AntqNode::differences($node, $db), '0', "verify() is clean $what")
	  or diag $node->safe_psql($db, 'SELECT what, area_code, year, stored, computed FROM antq.verify()');
}

like($node->safe_psql($db, $why), qr/4a: not applicable \(no crime_count for 2024\)/,
	'without a 2024 row the successor has nothing to compare with');
fresh('before the predecessor has facts');
my $before = $node->safe_psql($db, $stored);

# Write the predecessor's facts, change and remove them, each in a transaction of its own that
# begins with $set, and check the successor after each. Its 2024 row queues 01 for 2024-2025;
# its incident dated 2025-03-01 (in the successor's 2025 window), 01 for 2025-2027; nothing of 02.
my $with_incident;
sub predecessor_facts
{
	my ($set, $how) = @_;
	my $write = sub {
		my ($sql, $what) = @_;
		$node->safe_psql($db, "$set $sql");
		AntqNode::wait_drained($node, $db, "$what, $how");
		return "$what, $how";
	};
	my $w = $write->("INSERT INTO antq.assessment (unit_id, year, crime_count, new_hotspots, new_vice_persons, monitored_managed)
VALUES (100101, 2024, 2, 0, 0, true)", "after the predecessor's 2024 row");
	like($node->safe_psql($db, $why), qr/4a: crime_count = 4, above 2024's 2/,
		"the successor compares its 4 with the predecessor's 2024 crime_count of 2 $w");
	isnt($node->safe_psql($db, $stored), $before, "the successor's stored result changed $w");
	fresh($w);

	$w = $write->("UPDATE antq.assessment SET crime_count = 5 WHERE unit_id = 100101 AND year = 2024",
		"after updating the predecessor's 2024 row");
	unlike($node->safe_psql($db, $why), qr/4a: crime_count = 4, above/,
		"the successor's 4 is no longer above the predecessor's 5 $w");
	fresh($w);

	$w = $write->("DELETE FROM antq.assessment WHERE unit_id = 100101 AND year = 2024",
		"after deleting the predecessor's 2024 row");
	like($node->safe_psql($db, $why), qr/4a: not applicable \(no crime_count for 2024\)/,
		"the successor has nothing to compare with again $w");
	is($node->safe_psql($db, $stored), $before, "the successor's stored result is the first one again $w");
	fresh($w);

	$w = $write->("INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference)
VALUES (100101, '2025-03-01', 'sabotage', 'serious', 'pred')", "after the predecessor's incident");
	like($node->safe_psql($db, $why), qr/3: serious sabotage on 2025-03-01/,
		"the successor's criterion 3 names the predecessor's incident $w");
	$with_incident //= $node->safe_psql($db, $stored);
	isnt($with_incident, $before, "the predecessor's incident changed the successor's stored result $w");
	is($node->safe_psql($db, $stored), $with_incident, "the successor's stored result counts the incident $w");
	fresh($w);

	$w = $write->("UPDATE antq.incident SET occurred_on = '2025-03-02' WHERE reference = 'pred'",
		"after updating the predecessor's incident");
	like($node->safe_psql($db, $why), qr/3: serious sabotage on 2025-03-02/,
		"the successor's criterion 3 names the incident's new day $w");
	fresh($w);

	$w = $write->("DELETE FROM antq.incident WHERE reference = 'pred'", "after deleting the predecessor's incident");
	is($node->safe_psql($db, $stored), $before, "deleting the incident brings the first result back $w");
	fresh($w);
}

# Keys naming their units: the worker recomputes 01 by difference (antq.recompute_units) and
# hands the successor on to 02.
predecessor_facts('', 'by unit');

# The reverse direction: a fact of the successor changes no result of the predecessor's (its
# results read their own and their predecessors' facts, never their successors').
$node->safe_psql($db, "UPDATE antq.assessment SET crime_count = 1 WHERE unit_id = $succ AND year = 2025");
AntqNode::wait_drained($node, $db, "after updating the successor's row");
fresh("after updating the successor's row");
$node->safe_psql($db, "UPDATE antq.assessment SET crime_count = 4 WHERE unit_id = $succ AND year = 2025");
AntqNode::wait_drained($node, $db, "after restoring the successor's row");
fresh("after restoring the successor's row");

# Whole keys: with antq.capture_unit_limit = 0 a fact change queues its province-years for
# every unit (as a bulk load does) and the worker recomputes them whole (antq.recompute_keys);
# the successors in other provinces of the province's units are handed on just the same.
predecessor_facts('SET antq.capture_unit_limit = 0;', 'queued whole');

is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'no key was set aside');
AntqNode::no_leaks($node);
$node->stop;
done_testing();
