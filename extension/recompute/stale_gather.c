/*
 * stale_gather.c — the first half of antq.results_stale (stale.h): one sequential scan of each
 * table a unit's result reads, keeping per unit only where its rows are (TIDs) and the few
 * values summed or aggregated over several rows. The rows themselves are fetched again, one
 * unit at a time, when it is evaluated (stale_results.c): holding 1.1M assessment rows would
 * cost gigabytes, their TIDs 12 MB.
 *
 * What is taken from where mirrors the SQL path's q_plain in sql/47_compute.sql; each step says
 * which part of it.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

#include "id_index.h"
#include "stale.h"
#include "table_read.h"



/* The kinds taking part, as units_taking_part in sql/47_compute.sql lists them, and each one's
 * place among the kinds a commune's criterion 4 counts (-1: not counted). */
static const char *const kind_names[STALE_KINDS] = {"residential_area", "commune", "agency", "enterprise", "school", "district"};
static const int8 counted_kinds[STALE_KINDS] = {0, -1, 1, 2, 3, -1};
/* the kinds a unit's commune_code and district_code name (StaleArea) */
static const bool area_kinds[STALE_KINDS] = {false, true, false, false, false, true};

/* Distinct names (sub-kinds, provinces) are few (MAX_NAMES): kept once each, found by a linear
 * search that starts with the last one found, as the units of a province lie together. */

/* The 1-based index of name among the kept names, keeping it when new; 0 when too many. */
static uint16
intern(StaleInputs *in, int *last, Datum name)
{
	int			i;

	if (*last < in->nnames && stale_text_same(in->names[*last], name))
		return *last + 1;
	for (i = 0; i < in->nnames; i++)
		if (stale_text_same(in->names[i], name))
		{
			*last = i;
			return i + 1;
		}
	if (in->nnames == MAX_NAMES)
		return 0;
	in->names[in->nnames] = datumCopy(name, false, -1);
	*last = in->nnames;
	return ++in->nnames;
}

void
stale_add(StaleInputs *in, int64 id)
{
	if (in->nstale == in->maxstale)
	{
		in->maxstale *= 2;
		in->stale = repalloc_huge(in->stale, sizeof(int64) * in->maxstale);
	}
	in->stale[in->nstale++] = id;
}

int
stale_unit_index(const StaleInputs *in, int64 id)
{
	return id_index_get(&in->unit_index, id);
}

const StaleArea *
stale_area(const StaleInputs *in, int64 id)
{
	int32		i = id_index_get(&in->area_index, id);

	return i >= 0 ? &in->areas[i] : NULL;
}

/* A table of facts by unit and year, read for the units evaluated here. */
typedef struct FactsRead
{
	TableRead	t;
	AttrNumber	unit_id;
	AttrNumber	year;
} FactsRead;

static void
facts_begin(FactsRead *s, const StaleInputs *in, const char *table)
{
	table_read_begin(&s->t, in->snapshot, table);
	s->unit_id = table_column(s->t.rel, "unit_id");
	s->year = table_column(s->t.rel, "year");
}

/* The next row of the year that belongs to a unit evaluated here: its index; -1 at the end. */
static int
next_unit_row(FactsRead *s, const StaleInputs *in)
{
	while (table_read_next(&s->t))
	{
		int			i;

		if (table_int4(s->t.slot, s->year) == in->year &&
			(i = stale_unit_index(in, table_int8(s->t.slot, s->unit_id))) >= 0)
			return i;
	}
	return -1;
}

/* The kinds' windows, from antq.window_start and antq.window_end themselves. */
static void
set_windows(StaleInputs *in)
{
	Oid			argtypes[2] = {TEXTOID, INT4OID};
	Oid			start = LookupFuncName(list_make2(makeString("antq"), makeString("window_start")), 2, argtypes, false);
	Oid			end = LookupFuncName(list_make2(makeString("antq"), makeString("window_end")), 2, argtypes, false);
	int			k;

	for (k = 0; k < STALE_KINDS; k++)
	{
		StaleKind  *kind = &in->kinds[k];

		kind->name = kind_names[k];
		kind->text = CStringGetTextDatum(kind_names[k]);
		kind->covered = strcmp(kind_names[k], "commune") != 0;
		kind->start = DatumGetDateADT(OidFunctionCall2(start, kind->text, Int32GetDatum(in->year)));
		kind->end = DatumGetDateADT(OidFunctionCall2(end, kind->text, Int32GetDatum(in->year)));
	}
}

