/*
 * criteria.c — the criteria engine (đánh giá tiêu chí): evaluates the rule forms of a unit's
 * criteria against the facts of one unit-year passed in as arguments (its assessment row, the
 * previous year's rows, the incidents in its window, the counts of the units under its
 * authority, its model checks), and gives the attainment (antq.evaluate), whether it is
 * complete without building it (antq.evaluate_complete, for the planner's fused calls), or one
 * row per criterion with a reason a person can read (antq.explain). No SPI per row: the caller's
 * set-based query gathers the facts; only the compiled rules come from rules_cache.c.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include "attainment.h"
#include "engine.h"
#include "reasons.h"
#include "row_reader.h"
#include "rule_forms.h"
#include "rules.h"

#define MICRO	INT64CONST(1000000)


/*
 * What one call site keeps between rows (fn_extra): the plans of the last standards, kinds,
 * provinces and years (valid while the rules generation is unchanged), the shapes of the row
 * types of the composite arguments (so a row is read in place, only the columns the rules
 * name), and the quarter bounds of the last year, so that a scan over a province pays for
 * none of these on every row.
 */
struct EvalCache
{
	RulesRecent recent[RULES_RECENT];	/* plans of recent keys, by slot */
	Oid			row_type[2];	/* antq.assessment, antq.incident (as met) */
	RowShape   *row_shape[2];
	char	   *facts_buf;		/* an aligned copy of a short-header facts row */
	Size		facts_buf_size;
	int			q_year;			/* year of q1 and q2 below; 0 before the first row */
	DateADT		q1;
	DateADT		q2;
};

static pg_attribute_always_inline void input_from_args(FunctionCallInfo fcinfo, int base, EvalCache *cache, EvalInput *in);
static inline RowShape *cached_shape(FunctionCallInfo fcinfo, EvalCache *cache, Oid type);
static RowShape *new_shape(FunctionCallInfo fcinfo, EvalCache *cache, Oid type);
static HeapTupleHeader facts_tuple(FunctionCallInfo fcinfo, EvalCache *cache, Datum d);
static inline ArrayType *array_arg(FunctionCallInfo fcinfo, int n);
static int	ints_from_array(ArrayType *arr, int32 **out);
static char standard_code(text *standard);
static void explain_criterion(FunctionCallInfo fcinfo, const RulePlan *plan, int s, int n, EvalInput *in, const Terms *terms);
static pg_attribute_always_inline const RulePlan *plan_from_args(FunctionCallInfo fcinfo, int base, EvalCache **cachep,
																  RulesRecent **recentp, EvalInput *in);

/*
 * Unpack the arguments shared by antq.evaluate and antq.explain, which start at argument base
 * (0, or 4 in antq.classify_evaluated, whose first four are antq.classify's).
 */
static pg_attribute_always_inline void
input_from_args(FunctionCallInfo fcinfo, int base, EvalCache *cache, EvalInput *in)
{
	/* Field by field rather than a memset of the whole, which holds the reader's offset slots. */
	in->sub_kind = NULL;
	in->sub_kind_len = 0;
	in->facts.natts = 0;		/* no assessment: every fact absent */
	in->prev = in->incidents = NULL;
	in->has_counts = false;
	in->nmet = in->nrecorded = 0;
	in->met = in->recorded = NULL;
	in->year = PG_GETARG_INT32(base + 4);
	if (cache->q_year != in->year)
	{
		cache->q1 = date2j(in->year, 1, 1) - POSTGRES_EPOCH_JDATE;
		cache->q2 = date2j(in->year, 4, 1) - POSTGRES_EPOCH_JDATE;
		cache->q_year = in->year;
	}
	in->q1 = cache->q1;
	in->q2 = cache->q2;
	if (!PG_ARGISNULL(base + 2))
	{
		text	   *sk = rules_text_arg(fcinfo, base + 2);

		in->sub_kind = VARDATA_ANY(sk);
		in->sub_kind_len = VARSIZE_ANY_EXHDR(sk);
	}
	if (!PG_ARGISNULL(base + 5))
	{
		HeapTupleHeader th = facts_tuple(fcinfo, cache, PG_GETARG_DATUM(base + 5));

		row_reader_init(&in->facts, cached_shape(fcinfo, cache, HeapTupleHeaderGetTypeId(th)), th);
	}
	if (!PG_ARGISNULL(base + 6))
	{
		in->prev = array_arg(fcinfo, base + 6);
		if (row_array_count(in->prev) == 0)
			in->prev = NULL;
		else
			in->prev_shape = cached_shape(fcinfo, cache, ARR_ELEMTYPE(in->prev));
	}
	if (!PG_ARGISNULL(base + 7))
	{
		in->incidents = array_arg(fcinfo, base + 7);
		if (row_array_count(in->incidents) == 0)
			in->incidents = NULL;
		else
			in->incident_shape = cached_shape(fcinfo, cache, ARR_ELEMTYPE(in->incidents));
	}
	if (!PG_ARGISNULL(base + 8))
	{
		int32	   *counts;
		int			n = ints_from_array(PG_GETARG_ARRAYTYPE_P(base + 8), &counts);

		in->has_counts = true;
		memset(in->counts, 0, sizeof(in->counts));
		memcpy(in->counts, counts, sizeof(int32) * Min(n, UNIT_KIND_COUNT * 3));
	}
	if (!PG_ARGISNULL(base + 9))
		in->nmet = ints_from_array(PG_GETARG_ARRAYTYPE_P(base + 9), &in->met);
	if (!PG_ARGISNULL(base + 10))
		in->nrecorded = ints_from_array(PG_GETARG_ARRAYTYPE_P(base + 10), &in->recorded);
}

