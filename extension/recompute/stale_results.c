/*
 * stale_results.c — the second half of antq.results_stale (stale.h): each covered unit is
 * evaluated through the engine's own entry points, as sql/47_compute.sql calls them, and its
 * result compared, column by column, with the stored row. What differs, and what stale_gather
 * already found stale, is returned as a sorted array of unit ids, with each commune's
 * criterion-4 counts as its units will be stored (stale_counts.c).
 *
 * The comparison stands for the SQL path's (antq.compute_results): a column compared here
 * differently from there would leave a wrong result stored. So every column of antq.unit_result
 * must be one this file knows (known_columns); a new one sends the caller to the SQL path, with a
 * warning, until it is added here. tests/pgtap/stale_results.sql checks that the pass runs (does
 * not hand over) and changes each column of stored rows, every column of the table, and checks
 * that exactly those units come back.
 */
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/guc.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"

#include "antq.h"
#include "engine.h"
#include "stale.h"
#include "table_read.h"

/* The columns of antq.unit_result, in the order compared (computed_at is not). */
enum
{
	R_UNIT_ID, R_YEAR, R_KIND, R_CODE, R_NAME, R_PROVINCE_CODE, R_REGISTERED, R_ASSESSED, R_SAFE_ATTAINMENT,
	R_SAFE_MET, R_SCORE, R_RATING, R_MODEL_ATTAINMENT, R_MODEL_MET, R_MODEL_PROGRAMME, R_MODEL_ON_TRACK,
	R_UNIT_COUNTS, R_DECISION_MET,
	R_DECISION_RATING, R_DISAGREES, R_COMMUNE_CODE, R_DISTRICT_CODE, R_INCIDENTS, R_INCIDENTS_BY_KIND,
	R_TIPOFFS,
	/* the facts copied from the assessment as they are, each under its own name */
	R_OUTREACH_TARGET, R_OUTREACH_REACHED, R_CRIME_REPORTS_RECEIVED, R_CRIME_REPORTS_HANDLED,
	R_TRAFFIC_ACCIDENTS, R_TRAFFIC_DEATHS, R_TRAFFIC_INJURIES,
	R_COMPUTED_AT,
	R_COLUMNS
};

static const char *const result_columns[R_COLUMNS] = {
	"unit_id", "year", "kind", "code", "name", "province_code", "registered", "assessed", "safe_attainment",
	"safe_met", "score", "rating", "model_attainment", "model_met", "model_programme", "model_on_track",
	"unit_counts", "decision_met",
	"decision_rating", "disagrees", "commune_code", "district_code", "incidents", "incidents_by_kind",
	"tipoffs",
	"outreach_target", "outreach_reached", "crime_reports_received", "crime_reports_handled",
	"traffic_accidents", "traffic_deaths", "traffic_injuries",
	"computed_at"
};

#define FIRST_FACT R_TIPOFFS
#define NFACTS (R_COMPUTED_AT - R_TIPOFFS)

/* What the comparison keeps across units. */
typedef struct Compare
{
	StaleInputs *in;
	AttrNumber	result_att[R_COLUMNS];	/* attnums in antq.unit_result */
	AttrNumber	fact_att[NFACTS];	/* the same names in antq.assessment */
	AttrNumber	registered_on;
	AttrNumber	code;			/* in antq.unit */
	AttrNumber	name;
	int			result_natts;	/* columns deformed: up to the last one read */
	int			facts_natts;
	Oid			assessment_type;
	Oid			incident_type;
	TidRead		facts_read;		/* one each: each keeps its own block pinned, and its row */
	TidRead		prev_read;
	TidRead		result_read;
	TidRead		unit_read;
	FmgrInfo	evaluate_safe;	/* one call site each, as in the SQL: each keeps its plans */
	FmgrInfo	evaluate_model;
	FmgrInfo	complete;
	FmgrInfo	classify;
	Datum		safe;
	Datum		model;
	/* the commune and district codes of the last parent and province looked up (0: none) */
	int64		place_parent;
	uint16		place_province;
	Datum		place_commune;
	Datum		place_district;
} Compare;