/* The index of a kind taking part, -1 for any other. */
static int
kind_index(Datum kind)
{
	text	   *t = DatumGetTextPP(kind);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			k;

	for (k = 0; k < STALE_KINDS; k++)
		if ((int) strlen(kind_names[k]) == len && memcmp(VARDATA_ANY(t), kind_names[k], len) == 0)
			return k;
	return -1;
}

/* The columns of antq.unit that gather_units reads. */
typedef struct UnitColumns
{
	AttrNumber	id,
				kind,
				sub_kind,
				province,
				from,
				to,
				code,
				parent,
				managed;
} UnitColumns;

/* A commune or district version, which a unit's commune_code and district_code may name. */
static void
keep_area(StaleInputs *in, int *maxareas, TupleTableSlot *slot, const UnitColumns *col, int64 id, int k,
		  uint16 province)
{
	StaleArea  *a;
	bool		isnull;

	if (in->nareas == *maxareas)
	{
		*maxareas *= 2;
		in->areas = repalloc(in->areas, sizeof(StaleArea) * *maxareas);
	}
	a = &in->areas[in->nareas];
	a->id = id;
	a->kind = kind_names[k][0];
	a->code = datumCopy(slot_getattr(slot, col->code, &isnull), false, -1);
	a->province = province;
	a->parent_id = table_int8(slot, col->parent);
	in->nareas++;
}

/*
 * A unit of this process's part, kept when it takes part in the year (in force on the last day
 * of its kind's window, of a kind assessed there that year: stale_taking_part.c). False when
 * its sub_kind cannot be interned (the caller hands the year to the SQL path).
 */
static bool
keep_unit(StaleInputs *in, int *maxunits, int *last_sub_kind, TupleTableSlot *slot, const UnitColumns *col,
		  int64 id, int k, uint16 province)
{
	bool		isnull,
				to_null;
	DateADT		from = DatumGetDateADT(slot_getattr(slot, col->from, &isnull)),
				to = DatumGetDateADT(slot_getattr(slot, col->to, &to_null));
	StaleUnit  *u;
	Datum		sub;

	if (isnull || from > in->kinds[k].end || (!to_null && to <= in->kinds[k].end) || !in->kinds[k].covered ||
		!stale_kind_takes_part(in, province, k))
		return true;
	if (in->nunits == *maxunits)
	{
		*maxunits += *maxunits / 2;
		in->units = repalloc_huge(in->units, sizeof(StaleUnit) * *maxunits);
	}
	u = &in->units[in->nunits];
	memset(u, 0, sizeof(StaleUnit));
	u->id = id;
	u->row = slot->tts_tid;
	u->kind = k;
	u->province = province;
	sub = slot_getattr(slot, col->sub_kind, &isnull);
	if (!isnull && (u->sub_kind = intern(in, last_sub_kind, sub)) == 0)
		return false;
	u->parent_id = table_int8(slot, col->parent);
	u->has_lineage = id_index_get(&in->lineage_index, id) >= 0;
	u->counted_kind = counted_kinds[k];
	u->commune_id = u->counted_kind < 0 ? 0 : u->counted_kind == 0 ? u->parent_id : table_int8(slot, col->managed);
	u->decision_met = -1;
	in->nunits++;
	return true;
}

/*
 * The units taking part in the year (keep_unit), and every commune and district version
 * (keep_area). False when a name cannot be interned.
 */
