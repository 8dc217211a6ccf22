/*
 * capture.c — change capture: the statement-level C triggers on fact, registry and rules
 * tables, which hand what each statement touched (a unit's facts over some years, or a whole
 * province) to the transaction's change set (capture_queue.c, written at pre-commit).
 *
 * Triggers read the transition tables (REFERENCING OLD TABLE / NEW TABLE) directly, so a COPY
 * of a million rows costs one pass over them and no query per row. A fact row names a unit;
 * its province comes from unit_province.c (caches, then antq.unit's primary-key index, without
 * SQL, so row-level security on antq.unit cannot hide a unit's province from the capture). A
 * change to antq.unit sends a relcache invalidation of it, which empties every backend's
 * cache, and tells unit_province.c, which outdates the shared cache when it commits. The
 * TRUNCATE path reads the table as the owner of antq.pending. Which calls and tables a
 * capture trigger accepts is capture_guard.c's. What each write queues (the capture rules) is
 * stated once, in docs/architecture.md, "The capture rules".
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "antq.h"
#include "capture.h"

/* GUC antq.capture_first_year: registry and rules changes queue the years from here on. */
static int	capture_first_year = 2013;

PG_FUNCTION_INFO_V1(antq_capture_facts);
PG_FUNCTION_INFO_V1(antq_capture_registry);
PG_FUNCTION_INFO_V1(antq_capture_rules);
PG_FUNCTION_INFO_V1(antq_capture_lineage);

/* Define the capture GUCs. */
void
antq_capture_init(void)
{
	DefineCustomIntVariable("antq.capture_first_year",
							"First year queued for recompute when a unit or a rule changes.",
							"A fact queues its own year; a change to the registry or the rules may affect every year, so it queues this year through next year.",
							&capture_first_year, 2013, 1990, 2100, PGC_SUSET, 0, NULL, NULL, NULL);
	antq_capture_queue_init();
}

/* Switch to the queue owner (saving the caller's identity); error when the queue is gone. */
static void
become_queue_owner(Oid *save_userid, int *save_sec)
{
	Oid			owner = antq_queue_owner();

	if (!OidIsValid(owner))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("antq change capture needs antq.pending, which does not exist")));
	GetUserIdAndSecContext(save_userid, save_sec);
	SetUserIdAndSecContext(owner, *save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
}

/* Current calendar year (local time). */
static int32
current_year(void)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	timestamp2tm(GetCurrentTransactionStartTimestamp(), &tz, &tm, &fsec, NULL, NULL);
	return tm.tm_year;
}

/* Calendar year of a finite date. */
static int32
year_of_date(DateADT d)
{
	int			y,
				m,
				day;

	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return y;
}

/* Queue every province ('*') for every year from antq.capture_first_year through next year. */
static void
queue_every_province(void)
{
	antq_queue_province("*", capture_first_year, current_year() + 1);
}

/* Attribute number of a trigger argument's column, checked against the accepted types. */
static AttrNumber
fact_column(Relation rel, const char *name, Oid type1, Oid type2, Oid *type)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			attno = SPI_fnumber(desc, name);

	if (attno <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("antq capture trigger on %s names column \"%s\", which it does not have",
						RelationGetRelationName(rel), name)));
	*type = TupleDescAttr(desc, attno - 1)->atttypid;
	if (*type != type1 && *type != type2)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column \"%s\" of %s has type %s, which antq capture cannot read",
						name, RelationGetRelationName(rel), format_type_be(*type)),
				 errhint("The unit column must be bigint or integer; the period column integer (a year) or date.")));
	return attno;
}

/*
 * Span of years a fact's period touches: its year and the next (last-year comparisons); a date
 * also the year after (assessment windows straddle years). Rejects a year whose span would not
 * fit an integer.
 */
static void
period_span(Relation rel, int64 unit_id, Datum period, Oid type, int32 *first, int32 *last)
{
	if (type == DATEOID)
	{
		*first = year_of_date(DatumGetDateADT(period));
		*last = *first + 2;
		return;
	}
	*first = DatumGetInt32(period);
	if (*first > PG_INT32_MAX - 3)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("year %d of unit %lld in %s is out of range for antq change capture",
						*first, (long long) unit_id, RelationGetRelationName(rel)),
				 errhint("A year is a calendar year such as 2025.")));
	*last = *first + 1;
}

