/*
 * capture.c — change capture: the statement-level C triggers on fact, registry and rules
 * tables, the transaction's set of touched (province, year) keys, writing that set once into
 * antq.pending at pre-commit, and waking the database's worker at commit.
 *
 * Triggers read the transition tables (REFERENCING OLD TABLE / NEW TABLE) directly, so a COPY
 * of a million rows costs one pass over them and no query per row. A fact row names a unit;
 * its province comes from a backend-local unit_id -> province_code cache filled by one query
 * per statement for the units it has not seen, and emptied when antq.unit changes (its capture
 * trigger sends a relcache invalidation of antq.unit, which every backend receives).
 *
 * Keys of rolled-back subtransactions stay in the set: a spare recompute is harmless, a missed
 * one is not. Writes to antq.pending and the unit lookups run as the owner of antq.pending,
 * so writers need no privilege on the queue and row-level security on antq.unit cannot hide a
 * unit's province from the capture.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "antq.h"
#include "antq_worker.h"

#define PROVINCE_LEN 16			/* province codes are 2 digits; '*' means every province */
#define UNIT_CACHE_MAX 200000	/* entries before the unit cache starts afresh (~10 MB) */

typedef struct PendingKey
{
	char		province[PROVINCE_LEN];
	int32		year;
} PendingKey;

typedef struct UnitCacheEntry
{
	int64		unit_id;
	char		province[PROVINCE_LEN];
} UnitCacheEntry;

typedef struct UnitSpan			/* a fact row whose unit was not in the cache */
{
	int64		unit_id;
	int32		first_year;
	int32		last_year;
} UnitSpan;

/* GUC antq.capture_first_year: registry and rules changes queue the years from here on. */
static int	capture_first_year = 2013;

/*
 * Per-transaction state (backend-local by nature): the touched keys, allocated in
 * TopTransactionContext and forgotten at transaction end, and whether to wake the worker.
 */
static HTAB *xact_keys = NULL;
static bool wake_at_commit = false;
static bool xact_callback_registered = false;

/*
 * Per-backend cache of unit_id -> province_code in CacheMemoryContext; emptied lazily when a
 * relcache invalidation of antq.unit arrives (unit_cache_stale) because the callback may run
 * at awkward moments.
 */
static HTAB *unit_cache = NULL;
static Oid	unit_cache_relid = InvalidOid;
static bool unit_cache_stale = false;
static bool relcache_callback_registered = false;

/* The INSERT into antq.pending, planned once per backend (the plan cache replans it as needed). */
static SPIPlanPtr insert_plan = NULL;

PG_FUNCTION_INFO_V1(antq_capture_facts);
PG_FUNCTION_INFO_V1(antq_capture_registry);
PG_FUNCTION_INFO_V1(antq_capture_rules);
PG_FUNCTION_INFO_V1(antq_wake_worker);

/* Define the capture GUC. */
void
antq_capture_init(void)
{
	DefineCustomIntVariable("antq.capture_first_year",
							"First year queued for recompute when a unit or a rule changes.",
							"A fact queues its own year; a change to the registry or the rules may affect every year, so it queues this year through next year.",
							&capture_first_year, 2013, 1990, 2100, PGC_SUSET, 0, NULL, NULL, NULL);
}

