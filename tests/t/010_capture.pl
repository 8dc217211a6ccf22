# Change capture: which queue rows each kind of write leaves in antq.pending — one row per
# province and range of years per transaction, with the units whose facts changed — for INSERT,
# UPDATE (old and new keys), DELETE, COPY, TRUNCATE, dated facts, registry, lineage and rules
# changes, writes with session_replication_role = replica, rollbacks, ranges that meet, and
# antq.capture_unit_limit; the unit cache follows a unit moved by another session; a writer
# needs no privilege on the queue and a reader cannot write it.
# The worker is off so the queue can be read.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

# Years up to 2032 are written, beyond the default window of years (antq.years_ahead).
my $node = AntqNode::new_node('capture', "antq.worker_enabled = off\nantq.capture_first_year = 2024\nantq.years_ahead = 10\n");
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

# Run $sql on an empty queue and return the queued rows as "pp:first-last:{unit ids}" ("all"
# for NULL ids) sorted, with duplicates.
sub rows_after
{
	my ($sql, $session) = @_;
	$node->safe_psql($db, 'DELETE FROM antq.pending');
	if ($session) { $session->query_safe($sql); }
	else { $node->safe_psql($db, $sql); }
	return $node->safe_psql($db,
		"SELECT coalesce(string_agg(province_code || ':' || first_year || '-' || last_year || ':' || coalesce(unit_ids::text, 'all'), ' '"
		  . " ORDER BY province_code, first_year, last_year), '') FROM antq.pending");
}

is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1)'), '01:2024-2025:{100101}',
	'INSERT queues the year and the next, naming the unit');
is(rows_after('UPDATE fact_year SET unit_id = 200101, year = 2020'), '01:2024-2025:{100101} 02:2020-2021:{200101}',
	'UPDATE moving a row queues the old and the new keys, each with its unit');
is(rows_after('DELETE FROM fact_year'), '02:2020-2021:{200101}', 'DELETE queues the old keys');
is(rows_after("BEGIN; INSERT INTO fact_year SELECT 100101, 2024, g FROM generate_series(1, 1000) g; "
	  . "UPDATE fact_year SET v = v + 1; INSERT INTO fact_year VALUES (100201, 2024, 0); COMMIT;"),
	'01:2024-2025:{100101,100201}', 'one row per transaction, however many rows and statements, units sorted and distinct');
is(rows_after("COPY fact_year FROM stdin;\n200102\t2030\t1\n100102\t2031\t1\n\\.\n"),
	'01:2031-2032:{100102} 02:2030-2031:{200102}', 'COPY queues its keys');
is(rows_after('TRUNCATE fact_year'), '01:2024-2025:all 01:2031-2032:all 02:2030-2031:all',
	'TRUNCATE queues the ranges of the rows it removes, for every unit');
is(rows_after("INSERT INTO fact_day VALUES (200101, '2024-11-05')"), '02:2024-2026:{200101}',
	'a dated fact queues its year and the two after');
is(rows_after("BEGIN; INSERT INTO fact_year VALUES (100101, 2024, 1); ROLLBACK;"), '',
	'a rolled-back transaction queues nothing');
is(rows_after("BEGIN; SAVEPOINT s; INSERT INTO fact_year VALUES (100101, 2028, 1); ROLLBACK TO s; COMMIT;"),
	'01:2028-2029:{100101}', 'a rolled-back subtransaction still queues (a spare recompute is harmless)');

# Ranges of one province merge when they overlap or touch, and only then.
is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1), (100102, 2026, 1), (100201, 2030, 1), (200101, 2026, 1)'),
	'01:2024-2027:{100101,100102,100201} 01:2030-2031:{100101,100102,100201} 02:2026-2027:{200101}',
	'2024-2025 and 2026-2027 touch and merge; 2030-2031 stays apart; the units are those of the province');
is(rows_after('BEGIN; INSERT INTO fact_year VALUES (100102, 2020, 1); INSERT INTO fact_year VALUES (100101, 2028, 1); '
	  . 'INSERT INTO fact_year VALUES (100101, 2024, 1); INSERT INTO fact_year VALUES (100102, 2026, 1); COMMIT;'),
	'01:2020-2021:{100101,100102} 01:2024-2029:{100101,100102}',
	'a range meeting two others (2026-2027 between 2024-2025 and 2028-2029) merges the three; 2020-2021 stays apart');
is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1), (100101, 2026, 1), (100101, 2028, 1), (100101, 2030, 1)'),
	'01:2024-2031:{100101}', 'a chain of touching ranges in one statement becomes one row');