/*
 * Whether a fact's period lies in the window of years antq accepts (antq.year_min through the
 * current year plus antq.years_ahead, bounds.c), so that no absurd year reaches the worker. The
 * validation triggers refuse other years on antq's own tables with a readable message; a new
 * row outside the window that gets here (a table of the user's, or a write with the triggers
 * off) is refused (new_row), an old one (deleted, updated away or truncated: a row older than
 * the bounds) is not queued, so that it can still be removed.
 */
static bool
period_in_window(Relation rel, int64 unit_id, Datum period, Oid type, bool new_row, int32 first, int32 last)
{
	int32		year = type == DATEOID ? year_of_date(DatumGetDateADT(period)) : DatumGetInt32(period);

	if (first <= year && year <= last)
		return true;
	if (new_row)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("year %d of unit %lld in %s is outside the years antq accepts",
						year, (long long) unit_id, RelationGetRelationName(rel)),
				 errhint("Years run from %d (antq.year_min) to %d (this year plus antq.years_ahead); "
						 "a superuser changes the window with ALTER DATABASE ... SET.", first, last)));
	return false;
}

/*
 * The unit a statement's capture looked up last, and its province: an UPDATE's old and new rows
 * name the same unit one after the other, and the second needs no lookup.
 */
typedef struct LastUnit
{
	bool		known;			/* unit_id was looked up */
	bool		found;			/* and it has a province */
	int64		unit_id;
	char		province[ANTQ_PROVINCE_LEN];
} LastUnit;

/* Read one transition table's rows into keys, through slot; new_rows: it holds new rows, not old. */
static void
capture_tuplestore(Relation rel, Tuplestorestate *ts, bool new_rows, TupleTableSlot *slot, LastUnit *last_unit,
				   AttrNumber unit_att, Oid unit_type, AttrNumber period_att, Oid period_type)
{
	int32		window_first,
				window_last;

	antq_year_window(&window_first, &window_last);
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		unit_null,
					period_null;
		Datum		unit = slot_getattr(slot, unit_att, &unit_null);
		Datum		period = slot_getattr(slot, period_att, &period_null);
		int32		first,
					last;
		int64		unit_id;

		CHECK_FOR_INTERRUPTS();
		if (unit_null || period_null)
			continue;
		if (period_type == DATEOID && DATE_NOT_FINITE(DatumGetDateADT(period)))
			continue;
		unit_id = unit_type == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit);
		period_span(rel, unit_id, period, period_type, &first, &last);
		if (!period_in_window(rel, unit_id, period, period_type, new_rows, window_first, window_last))
			continue;
		if (!last_unit->known || last_unit->unit_id != unit_id)
		{
			last_unit->known = true;
			last_unit->unit_id = unit_id;
			last_unit->found = antq_unit_province(unit_id, last_unit->province);
		}
		/*
		 * A unit the writer cannot see: written by a transaction not yet committed (no foreign
		 * key is checked under session_replication_role = replica), or deleted in the same
		 * statement as its facts. The worker looks it up when it takes the queue row.
		 */
		antq_queue_unit(last_unit->found ? last_unit->province : ANTQ_UNSEEN_UNITS, first, last, unit_id);
	}
	tuplestore_rescan(ts);		/* the loop's last call left the slot empty */
}

/* What a capture does with one row of a query it runs as the queue owner. */
typedef void (*OwnerRowFn) (HeapTuple row, TupleDesc desc, void *arg);

/*
 * Run a read-only query as the owner of antq.pending (row-level security on antq.unit or a
 * fact table must not hide a row from the capture) and hand each row to fn. With td, the
 * statement's transition tables are visible to the query under their trigger names. what
 * names the query in the error raised when it fails. The query runs under the trusted search
 * path, as an index build does: the writer's path must not resolve names for the owner.
 */
