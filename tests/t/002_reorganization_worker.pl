# A province's reform applied in one call (antq.apply_reorganization) with the worker running:
# province 02 merges into 01 and two of its communes merge, on 2025-07-01, after both provinces'
# 2024 and 2025 facts are in. The worker recomputes what the registry change queued; the
# stored results and summaries then equal a computation from scratch (verify() is clean), and
# province 02 has no units, so no results, from 2026 on.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('reorganization_worker');
my $db = 'r';
AntqNode::seed($node, $db, 2, 3, 4);
AntqNode::assess_all($node, $db, 2024);
AntqNode::assess_all($node, $db, 2025);
AntqNode::wait_drained($node, $db, 'after seeding');
is(AntqNode::differences($node, $db), '0', 'verify() is clean before the reform');

my $changed = $node->safe_psql($db, q{
SELECT count(*) FROM antq.apply_reorganization('2025-07-01', '[
    {"code": "02", "into": "01"},
    {"code": "00202", "into": "00201"},
    {"code": "00203", "parent": "01", "name": "Xã mới"}
]', 'Nghị quyết 202/2025/QH15')});
is($changed, 2 + 6 + 24, 'every unit of both provinces changed: 02 merged into 01, which goes on in a new version with all under it');
is($node->safe_psql($db, "SELECT count(*) FROM antq.units_under('01', '2025-07-01') WHERE kind = 'commune'"), '5',
	'from 1 July province 01 holds its three communes and two of 02');
AntqNode::wait_drained($node, $db, 'after the reform');
is(AntqNode::differences($node, $db), '0', 'verify() is clean after the reform')
  or diag $node->safe_psql($db, 'SELECT last_error, keys_set_aside, set_aside FROM antq.worker_status');
is($node->safe_psql($db, "SELECT count(*) FROM antq.unit_result WHERE province_code = '02' AND year = 2025"), '0',
	'province 02 has no 2025 results: it merged before the assessment window closed');
is($node->safe_psql($db, "SELECT count(*) FROM antq.unit_result r JOIN antq.unit u USING (unit_id)
                           WHERE r.year = 2025 AND u.code LIKE '002%' AND r.province_code = '01'"), '14',
	'in 2025 the units of 02 are counted in 01: its two communes that go on and its twelve areas');
is($node->safe_psql($db, "SELECT count(*) FROM antq.unit_result WHERE province_code = '02' AND year = 2024"), '15',
	'2024 keeps province 02 as it was: three communes and twelve areas');
AntqNode::no_leaks($node);
done_testing();
