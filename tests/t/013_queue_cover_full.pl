# The shared table of keys queued as a whole (extension/capture/capture_cover.c) has a fixed size: once
# it holds antq's 4096 (database, province, year) keys, a new key is not covered and its writers
# write their rows, instead of the table growing into the shared memory that every backend's
# locks need. Keys already in it stay covered. A dropped database's keys leave the table.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('cover_full', "antq.worker_enabled = off\nantq.capture_first_year = 1990\n");
for my $db ('f1', 'f2')
{
	AntqNode::seed($node, $db, 99, 1, 1);
	$node->safe_psql($db, q{
CREATE TABLE public.fact_year (unit_id bigint NOT NULL, year integer NOT NULL, v integer);
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
DELETE FROM antq.pending;
});
}
my $year_max = $node->safe_psql('f1', 'SELECT antq.year_max()');
my $years = $year_max - 2000 + 1;	# each province is in force from 2000

# A registry change of a province queues its years as a whole, one transaction per province
# (a transaction covers at most 64 keys): 99 x $years keys in each database, past 4096 in all.
for my $db ('f1', 'f2')
{
	$node->safe_psql($db, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = $_") for 1 .. 99;
}
cmp_ok(2 * 99 * $years, '>', 4096, 2 * 99 * $years . ' whole keys queued, more than the table holds');

sub rows_of
{
	my ($db, $province) = @_;
	return $node->safe_psql($db, "SELECT count(*) FROM antq.pending WHERE province_code = '$province' AND unit_ids IS NOT NULL");
}

# A key queued early (province 01 of f1) is in the table: its writers still rely on it.
$node->safe_psql('f1', 'INSERT INTO fact_year VALUES (100101, 2024, 1)');
is(rows_of('f1', '01'), '0', 'a key the table holds is still covered: its writer wrote no row');

# A key queued once the table was full (province 99 of f2) is not covered: its writer writes.
$node->safe_psql('f2', 'INSERT INTO fact_year VALUES (9900101, 2024, 1)');
is(rows_of('f2', '99'), '1', 'a key that found the table full is not covered: its writer wrote its row');

# Dropping f1 removes its keys: f2's province 99, queued as a whole again, is now covered, and
# its next writer writes no row. (Kept, the dead keys would fill the table for good, and a
# database given f1's OID later would find them covered.)
$node->safe_psql('postgres', 'DROP DATABASE f1');
$node->safe_psql('f2', "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 99");
$node->safe_psql('f2', 'INSERT INTO fact_year VALUES (9900101, 2023, 1)');
is(rows_of('f2', '99'), '1', 'a dropped database frees its keys: a key queued after the drop is covered');

AntqNode::no_leaks($node);
done_testing();
