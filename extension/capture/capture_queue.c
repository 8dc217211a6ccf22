/*
 * capture_queue.c — the transaction's change set and the change queue: the capture triggers
 * (capture.c) add what each statement touched; at pre-commit the set is written into
 * antq.pending as one row per (province, range of years), naming the units whose facts changed
 * when there are few enough; at commit the database's worker is woken.
 *
 * A province's year ranges are merged as they come (ranges that overlap or touch become one),
 * so a transaction writes one queue row per province in the common case, and the queue has
 * no index to maintain: writers append one heap row and nothing else. Unit ids are collected
 * per province in an array that is sorted and made distinct when it fills up; once the
 * province has more than antq.capture_unit_limit distinct units the list is dropped and no
 * more ids are collected (a bulk load pays one comparison per row from then on).
 *
 * Changes of rolled-back subtransactions stay in the set: a spare recompute is harmless, a
 * missed one is not.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "antq.h"
#include "antq_worker.h"
#include "capture.h"

#define UNIT_LIMIT_MAX 100000	/* a queue row of 100,000 ids is 800 kB: more is a bulk load */

/* Years of one province to recompute. */
typedef struct YearRange
{
	int32		first;
	int32		last;			/* inclusive */
	bool		whole;			/* not only the listed units: every unit of the province */
} YearRange;

/* What the transaction changed in one province ('*': every province; '?': units to look up). */
typedef struct ChangedProvince
{
	char		province[ANTQ_PROVINCE_LEN];
	YearRange  *ranges;			/* pairwise neither overlapping nor touching */
	int			nranges;
	int			maxranges;
	int			last_range;		/* index of the range added last: runs of rows repeat it */
	int64	   *units;			/* unit ids; duplicates removed when the array fills up */
	int			nunits;
	int			maxunits;
	bool		all_units;		/* over antq.capture_unit_limit (or it is 0): list no ids */
} ChangedProvince;

/* GUC antq.capture_unit_limit: most units of one province a transaction lists by id. */
static int	capture_unit_limit = 1000;

/*
 * Per-transaction state (backend-local by nature): the changed provinces, allocated in
 * TopTransactionContext and forgotten at transaction end, and whether to wake the worker.
 */
static ChangedProvince **changed = NULL;
static int	nchanged = 0;
static int	maxchanged = 0;
static ChangedProvince *last_changed = NULL;
static bool wake_at_commit = false;
static bool xact_callback_registered = false;

PG_FUNCTION_INFO_V1(antq_wake_worker);
PG_FUNCTION_INFO_V1(antq_queue_units);

/* Define the GUC of the change set. */
void
antq_capture_queue_init(void)
{
	DefineCustomIntVariable("antq.capture_unit_limit",
							"Most units of one province a transaction lists by id in antq.pending.",
							"A transaction that changes the facts of more units of a province queues the whole province for the years it touched; 0 never lists units.",
							&capture_unit_limit, 1000, 0, UNIT_LIMIT_MAX, PGC_SUSET, 0, NULL, NULL, NULL);
}

/* Forget the transaction's change set (its memory goes with TopTransactionContext). */
static void
forget_changes(void)
{
	changed = NULL;
	nchanged = 0;
	maxchanged = 0;
	last_changed = NULL;
}