is(rows_after("UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101"), "01:2024-$next:all",
	'a unit change queues its province, every unit, from antq.capture_first_year through next year');
is(rows_after("BEGIN; INSERT INTO fact_year VALUES (100101, 2024, 1); UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102; COMMIT;"),
	"01:2024-$next:all", 'a fact range merged with a registry range is queued for every unit');
is(rows_after("BEGIN; INSERT INTO fact_year VALUES (200101, 2024, 1); UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100102; COMMIT;"),
	"01:2024-$next:all 02:2024-2025:{200101}", 'a registry change of one province leaves the unit list of another');

# A rule change queues the years of its rule set (antq.capture_first_year 2024 on, through next
# year), for every province (*) or, for a provincial addition, its province.
my $flip_4a = "UPDATE antq.criterion SET title = title || '.', except_force_majeure = NOT except_force_majeure "
  . "WHERE set_id = 'tt124-residential_area' AND label = '4a'";
is(rows_after($flip_4a), "*:2024-$next:all",
	'a criterion of a national set from 2022 on queues every province from 2024 through next year');
is(rows_after($flip_4a), "*:2024-$next:all", 'and changing it back queues them again');
is(rows_after("UPDATE antq.criterion SET except_force_majeure = NOT except_force_majeure WHERE set_id = 'tt23-commune'"), '',
	'a criterion of a set that ended in 2021 queues nothing (no year from 2024 on reads it)');
$node->safe_psql($db, "UPDATE antq.criterion SET except_force_majeure = NOT except_force_majeure WHERE set_id = 'tt23-commune'");
my $move_condition = "UPDATE antq.criterion SET set_id = '%s', title = title || '.' WHERE set_id = '%s' AND label = '3-rating'";
is(rows_after(sprintf($move_condition, 'tt124-commune', 'tt23-commune')), "*:2024-$next:all",
	'a condition moved (with its title edited) from a set that ended in 2021 into one in force queues the years of the set it joins');
is(rows_after(sprintf($move_condition, 'tt23-commune', 'tt124-commune')), "*:2024-$next:all",
	'and moved back, those of the set it leaves');
# What no evaluation reads: a change to it alone queues nothing, where a national recompute of
# every year of the set would otherwise follow.
is(rows_after("UPDATE antq.criterion SET title = title || ' (sửa)' WHERE set_id = 'tt124-residential_area'"), '',
	'an edit of criteria titles alone queues nothing');
is(rows_after("UPDATE antq.criteria_set SET title = title || '.', legal_basis = 'Thông tư 124/2021/TT-BCA (sửa)' "
	  . "WHERE set_id = 'tt124-residential_area'"), '', 'nor one of a set\'s title and legal basis');
is(rows_after("UPDATE antq.rating_band SET shipped = NOT shipped WHERE sheet_id = 1"), '',
	'nor one of the shipped flag');
is(rows_after("UPDATE antq.scoring_sheet SET title = title || '.', cap_unmet = 3 WHERE sheet_id = 1"), "*:2024-$next:all",
	'a title edited together with the cap of a scoring sheet queues the years of the sheet');
my $move_band = "UPDATE antq.rating_band SET min_score = CASE WHEN min_score = %1\$s THEN %2\$s ELSE min_score END, "
  . "max_score = CASE WHEN max_score = %1\$s THEN %2\$s ELSE max_score END WHERE sheet_id = 1";
is(rows_after(sprintf($move_band, 70, 71)), "*:2024-$next:all", 'a rating band queues the years of its scoring sheet');
$node->safe_psql($db, sprintf($move_band, 71, 70) . '; UPDATE antq.scoring_sheet SET cap_unmet = 2 WHERE sheet_id = 1');
is(rows_after("INSERT INTO antq.criteria_set (set_id, standard, unit_kind, province_code, first_year, last_year, title) "
	  . "VALUES ('p01', 'safe', 'residential_area', '01', 2025, 2025, 'Bổ sung của tỉnh')"), '01:2025-2025:all',
	'a provincial addition queues its province for its years');
is(rows_after("UPDATE antq.criteria_set SET province_code = '02', last_year = 2026 WHERE set_id = 'p01'"),
	'01:2025-2025:all 02:2025-2026:all', 'moving it to another province queues the old and the new province and years');
