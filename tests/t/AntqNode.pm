# AntqNode: what the antq TAP tests share — a cluster that preloads antq, a small registry to
# write against, and waiting for the worker to drain the queue.
package AntqNode;

use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# A started cluster preloading antq; $conf is appended to postgresql.conf.
sub new_node
{
	my ($name, $conf) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
	$node->append_conf('postgresql.conf',
		"shared_preload_libraries = 'antq'\nmax_worker_processes = 16\nfsync = off\n"
		  . "antq.naptime = '500ms'\n" . ($conf // ''));
	$node->start;
	return $node;
}

# Create database $db with the extension and a registry of $np provinces, $nc communes each
# and $na residential areas per commune (unit ids: province p, commune 1000p+c, area 100000p+...).
sub seed
{
	my ($node, $db, $np, $nc, $na) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, qq{
CREATE EXTENSION antq;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from)
SELECT p, 'province', 'tinh', lpad(p::text, 2, '0'), 'Tỉnh ' || p, p, lpad(p::text, 2, '0'), '2000-01-01'
FROM generate_series(1, $np) p;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
SELECT 1000 * p + c, 'commune', 'xa', lpad((100 * p + c)::text, 5, '0'), 'Xã ' || p || '-' || c, p, p,
       lpad(p::text, 2, '0'), '2000-01-01'
FROM generate_series(1, $np) p, generate_series(1, $nc) c;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
SELECT 100000 * p + 100 * c + a, 'residential_area', 'thon', lpad((100 * p + c)::text, 5, '0') || '-T' || a,
       'Thôn ' || a, 1000 * p + c, p, lpad(p::text, 2, '0'), make_date(2014 + a % 10, 1, 1)
FROM generate_series(1, $np) p, generate_series(1, $nc) c, generate_series(1, $na) a;
SELECT setval(pg_get_serial_sequence('antq.unit', 'unit_id'), 10000000);
});
}

# Facts of $year for every residential area of $db under which each meets the safe standard:
# registered in Q1, every household registered, no crime, hotspot or new vice, monitoring done.
sub assess_all
{
	my ($node, $db, $year) = @_;
	$node->safe_psql($db, qq{
INSERT INTO antq.assessment (unit_id, year, registered_on, households_total, households_registered,
                             crime_count, new_hotspots, new_vice_persons, monitored_managed)
SELECT unit_id, $year, make_date($year, 2, 1), 100, 100, 0, 0, 0, true FROM antq.unit WHERE kind = 'residential_area';
});
}

# Wait until antq.pending of $db is empty and stays empty across one more worker round.
sub wait_drained
{
	my ($node, $db, $what) = @_;
	ok($node->poll_query_until($db, 'SELECT count(*) = 0 FROM antq.pending'),
		"queue drained: $what");
}

# The worker pid of $db ('' when none).
# Poll a query until it returns true across a crash-restart: while the postmaster reinitializes,
# a connection may be refused, and psql may exit before it reads the query (a broken pipe that
# poll_query_until dies of), so each try is its own connection and its errors are retries.
sub poll_across_restart
{
	my ($node, $db, $sql) = @_;
	for (my $i = 0; $i < 10 * $PostgreSQL::Test::Utils::timeout_default; $i++)
	{
		my $result = eval { $node->safe_psql($db, $sql) };
		return 1 if defined $result && $result eq 't';
		select(undef, undef, undef, 0.1);
	}
	return 0;
}

sub worker_pid
{
	my ($node, $db) = @_;
	return $node->safe_psql('postgres',
		"SELECT pid FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = '$db'");
}

# Number of differences antq.verify() reports in $db.
sub differences
{
	my ($node, $db) = @_;
	return $node->safe_psql($db, 'SELECT count(*) FROM antq.verify()');
}

# The server log has no resource leak reported at a transaction's end (a slot, tuple descriptor,
# buffer or relation left pinned warns there, and no query result shows it).
sub no_leaks
{
	my ($node) = @_;
	my @leaks = grep { /WARNING:.*(reference leak|refcount leak|leaked|was not closed|still active)/ }
	  split /\n/, PostgreSQL::Test::Utils::slurp_file($node->logfile);
	is(scalar(@leaks), 0, 'no resource leak reported in the server log') or diag join("\n", @leaks[0 .. ($#leaks < 4 ? $#leaks : 4)]);
}

1;