/* The shape of a composite argument's row type, made once per call site. */
static inline RowShape *
cached_shape(FunctionCallInfo fcinfo, EvalCache *cache, Oid type)
{
	if (likely(cache->row_type[0] == type && cache->row_shape[0] != NULL))
		return cache->row_shape[0];
	if (cache->row_type[1] == type && cache->row_shape[1] != NULL)
		return cache->row_shape[1];
	return new_shape(fcinfo, cache, type);
}

/* Make the shape of a row type and keep it in a free slot of the call site. */
static RowShape *
new_shape(FunctionCallInfo fcinfo, EvalCache *cache, Oid type)
{
	TupleDesc	desc = lookup_rowtype_tupdesc(type, -1);
	int			i = cache->row_shape[0] == NULL ? 0 : 1;

	cache->row_shape[i] = row_shape_new(desc, fcinfo->flinfo->fn_mcxt);
	cache->row_type[i] = type;
	ReleaseTupleDesc(desc);
	return cache->row_shape[i];
}

/*
 * The facts row of the argument d. A plain row (4-byte header) is read in place, decided here
 * without a call; a row read from a table column may have a 1-byte header, which leaves its
 * fields unaligned: it is copied with a 4-byte header into the call site's buffer (instead of a
 * fresh palloc per row, as detoasting would); a compressed or external one is detoasted.
 */
static HeapTupleHeader
facts_tuple(FunctionCallInfo fcinfo, EvalCache *cache, Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	Size		len;

	if (VARATT_IS_4B_U(v))
		return (HeapTupleHeader) v;
	if (!VARATT_IS_SHORT(v) || VARATT_IS_EXTERNAL(v))
		return DatumGetHeapTupleHeader(d);
	len = VARSIZE_SHORT(v) - VARHDRSZ_SHORT;
	if (cache->facts_buf_size < len + VARHDRSZ)
	{
		cache->facts_buf_size = Max(len + VARHDRSZ, 256);
		cache->facts_buf = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, cache->facts_buf_size);
	}
	SET_VARSIZE(cache->facts_buf, len + VARHDRSZ);
	memcpy(VARDATA(cache->facts_buf), VARDATA_SHORT(v), len);
	return (HeapTupleHeader) cache->facts_buf;
}

/* Array argument n: in place when plain (decided without a call, as for every row), else detoasted. */
static inline ArrayType *
array_arg(FunctionCallInfo fcinfo, int n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(n));

	return VARATT_IS_4B_U(v) ? (ArrayType *) v : PG_GETARG_ARRAYTYPE_P(n);
}

/* The non-null elements of an int4 array. */
static int
ints_from_array(ArrayType *arr, int32 **out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				k = 0;

	deconstruct_array(arr, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &n);
	*out = palloc(sizeof(int32) * Max(n, 1));
	for (i = 0; i < n; i++)
		if (!nulls[i])
			(*out)[k++] = DatumGetInt32(elems[i]);
	return k;
}