is(rows_after("DELETE FROM antq.criteria_set WHERE set_id = 'p01'"), '02:2025-2026:all', 'deleting it queues what it covered');
is(rows_after('DELETE FROM antq.rating_band WHERE false'), '', 'a rules statement that changes no row queues nothing');
$node->safe_psql($db, q{
CREATE TABLE public.rule_extra (id integer PRIMARY KEY, v integer);
SELECT antq.capture_rule_changes('public.rule_extra');
});
is(rows_after('INSERT INTO rule_extra VALUES (1, 1)'), "*:2024-$next:all",
	'a rules table of the user\'s (antq.capture_rule_changes) queues every province for every year');
is(rows_after('TRUNCATE antq.scoring_item'), "*:2024-$next:all", 'TRUNCATE of a rules table queues every province');

# antq.capture_unit_limit: past the limit, the province is queued for every unit.
is(rows_after('SET antq.capture_unit_limit = 2; INSERT INTO fact_year VALUES (100101, 2024, 1), (100102, 2024, 1), (100101, 2024, 2)'),
	'01:2024-2025:{100101,100102}', 'at the limit the units are listed');
is(rows_after('SET antq.capture_unit_limit = 2; INSERT INTO fact_year VALUES (100101, 2024, 1), (100102, 2024, 1), (100201, 2024, 1), (200101, 2024, 1)'),
	'01:2024-2025:all 02:2024-2025:{200101}', 'over the limit in one province, the others still list their units');
is(rows_after('SET antq.capture_unit_limit = 2; BEGIN; INSERT INTO fact_year VALUES (100101, 2024, 1), (100102, 2030, 1); '
	  . 'INSERT INTO fact_year VALUES (100201, 2031, 1); COMMIT;'),
	'01:2024-2025:all 01:2030-2032:all', 'the limit counts the distinct units of a province across statements and ranges');
is(rows_after('SET antq.capture_unit_limit = 0; INSERT INTO fact_year VALUES (100101, 2024, 1)'),
	'01:2024-2025:all', 'antq.capture_unit_limit = 0 never lists units');
is(rows_after('INSERT INTO fact_year SELECT u, 2024, 1 FROM generate_series(500000, 501000) u; '
	  . "INSERT INTO fact_year SELECT unit_id, 2024, 1 FROM antq.unit WHERE province_code = '01'"),
	'*:2024-2025:all 01:2024-2025:{1,1001,1002,100101,100102,100201,100202}',
	'facts of 1,001 units not in the registry queue every province (the worker could not look them all up), and the known units are still listed');
my $big = $node->safe_psql($db, q{
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
SELECT 300000 + g, 'residential_area', 'thon', '00101-B' || g, 'Thôn B' || g, 1001, 1, '01', '2010-01-01'
FROM generate_series(1, 1001) g;
DELETE FROM antq.pending;
INSERT INTO fact_year SELECT 300000 + g, 2024, 1 FROM generate_series(1, 1000) g;
SELECT cardinality(unit_ids) FROM antq.pending;
DELETE FROM antq.pending;
INSERT INTO fact_year SELECT 300000 + g, 2024, 1 FROM generate_series(1, 1001) g;
SELECT coalesce(cardinality(unit_ids)::text, 'all') FROM antq.pending;
});
is($big, "1000\nall", 'the default limit lists 1,000 units and gives up at 1,001');
my ($ret, $out, $err) = $node->psql($db, 'SET antq.capture_unit_limit = 5', extra_params => [ '-U', 'w' ]);
like($err, qr/permission denied to set parameter "antq.capture_unit_limit"/, 'only a superuser changes the limit');
($ret, $out, $err) = $node->psql($db, 'INSERT INTO fact_year VALUES (100101, 2147483646, 1)');
like($err, qr/year 2147483646 of unit 100101 in fact_year is out of range for antq change capture/,
	'a year whose span overflows is refused, naming the unit and the table');

# Lineage written on its own (antq.merge_units also changes the unit versions, which queue their
# provinces): a link queues its successor and every version grown out of it, each in its own
# province, by unit, for the years each is in force.
$node->safe_psql($db, q{
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE unit_id = 100201;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from, valid_to) VALUES
  (400001, 'residential_area', 'thon', '00101-S', 'Thôn S', 1001, 1, '01', '2025-07-01', '2026-01-01'),
  (400002, 'residential_area', 'thon', '00101-S', 'Thôn S', 1001, 1, '01', '2026-01-01', NULL),
  (400003, 'residential_area', 'thon', '00201-S', 'Thôn S2', 2001, 2, '02', '2026-01-01', NULL);
INSERT INTO antq.unit_lineage VALUES (400001, 400002, 'continue', '2026-01-01', NULL),
                                     (400001, 400003, 'merge', '2026-01-01', NULL);
});
my $succession = "01:2025-$next:{400001,400002} 02:2026-$next:{400003}";
is(rows_after("INSERT INTO antq.unit_lineage VALUES (100201, 400001, 'merge', '2025-07-01', 'NQ 1')"), $succession,
	'a lineage link queues its successor (2025-2026) and the versions grown out of it (from 2026), each in its province');
