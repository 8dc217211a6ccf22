/*
 * capture.c — change capture: the statement-level C triggers on fact, registry and rules
 * tables, the transaction's set of touched (province, year) keys, writing that set once into
 * antq.pending at pre-commit, and waking the database's worker at commit.
 *
 * Triggers read the transition tables (REFERENCING OLD TABLE / NEW TABLE) directly, so a COPY
 * of a million rows costs one pass over them and no query per row. A fact row names a unit;
 * its province comes from a backend-local unit_id -> province_code cache filled by a lookup
 * in the primary-key index of antq.unit for each unit it has not seen, and emptied when
 * antq.unit changes (its capture trigger sends a relcache invalidation of antq.unit, which
 * every backend receives).
 *
 * Keys of rolled-back subtransactions stay in the set: a spare recompute is harmless, a missed
 * one is not. The unit lookups and the writes to antq.pending go straight to the table and its
 * indexes, without SQL (no parse, plan or executor start per statement or commit), so writers
 * need no privilege on the queue and row-level security on antq.unit cannot hide a unit's
 * province from the capture. The TRUNCATE path reads the table as the owner of antq.pending.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
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

/* The last range of keys added, so that runs of rows of one province and year skip the hash table. */
static PendingKey last_key;
static int32 last_key_end = 0;
static bool last_key_valid = false;

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

/* Write the transaction's keys into antq.pending, straight into the heap and its indexes; at PRE_COMMIT. */
static void
flush_keys(void)
{
	Oid			nsp = get_namespace_oid("antq", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("pending", nsp) : InvalidOid;
	Relation	rel;
	TupleDesc	desc;
	CatalogIndexState indexes;
	HASH_SEQ_STATUS seq;
	PendingKey *key;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int			i;

	if (!OidIsValid(relid))
		return;					/* the extension was dropped in this transaction */
	rel = table_open(relid, RowExclusiveLock);
	desc = RelationGetDescr(rel);
	if (desc->natts != 3 || TupleDescAttr(desc, 0)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 1)->atttypid != INT4OID || TupleDescAttr(desc, 2)->atttypid != TIMESTAMPTZOID)
		elog(ERROR, "antq.pending does not have the columns (province_code text, year integer, queued_at timestamptz)");
	indexes = CatalogOpenIndexes(rel);
	for (i = 0; i < indexes->ri_NumIndices; i++)
	{
		IndexInfo  *info = indexes->ri_IndexRelationInfo[i];

		if (info->ii_Expressions != NIL || info->ii_Predicate != NIL || info->ii_ExclusionOps != NULL)
			elog(ERROR, "antq.pending may only have plain column indexes");
	}
	values[2] = TimestampTzGetDatum(GetCurrentTimestamp());
	hash_seq_init(&seq, xact_keys);
	while ((key = hash_seq_search(&seq)) != NULL)
	{
		HeapTuple	tup;

		values[0] = CStringGetTextDatum(key->province);
		values[1] = Int32GetDatum(key->year);
		tup = heap_form_tuple(desc, values, nulls);
		CatalogTupleInsertWithInfo(rel, tup, indexes);
		heap_freetuple(tup);
	}
	CatalogCloseIndexes(indexes);
	table_close(rel, NoLock);
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
			last_key_valid = false;
			break;
		case XACT_EVENT_COMMIT:
			if (wake_at_commit)
				antq_wake_database(MyDatabaseId);
			xact_keys = NULL;
			last_key_valid = false;
			wake_at_commit = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
			xact_keys = NULL;
			last_key_valid = false;
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
	/* rows of one province and year come in runs: the same range again adds nothing */
	key.year = first;
	if (last_key_valid && last_key_end == last && memcmp(&last_key, &key, sizeof(key)) == 0)
		return;
	last_key = key;
	last_key_end = last;
	last_key_valid = true;
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

/*
 * Province code of a unit version, read through the primary-key index of antq.unit with the
 * statement's snapshot (no SQL, no row-level security); false when there is no such unit.
 */
static bool
unit_province(int64 unit_id, char *province)
{
	Relation	rel = table_open(unit_cache_relid, AccessShareLock);
	Oid			pkey = RelationGetPrimaryKeyIndex(rel);
	int			unit_att = SPI_fnumber(RelationGetDescr(rel), "unit_id");
	int			province_att = SPI_fnumber(RelationGetDescr(rel), "province_code");
	Snapshot	snapshot = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	ScanKeyData skey;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	if (!OidIsValid(pkey) || unit_att <= 0 || province_att <= 0 ||
		TupleDescAttr(RelationGetDescr(rel), unit_att - 1)->atttypid != INT8OID)
		elog(ERROR, "antq.unit has no bigint primary key unit_id and province_code");
	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(unit_id));
	scan = systable_beginscan(rel, pkey, true, snapshot, 1, &skey);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, province_att, RelationGetDescr(rel), &isnull);

		if (!isnull)
		{
			char	   *code = TextDatumGetCString(d);

			if (strlen(code) < PROVINCE_LEN)
			{
				strcpy(province, code);
				found = true;
			}
			pfree(code);
		}
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/* Queue the keys of one fact row, looking its unit's province up when the cache misses. */
static void
capture_fact(int64 unit_id, int32 first_year, int32 last_year)
{
	HTAB	   *cache = get_unit_cache();
	UnitCacheEntry *e = hash_search(cache, &unit_id, HASH_FIND, NULL);

	if (e == NULL)
	{
		char		province[PROVINCE_LEN];

		/* a unit deleted in the same statement as its facts has no province left to refresh */
		if (!unit_province(unit_id, province))
			return;
		e = hash_search(cache, &unit_id, HASH_ENTER, NULL);
		strcpy(e->province, province);
	}
	add_keys(e->province, first_year, last_year);
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

/* Read one transition table's rows into keys. */
static void
capture_tuplestore(Relation rel, Tuplestorestate *ts,
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
		capture_fact(unit_type == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit),
					 first, last);
	}
	tuplestore_rescan(ts);
	ExecDropSingleTupleTableSlot(slot);
}

/* BEFORE TRUNCATE: queue every key the table's rows touch, with one query. */
static void
capture_truncated(Relation rel, const char *unit_col, const char *period_col)
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
		capture_fact(SPI_gettypeid(desc, 1) == INT8OID ? DatumGetInt64(unit) : (int64) DatumGetInt32(unit),
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
		if (td->tg_oldtable != NULL)
			capture_tuplestore(rel, td->tg_oldtable, unit_att, unit_type, period_att, period_type);
		if (td->tg_newtable != NULL)
			capture_tuplestore(rel, td->tg_newtable, unit_att, unit_type, period_att, period_type);
	}
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
