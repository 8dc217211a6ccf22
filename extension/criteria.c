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
#include "row_reader.h"
#include "rules.h"

#define MICRO	INT64CONST(1000000)

/* The facts of one unit-year, unpacked from the function's arguments. */
typedef struct EvalInput
{
	int			year;
	DateADT		q1;				/* 1 January and 1 April of year */
	DateADT		q2;
	const char *sub_kind;		/* not NUL-terminated: see sub_kind_len */
	int			sub_kind_len;
	RowReader	facts;			/* no attributes when there is no assessment */
	ArrayType  *prev;			/* previous year's rows, read only by not_above_last_year */
	RowShape   *prev_shape;
	ArrayType  *incidents;		/* incidents in the window, read only by no_incident */
	RowShape   *incident_shape;
	bool		has_counts;
	int32		counts[UNIT_KIND_COUNT * 3];	/* per kind: total, registered, recognized */
	int			nmet;
	int32	   *met;
	int			nrecorded;
	int32	   *recorded;
} EvalInput;

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
static bool extra_value(const FactRef *f, Datum column, Datum *value, Oid *typid);
static int	prev_sum(const FactRef *f, const EvalInput *in, int64 *last);
static pg_attribute_always_inline AttState eval_condition(const Condition *c, EvalInput *in, StringInfo why);
static AttState eval_no_incident(const Condition *c, const EvalInput *in, StringInfo why);
static AttState eval_units(const Condition *c, const EvalInput *in, StringInfo why);
static bool int_in(int32 v, const int32 *list, int n);
static void append_micro(StringInfo s, int64 micro);
static void append_words(StringInfo s, const char *identifier);
static char standard_code(text *standard);
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

/* The value of a key of the extra column (jsonb); false when absent or of another JSON type. */
static bool
extra_value(const FactRef *f, Datum column, Datum *value, Oid *typid)
{
	Jsonb	   *jb = DatumGetJsonbP(column);
	JsonbValue	vbuf;
	JsonbValue *v;

	v = getKeyJsonValueFromContainer(&jb->root, f->extra_key, strlen(f->extra_key), &vbuf);
	if (v == NULL)
		return false;
	if (v->type == jbvBool)
	{
		*value = BoolGetDatum(v->val.boolean);
		*typid = BOOLOID;
		return true;
	}
	if (v->type == jbvNumeric)
	{
		*value = NumericGetDatum(v->val.numeric);
		*typid = NUMERICOID;
		return true;
	}
	if (v->type == jbvString)
	{
		*value = PointerGetDatum(cstring_to_text_with_len(v->val.string.val, v->val.string.len));
		*typid = TEXTOID;
		return true;
	}
	return false;
}

/* The value of a fact in a row (its column, or a key of its extra column); false when absent or NULL. */
static pg_attribute_always_inline bool
fact_datum(const FactRef *f, RowReader *row, Datum *value, Oid *typid)
{
	bool		isnull;
	Datum		column;

	if (f->name == NULL)
		return false;
	column = row_get(row, f->attnum, &isnull);
	if (isnull)
		return false;
	if (likely(f->extra_key == NULL))
	{
		*value = column;
		*typid = f->typid;
		return true;
	}
	return extra_value(f, column, value, typid);
}

/* A number of type typid times 1,000,000; false when not a number. */
static pg_attribute_always_inline bool
number_micro(Datum d, Oid typid, int64 *micro)
{
	if (typid == INT4OID)
		*micro = (int64) DatumGetInt32(d) * MICRO;
	else if (typid == NUMERICOID)
		*micro = (int64) rint(DatumGetFloat8(DirectFunctionCall1(numeric_float8, d)) * MICRO);
	else
		return false;
	return true;
}

/* A numeric fact times 1,000,000; false when absent or not a number. */
static pg_attribute_always_inline bool
fact_number(const FactRef *f, RowReader *row, int64 *micro)
{
	Datum		d;
	Oid			typid;

	return fact_datum(f, row, &d, &typid) && number_micro(d, typid, micro);
}

