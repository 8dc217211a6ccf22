# Change capture: which (province, year) keys each kind of write queues in antq.pending, once
# per transaction, for INSERT, UPDATE (old and new keys), DELETE, COPY, TRUNCATE, dated facts,
# registry changes, rollbacks; the unit cache follows a unit moved by another session; a writer
# needs no privilege on the queue and a reader cannot write it. The worker is off so the queue
# can be read.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('capture', "antq.worker_enabled = off\nantq.capture_first_year = 2024\n");
AntqNode::seed($node, 'k', 2, 2, 2);
my $db = 'k';
my $next = $node->safe_psql($db, 'SELECT extract(year FROM now())::int + 1');

$node->safe_psql($db, q{
CREATE TABLE public.fact_year (unit_id bigint NOT NULL, year integer NOT NULL, v integer);
CREATE TABLE public.fact_day (unit_id integer NOT NULL, occurred_on date NOT NULL);
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
SELECT antq.capture_changes('public.fact_day', 'unit_id', 'occurred_on');
GRANT INSERT, SELECT ON public.fact_year TO antq_writer;
CREATE ROLE w LOGIN IN ROLE antq_writer;
CREATE ROLE r LOGIN IN ROLE antq_reader;
});

# Run $sql on an empty queue and return the queued keys as "pp:yyyy" sorted, with duplicates.
sub keys_after
{
	my ($sql, $session) = @_;
	$node->safe_psql($db, 'DELETE FROM antq.pending');
	if ($session) { $session->query_safe($sql); }
	else { $node->safe_psql($db, $sql); }
	return $node->safe_psql($db,
		"SELECT coalesce(string_agg(province_code || ':' || year, ' ' ORDER BY province_code, year), '') FROM antq.pending");
}

is(keys_after('INSERT INTO fact_year VALUES (100101, 2024, 1)'), '01:2024 01:2025',
	'INSERT queues the year and the next');
is(keys_after('UPDATE fact_year SET unit_id = 200101, year = 2020'), '01:2024 01:2025 02:2020 02:2021',
	'UPDATE moving a row queues the old and the new keys');
is(keys_after('DELETE FROM fact_year'), '02:2020 02:2021', 'DELETE queues the old keys');
is(keys_after("BEGIN; INSERT INTO fact_year SELECT 100101, 2024, g FROM generate_series(1, 1000) g; "
	  . "UPDATE fact_year SET v = v + 1; INSERT INTO fact_year VALUES (100201, 2024, 0); COMMIT;"),
	'01:2024 01:2025', 'each key once per transaction, however many rows and statements');
is(keys_after("COPY fact_year FROM stdin;\n200102\t2030\t1\n100102\t2031\t1\n\\.\n"),
	'01:2031 01:2032 02:2030 02:2031', 'COPY queues its keys');
is(keys_after('TRUNCATE fact_year'), '01:2024 01:2025 01:2031 01:2032 02:2030 02:2031',
	'TRUNCATE queues the keys of the rows it removes');
is(keys_after("INSERT INTO fact_day VALUES (200101, '2024-11-05')"), '02:2024 02:2025 02:2026',
	'a dated fact queues its year and the two after');
is(keys_after("BEGIN; INSERT INTO fact_year VALUES (100101, 2024, 1); ROLLBACK;"), '',
	'a rolled-back transaction queues nothing');
is(keys_after("BEGIN; SAVEPOINT s; INSERT INTO fact_year VALUES (100101, 2028, 1); ROLLBACK TO s; COMMIT;"),
	'01:2028 01:2029', 'a rolled-back subtransaction still queues (a spare recompute is harmless)');

my @years = map { "01:$_" } (2024 .. $next);
is(keys_after("UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101"), join(' ', @years),
	'a unit change queues its province from antq.capture_first_year through next year');

# The unit cache of a long-lived session follows a move made by another session.
my $session = $node->background_psql($db);
is(keys_after('INSERT INTO fact_year VALUES (100102, 2024, 1)', $session), '01:2024 01:2025',
	'session caches unit 100102 in province 01');
$node->safe_psql($db, 'UPDATE antq.unit SET parent_id = 2001 WHERE unit_id = 100102');
is(keys_after('INSERT INTO fact_year VALUES (100102, 2024, 1)', $session), '02:2024 02:2025',
	'after another session moves the unit to province 02, the cached session queues province 02');
$session->quit;

# Privileges: a writer needs nothing on the queue; a reader cannot write it.
$node->safe_psql($db, 'DELETE FROM antq.pending');
my ($ret, $out, $err) = $node->psql($db, 'INSERT INTO fact_year VALUES (200102, 2024, 1)',
	extra_params => [ '-U', 'w' ]);
is($ret, 0, 'a member of antq_writer writes facts under capture') or diag $err;
is($node->safe_psql($db, "SELECT count(*) FROM antq.pending WHERE province_code = '02' AND year = 2024"), '1',
	"the writer's key is queued");
($ret, $out, $err) = $node->psql($db, "INSERT INTO antq.pending VALUES ('01', 2024)", extra_params => [ '-U', 'r' ]);
isnt($ret, 0, 'a reader cannot write into the queue');
like($err, qr/permission denied/, 'the reader is refused with permission denied');
($ret, $out, $err) = $node->psql($db, "INSERT INTO antq.pending VALUES ('01', 2024)", extra_params => [ '-U', 'w' ]);
isnt($ret, 0, 'nor can a writer, except through the capture');

$node->stop;

# Without shared_preload_libraries: no worker, but the capture still queues and refresh() works.
my $plain = PostgreSQL::Test::Cluster->new('not_preloaded');
$plain->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
$plain->start;
AntqNode::seed($plain, 'n', 1, 1, 2);
ok($plain->safe_psql('n', 'SELECT count(*) FROM antq.pending') > 0, 'not preloaded: the capture still queues keys');
is($plain->safe_psql('n', 'SELECT count(*) FROM antq.worker_status'), '0', 'not preloaded: worker_status is empty');
ok($plain->safe_psql('n', 'SELECT antq.refresh()') > 0, 'not preloaded: refresh() recomputes');
is($plain->safe_psql('n', "SELECT total FROM antq.summary WHERE area_level = 'province' AND year = 2025 AND unit_kind = 'residential_area'"),
	'2', 'not preloaded: refresh() wrote the summary');
is($plain->safe_psql('n', 'SELECT count(*) FROM antq.verify()'), '0', 'not preloaded: verify() is clean after refresh()');
$plain->stop;
done_testing();