static bool
gather_units(StaleInputs *in)
{
	TableRead	s;
	UnitColumns col;
	int			maxunits,
				maxareas = 1 << 12;
	bool		ok = true;
	int			last_province = 0,	/* the last name found of each: units of a province */
				last_sub_kind = 0;	/* and kind lie together */

	in->areas = palloc(sizeof(StaleArea) * maxareas);
	table_read_begin(&s, in->snapshot, "unit");
	/* room for every unit the statistics count, so that the array is not doubled past them */
	maxunits = Max(Min(s.rel->rd_rel->reltuples, (double) MaxAllocHugeSize / sizeof(StaleUnit)), 1024);
	in->units = palloc_extended(sizeof(StaleUnit) * maxunits, MCXT_ALLOC_HUGE);
	col.id = table_column(s.rel, "unit_id");
	col.kind = table_column(s.rel, "kind");
	col.sub_kind = table_column(s.rel, "sub_kind");
	col.province = table_column(s.rel, "province_code");
	col.from = table_column(s.rel, "valid_from");
	col.to = table_column(s.rel, "valid_to");
	col.code = table_column(s.rel, "code");
	col.parent = table_column(s.rel, "parent_id");
	col.managed = table_column(s.rel, "managed_by");
	while (ok && table_read_next(&s))
	{
		bool		isnull;
		int			k = kind_index(slot_getattr(s.slot, col.kind, &isnull));
		int64		id = table_int8(s.slot, col.id);
		bool		area = k >= 0 && area_kinds[k],
					mine = k >= 0 && stale_in_part(in, id);
		uint16		province;

		/* another process's unit: left before the columns past its kind are read */
		if (!area && !mine)
			continue;
		if ((province = intern(in, &last_province, slot_getattr(s.slot, col.province, &isnull))) == 0)
		{
			ok = false;
			break;
		}
		if (area)
			keep_area(in, &maxareas, s.slot, &col, id, k, province);
		if (mine)
			ok = keep_unit(in, &maxunits, &last_sub_kind, s.slot, &col, id, k, province);
	}
	table_read_end(&s);
	if (ok)
	{
		id_index_build(&in->unit_index, in->units, in->nunits, sizeof(StaleUnit));
		id_index_build(&in->area_index, in->areas, in->nareas, sizeof(StaleArea));
	}
	return ok;
}

/* Their assessments of the year and the year before, by TID (q's a and pa), and the year
 * before's of the predecessors (walk). */
static void
gather_assessments(StaleInputs *in)
{
	TableRead	s;
	AttrNumber	c_id,
				c_year;

	table_read_begin(&s, in->snapshot, "assessment");
	c_id = table_column(s.rel, "unit_id");
	c_year = table_column(s.rel, "year");
	while (table_read_next(&s))
	{
		int32		y = table_int4(s.slot, c_year);
		int64		id;
		int			i;

		if (y != in->year && y != in->year - 1)
			continue;
		id = table_int8(s.slot, c_id);
		if (y == in->year - 1 && in->npreds > 0 && (i = id_index_get(&in->pred_index, id)) >= 0)
		{
			in->preds[i].prev = s.slot->tts_tid;
			in->preds[i].has_prev = true;
		}
		if ((i = stale_unit_index(in, id)) < 0)
			continue;
		if (y == in->year)
		{
			in->units[i].facts = s.slot->tts_tid;
			in->units[i].has_facts = true;
		}
		else
		{
			in->units[i].prev = s.slot->tts_tid;
			in->units[i].has_prev = true;
		}
	}
	table_read_end(&s);
}

/*
 * Total points per unit (q_plain's scores: sum(points)), kept back to back in in->scores, each
 * in a slot that its later sums overwrite while they fit: a sheet of twenty items must not keep
 * twenty sums a unit. A slot is a uint32 size followed by the numeric (whose header is 4 bytes
 * too, so both stay int-aligned); u->score is the numeric's offset + 1.
 */
#define SCORE_SLACK 8			/* room for the sum to grow by a few digits */
static void
gather_scores(StaleInputs *in)
{
	FactsRead	s;
	AttrNumber	c_points;
	int			i;

	initStringInfo(&in->scores);
	facts_begin(&s, in, "score");
	c_points = table_column(s.t.rel, "points");
	while ((i = next_unit_row(&s, in)) >= 0)
	{
		bool		isnull;
		Datum		points = slot_getattr(s.t.slot, c_points, &isnull);
		StaleUnit  *u = &in->units[i];
		struct varlena *sum;
		Size		size;
		uint32		room;

		if (isnull)
			continue;			/* sum() skips NULLs */
		if (u->score != 0)
			sum = (struct varlena *) DatumGetPointer(DirectFunctionCall2(numeric_add,
																	 PointerGetDatum(in->scores.data + u->score - 1), points));
		else
			sum = PG_DETOAST_DATUM_PACKED(points);
		size = VARSIZE_ANY(sum);
		if (u->score != 0)
		{
			memcpy(&room, in->scores.data + u->score - 1 - sizeof(uint32), sizeof(uint32));
			if (size <= room)
			{
				memcpy(in->scores.data + u->score - 1, sum, size);
				pfree(sum);
				continue;
			}
		}
		room = INTALIGN(size + SCORE_SLACK);
		while (in->scores.len % sizeof(int32) != 0)
			appendStringInfoChar(&in->scores, '\0');
		appendBinaryStringInfo(&in->scores, (char *) &room, sizeof(uint32));
		u->score = in->scores.len + 1;
		appendBinaryStringInfo(&in->scores, (char *) sum, size);
		appendStringInfoSpaces(&in->scores, room - size);
		if ((Pointer) sum != DatumGetPointer(points))
			pfree(sum);
	}
	table_read_end(&s.t);
}