/*
 * Every column of antq.unit_result is one compared here, and every one compared is there. When
 * not, the pass hands over to the SQL path, and says so (once, in the process that leads the
 * pass): a column added to the table and not here would otherwise make every national
 * recompute the slow one, unnoticed.
 */
static bool
known_columns(Relation rel, Compare *c, bool say)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i,
				k;

	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		for (k = 0; k < R_COLUMNS && strcmp(result_columns[k], NameStr(att->attname)) != 0; k++)
			;
		if (k == R_COLUMNS)
		{
			if (say)
				ereport(WARNING,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("antq.results_stale does not compare column \"%s\" of antq.unit_result: the national recompute runs in SQL",
								NameStr(att->attname)),
						 errhint("Compare the column in extension/recompute/stale_results.c (result_columns, unit_fresh).")));
			return false;
		}
	}
	for (i = 0; i < R_COLUMNS; i++)
		if ((c->result_att[i] = get_attnum(RelationGetRelid(rel), result_columns[i])) == InvalidAttrNumber)
		{
			if (say)
				ereport(WARNING,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("antq.unit_result has no column \"%s\", which antq.results_stale compares: the national recompute runs in SQL",
								result_columns[i]),
						 errhint("Remove the column from extension/recompute/stale_results.c (result_columns, unit_fresh).")));
			return false;
		}
	return true;
}

static void
call_site(FmgrInfo *fl, PGFunction fn, int nargs)
{
	memset(fl, 0, sizeof(FmgrInfo));
	fl->fn_addr = fn;
	fl->fn_nargs = nargs;
	fl->fn_oid = InvalidOid;
	fl->fn_mcxt = CurrentMemoryContext;
}

/* Call an entry point of the extension with a call site kept across units. */
static Datum
call(FmgrInfo *fl, Datum *args, bool *nulls, bool *isnull)
{
	LOCAL_FCINFO(fcinfo, 11);
	Datum		r;
	int			i;

	InitFunctionCallInfoData(*fcinfo, fl, fl->fn_nargs, InvalidOid, NULL, NULL);
	for (i = 0; i < fl->fn_nargs; i++)
	{
		fcinfo->args[i].value = args[i];
		fcinfo->args[i].isnull = nulls[i];
	}
	r = FunctionCallInvoke(fcinfo);
	*isnull = fcinfo->isnull;
	return r;
}

/* Nullable varlenas (attainments) the same, byte for byte: the engine makes one form of each. */
static bool
bytes_same(bool an, Datum a, bool bn, Datum b)
{
	if (an || bn)
		return an == bn;
	return stale_text_same(a, b);
}

static bool
bool_same(bool an, Datum a, bool bn, bool b)
{
	return an == bn && (an || DatumGetBool(a) == b);
}

static bool
int4_same(bool an, Datum a, bool bn, int32 b)
{
	return an == bn && (an || DatumGetInt32(a) == b);
}

/* A fetched row, visible in the pass's snapshot (the scans saw it there), with its first natts
 * columns deformed: only those read are (deforming every column of every row fetched was 17%
 * of the pass). */
static TupleTableSlot *
fetch(TidRead *r, ItemPointer tid, int natts)
{
	TupleTableSlot *slot = tid_read(r, tid);

	if (slot == NULL)
		elog(ERROR, "row (%u,%u) of %s vanished during antq.results_stale", ItemPointerGetBlockNumber(tid),
			 ItemPointerGetOffsetNumber(tid), RelationGetRelationName(r->rel));
	if (natts > 0)
		slot_getsomeattrs(slot, natts);
	return slot;
}

/*
 * Where a unit counts, as the SQL's commune_code and district_code: its parent when that is a
 * commune of its own province; before 2025 also the district it lies in, its parent or its
 * parent's parent.
 */
