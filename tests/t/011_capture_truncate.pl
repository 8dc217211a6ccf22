# TRUNCATE removes every row of a fact table, also those committed after the snapshot of a
# REPEATABLE READ transaction. Its capture must queue the provinces of those rows too: here an
# incident of province 02 is written, recomputed, and then truncated by a transaction whose
# snapshot predates it; afterwards the stored results no longer count it.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('truncate_rr');
my $db = 't';
AntqNode::seed($node, $db, 2, 2, 3);
AntqNode::wait_drained($node, $db, 'after seeding');

my $truncater = $node->background_psql($db);
$truncater->query_safe('BEGIN ISOLATION LEVEL REPEATABLE READ');
is($truncater->query_safe('SELECT count(*) FROM antq.incident'), '0', 'the truncating transaction\'s snapshot shows no incident');

$node->safe_psql($db, q{INSERT INTO antq.incident (unit_id, occurred_on, kind, severity)
                        VALUES (200101, '2025-03-01', 'crime', 'serious')});
AntqNode::wait_drained($node, $db, 'after the incident');
my $counted = q{SELECT coalesce(sum(incidents), 0) FROM antq.summary
                WHERE area_level = 'province' AND area_code = '02' AND year = 2025};
is($node->safe_psql($db, $counted), '1', 'province 02 counts the incident of 2025');

$truncater->query_safe('TRUNCATE antq.incident');
$truncater->query_safe('COMMIT');
$truncater->quit;
AntqNode::wait_drained($node, $db, 'after TRUNCATE');
is($node->safe_psql($db, $counted), '0', 'province 02 no longer counts the truncated incident');
is(AntqNode::differences($node, $db), '0', 'verify() is clean');

AntqNode::no_leaks($node);
done_testing();
