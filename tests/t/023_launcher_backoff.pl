# The launcher never starts workers in a loop: a database that stopped accepting connections
# while a session of it goes on writing (each commit asks for a worker) gets none; a worker
# that cannot be started is warned about once, not at every commit; and when worker processes
# run short, its periodic probe of databases without antq (postgres, here) does not take the
# only free process from a database that has antq, again and again.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);
use AntqNode;

# Three worker processes: the launcher, the logical replication launcher and one antq worker.
my $node = AntqNode::new_node('backoff', "max_worker_processes = 3\nantq.stale_workers = 0\nantq.launcher_recheck = 2\n");
AntqNode::seed($node, 'a', 1, 1, 2);
AntqNode::seed($node, 'b', 1, 1, 2);

sub log_count
{
	my ($re) = @_;
	return scalar(grep { /$re/ } split /\n/, PostgreSQL::Test::Utils::slurp_file($node->logfile));
}

# (c) a's worker holds the last process slot; b's writers ask for a worker at every commit.
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker'"), 'one antq worker runs');
my $busy = $node->safe_psql('postgres', "SELECT datname FROM pg_stat_activity WHERE backend_type = 'antq worker'");
my $other = $busy eq 'a' ? 'b' : 'a';
my $other_oid = $node->safe_psql('postgres', "SELECT oid FROM pg_database WHERE datname = '$other'");
for my $i (1 .. 20)
{
	$node->safe_psql($other, "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101");
	usleep(100_000);
}
my $warned = log_count(qr/could not start a worker for database $other_oid/);
cmp_ok($warned, '>=', 1, 'the launcher warns that it could not start a worker');
cmp_ok($warned, '<=', 1, "once, not at each of 20 commits ($warned warnings)");

# (b) a's or b's worker comes back although the probe of postgres (no antq) wants the process.
$node->safe_psql('postgres', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'antq worker'");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname IN ('a', 'b')"),
	'a worker of a database with antq runs again: probes of postgres, which has no antq, do not take its process every time');
AntqNode::no_leaks($node);
$node->stop;

# (a) with processes to spare: a database that no longer accepts connections, written by a
# session still connected, its worker terminated.
$node = AntqNode::new_node('loop');
AntqNode::seed($node, 'c', 1, 1, 2);
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'c'"), 'c has its worker');
my $writer = $node->background_psql('c');
$node->safe_psql('postgres', "ALTER DATABASE c ALLOW_CONNECTIONS false");
$node->safe_psql('postgres', "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'antq worker'");
for my $i (1 .. 25)
{
	$writer->query_safe("UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101");
	usleep(200_000);
}
my $failed = log_count(qr/is not currently accepting connections/);
cmp_ok($failed, '<=', 3, "no restart loop: $failed failed worker starts in 5 s of writes asking for one");
$writer->quit;
$node->safe_psql('postgres', "ALTER DATABASE c ALLOW_CONNECTIONS true");
$node->safe_psql('c', "UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101");
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = 'c'"),
	'c has its worker again once it accepts connections');

AntqNode::no_leaks($node);
done_testing();
