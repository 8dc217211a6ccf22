# The audit trail's retention (issue 17): the worker deletes the rows of antq.audit older than
# antq.audit_retention, and only those, in batches; with the default (0) it keeps every row.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('audit_retention');
my $db = 'r';
AntqNode::seed($node, $db, 1, 1, 3);	# 5 units, each an audit row of today
AntqNode::assess_all($node, $db, 2024);
AntqNode::wait_drained($node, $db, 'the seed');
my $recent = $node->safe_psql($db, 'SELECT count(*) FROM antq.audit_log');
is($recent, '4', 'the seed wrote 4 rows of the audit log: its 4 statements');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.audit'), '8', 'which the view shows as 8 changed rows: 5 units and 3 assessments');

# Log rows as old as a year and a half and as 300 days, numbered before the seed's as if
# written then (a superuser may write the trail; nobody else).
$node->safe_psql($db, q{
INSERT INTO antq.audit_log (batch_id, changed_at, statement_at, login_role, acting_role, xid, table_name, operation, key_columns, row_count, new_rows)
OVERRIDING SYSTEM VALUE
SELECT g - 30000, now() - interval '540 days', now() - interval '540 days', 'old', 'old', pg_current_xact_id(), 'antq.assessment',
       'INSERT', '{unit_id,year}', 1, json_build_array(json_build_object('unit_id', g, 'year', 2024))
FROM generate_series(1, 25000) g;
INSERT INTO antq.audit_log (batch_id, changed_at, statement_at, login_role, acting_role, xid, table_name, operation, key_columns, row_count, new_rows)
OVERRIDING SYSTEM VALUE
SELECT g - 100, now() - interval '300 days', now() - interval '300 days', 'kept', 'kept', pg_current_xact_id(), 'antq.assessment',
       'INSERT', '{unit_id,year}', 1, json_build_array(json_build_object('unit_id', g, 'year', 2025))
FROM generate_series(1, 10) g;
});

# With the default retention (0) the worker keeps everything: a round after a reload (which
# makes it prune at once) deletes nothing.
$node->reload;
$node->safe_psql($db, 'UPDATE antq.assessment SET tipoffs = 1');
AntqNode::wait_drained($node, $db, 'an update with retention 0');
is($node->safe_psql($db, "SELECT count(*) FROM antq.audit_log WHERE login_role = 'old'"), '25000',
	'with antq.audit_retention = 0 the worker deletes nothing');

# A year: the worker, told by the reload, deletes the 25,000 log rows older than that (three
# batches), and keeps the 300-day-old rows and today's.
$node->safe_psql('postgres', "ALTER SYSTEM SET antq.audit_retention = '1 year'");
$node->reload;
ok($node->poll_query_until($db, "SELECT count(*) = 0 FROM antq.audit_log WHERE login_role = 'old'"),
	'with antq.audit_retention = 1 year the worker deletes the rows older than a year');
is($node->safe_psql($db, "SELECT count(*) FROM antq.audit_log WHERE login_role = 'kept'"), '10',
	'it keeps the rows of 300 days ago');
is($node->safe_psql($db, "SELECT count(*) FROM antq.audit WHERE login_role <> 'kept'"), '11',
	"and today's: the seed's 8 changed rows and the update's 3");
ok($node->log_contains(qr/antq deleted 25000 rows of the audit log older than antq.audit_retention \(1 year\)/),
	'the worker says in the server log how many rows it deleted');

# A superuser-only setting: a role that may read the trail cannot shorten it.
$node->safe_psql($db, 'CREATE ROLE adm LOGIN IN ROLE antq_admin');
my ($ret, $out, $err) = $node->psql($db, "SET antq.audit_retention = '1 day'", extra_params => [ '-U', 'adm' ]);
like($err, qr/permission denied to set parameter "antq.audit_retention"/, 'an admin cannot set the retention');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