static void
owner_rows(TriggerData *td, const char *sql, const char *what, OwnerRowFn fn, void *arg)
{
	uint64		r;
	Oid			save_userid;
	int			save_sec;
	int			nestlevel;

	become_queue_owner(&save_userid, &save_sec);
	nestlevel = antq_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (td != NULL && SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables of %s", RelationGetRelationName(td->tg_relation));
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s", what);
	for (r = 0; r < SPI_processed; r++)
	{
		CHECK_FOR_INTERRUPTS();
		fn(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, arg);
	}
	SPI_finish();
	antq_unpin_search_path(nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec);
}

/* A row (unit, period) of a table about to be truncated: its keys, for every unit. */
static void
truncated_row(HeapTuple row, TupleDesc desc, void *arg)
{
	Relation	rel = (Relation) arg;
	bool		unit_null,
				period_null;
	Datum		unit = SPI_getbinval(row, desc, 1, &unit_null);
	Datum		period = SPI_getbinval(row, desc, 2, &period_null);
	Oid			period_type = SPI_gettypeid(desc, 2);
	int32		first,
				last;
	int64		unit_id;
	char		province[ANTQ_PROVINCE_LEN];
	int32		window_first,
				window_last;

	if (unit_null || period_null ||
		(period_type == DATEOID && DATE_NOT_FINITE(DatumGetDateADT(period))))
		return;
	unit_id = SPI_gettypeid(desc, 1) == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit);
	period_span(rel, unit_id, period, period_type, &first, &last);
	antq_year_window(&window_first, &window_last);
	if (!period_in_window(rel, unit_id, period, period_type, false, window_first, window_last))
		return;
	/* a unit not visible here is looked up by the worker (ANTQ_UNSEEN_UNITS) */
	if (antq_unit_province(unit_id, province))
		antq_queue_province(province, first, last);
	else
		antq_queue_unit(ANTQ_UNSEEN_UNITS, first, last, unit_id);
}

/*
 * BEFORE TRUNCATE: queue the provinces and years of the table's rows as a whole, with one query.
 * TRUNCATE removes every row, not only those the transaction's snapshot shows: under
 * REPEATABLE READ, rows committed after that snapshot would be removed unseen. So the rows are
 * read under the latest snapshot, which shows them all, since TRUNCATE already holds the
 * table's exclusive lock and nobody can be writing it.
 */
static void
capture_truncated(Relation rel, const char *unit_col, const char *period_col)
{
	char	   *sql = psprintf("SELECT DISTINCT t.%s, t.%s FROM %s t",
							   quote_identifier(unit_col), quote_identifier(period_col),
							   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
														  RelationGetRelationName(rel)));

	PushActiveSnapshot(GetLatestSnapshot());
	owner_rows(NULL, sql, psprintf("%s before TRUNCATE", RelationGetRelationName(rel)), truncated_row, rel);
	PopActiveSnapshot();
}

/*
 * Trigger antq.capture_facts(unit_column, period_column): queue the (province, year) keys of
 * the inserted, updated (old and new rows) or deleted fact rows, or of all rows before TRUNCATE.
 */
Datum
antq_capture_facts(PG_FUNCTION_ARGS)
{
	TriggerData *td = antq_capture_trigdata(fcinfo, "antq.capture_facts()", NULL);
	Relation	rel;
	Trigger    *tg;
	Oid			unit_type,
				period_type;
	AttrNumber	unit_att,
				period_att;

	if (td == NULL)
		return PointerGetDatum(NULL);
	rel = td->tg_relation;
	tg = td->tg_trigger;
	if (tg->tgnargs != 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.capture_facts() needs two arguments: the unit column and the period column")));
	unit_att = fact_column(rel, tg->tgargs[0], INT8OID, INT4OID, &unit_type);
	period_att = fact_column(rel, tg->tgargs[1], INT4OID, DATEOID, &period_type);

	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		capture_truncated(rel, tg->tgargs[0], tg->tgargs[1]);
	else
	{
		/* one slot for both tables of an UPDATE: making one costs about as much as reading a row */
		TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);
		LastUnit	last_unit = {.known = false};

		if (td->tg_oldtable != NULL)
			capture_tuplestore(rel, td->tg_oldtable, false, slot, &last_unit, unit_att, unit_type, period_att, period_type);
		if (td->tg_newtable != NULL)
			capture_tuplestore(rel, td->tg_newtable, true, slot, &last_unit, unit_att, unit_type, period_att, period_type);
		ExecDropSingleTupleTableSlot(slot);
	}
	return PointerGetDatum(NULL);
}