/* qsort comparator of unit ids. */
static int
cmp_unit(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/* qsort comparator of year ranges, by first year. */
static int
cmp_range(const void *a, const void *b)
{
	int32		x = ((const YearRange *) a)->first;
	int32		y = ((const YearRange *) b)->first;

	return (x > y) - (x < y);
}

/* Sort the province's unit ids and remove duplicates; give the list up when over the limit. */
static void
compact_units(ChangedProvince *p)
{
	int			i,
				n = 0;

	if (p->all_units)
		return;
	qsort(p->units, p->nunits, sizeof(int64), cmp_unit);
	for (i = 0; i < p->nunits; i++)
		if (n == 0 || p->units[n - 1] != p->units[i])
			p->units[n++] = p->units[i];
	p->nunits = n;
	if (n > capture_unit_limit)
	{
		p->all_units = true;
		pfree(p->units);
		p->units = NULL;
		p->nunits = p->maxunits = 0;
	}
}

/* Add a unit id to the province's list, unless the list was given up. */
static void
add_unit(ChangedProvince *p, int64 unit_id)
{
	if (p->all_units)
		return;
	/* the old and new rows of an update name the same unit one after the other */
	if (p->nunits > 0 && p->units[p->nunits - 1] == unit_id)
		return;
	if (p->nunits == p->maxunits)
	{
		compact_units(p);
		if (p->all_units)
			return;
		if (p->nunits > p->maxunits / 2)
		{
			p->maxunits *= 2;
			p->units = repalloc(p->units, p->maxunits * sizeof(int64));
		}
	}
	p->units[p->nunits++] = unit_id;
}

/* Whether two year ranges overlap or touch (2024-2025 and 2026-2027 touch). */
static inline bool
ranges_meet(const YearRange *a, int32 first, int32 last)
{
	return a->first <= last + 1 && first <= a->last + 1;
}

/* Add years first..last to the province, merging with every range they overlap or touch. */
static void
add_range(ChangedProvince *p, int32 first, int32 last, bool whole)
{
	YearRange  *r;
	int			i,
				j;

	if (p->last_range >= 0)
	{
		r = &p->ranges[p->last_range];
		if (r->first <= first && last <= r->last && (r->whole || !whole))
			return;
	}
	for (i = 0; i < p->nranges; i++)
		if (ranges_meet(&p->ranges[i], first, last))
			break;
	if (i == p->nranges)
	{
		if (p->nranges == p->maxranges)
		{
			p->maxranges *= 2;
			p->ranges = repalloc(p->ranges, p->maxranges * sizeof(YearRange));
		}
		p->ranges[i].first = first;
		p->ranges[i].last = last;
		p->ranges[i].whole = whole;
		p->nranges++;
		p->last_range = i;
		return;
	}
	r = &p->ranges[i];
	r->first = Min(r->first, first);
	r->last = Max(r->last, last);
	r->whole |= whole;
	/* the widened range may now meet others: absorb them, starting over after each */
	for (j = 0; j < p->nranges;)
	{
		YearRange  *o = &p->ranges[j];

		if (j == i || !ranges_meet(r, o->first, o->last))
		{
			j++;
			continue;
		}
		r->first = Min(r->first, o->first);
		r->last = Max(r->last, o->last);
		r->whole |= o->whole;
		p->ranges[j] = p->ranges[--p->nranges];
		if (i == p->nranges)
			i = j;				/* r itself was the last range and has moved into slot j */
		r = &p->ranges[i];
		j = 0;
	}
	p->last_range = i;
}

/*
 * antq.pending's OID, kept between transactions (looking it up by name cost two catalog
 * searches at every commit) and forgotten at any relcache invalidation of it: a DROP, a
 * rename or an ALTER of the table sends one, also to the backend's own later commands.
 * pending_checked: its columns and indexes were checked since it was last looked up.
 */
static Oid	pending_relid = InvalidOid;
static bool pending_checked = false;
static bool pending_callback_registered = false;

/* Relcache callback: antq.pending (or every relation) was invalidated. */
static void
pending_inval(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == pending_relid)
	{
		pending_relid = InvalidOid;
		pending_checked = false;
	}
}

/* OID of antq.pending; InvalidOid when it does not exist (the extension is not, or no longer, there). */
Oid
antq_pending_relid(void)
{
	Oid			nsp;

	if (OidIsValid(pending_relid))
		return pending_relid;
	if (!pending_callback_registered)
	{
		CacheRegisterRelcacheCallback(pending_inval, (Datum) 0);
		pending_callback_registered = true;
	}
	nsp = get_namespace_oid("antq", true);
	pending_relid = OidIsValid(nsp) ? get_relname_relid("pending", nsp) : InvalidOid;
	pending_checked = false;
	return pending_relid;
}

/* Refuse an antq.pending whose rows flush_changes cannot write: other columns. */
static void
check_pending(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (desc->natts != 5 || TupleDescAttr(desc, 0)->atttypid != TEXTOID ||
		TupleDescAttr(desc, 1)->atttypid != INT4OID || TupleDescAttr(desc, 2)->atttypid != INT4OID ||
		TupleDescAttr(desc, 3)->atttypid != INT8ARRAYOID || TupleDescAttr(desc, 4)->atttypid != TIMESTAMPTZOID)
		elog(ERROR, "antq.pending does not have the columns (province_code text, first_year integer, last_year integer, unit_ids bigint[], queued_at timestamptz)");
}

