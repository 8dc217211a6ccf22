# Issue 17, holes 1 and 2 (search-path hijacking), must show: in a database where PUBLIC may
# create in schema public (the default before PostgreSQL 15), a role with no antq rights but
# reading plants look-alikes of every built-in function and operator the extension uses, each
# recording that it ran (a row, a sequence step that no rollback undoes, a WARNING in the server
# log) and trying to make its owner superuser. Then, on three search paths (the old README's,
# the recommended one, and public explicitly before pg_catalog), every function and view of
# the analyst API is called as superuser, admin, writer and reader; writers change facts and the
# registry, an admin changes a rule (the rules cache reloads), a superuser refreshes, and the
# worker, started with the same path as the database's default, drains the queue. No planted
# object may have run, and the planting role is not superuser.
use strict;
use warnings;
use FindBin;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = AntqNode::new_node('hostile');
my $db = 'h';
my $repo = $ENV{ANTQ_REPO} // "$FindBin::Bin/../..";

my %paths = (
	'old README' => '"$user", public, antq',
	'recommended' => 'antq, "$user", public',
	'public first' => 'public, pg_catalog, antq');
my @path_order = ('old README', 'recommended', 'public first');

# What the test itself runs outside the calls under test: on the trusted path, so that it
# never runs a planted object itself.
sub trusted
{
	my ($sql) = @_;
	return $node->safe_psql($db, "SET search_path = pg_catalog, pg_temp;\n$sql");
}

# The database's default path, which the worker connects with: restart the worker to take it.
sub set_database_path
{
	my ($path) = @_;
	$node->safe_psql('postgres', "ALTER DATABASE $db SET search_path = $path");
	my $pid = AntqNode::worker_pid($node, $db);
	$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid)") if $pid ne '';
	ok( $node->poll_query_until(
			'postgres',
			"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'antq worker' AND datname = '$db'"
			  . ($pid ne '' ? " AND pid <> $pid" : '')),
		"a worker runs with the database path $path");
}

sub wait_drained
{
	my ($what) = @_;
	ok( $node->poll_query_until($db,
			'SELECT pg_catalog.count(*) OPERATOR(pg_catalog.=) 0 FROM antq.pending'),
		"queue drained: $what");
}

# A database whose default path is the old README's before the extension exists, so that its
# worker starts with it; a registry and two years of facts (tools/demo), computed.
$node->safe_psql('postgres', "CREATE DATABASE $db");
$node->safe_psql('postgres', qq{ALTER DATABASE $db SET search_path = $paths{'old README'}});
$node->safe_psql($db, 'CREATE EXTENSION antq');
$node->safe_psql($db, slurp_file("$repo/tools/demo/$_")) for ('demo_province.sql', 'demo_facts.sql');
wait_drained('the demo facts');

# Roles: the planter reads antq (to name its types) and may create in public, like everyone.
trusted(q{
CREATE ROLE mallory LOGIN IN ROLE antq_reader;
CREATE ROLE adm LOGIN IN ROLE antq_admin;
CREATE ROLE wri LOGIN IN ROLE antq_writer;
CREATE ROLE rdr LOGIN IN ROLE antq_reader;
GRANT CREATE ON SCHEMA public TO PUBLIC;
});

# Arguments of the calls, made before the planting in a schema only the superuser writes: the
# calls then name no built-in themselves (the test must not run a planted object on its own).
trusted(q{
CREATE SCHEMA fixture;
GRANT USAGE ON SCHEMA fixture TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA fixture GRANT SELECT ON TABLES TO PUBLIC;
CREATE TABLE fixture.inputs AS
SELECT i.*, r.unit_counts FROM antq.unit_inputs('08', 2025) i JOIN antq.results_computed('08', 2025) r USING (unit_id);
CREATE TABLE fixture.args AS
SELECT (antq.unit_at('02215', '2025-12-31')).unit_id AS commune_id,
       (antq.unit_at('02212', '2025-01-01')).unit_id AS old_commune_id,
       (antq.unit_at('02215-TDP01', '2025-12-31')).unit_id AS area_id,
       (SELECT array_agg(unit_id ORDER BY unit_id) FROM antq.unit_result WHERE year = 2025 AND province_code = '08') AS unit_ids,
       (SELECT array_agg(unit_id ORDER BY unit_id) FROM antq.unit_result WHERE year = 2025 AND kind = 'commune') AS commune_ids,
       (SELECT array_agg(c ORDER BY r.unit_id, o) FROM antq.unit_result r, unnest(r.unit_counts) WITH ORDINALITY AS u(c, o)
         WHERE r.year = 2025 AND r.kind = 'commune') AS commune_counts,
       (SELECT array_agg(r ORDER BY r.unit_id) FROM antq.unit_result r WHERE r.year = 2025 AND r.province_code = '08') AS results;
});