/*
 * Clip years first..last (either NULL: open) to the capture range, antq.capture_first_year
 * through next year; false when nothing is left.
 */
static bool
clip_years(bool first_null, int32 first, bool last_null, int32 last, int32 *from_year, int32 *to_year)
{
	*from_year = first_null ? capture_first_year : Max(capture_first_year, first);
	*to_year = last_null ? current_year() + 1 : Min(current_year() + 1, last);
	return *from_year <= *to_year;
}

/*
 * Years a unit version valid from `from` until `to` (first day no longer in force; either NULL:
 * open) takes part in, and the year after its last (which compares with it), clipped to the
 * capture range. False when none.
 */
static bool
unit_years(bool from_null, DateADT from, bool to_null, DateADT to, int32 *first, int32 *last)
{
	bool		from_open = from_null || DATE_NOT_FINITE(from);
	bool		to_open = to_null || DATE_NOT_FINITE(to);

	return clip_years(from_open, from_open ? 0 : year_of_date(from),
					  to_open, to_open ? 0 : year_of_date(to - 1) + 1, first, last);
}

/* Queue a unit version's province for the years it is in force (clipped to the capture range). */
static void
capture_unit_rows(Relation rel, Tuplestorestate *ts)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			province_att = SPI_fnumber(desc, "province_code");
	int			from_att = SPI_fnumber(desc, "valid_from");
	int			to_att = SPI_fnumber(desc, "valid_to");
	TupleTableSlot *slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);

	if (province_att <= 0 || from_att <= 0 || to_att <= 0)
		elog(ERROR, "antq.capture_registry() is for antq.unit");
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull,
					from_null,
					to_null;
		Datum		province = slot_getattr(slot, province_att, &isnull);
		Datum		from = slot_getattr(slot, from_att, &from_null);
		Datum		to = slot_getattr(slot, to_att, &to_null);
		int32		first,
					last;

		CHECK_FOR_INTERRUPTS();
		if (!isnull && unit_years(from_null, DatumGetDateADT(from), to_null, DatumGetDateADT(to), &first, &last))
			antq_queue_province(TextDatumGetCString(province), first, last);
	}
	tuplestore_rescan(ts);
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * Trigger antq.capture_registry() on antq.unit: queue the provinces of the old and new unit
 * versions for the years they are in force, and invalidate every backend's unit cache.
 */
Datum
antq_capture_registry(PG_FUNCTION_ARGS)
{
	TriggerData *td = antq_capture_trigdata(fcinfo, "antq.capture_registry()", "unit");

	if (td == NULL)
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		queue_every_province();
	else
	{
		if (td->tg_oldtable != NULL)
			capture_unit_rows(td->tg_relation, td->tg_oldtable);
		if (td->tg_newtable != NULL)
			capture_unit_rows(td->tg_relation, td->tg_newtable);
	}
	antq_unit_written(TRIGGER_FIRED_BY_INSERT(td->tg_event));
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		CacheInvalidateRelcacheByRelid(RelationGetRelid(td->tg_relation));
	return PointerGetDatum(NULL);
}

/*
 * The union of a statement's transition tables as SQL, selecting `what` from each row r;
 * NULL when the statement has none (TRUNCATE).
 */
static char *
transition_rows(TriggerData *td, const char *what)
{
	Trigger    *tg = td->tg_trigger;

	if (td->tg_oldtable != NULL && td->tg_newtable != NULL)
		return psprintf("SELECT %s FROM %s r UNION ALL SELECT %s FROM %s r",
						what, quote_identifier(tg->tgoldtable), what, quote_identifier(tg->tgnewtable));
	if (td->tg_oldtable != NULL)
		return psprintf("SELECT %s FROM %s r", what, quote_identifier(tg->tgoldtable));
	if (td->tg_newtable != NULL)
		return psprintf("SELECT %s FROM %s r", what, quote_identifier(tg->tgnewtable));
	return NULL;
}