/* Decisions (q_plain's decisions: bool_or of recognitions' met, max of classifications'
 * rating) and model checks (checks: the criteria met and recorded). */
static void
gather_decisions_and_checks(StaleInputs *in)
{
	FactsRead	s;
	AttrNumber	c_kind,
				c_met,
				c_rating,
				c_no;
	Datum		recognition = CStringGetTextDatum("recognition"),
				classification = CStringGetTextDatum("classification");
	int			i;

	facts_begin(&s, in, "decision");
	c_kind = table_column(s.t.rel, "kind");
	c_met = table_column(s.t.rel, "met");
	c_rating = table_column(s.t.rel, "rating");
	while ((i = next_unit_row(&s, in)) >= 0)
	{
		bool		isnull;
		Datum		kind = slot_getattr(s.t.slot, c_kind, &isnull),
					v;
		StaleUnit  *u = &in->units[i];

		if (stale_text_same(kind, recognition))
		{
			v = slot_getattr(s.t.slot, c_met, &isnull);
			if (!isnull)
				u->decision_met = Max(u->decision_met, DatumGetBool(v) ? 1 : 0);
		}
		else if (stale_text_same(kind, classification))
		{
			v = slot_getattr(s.t.slot, c_rating, &isnull);
			if (!isnull)
				u->decision_rating = Max(u->decision_rating, DatumGetInt32(v));
		}
	}
	table_read_end(&s.t);

	facts_begin(&s, in, "model_check");
	c_no = table_column(s.t.rel, "criterion_no");
	c_met = table_column(s.t.rel, "met");
	while ((i = next_unit_row(&s, in)) >= 0)
	{
		bool		isnull;
		Datum		met = slot_getattr(s.t.slot, c_met, &isnull);
		StaleUnit  *u = &in->units[i];

		if (u->nchecks == PG_UINT16_MAX)
			elog(ERROR, "unit %lld has more than %d model checks in %d", (long long) u->id, PG_UINT16_MAX, in->year);
		u->checks = u->checks ? repalloc(u->checks, sizeof(int32) * (u->nchecks + 1)) : palloc(sizeof(int32));
		/* met NULL counts as recorded, not met, as FILTER (WHERE m.met) does */
		u->checks[u->nchecks] = table_int4(s.t.slot, c_no);
		if (isnull || !DatumGetBool(met))
			u->checks[u->nchecks] = -u->checks[u->nchecks];
		u->nchecks++;
	}
	table_read_end(&s.t);
}

/* Who takes part in the model-unit programme this year (q_plain's model_participation join). */
static void
gather_programme(StaleInputs *in)
{
	FactsRead	s;
	int			i;

	facts_begin(&s, in, "model_participation");
	while ((i = next_unit_row(&s, in)) >= 0)
		in->units[i].in_programme = true;
	table_read_end(&s.t);
}

static int
cmp_incident(const void *a, const void *b)
{
	const StaleIncident *x = a,
			   *y = b;

	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->on != y->on)
		return x->on < y->on ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Keep an incident row for unit (an index into units or preds). */
static void
keep_incident(StaleIncident **list, int *n, int *max, TupleTableSlot *slot, uint32 unit, DateADT on,
			  AttrNumber c_iid, AttrNumber c_kind)
{
	StaleIncident *x;
	bool		isnull;

	if (*n == *max)
		*list = repalloc_huge(*list, sizeof(StaleIncident) * (*max *= 2));
	x = &(*list)[(*n)++];
	x->unit = unit;
	x->on = on;
	x->id = table_int8(slot, c_iid);
	x->row = ExecFetchSlotHeapTupleDatum(slot);
	x->kind = datumCopy(slot_getattr(slot, c_kind, &isnull), false, -1);
}

/*
 * Each unit's own incidents in its window (q's inc_pairs, first branch), and every incident of
 * a predecessor (the second: its successors take those in their own windows), as composites,
 * in the order the SQL aggregates them.
 */