/* The code of a standard: 's' safe, 'm' model; anything else is an error. */
static char
standard_code(text *standard)
{
	const char *s = VARDATA_ANY(standard);
	int			len = VARSIZE_ANY_EXHDR(standard);

	if (rules_key_bytes_equal(s, len, "safe", 4))
		return 's';
	if (rules_key_bytes_equal(s, len, "model", 5))
		return 'm';
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown standard \"%s\"", text_to_cstring(standard)),
			 errhint("The standard is safe (an toàn về an ninh, trật tự) or model (điển hình).")));
	return 0;					/* not reached */
}

/*
 * The plan for the arguments (standard, kind, sub_kind, province, year, ...) starting at argument
 * base, NULL when none; *cachep is the call site's EvalCache, made on the first row. When
 * recentp is given, *recentp is the call site's entry for the key (NULL without one). Inlined
 * with input_from_args into each entry point, so that base is a constant there: a variable
 * base cost about 30 instructions a row in reading the arguments.
 */
static pg_attribute_always_inline const RulePlan *
plan_from_args(FunctionCallInfo fcinfo, int base, EvalCache **cachep, RulesRecent **recentp, EvalInput *in)
{
	EvalCache  *cache = *cachep;
	text	   *standard,
			   *kind,
			   *province = NULL;
	char		std;
	int			year;
	RulesRecent *recent;
	const RulePlan *plan;

	if (recentp)
		*recentp = NULL;
	if (PG_ARGISNULL(base) || PG_ARGISNULL(base + 1) || PG_ARGISNULL(base + 4))
		return NULL;
	if (cache == NULL)
		cache = *cachep = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(EvalCache));
	standard = rules_text_arg(fcinfo, base);
	std = standard_code(standard);
	kind = rules_text_arg(fcinfo, base + 1);
	if (!PG_ARGISNULL(base + 3))
		province = rules_text_arg(fcinfo, base + 3);
	year = PG_GETARG_INT32(base + 4);
	recent = rules_recent_find(cache->recent, kind, province, year, std);
	if (recent == NULL)
	{
		recent = rules_recent_add(cache->recent, kind, province, year, std);
		recent->rules = rules_plan(std, recent->key.kind, recent->key.province_null ? NULL : recent->key.province,
								   recent->key.year);
		recent->used = true;
	}
	if (recentp)
		*recentp = recent;
	plan = recent->rules;
	if (plan->nsets == 0 || plan->ncriteria == 0)
		return NULL;
	if (plan->ncriteria > ATT_MAX_CRITERIA)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%d criteria apply, more than the %d an attainment holds", plan->ncriteria, ATT_MAX_CRITERIA)));
	input_from_args(fcinfo, base, cache, in);
	return plan;
}

PG_FUNCTION_INFO_V1(antq_evaluate);

/* antq.evaluate(standard, kind, sub_kind, province, year, facts, prev, incidents, unit_counts, checks_met, checks_recorded): the attainment. */
Datum
antq_evaluate(PG_FUNCTION_ARGS)
{
	EvalInput	in;
	const RulePlan *plan = plan_from_args(fcinfo, 0, (EvalCache **) &fcinfo->flinfo->fn_extra, NULL, &in);
	uint8		states[ATT_MAX_CRITERIA];
	Attainment *att;
	int			i;

	if (plan == NULL)
		PG_RETURN_NULL();
	/* One byte per criterion while evaluating (the padding to whole bytes stays ATT_NA); packed at the end. */
	memset(states, ATT_NA, sizeof(states));
	eval_plan_states(plan, &in, states);
	att = attainment_new(plan->ncriteria);
	for (i = 0; i < ATT_STATE_BYTES(plan->ncriteria); i++)
		att->states[i] = (uint8) (states[4 * i] | states[4 * i + 1] << 2 | states[4 * i + 2] << 4 | states[4 * i + 3] << 6);
	PG_RETURN_ATTAINMENT_P(att);
}

/*
 * antq.complete(antq.evaluate(...)) of the eleven arguments starting at argument base: -1 for
 * NULL (no criteria apply), else whether no criterion is not met. A criterion is not met when
 * one of its conditions is not met (antq.evaluate stops looking at a criterion there), so the
 * answer is false at the first condition not met: the conditions after it, and the attainment,
 * are never needed. Evaluating a condition raises no error and changes nothing, so neither
 * stopping early nor the order hides or changes anything: the condition last found not met for
 * the same rules is tried first, since units of a province tend to fail the same criteria.
 */
