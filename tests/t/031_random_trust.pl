# The trust workload of issue 18: while the worker runs, clients write facts, edit the rules one
# autocommit statement at a time, reorganize units across provinces, TRUNCATE a fact table under
# REPEATABLE READ and VACUUM FULL the facts while national recomputes read them. Afterwards the
# queue drains, no key is set aside, and antq.verify() finds no difference.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('trust', "antq.batch_size = 5\nantq.naptime = '100ms'\n");
my $db = 't';
AntqNode::seed($node, $db, 3, 3, 4);
AntqNode::assess_all($node, $db, 2024);
AntqNode::assess_all($node, $db, 2025);
AntqNode::wait_drained($node, $db, 'after seeding');

my %scripts = (
	# facts of a random area: an assessment changed, an incident added or removed
	'facts' => q{
\set p random(1, 3)
\set c random(1, 3)
\set a random(1, 4)
\set y random(2024, 2025)
\set op random(1, 3)
\set crimes random(0, 3)
\set tips random(0, 9)
\set m random(1, 12)
\set day random(1, 28)
\if :op = 1
UPDATE antq.assessment SET crime_count = :crimes, tipoffs = :tips
 WHERE unit_id = 100000 * :p + 100 * :c + :a AND year = :y;
\elif :op = 2
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity)
SELECT v.unit_id, make_date(:y, :m, :day), 'crime', 'serious'
  FROM antq.unit_at(lpad((100 * :p + :c)::text, 5, '0') || '-T' || :a, make_date(:y, :m, :day)) v
 WHERE v.unit_id IS NOT NULL;
\else
DELETE FROM antq.incident WHERE incident_id = (SELECT min(incident_id) FROM antq.incident);
\endif
},
	# a national criterion edited in one autocommit statement: every province of its years
	'rules' => q{
UPDATE antq.criterion SET threshold = CASE WHEN threshold = 1 THEN 0.9 ELSE 1 END
 WHERE form = 'ratio_at_least' AND fact = 'households_registered';
},
	# the current version of an area reorganized under a commune of another province
	'reorganize' => q{
\set p random(1, 3)
\set c random(1, 3)
\set a random(1, 4)
\set p2 random(1, 3)
\set c2 random(1, 3)
\set d random(1, 700)
DO $$ BEGIN
  PERFORM antq.reorganize(u.unit_id, DATE '2024-01-01' + :d, 1000 * :p2 + :c2)
     FROM antq.unit u WHERE u.code = lpad((100 * :p + :c)::text, 5, '0') || '-T' || :a AND u.valid_to IS NULL;
EXCEPTION WHEN OTHERS THEN NULL;  -- a date before the current version's start, and the like
END $$;
},
	'truncate' => q{
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM antq.incident;
TRUNCATE antq.incident;
COMMIT;
},
	'vacuum' => q{
VACUUM FULL antq.assessment;
});

$node->pgbench('--no-vacuum --client=4 --jobs=2 --transactions=100 --max-tries=20', 0,
	[qr/number of transactions actually processed: 400/], [qr/^$/],
	'400 transactions of facts, rules, reorganizations, TRUNCATE and VACUUM FULL',
	{
		'facts@12' => $scripts{facts},
		'rules@2' => $scripts{rules},
		'reorganize@4' => $scripts{reorganize},
		'truncate@1' => $scripts{truncate},
		'vacuum@1' => $scripts{vacuum},
	},
	$db);

AntqNode::wait_drained($node, $db, 'after the workload');
ok($node->safe_psql($db, "SELECT count(*) FROM antq.unit_lineage") > 0, 'units were reorganized (lineage written)');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.pending_set_aside'), '0', 'no key was set aside');
is(AntqNode::differences($node, $db), '0', 'verify() finds no difference')
  or diag $node->safe_psql($db, 'SELECT * FROM antq.verify() LIMIT 10');

AntqNode::no_leaks($node);
done_testing();