static void
place_of(Compare *c, const StaleUnit *u)
{
	const StaleArea *p = u->parent_id != 0 ? stale_area(c->in, u->parent_id) : NULL;

	c->place_parent = u->parent_id;
	c->place_province = u->province;
	c->place_commune = c->place_district = (Datum) 0;
	if (p == NULL || p->province != u->province)
		return;
	if (p->kind == 'c')
		c->place_commune = p->code;
	if (c->in->year < 2025)
	{
		const StaleArea *g = p->parent_id != 0 ? stale_area(c->in, p->parent_id) : NULL;

		if (p->kind == 'd')
			c->place_district = p->code;
		else if (g != NULL && g->kind == 'd')
			c->place_district = g->code;
	}
}

/* The first of the unit's own incidents (they are sorted by unit), or where it would be. */
static StaleIncident *
first_incident(StaleInputs *in, int idx)
{
	int			lo = 0,
				hi = in->nincidents;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (in->incidents[mid].unit < (uint32) idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return &in->incidents[lo];
}

/* What evaluating a unit takes: antq.evaluate('safe', ...)'s arguments, and its facts row. */
typedef struct UnitInputs
{
	Datum		args[11];
	bool		nulls[11];
	TupleTableSlot *facts;		/* its assessment of the year, deformed to the facts read; NULL: none */
	bool		registered;
	StaleIncident *own;			/* its own incidents */
	int			nown;
	StaleIncident *read;		/* those its row counts: its own and its predecessors' */
	int			nread;
} UnitInputs;

/*
 * Fetch and shape a unit's inputs as the SQL path passes them: its facts, the previous year (its
 * own row, else its predecessors'), the incidents (its own, and its predecessors' in its window).
 */
static void
unit_inputs(Compare *c, StaleUnit *u, int idx, UnitInputs *x)
{
	StaleInputs *in = c->in;
	int			i;

	memset(x->nulls, true, sizeof(x->nulls));
	x->facts = NULL;
	x->registered = false;
	x->args[0] = c->safe;
	x->args[1] = in->kinds[u->kind].text;
	x->args[2] = u->sub_kind ? in->names[u->sub_kind - 1] : (Datum) 0;
	x->args[3] = in->names[u->province - 1];
	x->args[4] = Int32GetDatum(in->year);
	x->nulls[0] = x->nulls[1] = x->nulls[3] = x->nulls[4] = false;
	x->nulls[2] = u->sub_kind == 0;
	if (u->has_facts)
	{
		x->facts = fetch(&c->facts_read, &u->facts, c->facts_natts);
		x->args[5] = ExecFetchSlotHeapTupleDatum(x->facts);
		x->nulls[5] = false;
		x->registered = !x->facts->tts_isnull[c->registered_on - 1];
	}
	if (u->has_prev)
	{
		Datum		row;

		row = ExecFetchSlotHeapTupleDatum(fetch(&c->prev_read, &u->prev, 0));
		x->args[6] = PointerGetDatum(construct_array(&row, 1, c->assessment_type, -1, false, TYPALIGN_DOUBLE));
		x->nulls[6] = false;
	}
	else if (u->has_lineage)
	{
		x->args[6] = stale_lineage_prev(in, u, &c->prev_read, c->assessment_type);
		x->nulls[6] = x->args[6] == (Datum) 0;
	}

	x->own = first_incident(in, idx);
	x->nown = 0;
	while (x->own + x->nown < in->incidents + in->nincidents && x->own[x->nown].unit == (uint32) idx)
		x->nown++;
	x->read = x->own;
	x->nread = x->nown;
	if (u->has_lineage)
	{
		/* with its predecessors', which its row counts too */
		x->args[7] = stale_lineage_incidents(in, u, x->own, x->nown, c->incident_type, &x->read, &x->nread);
		x->nulls[7] = x->args[7] == (Datum) 0;
	}
	else if (x->nown > 0)
	{
		Datum	   *rows = palloc(sizeof(Datum) * x->nown);

		for (i = 0; i < x->nown; i++)
			rows[i] = x->own[i].row;
		x->args[7] = PointerGetDatum(construct_array(rows, x->nown, c->incident_type, -1, false, TYPALIGN_DOUBLE));
		x->nulls[7] = false;
	}
}

/* Whether the unit counts as recognized in its commune's criterion 4: its recognition decision
 * where there is one, else whether it meets the safe standard (NULL: not). */
static bool
recognized(Compare *c, const StaleUnit *u, UnitInputs *x)
{
	Datum		safe,
				met;
	bool		isnull,
				not_null = false;

	if (u->decision_met >= 0)
		return u->decision_met == 1;
	if (x->facts == NULL)
		return false;
	safe = call(&c->evaluate_safe, x->args, x->nulls, &isnull);
	if (isnull)
		return false;
	met = call(&c->complete, &safe, &not_null, &isnull);
	return !isnull && DatumGetBool(met);
}

/*
 * Evaluate one standard with args and compare its attainment, and whether it is complete, with
 * the stored columns att_col and met_col; *met and *met_null: antq.complete of the attainment.
 */
static bool
standard_same(Compare *c, FmgrInfo *evaluate, Datum *args, bool *nulls, const Datum *r, const bool *rn,
			  int att_col, int met_col, Datum *met, bool *met_null)
{
	AttrNumber	att = c->result_att[att_col] - 1,
				m = c->result_att[met_col] - 1;
	bool		att_null,
				not_null = false;
	Datum		attainment = (Datum) 0;

	/* a unit without facts is not assessed: nothing evaluated, as the SQL's CASE */
	att_null = nulls[5];
	if (!att_null)
		attainment = call(evaluate, args, nulls, &att_null);
	*met = (Datum) 0;
	*met_null = true;
	if (!bytes_same(rn[att], r[att], att_null, attainment))
		return false;
	if (!att_null)
		*met = call(&c->complete, &attainment, &not_null, met_null);
	return bool_same(rn[m], r[m], *met_null, !*met_null && DatumGetBool(*met));
}

/*
 * The model-unit programme columns as the SQL's shaped row: taking part, and on track when it
 * takes part and its model attainment (already found equal to the stored one, NULL or not) is
 * not NULL: no check of the year recorded as not met.
 */
static bool
programme_same(const StaleUnit *u, Datum programme, bool attainment_null, bool on_track_null, Datum on_track)
{
	bool		none_failed = true;
	int			i;

	if (DatumGetBool(programme) != u->in_programme)
		return false;
	for (i = 0; i < u->nchecks; i++)
		none_failed = none_failed && u->checks[i] > 0;
	return bool_same(on_track_null, on_track, !u->in_programme || attainment_null, none_failed);
}

/* A column of the stored row r (its values) and rn (its nulls), by the R_ names above. */
#define RV(col) r[c->result_att[col] - 1]
#define RN(col) rn[c->result_att[col] - 1]

/* The columns copied from the unit's facts, its incidents' count, and its decisions. */
static bool
inputs_same(Compare *c, const StaleUnit *u, const UnitInputs *x, const Datum *r, const bool *rn)
{
	int			i;

	for (i = 0; i < NFACTS; i++)
	{
		AttrNumber	a = c->fact_att[i] - 1;

		if (x->facts == NULL ? !RN(FIRST_FACT + i) :
			!int4_same(RN(FIRST_FACT + i), RV(FIRST_FACT + i), x->facts->tts_isnull[a], DatumGetInt32(x->facts->tts_values[a])))
			return false;
	}
	if (DatumGetBool(RV(R_REGISTERED)) != x->registered || DatumGetBool(RV(R_ASSESSED)) != (x->facts != NULL) ||
		!int4_same(RN(R_INCIDENTS), RV(R_INCIDENTS), false, x->nread))
		return false;
	return bool_same(RN(R_DECISION_MET), RV(R_DECISION_MET), u->decision_met < 0, u->decision_met == 1) &&
		int4_same(RN(R_DECISION_RATING), RV(R_DECISION_RATING), u->decision_rating == 0, u->decision_rating);
}

/* The model standard's arguments from the safe one's: no previous year, no incidents, the checks. */
static void
model_args(Compare *c, const StaleUnit *u, Datum *args, bool *nulls)
{
	Datum	   *met,
			   *recorded;
	int			nmet = 0,
				i;

	args[0] = c->model;
	nulls[6] = nulls[7] = true;
	if (u->nchecks == 0)
		return;
	met = palloc(sizeof(Datum) * u->nchecks);
	recorded = palloc(sizeof(Datum) * u->nchecks);
	for (i = 0; i < u->nchecks; i++)
	{
		recorded[i] = Int32GetDatum(abs(u->checks[i]));
		if (u->checks[i] > 0)
			met[nmet++] = Int32GetDatum(u->checks[i]);
	}
	if (nmet > 0)
	{
		args[9] = PointerGetDatum(construct_array(met, nmet, INT4OID, 4, true, TYPALIGN_INT));
		nulls[9] = false;
	}
	args[10] = PointerGetDatum(construct_array(recorded, u->nchecks, INT4OID, 4, true, TYPALIGN_INT));
	nulls[10] = false;
}

/* The score, the rating antq.classify gives, and a decision that differs (the SQL's disagrees). */
static bool
rating_same(Compare *c, const StaleUnit *u, const UnitInputs *x, const Datum *r, const bool *rn,
			Datum safe_met, bool safe_met_null)
{
	StaleInputs *in = c->in;
	Datum		score = u->score ? PointerGetDatum(in->scores.data + u->score - 1) : (Datum) 0;
	Datum		cargs[5] = {in->kinds[u->kind].text, in->names[u->province - 1], Int32GetDatum(in->year), score, safe_met};
	bool		cnulls[5] = {false, false, false, u->score == 0, safe_met_null};
	Datum		rating = (Datum) 0;
	bool		rating_null = true,
				dis;

	if (RN(R_SCORE) != (u->score == 0) ||
		(u->score != 0 && !DatumGetBool(DirectFunctionCall2(numeric_eq, RV(R_SCORE), score))))
		return false;
	if (x->facts)
		rating = call(&c->classify, cargs, cnulls, &rating_null);
	if (!int4_same(RN(R_RATING), RV(R_RATING), rating_null, rating_null ? 0 : DatumGetInt32(rating)))
		return false;
	dis = x->facts && ((u->decision_met >= 0 && (safe_met_null || (u->decision_met == 1) != DatumGetBool(safe_met))) ||
					   (u->decision_rating != 0 && (rating_null || u->decision_rating != DatumGetInt32(rating))));
	return DatumGetBool(RV(R_DISAGREES)) == dis;
}

/* Where it counts, its incidents by kind, and its code and name. */
static bool
place_same(Compare *c, StaleUnit *u, const UnitInputs *x, const Datum *r, const bool *rn)
{
	Datum		commune_code,
				district_code;
	TupleTableSlot *unit;

	/* the units of a commune lie together: the last parent's answer is kept */
	if (u->parent_id != c->place_parent || u->province != c->place_province)
		place_of(c, u);
	commune_code = c->place_commune;
	district_code = c->place_district;
	if (RN(R_COMMUNE_CODE) != (commune_code == (Datum) 0) ||
		(commune_code != (Datum) 0 && !stale_text_same(RV(R_COMMUNE_CODE), commune_code)) ||
		RN(R_DISTRICT_CODE) != (district_code == (Datum) 0) ||
		(district_code != (Datum) 0 && !stale_text_same(RV(R_DISTRICT_CODE), district_code)))
		return false;

	/* incidents by kind: an empty object without incidents */
	if (x->nread == 0)
	{
		Jsonb	   *stored = DatumGetJsonbP(RV(R_INCIDENTS_BY_KIND));

		if (!JB_ROOT_IS_OBJECT(stored) || JB_ROOT_COUNT(stored) != 0)
			return false;
	}
	else if (!DatumGetBool(DirectFunctionCall2(jsonb_eq, RV(R_INCIDENTS_BY_KIND), stale_incidents_by_kind(x->read, x->nread))))
		return false;

	/* last, code and name, from the unit's row */
	unit = fetch(&c->unit_read, &u->row, Max(c->code, c->name));
	return stale_text_same(RV(R_CODE), unit->tts_values[c->code - 1]) &&
		stale_text_same(RV(R_NAME), unit->tts_values[c->name - 1]);
}

/*
 * Does the unit's stored row still equal its result? Evaluated as the SQL path evaluates it:
 * antq.evaluate('safe', kind, sub_kind, province, year, facts, prev, incidents) and ('model',
 * ..., facts, checks met, checks recorded), antq.complete of each, antq.classify(kind,
 * province, year, score, safe_met).
 */
static bool
unit_fresh(Compare *c, StaleUnit *u, const UnitInputs *x, bool *counted_recognized)
{
	StaleInputs *in = c->in;
	Datum		args[11];		/* the model standard's, from the safe one's */
	bool		nulls[11];
	TupleTableSlot *stored;
	Datum	   *r;
	bool	   *rn;
	Datum		safe_met,
				model_met;
	bool		safe_met_null,
				model_met_null;

	/* the stored row first: most columns need no evaluation to compare */
	stored = fetch(&c->result_read, &u->stored, c->result_natts);
	r = stored->tts_values;
	rn = stored->tts_isnull;
	if (!stale_text_same(RV(R_KIND), in->kinds[u->kind].text) ||
		!stale_text_same(RV(R_PROVINCE_CODE), in->names[u->province - 1]) || !RN(R_UNIT_COUNTS) ||
		!inputs_same(c, u, x, r, rn))
		return false;

	/* the safe standard, then the model standard and the programme */
	memcpy(args, x->args, sizeof(args));
	memcpy(nulls, x->nulls, sizeof(nulls));
	if (!standard_same(c, &c->evaluate_safe, args, nulls, r, rn, R_SAFE_ATTAINMENT, R_SAFE_MET, &safe_met, &safe_met_null))
		return false;
	model_args(c, u, args, nulls);
	if (!standard_same(c, &c->evaluate_model, args, nulls, r, rn, R_MODEL_ATTAINMENT, R_MODEL_MET, &model_met, &model_met_null) ||
		!programme_same(u, RV(R_MODEL_PROGRAMME), RN(R_MODEL_ATTAINMENT), RN(R_MODEL_ON_TRACK), RV(R_MODEL_ON_TRACK)))
		return false;

	if (!rating_same(c, u, x, r, rn, safe_met, safe_met_null) || !place_same(c, u, x, r, rn))
		return false;
	/* as its stored row says, which it equals */
	*counted_recognized = u->decision_met >= 0 ? u->decision_met == 1 : (!safe_met_null && DatumGetBool(safe_met));
	return true;
}

#undef RV
#undef RN

/*
 * Compare every covered unit; add the ones whose stored row is missing or differs. Count each
 * in its commune as it will be stored: as its row says when it equals it, else as evaluated.
 */
static void
compare_units(StaleInputs *in, Compare *c)
{
	MemoryContext unitcxt = AllocSetContextCreate(CurrentMemoryContext, "antq.results_stale unit", ALLOCSET_DEFAULT_SIZES);
	int			i;

	for (i = 0; i < in->nunits; i++)
	{
		StaleUnit  *u = &in->units[i];
		MemoryContext old;
		bool		counts = u->counted_kind >= 0 && u->commune_id != 0,
					fresh = false,
					recognized_ = false;
		UnitInputs	x;

		CHECK_FOR_INTERRUPTS();
		/* a year ahead covers only the units with facts for it: a stored row of another is stale */
		if (in->future && !u->has_facts)
		{
			if (u->has_stored)
				stale_add(in, u->id);
			continue;
		}
		old = MemoryContextSwitchTo(unitcxt);
		x.registered = false;
		if (u->has_stored || counts)
			unit_inputs(c, u, i, &x);
		if (u->has_stored)
			fresh = unit_fresh(c, u, &x, &recognized_);
		if (!fresh && counts)
			recognized_ = recognized(c, u, &x);
		MemoryContextSwitchTo(old);
		MemoryContextReset(unitcxt);
		if (!fresh)
			stale_add(in, u->id);
		if (counts)
			stale_count(&in->counts, u->commune_id, u->counted_kind, x.registered, recognized_);
	}
	MemoryContextDelete(unitcxt);
}

/*
 * One process's share of the pass: the units whose id modulo nparts is part. Everything it
 * allocates is in the current memory context; its result is in *out.
 */
bool
stale_run_part(int32 year, int nparts, int part, StalePart *out)
{
	StaleInputs in;
	Compare		c;
	bool		ok = false;
	int			i;

	memset(&c, 0, sizeof(c));
	c.in = &in;
	if (!stale_gather(&in, year, nparts, part))
		return false;
	if (known_columns(in.result_rel, &c, part == 0))
	{
		for (i = 0; i < NFACTS; i++)
			c.fact_att[i] = table_column(in.assessment_rel, result_columns[FIRST_FACT + i]);
		c.registered_on = table_column(in.assessment_rel, "registered_on");
		c.facts_natts = c.registered_on;
		for (i = 0; i < NFACTS; i++)
			c.facts_natts = Max(c.facts_natts, c.fact_att[i]);
		for (i = 0; i < R_COLUMNS; i++)
			if (i != R_COMPUTED_AT)
				c.result_natts = Max(c.result_natts, c.result_att[i]);
		c.code = table_column(in.unit_rel, "code");
		c.name = table_column(in.unit_rel, "name");
		c.assessment_type = RelationGetDescr(in.assessment_rel)->tdtypeid;
		c.incident_type = get_rel_type_id(get_relname_relid("incident", RelationGetNamespace(in.unit_rel)));
		tid_read_begin(&c.facts_read, in.assessment_rel, in.snapshot);
		tid_read_begin(&c.prev_read, in.assessment_rel, in.snapshot);
		tid_read_begin(&c.result_read, in.result_rel, in.snapshot);
		tid_read_begin(&c.unit_read, in.unit_rel, in.snapshot);
		call_site(&c.evaluate_safe, antq_evaluate, 11);
		call_site(&c.evaluate_model, antq_evaluate, 11);
		call_site(&c.complete, attainment_complete, 1);
		call_site(&c.classify, antq_classify, 5);
		c.safe = CStringGetTextDatum("safe");
		c.model = CStringGetTextDatum("model");
		compare_units(&in, &c);
		tid_read_end(&c.facts_read);
		tid_read_end(&c.prev_read);
		tid_read_end(&c.result_read);
		tid_read_end(&c.unit_read);
		out->stale = in.stale;
		out->nstale = in.nstale;
		out->counts = in.counts;
		ok = true;
	}
	stale_close(&in);
	return ok;
}

PG_FUNCTION_INFO_V1(antq_results_stale);
Datum
antq_results_stale(PG_FUNCTION_ARGS)
{
	int32		year = PG_GETARG_INT32(0);
	MemoryContext outer = CurrentMemoryContext,
				cxt = AllocSetContextCreate(CurrentMemoryContext, "antq.results_stale", ALLOCSET_DEFAULT_SIZES);
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {true, true, true};
	StalePart	all;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "antq.results_stale must return a row");
	MemoryContextSwitchTo(cxt);
	if (stale_run_all(year, &all))
	{
		Datum	   *ids = palloc(sizeof(Datum) * Max(all.nstale, 1));
		int			n = 0,
					i;

		/* sorted, each once */
		qsort(all.stale, all.nstale, sizeof(int64), id_cmp);
		for (i = 0; i < all.nstale; i++)
			if (n == 0 || all.stale[i] != DatumGetInt64(ids[n - 1]))
				ids[n++] = Int64GetDatum(all.stale[i]);
		MemoryContextSwitchTo(outer);
		values[0] = PointerGetDatum(construct_array(ids, n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		stale_counts_arrays(&all.counts, &values[1], &values[2]);
		nulls[0] = nulls[1] = nulls[2] = false;
	}
	MemoryContextSwitchTo(outer);
	MemoryContextDelete(cxt);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
