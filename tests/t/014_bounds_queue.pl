# Bounds and the queue (issue 17, hole 7): a year or a date outside the window of years antq
# accepts never reaches antq.pending. On antq's own tables the validation triggers refuse it
# (writers and admins alike, and a refused statement queues nothing even inside a transaction
# that commits); on any other table under change capture, or with the triggers off, capture
# refuses a new row outside the window and skips an old one, which can still be deleted. The
# years just inside are queued.
# The worker is off so the queue can be read.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('bounds', "antq.worker_enabled = off\n");
my $db = 'b';
AntqNode::seed($node, $db, 1, 1, 1);	# province 01, commune 1001, residential area 100101 (from 2015)
my $ymax = $node->safe_psql($db, 'SELECT antq.year_max()');
my $dmax = $node->safe_psql($db, 'SELECT antq.date_max()');
$node->safe_psql($db, q{
CREATE ROLE w LOGIN IN ROLE antq_writer;
-- COPY FROM is refused to roles row-level security applies to (sql/57_confine.sql): a bulk
-- loader that COPYs is an unconfined writer with BYPASSRLS.
CREATE ROLE wcopy LOGIN BYPASSRLS IN ROLE antq_writer;
CREATE ROLE a LOGIN IN ROLE antq_admin;
CREATE TABLE public.fact_year (unit_id bigint NOT NULL, year integer NOT NULL);
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
GRANT INSERT, SELECT, DELETE ON public.fact_year TO antq_writer;
});

# The queue as "pp:first-last" rows, sorted.
sub queue
{
	return $node->safe_psql($db,
		"SELECT coalesce(string_agg(province_code || ':' || first_year || '-' || last_year, ' ' ORDER BY province_code, first_year), '') FROM antq.pending");
}

# Run $sql as $role on an empty queue; return its stderr (empty when it succeeded).
sub run_as
{
	my ($role, $sql) = @_;
	$node->safe_psql($db, 'DELETE FROM antq.pending');
	my ($ret, $out, $err) = $node->psql($db, $sql, extra_params => [ '-U', $role ]);
	return $ret == 0 ? '' : $err;
}

like(run_as('w', 'INSERT INTO antq.assessment (unit_id, year) VALUES (100101, 2147483000)'),
	qr/year for residential_area 00101-T1 .* in 2147483000: year 2147483000 is outside the years antq accepts/,
	'a writer\'s assessment for year 2147483000 is refused');
is(queue(), '', 'and queues nothing');
like(run_as('w', 'INSERT INTO antq.model_check (unit_id, year, criterion_no, met) VALUES (100101, 6000000, 1, true)'),
	qr/year 6000000 is outside the years antq accepts/, 'a model check for year 6000000 is refused');
like(run_as('w', "INSERT INTO antq.decision (unit_id, year, kind, met, number, decided_on, authority) VALUES (100101, 6000000, 'recognition', true, '1/QĐ', '2024-11-20', 'UBND')"),
	qr/year 6000000 is outside the years antq accepts/, 'a decision for year 6000000 is refused');
like(run_as('w', "INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (100101, '5874897-12-31', 'sabotage')"),
	qr/date 5874897-12-31 is outside the years antq accepts/, 'an incident dated 5874897-12-31 is refused');
like(run_as('a', "INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, title) VALUES ('01-commune', 'safe', 'commune', '01', 6000000, 'Bổ sung')"),
	qr/first_year of criteria set 01-commune: year 6000000 is outside the years antq accepts/, 'an admin\'s criteria set from year 6000000 is refused');
is(queue(), '', 'none of them queued anything');
like(run_as('wcopy', "COPY antq.assessment (unit_id, year) FROM stdin;\n100101\t2022\n100101\t6000000\n\\.\n"),
	qr/year for residential_area 00101-T1 .* in 6000000: year 6000000 is outside the years antq accepts/,
	'a COPY with one absurd year among good rows is refused');
is($node->safe_psql($db, 'SELECT count(*) FROM antq.assessment'), '0', 'it stored no row');
is(queue(), '', 'and queued nothing');

# A transaction that rolls back to a savepoint past its refused statement and commits.
$node->safe_psql($db, 'DELETE FROM antq.pending');
$node->psql($db, "BEGIN;\nINSERT INTO antq.assessment (unit_id, year) VALUES (100101, 2023);\nSAVEPOINT s;\n"
	  . "INSERT INTO antq.assessment (unit_id, year) VALUES (100101, 6000000);\nROLLBACK TO s;\nCOMMIT;\n",
	extra_params => [ '-U', 'w' ], on_error_stop => 0);
is(queue(), '01:2023-2024', 'only the accepted statement\'s keys are queued');

is(run_as('w', "BEGIN; INSERT INTO antq.assessment (unit_id, year) VALUES (100101, $ymax); "
	  . "INSERT INTO antq.incident (unit_id, occurred_on, kind) VALUES (100101, '$dmax', 'sabotage'); COMMIT;"), '',
	'facts for next year and an incident on its last day are accepted');
is(queue(), "01:$ymax-" . ($ymax + 2), 'and queued: next year and the years that compare with it');

# Tables of the user's and writes with the triggers off: capture refuses a new row outside the
# window, skips an old one.
like(run_as('w', 'INSERT INTO public.fact_year VALUES (100101, 2024), (100101, 2147483000)'),
	qr/year 2147483000 of unit 100101 in fact_year is outside the years antq accepts/,
	'capture refuses a year outside the window written to a table of the user\'s');
like(run_as('postgres', 'SET session_replication_role = replica; INSERT INTO antq.assessment (unit_id, year) VALUES (100101, 6000000)'),
	qr/year 6000000 of unit 100101 in assessment is outside the years antq accepts/,
	'and one written with the validation triggers off');
is(queue(), '', 'neither is queued');
is(run_as('postgres', 'ALTER TABLE public.fact_year DISABLE TRIGGER antq_capture_insert; '
	  . 'INSERT INTO public.fact_year VALUES (100101, 6000000), (100101, 1000); ALTER TABLE public.fact_year ENABLE TRIGGER antq_capture_insert'), '',
	'rows with absurd years written before the bounds (here: with capture off)');
is(run_as('w', 'DELETE FROM public.fact_year'), '', 'can be deleted');
is(queue(), '', 'and deleting them queues nothing');
is(run_as('postgres', "INSERT INTO public.fact_year VALUES (100101, $ymax)"), '', 'a year inside the window');
is(queue(), "01:$ymax-" . ($ymax + 1), 'is queued from a table of the user\'s');

done_testing();
