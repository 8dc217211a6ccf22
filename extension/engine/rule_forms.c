/*
 * rule_forms.c — the rule forms of antq.criterion (dạng quy tắc), one function each: reading
 * the facts a condition names from the unit-year's rows (rule_forms.h) and deciding its state,
 * with the numbers it compared handed to reasons.c when the caller asks why. criteria.c
 * unpacks the arguments of the SQL functions and runs the conditions of a plan through
 * eval_condition.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "reasons.h"
#include "row_reader.h"
#include "rule_forms.h"
#include "rules.h"

#define MICRO	INT64CONST(1000000)

static AttState eval_no_incident(const Condition *c, const EvalInput *in, Reason *why);
static AttState eval_units(const Condition *c, const EvalInput *in, Reason *why);

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

/*
 * The rule forms, one function each: the state of one condition for the unit-year in, and when
 * why is given, the reason it is not met or not applicable (reasons.c writes it). They are
 * inlined into both callers, so that antq.evaluate's copy (why NULL) has no reason-writing code
 * and no call per condition.
 */
static pg_attribute_always_inline AttState
form_fact_true(const Condition *c, EvalInput *in, Reason *why)
{
	bool		b;

	if (fact_bool(&c->fact, &in->facts, &b) && b)
		return ATT_MET;
	if (why)
		reason_false(why, c, fact_bool(&c->fact, &in->facts, &b));
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_date_in_q1(const Condition *c, EvalInput *in, Reason *why)
{
	Datum		d;
	Oid			typid;

	if (fact_datum(&c->fact, &in->facts, &d, &typid) && typid == DATEOID)
	{
		DateADT		day = DatumGetDateADT(d);

		if (day >= in->q1 && day < in->q2)
			return ATT_MET;
		if (why)
			reason_date_outside_q1(why, c, day, in->year);
		return ATT_NOT_MET;
	}
	if (why)
		reason_not_recorded(why, c);
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_ratio_at_least(const Condition *c, EvalInput *in, Reason *why)
{
	int64		v,
				v2;

	if (!fact_number(&c->fact, &in->facts, &v) || !fact_number(&c->fact2, &in->facts, &v2) || v2 <= 0)
	{
		if (why)
			reason_ratio_missing(why, c);
		return ATT_NOT_MET;
	}
	/* v / v2 >= t, all times 10^6: v * 10^6 >= t * v2 (exact for whole counts) */
	if ((double) v * MICRO >= (double) c->threshold_micro * v2)
		return ATT_MET;
	if (why)
		reason_ratio_low(why, c, v, v2);
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_count(const Condition *c, EvalInput *in, Reason *why)
{
	int64		v;

	if (!fact_number(&c->fact, &in->facts, &v))
	{
		if (why)
			reason_not_recorded(why, c);
		return ATT_NOT_MET;
	}
	if (c->form == FORM_COUNT_AT_MOST ? v <= c->threshold_micro : v >= c->threshold_micro)
		return ATT_MET;
	if (why)
		reason_count(why, c, v);
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_not_above_last_year(const Condition *c, EvalInput *in, Reason *why)
{
	int64		last,
				v;
	int			found = prev_sum(&c->fact, in, &last);

	if (found == 0)
	{
		if (why)
			reason_no_last_year(why, c, in->year);
		return ATT_NA;
	}
	if (!fact_number(&c->fact, &in->facts, &v))
	{
		if (why)
			reason_not_recorded(why, c);
		return ATT_NOT_MET;
	}
	/* v <= last * (1 - t), times 10^6 */
	if ((double) v * MICRO <= (double) last * (MICRO - (c->has_threshold ? c->threshold_micro : 0)))
		return ATT_MET;
	if (why)
		reason_above_last_year(why, c, v, last, found, in->year);
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_rating_at_least(const Condition *c, EvalInput *in, Reason *why)
{
	Datum		d;
	Oid			typid;

	if (fact_datum(&c->fact, &in->facts, &d, &typid) && typid == TEXTOID)
	{
		text	   *r = (text *) DatumGetPointer(d);

		if (unlikely(VARATT_IS_COMPRESSED(r) || VARATT_IS_EXTERNAL(r)))
			r = DatumGetTextPP(d);

		if (rules_force_rating_rank(VARDATA_ANY(r), VARSIZE_ANY_EXHDR(r)) >= c->level && c->level > 0)
			return ATT_MET;
		if (why)
			reason_rating_low(why, c, VARDATA_ANY(r), VARSIZE_ANY_EXHDR(r));
		return ATT_NOT_MET;
	}
	if (why)
		reason_not_recorded(why, c);
	return ATT_NOT_MET;
}

static pg_attribute_always_inline AttState
form_check_met(const Condition *c, EvalInput *in, Reason *why)
{
	if (int_in(c->criterion_no, in->met, in->nmet))
		return ATT_MET;
	if (why)
		reason_check(why, c, int_in(c->criterion_no, in->recorded, in->nrecorded));
	return ATT_NOT_MET;
}

/* Whether the condition applies to the unit: its applies_if fact is true, its sub-kind listed. */
static pg_attribute_always_inline bool
condition_applies(const Condition *c, EvalInput *in, Reason *why)
{
	bool		b;
	int			i;
	bool		applies = false;

	if (c->applies_if.name && (!fact_bool(&c->applies_if, &in->facts, &b) || !b))
	{
		if (why)
			reason_not_applicable_if(why, c);
		return false;
	}
	if (c->nsub_kinds == 0)
		return true;
	for (i = 0; i < c->nsub_kinds && in->sub_kind; i++)
		applies |= rules_key_bytes_equal(in->sub_kind, in->sub_kind_len, c->sub_kinds[i], (int) strlen(c->sub_kinds[i]));
	if (!applies && why)
		reason_other_sub_kind(why, c, in->sub_kind, in->sub_kind_len);
	return applies;
}

/* Evaluate one condition by its form. */
static pg_attribute_always_inline AttState
condition_state(const Condition *c, EvalInput *in, Reason *why)
{
	if (!condition_applies(c, in, why))
		return ATT_NA;
	switch (c->form)
	{
		case FORM_FACT_TRUE:
			return form_fact_true(c, in, why);
		case FORM_DATE_IN_Q1:
			return form_date_in_q1(c, in, why);
		case FORM_RATIO_AT_LEAST:
			return form_ratio_at_least(c, in, why);
		case FORM_COUNT_AT_MOST:
		case FORM_COUNT_AT_LEAST:
			return form_count(c, in, why);
		case FORM_NOT_ABOVE_LAST_YEAR:
			return form_not_above_last_year(c, in, why);
		case FORM_NO_INCIDENT:
			return in->incidents == NULL ? ATT_MET : eval_no_incident(c, in, why);
		case FORM_RATING_AT_LEAST:
			return form_rating_at_least(c, in, why);
		case FORM_UNITS_REGISTERED:
		case FORM_UNITS_RECOGNIZED:
			return eval_units(c, in, why);
		case FORM_CHECK_MET:
			return form_check_met(c, in, why);
	}
	return ATT_NA;
}

/* no_incident: no incident of the kinds at or above the severity, bar the exceptions. */
static AttState
eval_no_incident(const Condition *c, const EvalInput *in, Reason *why)
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
			listed = rules_key_bytes_equal(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), c->kinds[k], (int) strlen(c->kinds[k]));
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
		d = row_get(&t, ic->occurred_on, &isnull);
		reason_incident(why, c, state == ATT_MET, severity, kind, isnull ? NULL : &d);
		state = ATT_NOT_MET;
	}
	return state;
}

/* units_registered / units_recognized: shares of the units under a commune's authority. */
static AttState
eval_units(const Condition *c, const EvalInput *in, Reason *why)
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
			reason_no_units(why, c);
		return ATT_NA;
	}
	if (part * MICRO >= c->threshold_micro * total)
		return ATT_MET;
	if (why)
		reason_units_low(why, c, part, total);
	return ATT_NOT_MET;
}