/* Owner of antq.pending, as whom the capture queries and writes; InvalidOid when it is gone. */
static Oid
queue_owner(void)
{
	Oid			nsp = get_namespace_oid("antq", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("pending", nsp) : InvalidOid;
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		return InvalidOid;
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		return InvalidOid;
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Switch to the queue owner (saving the caller's identity); error when the queue is gone. */
static void
become_queue_owner(Oid *save_userid, int *save_sec)
{
	Oid			owner = queue_owner();

	if (!OidIsValid(owner))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("antq change capture needs antq.pending, which does not exist")));
	GetUserIdAndSecContext(save_userid, save_sec);
	SetUserIdAndSecContext(owner, *save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
}

/* Write the transaction's keys into antq.pending as its owner; at PRE_COMMIT. */
static void
flush_keys(void)
{
	HASH_SEQ_STATUS seq;
	PendingKey *key;
	long		n = hash_get_num_entries(xact_keys);
	Datum	   *provinces;
	Datum	   *years;
	Datum		args[2];
	Oid			argtypes[2] = {TEXTARRAYOID, INT4ARRAYOID};
	Oid			save_userid;
	int			save_sec;
	long		i = 0;

	if (!OidIsValid(queue_owner()))
		return;					/* the extension was dropped in this transaction */
	provinces = palloc(sizeof(Datum) * n);
	years = palloc(sizeof(Datum) * n);
	hash_seq_init(&seq, xact_keys);
	while ((key = hash_seq_search(&seq)) != NULL)
	{
		provinces[i] = CStringGetTextDatum(key->province);
		years[i] = Int32GetDatum(key->year);
		i++;
	}
	args[0] = PointerGetDatum(construct_array(provinces, n, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = PointerGetDatum(construct_array(years, n, INT4OID, 4, true, TYPALIGN_INT));

	become_queue_owner(&save_userid, &save_sec);
	PushActiveSnapshot(GetTransactionSnapshot());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (insert_plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare("INSERT INTO antq.pending (province_code, year, queued_at) "
									   "SELECT k.p, k.y, pg_catalog.clock_timestamp() "
									   "FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) AS k(p, y)",
									   2, argtypes);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "could not plan the insert into antq.pending");
		insert_plan = plan;
	}
	if (SPI_execute_plan(insert_plan, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not queue keys in antq.pending");
	SPI_finish();
	PopActiveSnapshot();
	SetUserIdAndSecContext(save_userid, save_sec);
	wake_at_commit = true;
}

/* Transaction callback: write the keys at pre-commit, wake the worker at commit. */
static void
capture_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (xact_keys != NULL && hash_get_num_entries(xact_keys) > 0)
				flush_keys();
			xact_keys = NULL;
			break;
		case XACT_EVENT_COMMIT:
			if (wake_at_commit)
				antq_wake_database(MyDatabaseId);
			xact_keys = NULL;
			wake_at_commit = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
			xact_keys = NULL;
			wake_at_commit = false;
			break;
		default:
			break;
	}
}

/* Make sure the transaction callback is registered in this backend. */
static void
ensure_xact_callback(void)
{
	if (!xact_callback_registered)
	{
		RegisterXactCallback(capture_xact_callback, NULL);
		xact_callback_registered = true;
	}
}

/* Add (province, year) for each year in [first, last] to the transaction's set. */
static void
add_keys(const char *province, int32 first, int32 last)
{
	PendingKey	key;
	int32		y;

	if (xact_keys == NULL)
	{
		HASHCTL		ctl;

		ensure_xact_callback();
		ctl.keysize = sizeof(PendingKey);
		ctl.entrysize = sizeof(PendingKey);
		ctl.hcxt = TopTransactionContext;
		xact_keys = hash_create("antq touched keys", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	if (strlen(province) >= PROVINCE_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("province code \"%s\" is too long for the antq change queue", province),
				 errhint("Province codes have 2 digits.")));
	memset(&key, 0, sizeof(key));
	strcpy(key.province, province);
	for (y = first; y <= last; y++)
	{
		key.year = y;
		(void) hash_search(xact_keys, &key, HASH_ENTER, NULL);
	}
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

/* Relcache callback: antq.unit changed somewhere, so the unit cache may be stale. */
static void
unit_cache_inval(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == unit_cache_relid)
		unit_cache_stale = true;
}

/* The unit cache, created or emptied as needed. */
static HTAB *
get_unit_cache(void)
{
	if (unit_cache != NULL && (unit_cache_stale || hash_get_num_entries(unit_cache) > UNIT_CACHE_MAX))
	{
		hash_destroy(unit_cache);
		unit_cache = NULL;
	}
	if (unit_cache == NULL)
	{
		HASHCTL		ctl;
		Oid			nsp = get_namespace_oid("antq", false);

		if (!relcache_callback_registered)
		{
			CacheRegisterRelcacheCallback(unit_cache_inval, (Datum) 0);
			relcache_callback_registered = true;
		}
		unit_cache_relid = get_relname_relid("unit", nsp);
		unit_cache_stale = false;
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(UnitCacheEntry);
		ctl.hcxt = CacheMemoryContext;
		unit_cache = hash_create("antq unit provinces", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	return unit_cache;
}

/* Look up the provinces of the missed units in one query and queue their keys. */
static void
resolve_missed(HTAB *missed)
{
	HASH_SEQ_STATUS seq;
	UnitSpan   *span;
	long		n = hash_get_num_entries(missed);
	Datum	   *ids = palloc(sizeof(Datum) * n);
	Datum		arg;
	Oid			argtype = INT8ARRAYOID;
	HTAB	   *cache = get_unit_cache();
	Oid			save_userid;
	int			save_sec;
	long		i = 0;
	uint64		r;

	hash_seq_init(&seq, missed);
	while ((span = hash_seq_search(&seq)) != NULL)
		ids[i++] = Int64GetDatum(span->unit_id);
	arg = PointerGetDatum(construct_array(ids, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));

	become_queue_owner(&save_userid, &save_sec);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT DISTINCT u.unit_id, u.province_code FROM antq.unit u "
							  "WHERE u.unit_id OPERATOR(pg_catalog.=) ANY ($1)",
							  1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the provinces of units");
	for (r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		int64		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull));
		char	   *province = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2);
		UnitCacheEntry *e;

		if (province == NULL || strlen(province) >= PROVINCE_LEN)
			continue;
		e = hash_search(cache, &id, HASH_ENTER, NULL);
		strcpy(e->province, province);
	}
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);

	hash_seq_init(&seq, missed);
	while ((span = hash_seq_search(&seq)) != NULL)
	{
		UnitCacheEntry *e = hash_search(cache, &span->unit_id, HASH_FIND, NULL);

		/* a unit deleted in the same statement as its facts has no province left to refresh */
		if (e != NULL)
			add_keys(e->province, span->first_year, span->last_year);
	}
}

/* Queue the keys of one fact row, or remember its unit for resolve_missed. */
static void
capture_fact(HTAB *missed, int64 unit_id, int32 first_year, int32 last_year)
{
	UnitCacheEntry *e = hash_search(get_unit_cache(), &unit_id, HASH_FIND, NULL);

	if (e != NULL)
		add_keys(e->province, first_year, last_year);
	else
	{
		UnitSpan	span;

		memset(&span, 0, sizeof(span));
		span.unit_id = unit_id;
		span.first_year = first_year;
		span.last_year = last_year;
		(void) hash_search(missed, &span, HASH_ENTER, NULL);
	}
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

/* Span of years a fact's period touches: its year and the next (last-year comparisons); a date also the year after (assessment windows straddle years). */
static void
period_span(Datum period, Oid type, int32 *first, int32 *last)
{
	if (type == DATEOID)
	{
		*first = year_of_date(DatumGetDateADT(period));
		*last = *first + 2;
	}
	else
	{
		*first = DatumGetInt32(period);
		*last = *first + 1;
	}
}

/* Read one transition table's rows into keys (or misses). */
static void
capture_tuplestore(Relation rel, Tuplestorestate *ts, HTAB *missed,
				   AttrNumber unit_att, Oid unit_type, AttrNumber period_att, Oid period_type)
{
	TupleTableSlot *slot = MakeSingleTupleTableSlot(RelationGetDescr(rel), &TTSOpsMinimalTuple);

	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		unit_null,
					period_null;
		Datum		unit = slot_getattr(slot, unit_att, &unit_null);
		Datum		period = slot_getattr(slot, period_att, &period_null);
		int32		first,
					last;

		CHECK_FOR_INTERRUPTS();
		if (unit_null || period_null)
			continue;
		if (period_type == DATEOID && DATE_NOT_FINITE(DatumGetDateADT(period)))
			continue;
		period_span(period, period_type, &first, &last);
		capture_fact(missed, unit_type == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit),
					 first, last);
	}
	tuplestore_rescan(ts);
	ExecDropSingleTupleTableSlot(slot);
}

/* BEFORE TRUNCATE: queue every key the table's rows touch, with one query. */
static void
capture_truncated(Relation rel, HTAB *missed, const char *unit_col, const char *period_col)
{
	char	   *sql = psprintf("SELECT DISTINCT t.%s, t.%s FROM %s t",
							   quote_identifier(unit_col), quote_identifier(period_col),
							   quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
														  RelationGetRelationName(rel)));
	uint64		r;
	Oid			save_userid;
	int			save_sec;

	become_queue_owner(&save_userid, &save_sec);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s before TRUNCATE", RelationGetRelationName(rel));
	for (r = 0; r < SPI_processed; r++)
	{
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		unit_null,
					period_null;
		Datum		unit = SPI_getbinval(SPI_tuptable->vals[r], desc, 1, &unit_null);
		Datum		period = SPI_getbinval(SPI_tuptable->vals[r], desc, 2, &period_null);
		Oid			period_type = SPI_gettypeid(desc, 2);
		int32		first,
					last;

		CHECK_FOR_INTERRUPTS();
		if (unit_null || period_null ||
			(period_type == DATEOID && DATE_NOT_FINITE(DatumGetDateADT(period))))
			continue;
		period_span(period, period_type, &first, &last);
		capture_fact(missed, SPI_gettypeid(desc, 1) == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit),
					 first, last);
	}
	SPI_finish();
	SetUserIdAndSecContext(save_userid, save_sec);
}