/* One rule set's row (province_code, first_year, last_year): its province and years. */
static void
rule_set_row(HeapTuple row, TupleDesc desc, void *arg)
{
	bool		province_null,
				first_null,
				last_null;
	Datum		province = SPI_getbinval(row, desc, 1, &province_null);
	Datum		first_d = SPI_getbinval(row, desc, 2, &first_null);
	Datum		last_d = SPI_getbinval(row, desc, 3, &last_null);
	int32		first,
				last;

	if (clip_years(first_null, DatumGetInt32(first_d), last_null, DatumGetInt32(last_d), &first, &last))
		antq_queue_province(province_null ? "*" : TextDatumGetCString(province), first, last);
}

/*
 * The rows of a statement's transition tables that changed something a result reads, as SQL
 * of one jsonb column j: each row as jsonb without the columns named in `ignore` (a text[]
 * literal, or NULL), and of an UPDATE only the old and new rows that differ in what is left
 * (the multiset difference both ways: no key needed, and a row whose key changed comes out
 * twice, as it was and as it is). An edit of a title or a legal basis then queues nothing: no
 * evaluation reads them, and it would have cost a national recompute of every year of the set.
 */
static char *
changed_rule_rows(TriggerData *td, const char *ignore)
{
	Trigger    *tg = td->tg_trigger;
	char	   *j = ignore == NULL ? "pg_catalog.to_jsonb(r)"
		: psprintf("pg_catalog.to_jsonb(r) OPERATOR(pg_catalog.-) %s::pg_catalog.text[]", quote_literal_cstr(ignore));

	if (td->tg_oldtable != NULL && td->tg_newtable != NULL)
	{
		const char *o = quote_identifier(tg->tgoldtable);
		const char *n = quote_identifier(tg->tgnewtable);

		return psprintf("(SELECT %s FROM %s r EXCEPT ALL SELECT %s FROM %s r)"
						" UNION ALL (SELECT %s FROM %s r EXCEPT ALL SELECT %s FROM %s r)",
						j, n, j, o, j, o, j, n);
	}
	return transition_rows(td, j);
}

/*
 * Queue the provinces and years the changed rules apply to. Each changed row is, or belongs
 * to (through the trigger's arguments: the scope table and the key column both share), a rule
 * set with province_code (NULL: every province, else a provincial addition) and first_year and
 * last_year (NULL: open): a result reads the rules of its own year only, so no other year can
 * change. `ignore`: the columns of the table no result reads.
 */
static void
capture_rule_rows(TriggerData *td, bool own_years, const char *ignore)
{
	Trigger    *tg = td->tg_trigger;
	char	   *changed = changed_rule_rows(td, ignore);
	char	   *sql;

	if (own_years)
		sql = psprintf("SELECT c.j OPERATOR(pg_catalog.->>) 'province_code',"
					   " (c.j OPERATOR(pg_catalog.->>) 'first_year')::pg_catalog.int4,"
					   " (c.j OPERATOR(pg_catalog.->>) 'last_year')::pg_catalog.int4 FROM (%s) c(j)", changed);
	else
		sql = psprintf("SELECT s.province_code, s.first_year, s.last_year FROM %s s"
					   " WHERE s.%s::pg_catalog.text OPERATOR(pg_catalog.=) ANY"
					   " (ARRAY(SELECT c.j OPERATOR(pg_catalog.->>) %s FROM (%s) c(j)))",
					   tg->tgargs[0], quote_identifier(tg->tgargs[1]), quote_literal_cstr(tg->tgargs[1]), changed);
	owner_rows(td, sql, "the rule sets of changed rules", rule_set_row, NULL);
}