/* One condition, with the reason when why is given (rule_forms.h): antq.explain's call. */
AttState
eval_condition(const Condition *c, EvalInput *in, Reason *why)
{
	return condition_state(c, in, why);
}

/*
 * The state of every criterion of the plan, one byte each (ATT_NA where no condition applies):
 * antq.evaluate's loop, here so that the conditions are evaluated inline, without a call each.
 */
void
eval_plan_states(const RulePlan *plan, EvalInput *in, uint8 *states)
{
	int			i;

	for (i = 0; i < plan->nconditions; i++)
	{
		int			pos = plan->positions[i];
		AttState	st;

		if (states[pos] == ATT_NOT_MET)
			continue;			/* already failed: the rest cannot change it */
		st = condition_state(plan->conditions[i], in, NULL);
		if (st != ATT_NA)
			states[pos] = (uint8) st;
	}
}

/* The first condition of the plan found not met, trying condition first before the others; -1 when none. */
int
eval_plan_not_met(const RulePlan *plan, EvalInput *in, int first)
{
	int			i;

	if (condition_state(plan->conditions[first], in, NULL) == ATT_NOT_MET)
		return first;
	for (i = 0; i < plan->nconditions; i++)
		if (i != first && condition_state(plan->conditions[i], in, NULL) == ATT_NOT_MET)
			return i;
	return -1;
}