static void
gather_incidents(StaleInputs *in)
{
	TableRead	s;
	AttrNumber	c_id,
				c_iid,
				c_on,
				c_kind;
	int			max = 1024,
				pmax = 64,
				i;

	in->incidents = palloc(sizeof(StaleIncident) * max);
	in->pred_incidents = palloc(sizeof(StaleIncident) * pmax);
	table_read_begin(&s, in->snapshot, "incident");
	c_id = table_column(s.rel, "unit_id");
	c_iid = table_column(s.rel, "incident_id");
	c_on = table_column(s.rel, "occurred_on");
	c_kind = table_column(s.rel, "kind");
	while (table_read_next(&s))
	{
		bool		isnull;
		int64		id = table_int8(s.slot, c_id);
		DateADT		on = DatumGetDateADT(slot_getattr(s.slot, c_on, &isnull));
		int			p = in->npreds > 0 ? id_index_get(&in->pred_index, id) : -1;

		if (isnull)
			continue;
		if (p >= 0)
			keep_incident(&in->pred_incidents, &in->npred_incidents, &pmax, s.slot, p, on, c_iid, c_kind);
		if ((i = stale_unit_index(in, id)) >= 0 &&
			on >= in->kinds[in->units[i].kind].start && on <= in->kinds[in->units[i].kind].end)
			keep_incident(&in->incidents, &in->nincidents, &max, s.slot, i, on, c_iid, c_kind);
	}
	table_read_end(&s);
	qsort(in->incidents, in->nincidents, sizeof(StaleIncident), cmp_incident);
	qsort(in->pred_incidents, in->npred_incidents, sizeof(StaleIncident), cmp_incident);
	for (i = in->npred_incidents - 1; i >= 0; i--)
	{
		in->preds[in->pred_incidents[i].unit].first_incident = i;
		in->preds[in->pred_incidents[i].unit].nincidents++;
	}
}

/* The stored results of the year, by TID. A stored row of no unit taking part is stale;
 * those of communes are the caller's. */
static void
gather_stored(StaleInputs *in)
{
	TableRead	s;
	AttrNumber	c_id,
				c_year,
				c_kind;
	Datum		commune = CStringGetTextDatum("commune");

	table_read_begin(&s, in->snapshot, "unit_result");
	c_id = table_column(s.rel, "unit_id");
	c_year = table_column(s.rel, "year");
	c_kind = table_column(s.rel, "kind");
	while (table_read_next(&s))
	{
		bool		isnull;
		int64		id;
		int			i;

		if (table_int4(s.slot, c_year) != in->year)
			continue;
		id = table_int8(s.slot, c_id);
		if (!stale_in_part(in, id))
			continue;
		if ((i = stale_unit_index(in, id)) >= 0)
		{
			in->units[i].stored = s.slot->tts_tid;
			in->units[i].has_stored = true;
		}
		else if (!stale_text_same(slot_getattr(s.slot, c_kind, &isnull), commune))
			stale_add(in, id);
	}
	table_read_end(&s);
}

/* Row-level security would hide rows from a query but not from a scan: leave it to SQL. */
static bool
any_row_security(void)
{
	static const char *const tables[] = {"unit", "unit_lineage", "assessment", "score", "decision",
	"model_check", "model_participation", "incident", "unit_result"};
	int			i;

	for (i = 0; i < (int) lengthof(tables); i++)
	{
		Oid			relid = get_relname_relid(tables[i], get_namespace_oid("antq", false));

		if (OidIsValid(relid) && check_enable_rls(relid, InvalidOid, true) == RLS_ENABLED)
			return true;
	}
	return false;
}

bool
stale_gather(StaleInputs *in, int32 year, int nparts, int part)
{
	memset(in, 0, sizeof(StaleInputs));
	if (any_row_security())
		return false;
	in->year = year;
	in->nparts = nparts;
	in->part = part;
	in->snapshot = GetActiveSnapshot();
	in->names = palloc(sizeof(Datum) * MAX_NAMES);
	in->maxstale = 1024;
	stale_counts_init(&in->counts);
	in->stale = palloc(sizeof(int64) * in->maxstale);
	set_windows(in);
	stale_taking_part_init(in);
	stale_gather_lineage(in);
	if (!gather_units(in))
		return false;
	gather_assessments(in);
	gather_scores(in);
	gather_decisions_and_checks(in);
	gather_programme(in);
	gather_incidents(in);
	gather_stored(in);
	in->unit_rel = table_read_open("unit");
	in->assessment_rel = table_read_open("assessment");
	in->result_rel = table_read_open("unit_result");
	return true;
}

/* Locks stay until the end of the transaction (see table_read_end). */
void
stale_close(StaleInputs *in)
{
	table_close(in->unit_rel, NoLock);
	table_close(in->assessment_rel, NoLock);
	table_close(in->result_rel, NoLock);
}