/* A queue row to write: a range of a changed province. */
typedef struct QueueRow
{
	ChangedProvince *p;
	YearRange  *range;
	bool		whole;
} QueueRow;

/*
 * Insert the rows through the table access method, and maintain the table's indexes, if
 * someone added one, as the executor does (the table has none: sql/50_pending.sql). No
 * trigger fires: the queue has none on INSERT.
 */
static void
insert_rows(Relation rel, QueueRow *rows, int nrows)
{
	TupleTableSlot *slot = table_slot_create(rel, NULL);
	CommandId	cid = GetCurrentCommandId(true);
	TimestampTz now = GetCurrentTimestamp();
	EState	   *estate = NULL;
	ResultRelInfo *rri = NULL;
	int			i,
				k;

	if (rel->rd_rel->relhasindex)
	{
		estate = CreateExecutorState();
		estate->es_output_cid = cid;
		rri = makeNode(ResultRelInfo);
		InitResultRelInfo(rri, rel, 1, NULL, 0);
		ExecOpenIndices(rri, false);
	}
	for (i = 0; i < nrows; i++)
	{
		ChangedProvince *p = rows[i].p;

		ExecClearTuple(slot);
		slot->tts_values[0] = CStringGetTextDatum(p->province);
		slot->tts_values[1] = Int32GetDatum(rows[i].range->first);
		slot->tts_values[2] = Int32GetDatum(rows[i].range->last);
		slot->tts_isnull[0] = slot->tts_isnull[1] = slot->tts_isnull[2] = slot->tts_isnull[4] = false;
		slot->tts_isnull[3] = rows[i].whole;
		slot->tts_values[3] = (Datum) 0;
		if (!rows[i].whole)
		{
			Datum	   *d = palloc(Max(p->nunits, 1) * sizeof(Datum));

			for (k = 0; k < p->nunits; k++)
				d[k] = Int64GetDatum(p->units[k]);
			slot->tts_values[3] = PointerGetDatum(construct_array(d, p->nunits, INT8OID, sizeof(int64),
																  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
			pfree(d);
		}
		slot->tts_values[4] = TimestampTzGetDatum(now);
		ExecStoreVirtualTuple(slot);
		table_tuple_insert(rel, slot, cid, 0, NULL);
		if (rri != NULL && rri->ri_NumIndices > 0)
		{
			ResetPerTupleExprContext(estate);
			(void) ExecInsertIndexTuples(rri, slot, estate, false, false, NULL, NIL);
		}
	}
	if (rri != NULL)
	{
		ExecCloseIndices(rri);
		FreeExecutorState(estate);
	}
	ExecDropSingleTupleTableSlot(slot);
}

/*
 * Write the change set into antq.pending; at pre-commit (preparing: at PREPARE TRANSACTION).
 * A range whose keys are all queued as a whole already is not written (capture_cover.c),
 * except when preparing.
 */
static void
flush_changes(bool preparing)
{
	Oid			relid = antq_pending_relid();
	Relation	rel;
	QueueRow   *rows;
	int			nrows = 0,
				i,
				k;

	if (!OidIsValid(relid))
		return;					/* the extension was dropped in this transaction */
	if (nchanged == 0)
		return;

	/*
	 * The queue's lock first, before relying on any cover: a taker waits for the writers that
	 * rely on a key it clears in a loop the deadlock detector cannot see (capture_cover.c), so a
	 * writer must never wait for a lock a taker may hold once it relies on one.
	 */
	LockRelationOid(relid, RowExclusiveLock);
	for (i = 0; i < nchanged; i++)
		nrows += changed[i]->nranges;
	rows = palloc(sizeof(QueueRow) * Max(nrows, 1));
	nrows = 0;
	for (i = 0; i < nchanged; i++)
	{
		ChangedProvince *p = changed[i];

		bool		unseen = strcmp(p->province, ANTQ_UNSEEN_UNITS) == 0;

		compact_units(p);
		/* too many units to look up one by one: every province, as a rules change queues */
		if (unseen && p->all_units)
			strcpy(p->province, "*");
		qsort(p->ranges, p->nranges, sizeof(YearRange), cmp_range);
		for (k = 0; k < p->nranges; k++)
		{
			YearRange  *r = &p->ranges[k];
			CoverRow	c;

			/* units to look up have no key that could cover them, nor one to mark covered */
			if (unseen)
				c = p->all_units ? COVER_WHOLE : COVER_UNITS;
			else
				c = antq_cover_row(relid, p->province, r->first, r->last, p->all_units || r->whole,
								   p->nunits, capture_unit_limit, !preparing);

			if (c == COVER_SKIP)
				continue;
			rows[nrows].p = p;
			rows[nrows].range = r;
			rows[nrows].whole = (c == COVER_WHOLE);
			nrows++;
		}
	}
	if (nrows == 0)
		return;

	rel = table_open(relid, RowExclusiveLock);
	if (!pending_checked)
	{
		check_pending(rel);
		pending_checked = true;
	}
	insert_rows(rel, rows, nrows);
	table_close(rel, NoLock);
	wake_at_commit = true;
}

/* Transaction callback: write the change set at pre-commit, wake the worker at commit. */
static void
capture_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			if (nchanged > 0)
				flush_changes(event == XACT_EVENT_PRE_PREPARE);
			forget_changes();
			break;
		case XACT_EVENT_COMMIT:
			antq_cover_at_commit();
			if (wake_at_commit)
				antq_wake_database(MyDatabaseId);
			forget_changes();
			wake_at_commit = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
			antq_cover_forget();
			forget_changes();
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

/* The transaction's entry of a province, created empty when new. */
static ChangedProvince *
changed_province(const char *province)
{
	MemoryContext old;
	ChangedProvince *p;
	int			i;

	if (last_changed != NULL && strcmp(last_changed->province, province) == 0)
		return last_changed;
	for (i = 0; i < nchanged; i++)
		if (strcmp(changed[i]->province, province) == 0)
			return last_changed = changed[i];

	if (strlen(province) >= ANTQ_PROVINCE_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("province code \"%s\" is too long for the antq change queue", province),
				 errhint("Province codes have 2 digits.")));
	ensure_xact_callback();
	old = MemoryContextSwitchTo(TopTransactionContext);
	if (nchanged == maxchanged)
	{
		maxchanged = Max(8, 2 * maxchanged);
		changed = changed == NULL ? palloc(maxchanged * sizeof(ChangedProvince *))
			: repalloc(changed, maxchanged * sizeof(ChangedProvince *));
	}
	p = palloc0(sizeof(ChangedProvince));
	strcpy(p->province, province);
	p->maxranges = 4;
	p->ranges = palloc(p->maxranges * sizeof(YearRange));
	p->last_range = -1;
	p->all_units = (capture_unit_limit == 0);
	if (!p->all_units)
	{
		p->maxunits = 16;
		p->units = palloc(p->maxunits * sizeof(int64));
	}
	MemoryContextSwitchTo(old);
	changed[nchanged++] = p;
	return last_changed = p;
}

/* Queue years first..last of a province for a change of unit_id's facts. */
void
antq_queue_unit(const char *province, int32 first, int32 last, int64 unit_id)
{
	ChangedProvince *p = changed_province(province);

	add_range(p, first, last, false);
	add_unit(p, unit_id);
}

/* Queue years first..last of a province as a whole (registry, rules, TRUNCATE). */
void
antq_queue_province(const char *province, int32 first, int32 last)
{
	add_range(changed_province(province), first, last, true);
}

/* antq.wake_worker(): wake (or have the launcher start) this database's worker at commit. */
Datum
antq_wake_worker(PG_FUNCTION_ARGS)
{
	ensure_xact_callback();
	wake_at_commit = true;
	PG_RETURN_VOID();
}

/*
 * antq.queue_units(province, year, unit ids): queue the listed units of a province for one
 * year in the current transaction's change set, as a change of their facts would: written into
 * antq.pending at pre-commit, the worker woken at commit. For the worker's own recompute, which
 * finds versions in another province that grew out of the units it recomputes (their results
 * read their predecessors' facts) and hands them on instead of taking that province's lock.
 * Returns the number of ids queued.
 */
Datum
antq_queue_units(PG_FUNCTION_ARGS)
{
	char	   *province = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int32		year = PG_GETARG_INT32(1);
	ArrayType  *ids = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	if (strcmp(province, "*") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("antq.queue_units() queues the units of one province, not *")));
	deconstruct_array(ids, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("antq.queue_units() takes no NULL unit id")));
	for (i = 0; i < n; i++)
		antq_queue_unit(province, year, year, DatumGetInt64(elems[i]));
	PG_RETURN_INT32(n);
}