is(rows_after("UPDATE antq.unit_lineage SET legal_basis = 'NQ 2' WHERE predecessor_id = 100201"), $succession,
	'changing a link queues the same');
is(rows_after('DELETE FROM antq.unit_lineage WHERE predecessor_id = 100201'), $succession,
	'removing a link queues the successor it had, and the versions grown out of it');
is(rows_after('TRUNCATE antq.unit_lineage'), "*:2024-$next:all", 'TRUNCATE of the lineage queues every province');

# The triggers fire ALWAYS: also in a session with session_replication_role = replica, which
# bulk-loading tools set to skip foreign-key checks.
is(rows_after('SET session_replication_role = replica; INSERT INTO fact_year VALUES (100101, 2024, 1)'),
	'01:2024-2025:{100101}', 'a fact written with session_replication_role = replica is queued');
is(rows_after("SET session_replication_role = replica; UPDATE antq.unit SET name = name || '.' WHERE unit_id = 100101"),
	"01:2024-$next:all", 'a registry change with session_replication_role = replica is queued');
# No foreign key is checked there: a fact may name a unit this writer cannot see (not yet
# committed by another transaction). Its units are queued under '?' for the worker to look up;
# past antq.capture_unit_limit, every province.
is(rows_after('SET session_replication_role = replica; INSERT INTO fact_year VALUES (100101, 2024, 1), (900001, 2024, 1), (900002, 2030, 1)'),
	'01:2024-2025:{100101} ?:2024-2025:{900001,900002} ?:2030-2031:{900001,900002}',
	'facts of units not in the registry are queued under ?, by unit (the units of a province are listed for each of its ranges)');
is(rows_after('SET session_replication_role = replica; SET antq.capture_unit_limit = 1; INSERT INTO fact_year VALUES (900001, 2024, 1), (900002, 2024, 1)'),
	'*:2024-2025:all', 'past the unit limit, units not in the registry queue every province');
is(rows_after('SET session_replication_role = replica; INSERT INTO antq.unit_lineage VALUES (100101, 900003, \'merge\', \'2025-07-01\')'),
	"?:2024-$next:{900003}", 'a lineage link to a successor not in the registry queues it under ?, every year');