/* Check that a capture trigger is called as a statement-level trigger. */
static TriggerData *
capture_trigdata(FunctionCallInfo fcinfo, const char *fname)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be called as a FOR EACH STATEMENT trigger", fname),
				 errhint("Attach it with antq.capture_changes(table, unit_column, period_column).")));
	return td;
}

/*
 * Trigger antq.capture_facts(unit_column, period_column): queue the (province, year) keys of
 * the inserted, updated (old and new rows) or deleted fact rows, or of all rows before TRUNCATE.
 */
Datum
antq_capture_facts(PG_FUNCTION_ARGS)
{
	TriggerData *td = capture_trigdata(fcinfo, "antq.capture_facts()");
	Relation	rel = td->tg_relation;
	Trigger    *tg = td->tg_trigger;
	Oid			unit_type,
				period_type;
	AttrNumber	unit_att,
				period_att;
	HASHCTL		ctl;
	HTAB	   *missed;

	if (tg->tgnargs != 2)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.capture_facts() needs two arguments: the unit column and the period column")));
	unit_att = fact_column(rel, tg->tgargs[0], INT8OID, INT4OID, &unit_type);
	period_att = fact_column(rel, tg->tgargs[1], INT4OID, DATEOID, &period_type);

	ctl.keysize = sizeof(UnitSpan);
	ctl.entrysize = sizeof(UnitSpan);
	ctl.hcxt = CurrentMemoryContext;
	missed = hash_create("antq missed units", 256, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);

	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		capture_truncated(rel, missed, tg->tgargs[0], tg->tgargs[1]);
	else
	{
		if (td->tg_oldtable != NULL)
			capture_tuplestore(rel, td->tg_oldtable, missed, unit_att, unit_type, period_att, period_type);
		if (td->tg_newtable != NULL)
			capture_tuplestore(rel, td->tg_newtable, missed, unit_att, unit_type, period_att, period_type);
	}
	if (hash_get_num_entries(missed) > 0)
		resolve_missed(missed);
	hash_destroy(missed);
	return PointerGetDatum(NULL);
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
	int32		last_allowed = current_year() + 1;

	if (province_att <= 0 || from_att <= 0 || to_att <= 0)
		elog(ERROR, "antq.capture_registry() is for antq.unit");
	tuplestore_rescan(ts);
	while (tuplestore_gettupleslot(ts, true, false, slot))
	{
		bool		isnull;
		Datum		province = slot_getattr(slot, province_att, &isnull);
		Datum		d;
		int32		first = capture_first_year,
					last = last_allowed;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		d = slot_getattr(slot, from_att, &isnull);
		if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
			first = Max(first, year_of_date(DatumGetDateADT(d)));
		d = slot_getattr(slot, to_att, &isnull);
		if (!isnull && !DATE_NOT_FINITE(DatumGetDateADT(d)))
			last = Min(last, year_of_date(DatumGetDateADT(d) - 1) + 1);
		if (first <= last)
			add_keys(TextDatumGetCString(province), first, last);
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
	TriggerData *td = capture_trigdata(fcinfo, "antq.capture_registry()");

	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		add_keys("*", capture_first_year, current_year() + 1);
	else
	{
		if (td->tg_oldtable != NULL)
			capture_unit_rows(td->tg_relation, td->tg_oldtable);
		if (td->tg_newtable != NULL)
			capture_unit_rows(td->tg_relation, td->tg_newtable);
	}
	if (!TRIGGER_FIRED_BY_INSERT(td->tg_event))
		CacheInvalidateRelcacheByRelid(RelationGetRelid(td->tg_relation));
	return PointerGetDatum(NULL);
}

/* Trigger antq.capture_rules(): a rule changed, so queue every province ('*') for every year. */
Datum
antq_capture_rules(PG_FUNCTION_ARGS)
{
	(void) capture_trigdata(fcinfo, "antq.capture_rules()");
	add_keys("*", capture_first_year, current_year() + 1);
	return PointerGetDatum(NULL);
}

/* antq.wake_worker(): wake (or have the launcher start) this database's worker at commit. */
Datum
antq_wake_worker(PG_FUNCTION_ARGS)
{
	ensure_xact_callback();
	wake_at_commit = true;
	PG_RETURN_VOID();
}