/*
 * Trigger antq.capture_rules([scope table, key column | 'years'] [, ignored columns]): a rule
 * changed. Without arguments (a rules table of the user's, antq.capture_rule_changes), every
 * province ('*') for every year; with 'years', the row's own province and years; with a scope
 * table and key column, those of the rule set the row belongs to. The optional last argument
 * (a text[] literal such as '{title,shipped}') names the columns no result reads: a change to
 * them alone queues nothing. TRUNCATE queues every province.
 */
Datum
antq_capture_rules(PG_FUNCTION_ARGS)
{
	TriggerData *td = antq_capture_trigdata(fcinfo, "antq.capture_rules()", NULL);
	int			nargs;
	bool		own_years;
	int			scope_args;

	if (td == NULL)
		return PointerGetDatum(NULL);
	nargs = td->tg_trigger->tgnargs;
	own_years = nargs >= 1 && strcmp(td->tg_trigger->tgargs[0], "years") == 0;
	scope_args = own_years ? 1 : 2;
	if (nargs != 0 && nargs != scope_args && nargs != scope_args + 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.capture_rules() takes no arguments, or 'years' or a scope table and a key column, then optionally the columns to ignore")));
	if (nargs == 0 || TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		queue_every_province();
	else
		capture_rule_rows(td, own_years, nargs > scope_args ? td->tg_trigger->tgargs[scope_args] : NULL);
	return PointerGetDatum(NULL);
}

/* One unit version (unit_id, province_code, valid_from, valid_to): its province and years. */
static void
successor_row(HeapTuple row, TupleDesc desc, void *arg)
{
	bool		isnull,
				from_null,
				to_null;
	int64		unit_id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
	Datum		province = SPI_getbinval(row, desc, 2, &isnull);
	Datum		from = SPI_getbinval(row, desc, 3, &from_null);
	Datum		to = SPI_getbinval(row, desc, 4, &to_null);
	int32		first,
				last;

	/* a successor not in the registry this writer sees: every year, looked up by the worker */
	if (isnull)
		antq_queue_unit(ANTQ_UNSEEN_UNITS, capture_first_year, current_year() + 1, unit_id);
	else if (unit_years(from_null, DatumGetDateADT(from), to_null, DatumGetDateADT(to), &first, &last))
		antq_queue_unit(TextDatumGetCString(province), first, last, unit_id);
}

/*
 * Queue the successors named by the lineage rows of a statement, and every version that grew
 * out of them in turn: a version's previous year and incidents may come from its predecessors
 * (sql/47_compute.sql), so an added or removed link changes the results of the successor and
 * of its own successors, for the years each is in force. Units are listed by id, so the worker
 * recomputes them and the communes they lie in, not whole provinces. The versions are those
 * antq.unit_versions_after gives, as for the worker's own recompute (sql/60_worker.sql); a
 * successor this writer cannot see (a subscription may copy the links before the units) is
 * queued for the worker to look up.
 */
static void
capture_lineage_rows(TriggerData *td)
{
	char	   *successors = transition_rows(td, "r.successor_id");
	char	   *sql = psprintf("SELECT u.unit_id, u.province_code, u.valid_from, u.valid_to FROM antq.unit u"
							   " WHERE u.unit_id OPERATOR(pg_catalog.=) ANY (antq.unit_versions_after(ARRAY(%s)))"
							   " UNION ALL SELECT s.id, NULL::pg_catalog.text, NULL::pg_catalog.date, NULL::pg_catalog.date"
							   " FROM pg_catalog.unnest(ARRAY(%s)) s(id) WHERE NOT EXISTS"
							   " (SELECT FROM antq.unit u WHERE u.unit_id OPERATOR(pg_catalog.=) s.id)",
							   successors, successors);

	owner_rows(td, sql, "the successors of changed lineage", successor_row, NULL);
}

/*
 * Trigger antq.capture_lineage() on antq.unit_lineage: queue the successors of the added,
 * changed or removed links and their own successors; TRUNCATE queues every province.
 */
Datum
antq_capture_lineage(PG_FUNCTION_ARGS)
{
	TriggerData *td = antq_capture_trigdata(fcinfo, "antq.capture_lineage()", "unit_lineage");

	if (td == NULL)
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		queue_every_province();
	else
		capture_lineage_rows(td);
	return PointerGetDatum(NULL);
}