/*
 * The sum of a numeric fact over the previous year's rows that record it (times 1,000,000), and
 * how many do. The array is walked in place and each row read for that one column, since only
 * this rule form looks at those rows.
 */
static int
prev_sum(const FactRef *f, const EvalInput *in, int64 *last)
{
	RowArrayIter it;
	HeapTupleHeader th;
	int			found = 0;

	*last = 0;
	if (in->prev == NULL || f->name == NULL || f->attnum < 1)
		return 0;
	row_array_begin(&it, in->prev);
	while ((th = row_array_next(&it)) != NULL)
	{
		RowReader	row;
		int64		v;

		row_reader_init(&row, in->prev_shape, th);
		if (fact_number(f, &row, &v))
		{
			*last += v;
			found++;
		}
	}
	return found;
}

/* A boolean fact; false when absent or not a boolean. */
static pg_attribute_always_inline bool
fact_bool(const FactRef *f, RowReader *row, bool *value)
{
	Datum		d;
	Oid			typid;

	if (!fact_datum(f, row, &d, &typid) || typid != BOOLOID)
		return false;
	*value = DatumGetBool(d);
	return true;
}

/* Whether v is in list. */
static bool
int_in(int32 v, const int32 *list, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

/* Append a value held times 1,000,000 as a plain decimal. */
static void
append_micro(StringInfo s, int64 micro)
{
	if (micro % MICRO == 0)
		appendStringInfo(s, INT64_FORMAT, micro / MICRO);
	else
		appendStringInfo(s, "%g", (double) micro / MICRO);
}

/* Append an identifier such as serious_fire_explosion as words. */
static void
append_words(StringInfo s, const char *identifier)
{
	const char *p;

	for (p = identifier; *p; p++)
		appendStringInfoChar(s, *p == '_' ? ' ' : *p);
}

/*
 * Evaluate one condition; when why is given, append the reason it is not met or not applicable.
 * Inlined into both callers, so that antq.evaluate's copy (why NULL) has no reason-writing code
 * and no call per condition.
 */
static pg_attribute_always_inline AttState
eval_condition(const Condition *c, EvalInput *in, StringInfo why)
{
	RowReader  *facts = &in->facts;
	bool		b;
	int64		v,
				v2;
	Datum		d;
	Oid			typid;

	if (c->applies_if.name && (!fact_bool(&c->applies_if, facts, &b) || !b))
	{
		if (why)
			appendStringInfo(why, "%s: not applicable (%s is not true)", c->label, c->applies_if.name);
		return ATT_NA;
	}
	if (c->nsub_kinds > 0)
	{
		int			i;
		bool		applies = false;

		for (i = 0; i < c->nsub_kinds && in->sub_kind; i++)
			applies |= (int) strlen(c->sub_kinds[i]) == in->sub_kind_len &&
				memcmp(c->sub_kinds[i], in->sub_kind, in->sub_kind_len) == 0;
		if (!applies)
		{
			if (why)
				appendStringInfo(why, "%s: not applicable to sub-kind %.*s", c->label,
								 in->sub_kind ? in->sub_kind_len : 6, in->sub_kind ? in->sub_kind : "(none)");
			return ATT_NA;
		}
	}

	switch (c->form)
	{
		case FORM_FACT_TRUE:
			if (fact_bool(&c->fact, facts, &b) && b)
				return ATT_MET;
			if (why)
				appendStringInfo(why, "%s: %s is %s", c->label, c->fact.name,
								 fact_bool(&c->fact, facts, &b) ? "false" : "not recorded");
			return ATT_NOT_MET;

		case FORM_DATE_IN_Q1:
			if (fact_datum(&c->fact, facts, &d, &typid) && typid == DATEOID)
			{
				DateADT		day = DatumGetDateADT(d);

				if (day >= in->q1 && day < in->q2)
					return ATT_MET;
				if (why)
					appendStringInfo(why, "%s: %s %s is not in Q1 %d", c->label, c->fact.name,
									 DatumGetCString(DirectFunctionCall1(date_out, d)), in->year);
				return ATT_NOT_MET;
			}
			if (why)
				appendStringInfo(why, "%s: %s not recorded", c->label, c->fact.name);
			return ATT_NOT_MET;

		case FORM_RATIO_AT_LEAST:
			if (!fact_number(&c->fact, facts, &v) || !fact_number(&c->fact2, facts, &v2) || v2 <= 0)
			{
				if (why)
					appendStringInfo(why, "%s: %s/%s not recorded (or no %s)", c->label, c->fact.name, c->fact2.name, c->fact2.name);
				return ATT_NOT_MET;
			}
			/* v / v2 >= t, all times 10^6: v * 10^6 >= t * v2 (exact for whole counts) */
			if ((double) v * MICRO >= (double) c->threshold_micro * v2)
				return ATT_MET;
			if (why)
			{
				appendStringInfo(why, "%s: %s/%s = ", c->label, c->fact.name, c->fact2.name);
				append_micro(why, v);
				appendStringInfoChar(why, '/');
				append_micro(why, v2);
				appendStringInfo(why, " (%.1f%%), at least %g%% required", 100.0 * v / v2, (double) c->threshold_micro / 10000.0);
			}
			return ATT_NOT_MET;

		case FORM_COUNT_AT_MOST:
		case FORM_COUNT_AT_LEAST:
			if (!fact_number(&c->fact, facts, &v))
			{
				if (why)
					appendStringInfo(why, "%s: %s not recorded", c->label, c->fact.name);
				return ATT_NOT_MET;
			}
			if (c->form == FORM_COUNT_AT_MOST ? v <= c->threshold_micro : v >= c->threshold_micro)
				return ATT_MET;
			if (why)
			{
				appendStringInfo(why, "%s: %s = ", c->label, c->fact.name);
				append_micro(why, v);
				appendStringInfoString(why, c->form == FORM_COUNT_AT_MOST ? ", at most " : ", at least ");
				append_micro(why, c->threshold_micro);
				appendStringInfoString(why, c->form == FORM_COUNT_AT_MOST ? " allowed" : " required");
			}
			return ATT_NOT_MET;

		case FORM_NOT_ABOVE_LAST_YEAR:
			{
				int64		last;
				int			found = prev_sum(&c->fact, in, &last);

				if (found == 0)
				{
					if (why)
						appendStringInfo(why, "%s: not applicable (no %s for %d)", c->label, c->fact.name, in->year - 1);
					return ATT_NA;
				}
				if (!fact_number(&c->fact, facts, &v))
				{
					if (why)
						appendStringInfo(why, "%s: %s not recorded", c->label, c->fact.name);
					return ATT_NOT_MET;
				}
				/* v <= last * (1 - t), times 10^6 */
				if ((double) v * MICRO <= (double) last * (MICRO - (c->has_threshold ? c->threshold_micro : 0)))
					return ATT_MET;
				if (why)
				{
					appendStringInfo(why, "%s: %s = ", c->label, c->fact.name);
					append_micro(why, v);
					appendStringInfo(why, ", above %d's ", in->year - 1);
					append_micro(why, last);
					if (found > 1)
						appendStringInfo(why, " (sum of %d predecessors)", found);
					if (c->has_threshold && c->threshold_micro > 0)
						appendStringInfo(why, " less %g%%", (double) c->threshold_micro / 10000.0);
				}
				return ATT_NOT_MET;
			}

		case FORM_NO_INCIDENT:
			return in->incidents == NULL ? ATT_MET : eval_no_incident(c, in, why);

		case FORM_RATING_AT_LEAST:
			if (fact_datum(&c->fact, facts, &d, &typid) && typid == TEXTOID)
			{
				text	   *r = (text *) DatumGetPointer(d);

				if (unlikely(VARATT_IS_COMPRESSED(r) || VARATT_IS_EXTERNAL(r)))
					r = DatumGetTextPP(d);

				if (rules_force_rating_rank(VARDATA_ANY(r), VARSIZE_ANY_EXHDR(r)) >= c->level && c->level > 0)
					return ATT_MET;
				if (why)
					appendStringInfo(why, "%s: %s is %s, below the level required", c->label, c->fact.name, text_to_cstring(r));
				return ATT_NOT_MET;
			}
			if (why)
				appendStringInfo(why, "%s: %s not recorded", c->label, c->fact.name);
			return ATT_NOT_MET;

		case FORM_UNITS_REGISTERED:
		case FORM_UNITS_RECOGNIZED:
			return eval_units(c, in, why);

		case FORM_CHECK_MET:
			if (int_in(c->criterion_no, in->met, in->nmet))
				return ATT_MET;
			if (why)
				appendStringInfo(why, "%s: %s", c->label,
								 int_in(c->criterion_no, in->recorded, in->nrecorded) ? "check recorded as not met" : "no check recorded");
			return ATT_NOT_MET;
	}
	return ATT_NA;
}

/* no_incident: no incident of the kinds at or above the severity, bar the exceptions. */
static AttState
eval_no_incident(const Condition *c, const EvalInput *in, StringInfo why)
{
	const IncidentColumns *ic;
	AttState	state = ATT_MET;
	RowArrayIter it;
	HeapTupleHeader th;
	int			k;

	if (in->incidents == NULL)
		return ATT_MET;
	ic = rules_incident_columns();
	row_array_begin(&it, in->incidents);
	while ((th = row_array_next(&it)) != NULL)
	{
		RowReader	t;
		bool		isnull;
		text	   *kind;
		text	   *severity = NULL;
		bool		fm,
					hp,
					listed = false;
		Datum		d;

		row_reader_init(&t, in->incident_shape, th);
		d = row_get(&t, ic->kind, &isnull);
		if (isnull)
			continue;
		kind = DatumGetTextPP(d);
		for (k = 0; k < c->nkinds && !listed; k++)
			listed = (int) strlen(c->kinds[k]) == (int) VARSIZE_ANY_EXHDR(kind) &&
				memcmp(VARDATA_ANY(kind), c->kinds[k], VARSIZE_ANY_EXHDR(kind)) == 0;
		if (!listed)
			continue;
		d = row_get(&t, ic->severity, &isnull);
		if (!isnull)
			severity = DatumGetTextPP(d);
		if (c->min_severity > 0 &&
			(severity == NULL ? 0 : rules_severity_rank(VARDATA_ANY(severity), VARSIZE_ANY_EXHDR(severity))) < c->min_severity)
			continue;
		d = row_get(&t, ic->force_majeure, &isnull);
		fm = !isnull && DatumGetBool(d);
		d = row_get(&t, ic->handled_promptly, &isnull);
		hp = !isnull && DatumGetBool(d);
		if ((c->except_force_majeure && fm) || (c->except_handled_promptly && hp))
			continue;
		if (why == NULL)
			return ATT_NOT_MET;
		appendStringInfoString(why, state == ATT_MET ? c->label : ";");
		appendStringInfoString(why, state == ATT_MET ? ": " : " ");
		if (severity)
		{
			append_words(why, text_to_cstring(severity));
			appendStringInfoChar(why, ' ');
		}
		append_words(why, text_to_cstring(kind));
		d = row_get(&t, ic->occurred_on, &isnull);
		if (!isnull)
			appendStringInfo(why, " on %s", DatumGetCString(DirectFunctionCall1(date_out, d)));
		if (c->except_force_majeure)
			appendStringInfoString(why, ", not force majeure");
		if (c->except_handled_promptly)
			appendStringInfoString(why, ", not handled promptly");
		state = ATT_NOT_MET;
	}
	return state;
}

/* units_registered / units_recognized: shares of the units under a commune's authority. */
static AttState
eval_units(const Condition *c, const EvalInput *in, StringInfo why)
{
	int64		total = 0,
				part = 0;
	int			k;
	bool		registered = c->form == FORM_UNITS_REGISTERED;

	for (k = 0; k < UNIT_KIND_COUNT; k++)
	{
		if (!(c->unit_kinds_mask & (1 << k)))
			continue;
		total += in->counts[3 * k];
		part += in->counts[3 * k + (registered ? 1 : 2)];
	}
	if (!in->has_counts || total == 0)
	{
		if (why)
			appendStringInfo(why, "%s: not applicable (no units under its authority)", c->label);
		return ATT_NA;
	}
	if (part * MICRO >= c->threshold_micro * total)
		return ATT_MET;
	if (why)
	{
		appendStringInfo(why, "%s: " INT64_FORMAT " of " INT64_FORMAT " units %s (%.1f%%), at least %g%% required",
						 c->label, part, total, registered ? "registered" : "recognized (by decision where one is recorded, else as computed)",
						 100.0 * part / total, (double) c->threshold_micro / 10000.0);
	}
	return ATT_NOT_MET;
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
	for (i = 0; i < plan->nconditions; i++)
	{
		int			pos = plan->positions[i];
		AttState	st;

		if (states[pos] == ATT_NOT_MET)
			continue;			/* already failed: the rest cannot change it */
		st = eval_condition(plan->conditions[i], &in, NULL);
		if (st != ATT_NA)
			states[pos] = (uint8) st;
	}
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
	int			first,
				i;

	if (recentp)
		*recentp = recent;
	if (plan == NULL)
		return -1;
	first = recent->last_not_met;	/* of this plan, or 0: a plan with criteria has conditions */
	if (eval_condition(plan->conditions[first], &in, NULL) == ATT_NOT_MET)
		return 0;
	for (i = 0; i < plan->nconditions; i++)
		if (i != first && eval_condition(plan->conditions[i], &in, NULL) == ATT_NOT_MET)
		{
			recent->last_not_met = i;
			return 0;
		}
	return 1;
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

/* antq.explain(same arguments as antq.evaluate): one row per criterion with its state and reason. */
Datum
antq_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	EvalInput	in;
	const RulePlan *plan;
	int			s,
				n,
				i;

	InitMaterializedSRF(fcinfo, 0);
	plan = plan_from_args(fcinfo, 0, (EvalCache **) &fcinfo->flinfo->fn_extra, NULL, &in);
	if (plan == NULL)
		return (Datum) 0;
	for (s = 0; s < plan->nsets; s++)
	{
		const CriteriaSet *set = plan->sets[s];

		for (n = 1; n <= set->ncriteria; n++)
		{
			StringInfoData not_met,
						na;
			AttState	state = ATT_NA;
			Datum		values[5];
			bool		nulls[5] = {false, false, false, false, false};

			initStringInfo(&not_met);
			initStringInfo(&na);
			for (i = 0; i < set->nconditions; i++)
			{
				const Condition *c = &set->conditions[i];
				StringInfoData why;
				AttState	st;

				if (c->criterion_no != n)
					continue;
				initStringInfo(&why);
				st = eval_condition(c, &in, &why);
				if (st == ATT_NOT_MET)
				{
					state = ATT_NOT_MET;
					appendStringInfo(&not_met, "%s%s", not_met.len ? "; " : "", why.data);
				}
				else if (st == ATT_MET && state == ATT_NA)
					state = ATT_MET;
				else if (st == ATT_NA && why.len)
					appendStringInfo(&na, "%s%s", na.len ? "; " : "", why.data);
			}
			values[0] = Int32GetDatum(plan->offsets[s] + n);
			values[1] = CStringGetTextDatum(set->set_id);
			values[2] = Int32GetDatum(n);
			values[3] = CStringGetTextDatum(state == ATT_MET ? "met" : state == ATT_NOT_MET ? "not met" : "not applicable");
			if (state == ATT_NOT_MET)
				values[4] = CStringGetTextDatum(not_met.data);
			else if (state == ATT_NA)
				values[4] = CStringGetTextDatum(na.len ? na.data : psprintf("%d: not applicable", n));
			else
				values[4] = CStringGetTextDatum(na.len ? psprintf("%d: met (%s)", n, na.data) : psprintf("%d: met", n));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