# The planting, as mallory. Every look-alike calls planted_hit, which leaves three traces that
# survive a caller's error or rollback in one way or another, and tries the escalation.
$node->safe_psql($db, q{
SET search_path = pg_catalog, pg_temp;
SET ROLE mallory;
CREATE SEQUENCE public.planted_hits;
CREATE TABLE public.planted_log (what text, by_role text, app text);
GRANT INSERT ON public.planted_log TO PUBLIC;
GRANT USAGE ON SEQUENCE public.planted_hits TO PUBLIC;
CREATE FUNCTION public.planted_hit(p_what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'planted look-alike ran: % as %', p_what, current_user;
    BEGIN
        PERFORM pg_catalog.nextval('public.planted_hits');
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
    BEGIN
        INSERT INTO public.planted_log VALUES (p_what, current_user, pg_catalog.current_setting('application_name'));
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
    BEGIN
        EXECUTE 'ALTER ROLE mallory SUPERUSER';
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
END $$;

-- Operators: every infix operator of pg_catalog or antq, on every pair of the types the
-- extension computes with, that resolves (with implicit casts where they apply): the
-- look-alike has the exact signature, so it wins wherever the real one needs a cast, and
-- everywhere when public comes before pg_catalog. Prefix minus likewise.
DO $plant$
DECLARE
    types text[] := ARRAY['smallint', 'integer', 'bigint', 'numeric', 'double precision', 'text', 'date',
                          'timestamptz', 'boolean', 'jsonb', 'text[]', 'integer[]', 'bigint[]',
                          'antq.rating', 'antq.share', 'antq.attainment'];
    ops text[] := ARRAY['+', '-', '*', '/', '%', '=', '<>', '<', '<=', '>', '>=', '||', '@>', '<@', '&&',
                        '->>', '->', '#-', '?', '~', '!~', '~~', '!~~', '~*'];
    o text; l text; r text; ns text; ret text; n integer := 0;
BEGIN
    FOREACH o IN ARRAY ops LOOP
        FOREACH l IN ARRAY types LOOP
            FOREACH r IN ARRAY types LOOP
                ret := NULL;
                FOREACH ns IN ARRAY ARRAY['pg_catalog', 'antq'] LOOP
                    BEGIN
                        EXECUTE format('SELECT pg_typeof(NULL::%s OPERATOR(%s.%s) NULL::%s)::text', l, ns, o, r) INTO ret;
                    EXCEPTION WHEN OTHERS THEN ret := NULL;
                    END;
                    EXIT WHEN ret IS NOT NULL;
                END LOOP;
                CONTINUE WHEN ret IS NULL;
                n := n + 1;
                EXECUTE format($f$CREATE FUNCTION public.planted_op_%s(%s, %s) RETURNS %s LANGUAGE plpgsql
                                  AS $b$ BEGIN PERFORM public.planted_hit(%L); RETURN $1 OPERATOR(%s.%s) $2; END $b$$f$,
                               n, l, r, ret, format('%s(%s, %s)', o, l, r), ns, o);
                EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.planted_op_%s)', o, l, r, n);
            END LOOP;
        END LOOP;
    END LOOP;
    FOREACH r IN ARRAY ARRAY['smallint', 'integer', 'bigint', 'numeric'] LOOP
        n := n + 1;
        EXECUTE format($f$CREATE FUNCTION public.planted_op_%s(%s) RETURNS %s LANGUAGE plpgsql
                          AS $b$ BEGIN PERFORM public.planted_hit(%L); RETURN OPERATOR(pg_catalog.-) $1; END $b$$f$,
                       n, r, r, format('-(%s)', r));
        EXECUTE format('CREATE OPERATOR public.- (RIGHTARG = %s, FUNCTION = public.planted_op_%s)', r, n);
    END LOOP;
END
$plant$;

-- Functions: the built-ins the extension's SQL and C call, and the usual suspects, each with
-- signatures that beat the real one where it is polymorphic, variadic or needs a cast, and the
-- exact ones (which win when public comes first). greatest, least, coalesce and nullif are
-- syntax and cannot be shadowed; their look-alikes are planted all the same.
DO $plant$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('array_to_string', 'text[], text', 'text', 'RETURN pg_catalog.array_to_string($1, $2);'),
        ('array_to_string', 'text[], text, text', 'text', 'RETURN pg_catalog.array_to_string($1, $2, $3);'),
        ('array_to_string', 'integer[], text', 'text', 'RETURN pg_catalog.array_to_string($1, $2);'),
        ('array_to_string', 'bigint[], text', 'text', 'RETURN pg_catalog.array_to_string($1, $2);'),
        ('unnest', 'text[]', 'SETOF text', 'RETURN QUERY SELECT pg_catalog.unnest($1);'),
        ('unnest', 'integer[]', 'SETOF integer', 'RETURN QUERY SELECT pg_catalog.unnest($1);'),
        ('unnest', 'bigint[]', 'SETOF bigint', 'RETURN QUERY SELECT pg_catalog.unnest($1);'),
        ('generate_series', 'integer, integer', 'SETOF integer', 'RETURN QUERY SELECT pg_catalog.generate_series($1, $2);'),
        ('generate_series', 'bigint, bigint', 'SETOF bigint', 'RETURN QUERY SELECT pg_catalog.generate_series($1, $2);'),
        ('jsonb_each_text', 'jsonb', 'TABLE (key text, value text)', 'RETURN QUERY SELECT * FROM pg_catalog.jsonb_each_text($1);'),
        ('lower', 'text', 'text', 'RETURN pg_catalog.lower($1);'),
        ('upper', 'text', 'text', 'RETURN pg_catalog.upper($1);'),
        ('btrim', 'text', 'text', 'RETURN pg_catalog.btrim($1);'),
        ('length', 'text', 'integer', 'RETURN pg_catalog.length($1);'),
        ('replace', 'text, text, text', 'text', 'RETURN pg_catalog.replace($1, $2, $3);'),
        ('quote_literal', 'text', 'text', 'RETURN pg_catalog.quote_literal($1);'),
        ('quote_ident', 'text', 'text', 'RETURN pg_catalog.quote_ident($1);'),
        ('now', '', 'timestamptz', 'RETURN pg_catalog.now();'),
        ('clock_timestamp', '', 'timestamptz', 'RETURN pg_catalog.clock_timestamp();'),
        ('make_date', 'integer, integer, integer', 'date', 'RETURN pg_catalog.make_date($1, $2, $3);'),
        ('to_char', 'date, text', 'text', 'RETURN pg_catalog.to_char($1::timestamp, $2);'),
        ('to_char', 'timestamptz, text', 'text', 'RETURN pg_catalog.to_char($1, $2);'),
        ('date', 'timestamptz', 'date', 'RETURN pg_catalog.date($1);'),
        ('extract', 'text, date', 'numeric', 'RETURN pg_catalog.extract($1, $2);'),
        ('format', 'text', 'text', 'RETURN pg_catalog.format($1);'),
        ('format', 'text, text', 'text', 'RETURN pg_catalog.format($1, $2);'),
        ('format', 'text, text, text', 'text', 'RETURN pg_catalog.format($1, $2, $3);'),
        ('format', 'text, text, text, text', 'text', 'RETURN pg_catalog.format($1, $2, $3, $4);'),
        ('format', 'text, integer', 'text', 'RETURN pg_catalog.format($1, $2);'),
        ('format', 'text, bigint', 'text', 'RETURN pg_catalog.format($1, $2);'),
        ('concat', 'text, text', 'text', 'RETURN pg_catalog.concat($1, $2);'),
        ('concat', 'text, integer', 'text', 'RETURN pg_catalog.concat($1, $2);'),
        ('concat', 'text, text, text', 'text', 'RETURN pg_catalog.concat($1, $2, $3);'),
        ('jsonb_build_object', 'text, text', 'jsonb', 'RETURN pg_catalog.jsonb_build_object($1, $2);'),
        ('jsonb_build_object', 'text, integer', 'jsonb', 'RETURN pg_catalog.jsonb_build_object($1, $2);'),
        ('jsonb_build_object', 'text, bigint', 'jsonb', 'RETURN pg_catalog.jsonb_build_object($1, $2);'),
        ('jsonb_build_object', 'text, numeric', 'jsonb', 'RETURN pg_catalog.jsonb_build_object($1, $2);'),
        ('jsonb_build_object', 'text, jsonb', 'jsonb', 'RETURN pg_catalog.jsonb_build_object($1, $2);'),
        ('to_jsonb', 'text', 'jsonb', 'RETURN pg_catalog.to_jsonb($1);'),
        ('to_jsonb', 'integer', 'jsonb', 'RETURN pg_catalog.to_jsonb($1);'),
        ('to_jsonb', 'bigint', 'jsonb', 'RETURN pg_catalog.to_jsonb($1);'),
        ('to_jsonb', 'record', 'jsonb', 'RETURN pg_catalog.to_jsonb($1);'),
        ('jsonb_typeof', 'jsonb', 'text', 'RETURN pg_catalog.jsonb_typeof($1);'),
        ('cardinality', 'text[]', 'integer', 'RETURN pg_catalog.cardinality($1);'),
        ('cardinality', 'integer[]', 'integer', 'RETURN pg_catalog.cardinality($1);'),
        ('cardinality', 'bigint[]', 'integer', 'RETURN pg_catalog.cardinality($1);'),
        ('array_length', 'text[], integer', 'integer', 'RETURN pg_catalog.array_length($1, $2);'),
        ('array_length', 'bigint[], integer', 'integer', 'RETURN pg_catalog.array_length($1, $2);'),
        ('array_append', 'text[], text', 'text[]', 'RETURN pg_catalog.array_append($1, $2);'),
        ('array_position', 'text[], text', 'integer', 'RETURN pg_catalog.array_position($1, $2);'),
        ('string_to_array', 'text, text', 'text[]', 'RETURN pg_catalog.string_to_array($1, $2);'),
        ('round', 'numeric', 'numeric', 'RETURN pg_catalog.round($1);'),
        ('round', 'numeric, integer', 'numeric', 'RETURN pg_catalog.round($1, $2);'),
        ('abs', 'integer', 'integer', 'RETURN pg_catalog.abs($1);'),
        ('hashtext', 'text', 'integer', 'RETURN pg_catalog.hashtext($1);'),
        ('hashtextextended', 'text, bigint', 'bigint', 'RETURN pg_catalog.hashtextextended($1, $2);'),
        ('pg_advisory_xact_lock', 'bigint', 'void', 'PERFORM pg_catalog.pg_advisory_xact_lock($1);'),
        ('pg_advisory_xact_lock', 'integer, integer', 'void', 'PERFORM pg_catalog.pg_advisory_xact_lock($1, $2);'),
        ('current_setting', 'text', 'text', 'RETURN pg_catalog.current_setting($1);'),
        ('current_setting', 'text, boolean', 'text', 'RETURN pg_catalog.current_setting($1, $2);'),
        ('to_regclass', 'text', 'regclass', 'RETURN pg_catalog.to_regclass($1);'),
        ('pg_has_role', 'text, text', 'boolean', 'RETURN pg_catalog.pg_has_role($1::name, $2);'),
        ('pg_has_role', 'text, text, text', 'boolean', 'RETURN pg_catalog.pg_has_role($1::name, $2::name, $3);'),
        ('current_database', '', 'name', 'RETURN pg_catalog.current_database();'),
        ('col_description', 'oid, integer', 'text', 'RETURN pg_catalog.col_description($1, $2);'),
        ('greatest', 'integer, integer', 'integer', 'RETURN GREATEST($1, $2);'),
        ('least', 'integer, integer', 'integer', 'RETURN LEAST($1, $2);'),
        ('coalesce', 'text, text', 'text', 'RETURN COALESCE($1, $2);'),
        ('nullif', 'text, text', 'text', 'RETURN NULLIF($1, $2);')
    ) AS v(name, args, ret, body)
    LOOP
        EXECUTE format($f$CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE plpgsql
                          AS $b$ BEGIN PERFORM public.planted_hit(%L); %s END $b$$f$,
                       f.name, f.args, f.ret, format('%s(%s)', f.name, f.args), f.body);
    END LOOP;
END
$plant$;

-- Aggregates: count, sum, min, max, array_agg, string_agg, bool_or, bool_and,
-- jsonb_object_agg, through transition functions that record each row.
CREATE FUNCTION public.planted_count(bigint) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('count(*)'); RETURN $1 OPERATOR(pg_catalog.+) 1; END $$;
CREATE FUNCTION public.planted_count(bigint, anyelement) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('count(' || pg_catalog.pg_typeof($2) || ')'); RETURN $1 OPERATOR(pg_catalog.+) 1; END $$;
CREATE FUNCTION public.planted_pick(anyelement, anyelement) RETURNS anyelement LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('min/max(' || pg_catalog.pg_typeof($2) || ')'); RETURN COALESCE($1, $2); END $$;
CREATE FUNCTION public.planted_sum(numeric, anyelement) RETURNS numeric LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('sum(' || pg_catalog.pg_typeof($2) || ')'); RETURN COALESCE($1, 0) OPERATOR(pg_catalog.+) $2::numeric; END $$;
CREATE FUNCTION public.planted_array_agg(anyarray, anyelement) RETURNS anyarray LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('array_agg(' || pg_catalog.pg_typeof($2) || ')'); RETURN pg_catalog.array_append($1, $2); END $$;
CREATE FUNCTION public.planted_string_agg(text, text, text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('string_agg(text, text)'); RETURN COALESCE($1 OPERATOR(pg_catalog.||) $3, '') OPERATOR(pg_catalog.||) $2; END $$;
CREATE FUNCTION public.planted_bool(boolean, boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('bool_or/bool_and(boolean)'); RETURN COALESCE($1, $2); END $$;
CREATE FUNCTION public.planted_object_agg(jsonb, text, anyelement) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM public.planted_hit('jsonb_object_agg(text, ' || pg_catalog.pg_typeof($3) || ')');
      RETURN COALESCE($1, '{}') OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object($2, $3); END $$;
CREATE AGGREGATE public.count(*) (SFUNC = public.planted_count, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.count(text) (SFUNC = public.planted_count, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.count(bigint) (SFUNC = public.planted_count, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.count(integer) (SFUNC = public.planted_count, STYPE = bigint, INITCOND = 0);
CREATE AGGREGATE public.sum(integer) (SFUNC = public.planted_sum, STYPE = numeric);
CREATE AGGREGATE public.sum(bigint) (SFUNC = public.planted_sum, STYPE = numeric);
CREATE AGGREGATE public.sum(numeric) (SFUNC = public.planted_sum, STYPE = numeric);
CREATE AGGREGATE public.min(integer) (SFUNC = public.planted_pick, STYPE = integer);
CREATE AGGREGATE public.max(integer) (SFUNC = public.planted_pick, STYPE = integer);
CREATE AGGREGATE public.min(date) (SFUNC = public.planted_pick, STYPE = date);
CREATE AGGREGATE public.max(date) (SFUNC = public.planted_pick, STYPE = date);
CREATE AGGREGATE public.min(text) (SFUNC = public.planted_pick, STYPE = text);
CREATE AGGREGATE public.max(text) (SFUNC = public.planted_pick, STYPE = text);
CREATE AGGREGATE public.array_agg(text) (SFUNC = public.planted_array_agg, STYPE = text[]);
CREATE AGGREGATE public.array_agg(integer) (SFUNC = public.planted_array_agg, STYPE = integer[]);
CREATE AGGREGATE public.array_agg(bigint) (SFUNC = public.planted_array_agg, STYPE = bigint[]);
CREATE AGGREGATE public.array_agg(date) (SFUNC = public.planted_array_agg, STYPE = date[]);
CREATE AGGREGATE public.string_agg(text, text) (SFUNC = public.planted_string_agg, STYPE = text);
CREATE AGGREGATE public.bool_or(boolean) (SFUNC = public.planted_bool, STYPE = boolean);
CREATE AGGREGATE public.bool_and(boolean) (SFUNC = public.planted_bool, STYPE = boolean);
CREATE AGGREGATE public.jsonb_object_agg(text, integer) (SFUNC = public.planted_object_agg, STYPE = jsonb);
CREATE AGGREGATE public.jsonb_object_agg(text, bigint) (SFUNC = public.planted_object_agg, STYPE = jsonb);
CREATE AGGREGATE public.jsonb_object_agg(text, text) (SFUNC = public.planted_object_agg, STYPE = jsonb);
});

# The look-alikes are live: on the old README's path, as mallory, they win resolution.
is( $node->safe_psql(
		$db, q{SET ROLE mallory;
SELECT (SELECT count(*) FROM (VALUES (1)) v) || ',' || (2.5 * 2) || ',' || array_to_string(ARRAY['a'], ',')
       || ',' || ('xuat_sac'::antq.rating >= 'kha')::text || ',' || format('%s', 'x')}),
	'1,5.0,a,true,x', 'the planted look-alikes answer on the old path');
my $live = trusted(q{SELECT pg_catalog.string_agg(DISTINCT what, ' | ' ORDER BY what) FROM public.planted_log});
like($live, qr/\*\(numeric, integer\).*>=\(antq.rating, antq.rating\).*array_to_string\(text\[\], text\).*format\(text, text\)/,
	'and record that they ran (the test can fail)');
trusted('TRUNCATE public.planted_log; SELECT pg_catalog.setval(\'public.planted_hits\', 1, false)');
my $log_offset = -s $node->logfile;
my $planted_ops = trusted(q{SELECT pg_catalog.count(*) FROM pg_catalog.pg_operator
                           WHERE oprnamespace OPERATOR(pg_catalog.=) 'public'::pg_catalog.regnamespace});
cmp_ok($planted_ops, '>', 300, "$planted_ops operators planted");

# Every function of the analyst API (executable by antq_reader) with valid arguments, one or
# more calls each; a function missing here fails the coverage test below.
my %calls = (
	'antq.applicable_count(antq.attainment)' => q{SELECT antq.applicable_count('++-.'::antq.attainment)},
	'antq.attainment(boolean[])' => q{SELECT antq.attainment(ARRAY[true, false, NULL]::boolean[])},
	'antq.classify(text,text,integer,numeric,boolean)' => [
		q{SELECT antq.classify('commune', '08', 2025, 95::numeric, true)},
		q{SELECT antq.classify(i.kind, i.province_code, i.year, i.score, antq.complete(antq.evaluate('safe', i.kind, i.sub_kind,
		    i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded))) FROM fixture.inputs i} ],
	'antq.classify_evaluated(text,text,integer,numeric,text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])'
	  => q{SELECT antq.classify_evaluated(i.kind, i.province_code, i.year, i.score, 'safe', i.kind, i.sub_kind, i.province_code, i.year,
	         i.facts, i.prev, i.incidents, i.unit_counts, i.checks_met, i.checks_recorded) FROM fixture.inputs i},
	'antq.code_rule(text)' => q{SELECT * FROM antq.code_rule('commune')},
	'antq.commune_results(integer,bigint[],integer[])' =>
	  q{SELECT c.* FROM fixture.args a, antq.commune_results(2025, a.commune_ids, a.commune_counts) c},
	'antq.complete(antq.attainment)' => [
		q{SELECT antq.complete('++.'::antq.attainment)},
		q{SELECT antq.complete(antq.evaluate('model', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents,
		    i.unit_counts, i.checks_met, i.checks_recorded)) FROM fixture.inputs i} ],
	'antq.criteria_count(antq.attainment)' => q{SELECT antq.criteria_count('++-.')},
	'antq.criterion_state(antq.attainment,integer)' => q{SELECT antq.criterion_state('+-.', 2)},
	'antq.current_version(bigint,date)' => q{SELECT antq.current_version(a.old_commune_id, '2025-12-31') FROM fixture.args a},
	'antq.date_label(date)' => q{SELECT antq.date_label('2025-07-01')},
	'antq.denominator(antq.share)' => q{SELECT antq.denominator('139/186')},
	'antq.evaluate(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])' =>
	  q{SELECT antq.evaluate(s.standard, i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts,
	      i.checks_met, i.checks_recorded) FROM fixture.inputs i, (VALUES ('safe'), ('model')) s(standard)},
	'antq.evaluate_complete(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])' =>
	  q{SELECT antq.evaluate_complete('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev, i.incidents, i.unit_counts,
	      i.checks_met, i.checks_recorded) FROM fixture.inputs i},
	'antq.expand_keys(text[],integer[])' => q{SELECT * FROM antq.expand_keys(ARRAY['08', '*'], ARRAY[2025, 2024])},
	'antq.explain(text,text,text,text,integer,antq.assessment,antq.assessment[],antq.incident[],integer[],integer[],integer[])' =>
	  q{SELECT e.* FROM fixture.inputs i, antq.explain('safe', i.kind, i.sub_kind, i.province_code, i.year, i.facts, i.prev,
	      i.incidents, i.unit_counts, i.checks_met, i.checks_recorded) e},
	'antq.explain_unit(bigint,integer,text)' => [
		q{SELECT e.* FROM fixture.args a, antq.explain_unit(a.commune_id, 2025) e},
		q{SELECT e.* FROM fixture.args a, antq.explain_unit(a.area_id, 2025, 'model') e} ],
	'antq.model_eligibility(text,integer)' => [
		q{SELECT * FROM antq.model_eligibility('02215', 2026)}, q{SELECT * FROM antq.model_eligibility('no such code', 2025)} ],
	'antq.fact_reject(text,text,bigint,integer,text,text)' =>
	  q{DO $$ BEGIN PERFORM antq.fact_reject('assessment', 'year', 1, 2025, 'a problem', 'a hint');
	       EXCEPTION WHEN check_violation THEN NULL; END $$},
	'antq.fact_type(text)' => q{SELECT antq.fact_type('crime_count'), antq.fact_type('extra.x')},
	'antq.format_vi(antq.share)' => q{SELECT antq.format_vi('3321/3505')},
	'antq.format_vi(antq.share,integer)' => q{SELECT antq.format_vi('240/310', 1), antq.format_vi('19999/20000', 0)},
	'antq.incident_kinds()' => q{SELECT * FROM antq.incident_kinds()},
	'antq.incidents_add(jsonb,jsonb)' => q{SELECT antq.incidents_add('{"crime": 1}', '{"crime": 2, "fire": 1}')},
	'antq.incidents_sum(jsonb)' => q{SELECT antq.incidents_sum(r.incidents_by_kind) FROM antq.unit_result r},
	'antq.keys_in_scope(text,integer)' => q{SELECT * FROM antq.keys_in_scope('08', 2025)},
	'antq.lock_keys(text[],integer[])' => q{SELECT antq.lock_keys(ARRAY['08'], ARRAY[2025])},
	'antq.max(antq.rating)' => q{SELECT antq.max(r.rating) FROM antq.unit_result r},
	'antq.min(antq.rating)' => q{SELECT antq.min(r.rating) FROM antq.unit_result r},
	'antq.met_count(antq.attainment)' => q{SELECT antq.met_count('++-.')},
	'antq.met_share(antq.attainment)' => q{SELECT antq.met_share('++-.')},
	'antq.missing(antq.attainment)' => q{SELECT antq.missing('++-.')},
	'antq.numerator(antq.share)' => q{SELECT antq.numerator('139/186')},
	'antq.percent(antq.share)' => q{SELECT antq.percent('139/186')},
	'antq.percent(antq.share,integer)' => q{SELECT antq.percent('139/186', 2)},
	'antq.predecessors(bigint)' => q{SELECT p.* FROM fixture.args a, antq.predecessors(a.commune_id) p},
	'antq.successors(bigint)' => q{SELECT s.* FROM fixture.args a, antq.successors(a.old_commune_id) s},
	'antq.rating_larger(antq.rating,antq.rating)' => q{SELECT antq.rating_larger('yeu', 'kha')},
	'antq.rating_smaller(antq.rating,antq.rating)' => q{SELECT antq.rating_smaller('yeu', 'kha')},
	'antq.rating_to_int(antq.rating)' => q{SELECT antq.rating_to_int('kha')},
	'antq.rating_from_int(integer)' => q{SELECT antq.rating_from_int(3)},
	'antq.ratio(numeric,numeric)' => q{SELECT antq.ratio(3, 4)},
	'antq.results_computed(text,integer,bigint[],boolean)' => [
		q{SELECT * FROM antq.results_computed('08', 2025)},
		q{SELECT r.* FROM fixture.args a, antq.results_computed('08', 2025, a.unit_ids, true) r} ],
	'antq.results_stale(integer)' => q{SELECT * FROM antq.results_stale(2025)},
	'antq.rule_reject(text,text,text,text,text)' =>
	  q{DO $$ BEGIN PERFORM antq.rule_reject('criterion', 'threshold', 'a rule', 'a problem', 'a hint');
	       EXCEPTION WHEN check_violation THEN NULL; END $$},
	'antq.severity_rank(text)' => q{SELECT antq.severity_rank('serious')},
	'antq.share(bigint,bigint)' => q{SELECT antq.share(3, 4)},
	'antq.share_add(antq.share,antq.share)' => q{SELECT antq.share_add('1/2', '1/3')},
	'antq.share_of(boolean)' => q{SELECT antq.share_of(r.safe_met) FROM antq.unit_result r},
	'antq.share_of_accum(antq.share,boolean)' => q{SELECT antq.share_of_accum('1/2', true)},
	'antq.share_sum_accum(antq.share,antq.share)' => q{SELECT antq.share_sum_accum('1/2', '1/3')},
	'antq.share_to_float8(antq.share)' => q{SELECT antq.share_to_float8('1/2')},
	'antq.share_to_numeric(antq.share)' => q{SELECT antq.share_to_numeric('1/2')},
	'antq.sum(antq.share)' => q{SELECT antq.sum(antq.met_share(r.safe_attainment)) FROM antq.unit_result r},
	'antq.summary_computed(text,integer)' => q{SELECT * FROM antq.summary_computed('08', 2025)},
	'antq.summary_levels(text,text,text,boolean)' => q{SELECT * FROM antq.summary_levels('08', '02215', NULL, true)},
	'antq.summary_measures(text,integer,antq.unit_result[],antq.unit_result[])' => [
		q{SELECT * FROM antq.summary_measures('08', 2025)},
		q{SELECT m.* FROM fixture.args a, antq.summary_measures('08', 2025, a.results, NULL) m} ],
	'antq.summary_nation(integer)' => q{SELECT * FROM antq.summary_nation(2025)},
	'antq.unit_at(text,date)' => q{SELECT * FROM antq.unit_at('02215', '2025-12-31')},
	'antq.confined_provinces(name)' => [ q{SELECT antq.confined_provinces()}, q{SELECT antq.confined_provinces('antq_reader')} ],
	'antq.unit_inputs(text,integer,bigint[])' => [
		q{SELECT * FROM antq.unit_inputs('08', 2025)},
		q{SELECT i.* FROM fixture.args a, antq.unit_inputs('08', 2025, a.unit_ids) i} ],
	'antq.unit_label(bigint)' => q{SELECT antq.unit_label(a.commune_id) FROM fixture.args a},
	'antq.unit_label(text,text,text)' => q{SELECT antq.unit_label('commune', '02215', 'Phường Minh Xuân')},
	'antq.unit_versions_after(bigint[])' => q{SELECT antq.unit_versions_after(ARRAY[a.old_commune_id]) FROM fixture.args a},
	'antq.units_under(bigint,date)' => q{SELECT u.* FROM fixture.args a, antq.units_under(a.commune_id, '2025-12-31') u},
	'antq.units_under(text,date)' => q{SELECT * FROM antq.units_under('08', '2025-12-31')},
	'antq.verify(text,integer)' => [ q{SELECT * FROM antq.verify('08', 2025)}, q{SELECT * FROM antq.verify()} ],
	'antq.window_end(text,integer)' => q{SELECT antq.window_end('commune', 2025)},
	'antq.window_start(text,integer)' => q{SELECT antq.window_start('residential_area', 2025)},
	'antq.current_year()' => q{SELECT antq.current_year()},
	'antq.reported_share(integer,integer,integer)' => q{SELECT antq.reported_share(3, 4, 1), antq.reported_share(0, 4, 0)},
	'antq.kinds_taking_part(integer)' => q{SELECT * FROM antq.kinds_taking_part(2025)},
	'antq.kind_takes_part(text,text,integer)' => q{SELECT antq.kind_takes_part('district', '08', 2021)},
	'antq.worker_status_raw()' => q{SELECT * FROM antq.worker_status_raw()},
	'antq.year_min()' => q{SELECT antq.year_min()},
	'antq.year_max()' => q{SELECT antq.year_max()},
	'antq.date_min()' => q{SELECT antq.date_min()},
	'antq.date_max()' => q{SELECT antq.date_max()},
	'antq.year_window_hint()' => q{SELECT antq.year_window_hint()},
	'antq.clip(text,integer)' => q{SELECT antq.clip(pg_catalog.repeat('x', 200), 80)},
	'antq.nfc(text)' => q{SELECT antq.nfc(pg_catalog.normalize('Xóm Đồng Tâm', 'NFD'))},
	'antq.residential_sub_kind(text)' => q{SELECT antq.residential_sub_kind('Tiểu khu'), antq.residential_sub_kind('to dan pho')},
	'antq.residential_sub_kinds()' => q{SELECT * FROM antq.residential_sub_kinds()},
	'antq.unit_kinds()' => q{SELECT * FROM antq.unit_kinds()},
	'antq.rating_levels()' => q{SELECT * FROM antq.rating_levels()},
	'antq.term_labels()' => q{SELECT * FROM antq.term_labels()});
# The support functions of each type's operators and hashing, called by name: two values each.
for my $type (['rating', q{'xuat_sac', 'kha'}], ['share', q{'1/2', '1/3'}], ['attainment', q{'++', '+-'}])
{
	my ($t, $values) = @$type;
	my ($first) = split /, /, $values;
	for my $f (grep { $t ne 'attainment' || /^(eq|ne)$/ } qw(cmp eq ne ge gt le lt))
	{
		$calls{"antq.${t}_$f(antq.$t,antq.$t)"} = "SELECT antq.${t}_$f($values)";
	}
	$calls{"antq.${t}_hash(antq.$t)"} = "SELECT antq.${t}_hash($first)";
	$calls{"antq.${t}_hash_extended(antq.$t,bigint)"} = "SELECT antq.${t}_hash_extended($first, 7)";
	$calls{"antq.${t}_send(antq.$t)"} = "SELECT antq.${t}_send($first)";
}

# The analyst API as the catalog has it: what antq_reader may execute (type input, output and
# planner support, which take or give internal or cstring, and triggers are not callable),
# and every view it may read.
my @api = split /\n/, trusted(q{
SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p
 WHERE p.pronamespace OPERATOR(pg_catalog.=) 'antq'::regnamespace
   AND pg_catalog.has_function_privilege('antq_reader', p.oid, 'EXECUTE')
   AND p.prorettype OPERATOR(pg_catalog.<>) ALL (ARRAY['trigger', 'internal', 'cstring']::regtype[])
   AND NOT p.proargtypes::oid[] OPERATOR(pg_catalog.&&) ARRAY['internal', 'cstring']::regtype[]::oid[]
 ORDER BY 1});
my @views = split /\n/, trusted(q{
SELECT c.oid::regclass::text FROM pg_catalog.pg_class c
 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'antq'::regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'v'
   AND pg_catalog.has_table_privilege('antq_reader', c.oid, 'SELECT')
 ORDER BY 1});
my @missing = grep { !exists $calls{$_} } @api;
is(join(', ', @missing), '', 'every function of the analyst API has its calls here');
cmp_ok(scalar(@api), '>', 80, scalar(@api) . ' functions and ' . scalar(@views) . ' views in the analyst API');
my %in_api = map { $_ => 1 } @api;
note("not in the analyst API any more (no longer called): $_") for grep { !$in_api{$_} } sort keys %calls;

my @statements = map { ref $calls{$_} ? @{ $calls{$_} } : $calls{$_} } grep { exists $calls{$_} } @api;
push @statements, map { "SELECT * FROM $_" } @views;
# Operators on antq's types, written as operators: only where antq comes before public (on the
# old path the planted ones answer the caller's own query; hole 2, and why the README changed).
my @operators = (
	q{SELECT 'xuat_sac'::antq.rating >= 'kha', 'kha'::antq.rating < 'xuat_sac', 'kha'::antq.rating = 'kha', 'kha'::antq.rating <> 'yeu'},
	q{SELECT '1/2'::antq.share + '1/3', '1/2'::antq.share > '1/3', '1/2'::antq.share <= '2/4'},
	q{SELECT '++'::antq.attainment = '++', '++'::antq.attainment <> '+-'},
	q{SELECT r.rating >= 'kha' FROM antq.unit_result r});

# Every statement on one path, as one role (none: the superuser); the errors and planted-object
# warnings it printed (how many, and the first 20).
sub call_all
{
	my ($path, $role, @sql) = @_;
	my ($out, $err) = ('', '');
	my $script = "SET search_path = $path;\n" . ($role ? "SET ROLE $role;\n" : '') . "\\set ECHO errors\n";
	$script .= "$_;\n" for @sql;
	$node->psql($db, $script, stdout => \$out, stderr => \$err, on_error_stop => 0);
	my @bad = grep { /ERROR|planted|STATEMENT/ } split /\n/, $err;
	return '' unless @bad;
	return scalar(@bad) . " lines, the first:\n" . join("\n", @bad[0 .. ($#bad < 19 ? $#bad : 19)]);
}

my $round = 0;
for my $name (@path_order)
{
	my $path = $paths{$name};
	set_database_path($path);
	for my $role ('', 'adm', 'wri', 'rdr')
	{
		my @sql = @statements;
		push @sql, @operators if $name eq 'recommended';
		is(call_all($path, $role, @sql), '', "$name path, " . ($role || 'superuser') . ': every call succeeds');
	}

	# Writes: facts and an incident (writer), a unit moved in the tree (writer, the lineage
	# capture queries as the queue owner), a rule changed and changed back (admin, the rules
	# cache reloads everywhere), a captured table of the superuser's truncated, and refreshes.
	my $tag = $name =~ s/\W/_/gr;
	is( call_all(
			$path, 'wri',
			q{UPDATE antq.assessment SET tipoffs = 41 FROM fixture.args a
			   WHERE antq.assessment.unit_id OPERATOR(pg_catalog.=) a.area_id AND antq.assessment.year OPERATOR(pg_catalog.=) 2025},
			qq{INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference)
			   SELECT a.area_id, '2025-08-02', 'crime', 'serious', 'hostile-$tag' FROM fixture.args a},
			qq{SELECT antq.reorganize((antq.unit_at('02215-TDP02', '2025-12-31')).unit_id, '2025-09-0} . ++$round
			  . qq{', NULL, 'Tổ dân phố 2 ($name)')}),
		'',
		"$name path, writer: facts, an incident and a reorganization");
	is( call_all(
			$path, 'adm',
			q{UPDATE antq.criterion SET threshold = 0.99 WHERE set_id OPERATOR(pg_catalog.=) 'tt124-residential_area'
			     AND label OPERATOR(pg_catalog.=) '1-households'},
			q{SELECT antq.classify('commune', '08', 2025, 95::numeric, true)},
			q{UPDATE antq.criterion SET threshold = 1 WHERE set_id OPERATOR(pg_catalog.=) 'tt124-residential_area'
			     AND label OPERATOR(pg_catalog.=) '1-households'},
			q{SELECT antq.refresh('08', 2025)}),
		'',
		"$name path, admin: a rule changed and back, the rules loaded in between, and a refresh");
	is( call_all(
			$path, '',
			qq{CREATE TABLE fixture.extra_$tag (unit_id bigint NOT NULL, year integer NOT NULL)},
			qq{SELECT antq.capture_changes('fixture.extra_$tag', 'unit_id', 'year')},
			qq{INSERT INTO fixture.extra_$tag SELECT a.area_id, 2025 FROM fixture.args a},
			qq{TRUNCATE fixture.extra_$tag},
			q{SELECT antq.refresh('08', 2025)},
			q{SELECT antq.refresh()}),
		'',
		"$name path, superuser: a captured table truncated, refreshes");
	wait_drained("$name path");
	is(trusted(q{SELECT r.tipoffs FROM antq.unit_result r JOIN fixture.args a ON r.unit_id OPERATOR(pg_catalog.=) a.area_id
	             WHERE r.year OPERATOR(pg_catalog.=) 2025}), '41', "$name path: the writer's fact is in the results");
	trusted(q{UPDATE antq.assessment SET tipoffs = 0 FROM fixture.args a
	          WHERE antq.assessment.unit_id OPERATOR(pg_catalog.=) a.area_id AND antq.assessment.year OPERATOR(pg_catalog.=) 2025});
	wait_drained("$name path, the worker's recompute");
	is(trusted(q{SELECT r.tipoffs FROM antq.unit_result r JOIN fixture.args a ON r.unit_id OPERATOR(pg_catalog.=) a.area_id
	             WHERE r.year OPERATOR(pg_catalog.=) 2025}), '0', "$name path: the worker recomputed the change");
}

# No look-alike ran: no row, no sequence step, no warning in the server log (the worker's
# included), and the planting role is not superuser.
is(trusted('SELECT pg_catalog.string_agg(what || \' as \' || by_role || \' in \' || app, \'; \') FROM public.planted_log'),
	'', 'no planted look-alike ran');
is(trusted('SELECT is_called FROM public.planted_hits'), 'f', 'not even in a transaction that rolled back');
my @log = grep { /WARNING:  planted look-alike ran/ } split /\n/, slurp_file($node->logfile, $log_offset);
is(scalar(@log), 0, 'no planted look-alike warned in the server log since the live check, the worker included')
  or diag join("\n", @log[0 .. ($#log < 9 ? $#log : 9)]);
is(trusted(q{SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) 'mallory'}), 'f',
	'the planting role is not superuser');
is(trusted('SELECT pg_catalog.count(*) FROM antq.verify()'), '0', 'the stored results and summaries are the computed ones');

done_testing();