static pg_attribute_always_inline int
evaluate_complete_at(FunctionCallInfo fcinfo, int base, EvalCache **cachep, RulesRecent **recentp)
{
	EvalInput	in;
	RulesRecent *recent;
	const RulePlan *plan = plan_from_args(fcinfo, base, cachep, &recent, &in);
	int			not_met;

	if (recentp)
		*recentp = recent;
	if (plan == NULL)
		return -1;
	/* the last not met of this plan, or 0: a plan with criteria has conditions */
	not_met = eval_plan_not_met(plan, &in, recent->last_not_met);
	if (not_met < 0)
		return 1;
	recent->last_not_met = not_met;
	return 0;
}

/* evaluate_complete_at for the two argument positions it is called with, each with base a constant. */
int
evaluate_complete_args(FunctionCallInfo fcinfo, int base, EvalCache **cachep, RulesRecent **recentp)
{
	Assert(base == 0 || base == 4);
	return base == 0 ? evaluate_complete_at(fcinfo, 0, cachep, recentp) : evaluate_complete_at(fcinfo, 4, cachep, recentp);
}

PG_FUNCTION_INFO_V1(antq_evaluate_complete);

/*
 * antq.evaluate_complete(same arguments as antq.evaluate): antq.complete(antq.evaluate(...)) in
 * one call, which the planner substitutes for it (engine_support.c).
 */
Datum
antq_evaluate_complete(PG_FUNCTION_ARGS)
{
	int			complete = evaluate_complete_args(fcinfo, 0, (EvalCache **) &fcinfo->flinfo->fn_extra, NULL);

	if (complete < 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(complete == 1);
}

PG_FUNCTION_INFO_V1(antq_explain);

/* antq.explain(same arguments as antq.evaluate): one row per criterion with its state and reasons. */
Datum
antq_explain(PG_FUNCTION_ARGS)
{
	EvalInput	in;
	const RulePlan *plan;
	Terms		terms;
	int			s,
				n;

	InitMaterializedSRF(fcinfo, 0);
	plan = plan_from_args(fcinfo, 0, (EvalCache **) &fcinfo->flinfo->fn_extra, NULL, &in);
	if (plan == NULL)
		return (Datum) 0;
	terms_load(&terms);
	for (s = 0; s < plan->nsets; s++)
		for (n = 1; n <= plan->sets[s]->ncriteria; n++)
			explain_criterion(fcinfo, plan, s, n, &in, &terms);
	return (Datum) 0;
}

/* One row of antq.explain: criterion n of the plan's set s, its state and reasons. */
static void
explain_criterion(FunctionCallInfo fcinfo, const RulePlan *plan, int s, int n, EvalInput *in, const Terms *terms)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const CriteriaSet *set = plan->sets[s];
	Reason		not_met,
				na;
	AttState	state = ATT_NA;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	int			i;

	reason_init(&not_met, terms);
	reason_init(&na, terms);
	for (i = 0; i < set->nconditions; i++)
	{
		const Condition *c = &set->conditions[i];
		Reason		why;
		AttState	st;

		if (c->criterion_no != n)
			continue;
		reason_init(&why, terms);
		st = eval_condition(c, in, &why);
		if (st == ATT_NOT_MET)
		{
			state = ATT_NOT_MET;
			reason_join(&not_met, &why);
		}
		else if (st == ATT_MET && state == ATT_NA)
			state = ATT_MET;
		else if (st == ATT_NA && why.en.len)
			reason_join(&na, &why);
	}
	values[0] = Int32GetDatum(plan->offsets[s] + n);
	values[1] = CStringGetTextDatum(set->set_id);
	values[2] = Int32GetDatum(n);
	values[3] = CStringGetTextDatum(state == ATT_MET ? "met" : state == ATT_NOT_MET ? "not met" : "not applicable");
	if (state == ATT_NOT_MET)
	{
		values[4] = CStringGetTextDatum(not_met.en.data);
		values[5] = CStringGetTextDatum(not_met.vi.data);
	}
	else if (state == ATT_NA)
	{
		values[4] = CStringGetTextDatum(na.en.len ? na.en.data : psprintf("%d: not applicable", n));
		values[5] = CStringGetTextDatum(na.vi.len ? na.vi.data : psprintf("%d: không áp dụng", n));
	}
	else
	{
		values[4] = CStringGetTextDatum(na.en.len ? psprintf("%d: met (%s)", n, na.en.data) : psprintf("%d: met", n));
		values[5] = CStringGetTextDatum(na.vi.len ? psprintf("%d: đạt (%s)", n, na.vi.data) : psprintf("%d: đạt", n));
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}
