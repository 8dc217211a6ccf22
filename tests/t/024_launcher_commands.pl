# The worker of a database, connected for good, must not make CREATE DATABASE ... TEMPLATE or
# ALTER DATABASE ... RENAME fail with "being accessed by other users": antq stops it first when
# the caller may run the command, and it comes back afterwards. A role that may not run the
# command gets PostgreSQL's own error, and the worker is left alone.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('commands', "antq.launcher_recheck = '1s'\n");

$node->safe_psql('postgres', 'CREATE DATABASE a');
$node->safe_psql('a', 'CREATE EXTENSION antq');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'a'"),
	'database a has its worker');
my $pid = AntqNode::worker_pid($node, 'a');

# Roles that may not: one without CREATEDB, one with CREATEDB that does not own a.
$node->safe_psql('postgres', 'CREATE ROLE nocreate LOGIN; CREATE ROLE creator LOGIN CREATEDB');
my ($ret, $out, $err) = $node->psql('postgres', 'CREATE DATABASE c1 TEMPLATE a',
	extra_params => [ '-U', 'nocreate' ]);
like($err, qr/permission denied to create database/, 'a role without CREATEDB may not copy a');
($ret, $out, $err) = $node->psql('postgres', 'CREATE DATABASE c1 TEMPLATE a',
	extra_params => [ '-U', 'creator' ]);
like($err, qr/permission denied to copy database "a"/, 'nor a role that does not own a');
($ret, $out, $err) = $node->psql('postgres', 'ALTER DATABASE a RENAME TO b',
	extra_params => [ '-U', 'creator' ]);
like($err, qr/must be owner of database a/, 'nor may it rename a');
($ret, $out, $err) = $node->psql('a', 'CREATE DATABASE c1 TEMPLATE a');
like($err, qr/source database "a" is being accessed by other users/,
	'copying the database one is connected to fails as PostgreSQL says');
is(AntqNode::worker_pid($node, 'a'), $pid, 'the refused commands left the worker alone');

# CREATE DATABASE ... TEMPLATE a while a's worker runs.
($ret, $out, $err) = $node->psql('postgres', 'CREATE DATABASE c TEMPLATE a', timeout => 60);
is($ret, 0, 'CREATE DATABASE c TEMPLATE a succeeds while a has a worker') or diag $err;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'a' AND pid <> $pid"),
	'a has a worker again after the copy');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'c'"),
	'and the copy c, which has the extension, gets one');

# ALTER DATABASE a RENAME TO b while a's worker runs; the owner (not a superuser) may too.
$pid = AntqNode::worker_pid($node, 'a');
($ret, $out, $err) = $node->psql('postgres', 'ALTER DATABASE a RENAME TO b', timeout => 60);
is($ret, 0, 'ALTER DATABASE a RENAME TO b succeeds while a has a worker') or diag $err;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'b' AND pid <> $pid"),
	'the renamed database b has its worker again');
$node->safe_psql('postgres', 'ALTER DATABASE c OWNER TO creator');
($ret, $out, $err) = $node->psql('postgres', 'ALTER DATABASE c RENAME TO d',
	extra_params => [ '-U', 'creator' ], timeout => 60);
is($ret, 0, 'the owner of c, with CREATEDB, renames it while it has a worker') or diag $err;
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'd'"),
	'd has its worker again');

# The worker still works after it came back: a change is drained.
$node->safe_psql('b', "INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from) VALUES (1, 'province', 'tinh', '01', 'Tỉnh 1', 1, '01', '2000-01-01')");
AntqNode::wait_drained($node, 'b', 'in the renamed database');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