$node->safe_psql($db, 'SET session_replication_role = replica; DELETE FROM antq.unit_lineage WHERE successor_id = 900003; DELETE FROM fact_year WHERE unit_id > 900000');
is($node->safe_psql($db, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'antq\\_capture\\_%' AND tgname <> 'antq_capture_applied' AND tgenabled <> 'A'"), '0',
	"every statement-level capture trigger, of antq's tables and of tables put under capture, is enabled ALWAYS");
is($node->safe_psql($db, "SELECT count(*) FROM pg_trigger WHERE tgname = 'antq_capture_applied' AND tgenabled <> 'R'"), '0',
	"and every row-level one, for a subscription's apply, REPLICA");

# The unit cache of a long-lived session follows a move made by another session.
my $session = $node->background_psql($db);
is(rows_after('INSERT INTO fact_year VALUES (100102, 2024, 1)', $session), '01:2024-2025:{100102}',
	'session caches unit 100102 in province 01');
$node->safe_psql($db, 'UPDATE antq.unit SET parent_id = 2001 WHERE unit_id = 100102');
is(rows_after('INSERT INTO fact_year VALUES (100102, 2024, 1)', $session), '02:2024-2025:{100102}',
	'after another session moves the unit to province 02, the cached session queues province 02');
$session->quit;

# The cache shared by all sessions: a new session finds what others looked up, but never a
# province from before a committed move, nor one seen by a transaction that rolled back.
is(rows_after('INSERT INTO fact_year VALUES (100202, 2024, 1)'), '01:2024-2025:{100202}',
	'a session looks unit 100202 up in province 01 (and shares it)');
$node->safe_psql($db, 'UPDATE antq.unit SET parent_id = 2002 WHERE unit_id = 100202');
is(rows_after('INSERT INTO fact_year VALUES (100202, 2024, 1)'), '02:2024-2025:{100202}',
	'after the unit moved to province 02, a new session queues province 02');
is(rows_after('BEGIN; UPDATE antq.unit SET parent_id = 1002 WHERE unit_id = 100202; '
	  . 'INSERT INTO fact_year VALUES (100202, 2024, 1); ROLLBACK;'), '',
	'a transaction that moves the unit back and writes a fact, then rolls back, queues nothing');
is(rows_after('INSERT INTO fact_year VALUES (100202, 2024, 1)'), '02:2024-2025:{100202}',
	'and what it saw is not left behind: the next session still queues province 02');
is(rows_after('BEGIN; UPDATE antq.unit SET parent_id = 1002 WHERE unit_id = 100202; '
	  . 'INSERT INTO fact_year VALUES (100202, 2024, 1); COMMIT;'), "01:2024-$next:all 02:2024-$next:all",
	'a fact written after a move in the same transaction follows the move');
is(rows_after('INSERT INTO fact_year VALUES (100202, 2024, 1)'), '01:2024-2025:{100202}',
	'and once that commits, new sessions queue the new province');

# Privileges: a writer needs nothing on the queue; a reader cannot write it.
$node->safe_psql($db, 'DELETE FROM antq.pending');
($ret, $out, $err) = $node->psql($db, 'INSERT INTO fact_year VALUES (200102, 2024, 1)',
	extra_params => [ '-U', 'w' ]);
is($ret, 0, 'a member of antq_writer writes facts under capture') or diag $err;
is($node->safe_psql($db, "SELECT count(*) FROM antq.pending WHERE province_code = '02' AND first_year = 2024 AND unit_ids = '{200102}'"), '1',
	"the writer's key is queued");
($ret, $out, $err) = $node->psql($db, "INSERT INTO antq.pending VALUES ('01', 2024, 2024)", extra_params => [ '-U', 'r' ]);
isnt($ret, 0, 'a reader cannot write into the queue');
like($err, qr/permission denied/, 'the reader is refused with permission denied');
($ret, $out, $err) = $node->psql($db, "INSERT INTO antq.pending VALUES ('01', 2024, 2024)", extra_params => [ '-U', 'w' ]);
isnt($ret, 0, 'nor can a writer, except through the capture');

# A session keeps antq.pending's OID between commits; when the extension is dropped and created
# again by another session, its next write goes into the new queue.
my $keeper = $node->background_psql($db);
is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1)', $keeper), '01:2024-2025:{100101}',
	'a long-lived session queues into antq.pending');
$node->safe_psql($db, q{
DROP EXTENSION antq CASCADE;
CREATE EXTENSION antq;
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, province_id, province_code, valid_from)
VALUES (1, 'province', 'tinh', '01', 'Tỉnh 1', 1, '01', '2000-01-01');
INSERT INTO antq.unit (unit_id, kind, sub_kind, code, name, parent_id, province_id, province_code, valid_from)
VALUES (1001, 'commune', 'xa', '00101', 'Xã 1', 1, 1, '01', '2000-01-01'),
       (100101, 'residential_area', 'thon', '00101-T1', 'Thôn 1', 1001, 1, '01', '2015-01-01');
SELECT antq.capture_changes('public.fact_year', 'unit_id', 'year');
});
is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1)', $keeper), '01:2024-2025:{100101}',
	'after DROP and CREATE EXTENSION elsewhere, the same session queues into the new antq.pending');
$keeper->quit;

# The queue is written through the table access method with the executor's index maintenance:
# an index someone adds, plain or on an expression, holds every row written.
$node->safe_psql($db, q{
CREATE INDEX pending_by_province ON antq.pending (province_code);
CREATE INDEX pending_by_span ON antq.pending ((last_year - first_year));
});
is(rows_after('INSERT INTO fact_year VALUES (100101, 2024, 1), (100101, 2030, 1)'), '01:2024-2025:{100101} 01:2030-2031:{100101}',
	'with indexes on the queue, the rows are written');
is($node->safe_psql($db, q{SET enable_seqscan = off; SET enable_bitmapscan = off;
	SELECT count(*) FROM antq.pending WHERE province_code = '01' AND last_year - first_year = 1}), '2',
	'and both indexes hold them (read by index scans)');
$node->safe_psql($db, 'DROP INDEX antq.pending_by_province, antq.pending_by_span');

AntqNode::no_leaks($node);
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
AntqNode::no_leaks($plain);
$plain->stop;
done_testing();
