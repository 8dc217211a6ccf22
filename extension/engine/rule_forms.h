/*
 * rule_forms.h — evaluating one condition of a criteria set (rule_forms.c) against the facts of
 * one unit-year as criteria.c unpacks them from the arguments of antq.evaluate and antq.explain.
 */
#ifndef ANTQ_RULE_FORMS_H
#define ANTQ_RULE_FORMS_H

#include "postgres.h"

#include "utils/array.h"
#include "utils/date.h"

#include "attainment.h"
#include "reasons.h"
#include "row_reader.h"
#include "rules.h"

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

/* The state of condition c for the unit-year in; with why, the reason when not met or not applicable. */
extern AttState eval_condition(const Condition *c, EvalInput *in, Reason *why);

/* Every criterion's state, one byte each, into states (ATT_MAX_CRITERIA bytes set to ATT_NA). */
extern void eval_plan_states(const RulePlan *plan, EvalInput *in, uint8 *states);

/* The first condition not met, trying first before the others; -1 when every one is met or not applicable. */
extern int	eval_plan_not_met(const RulePlan *plan, EvalInput *in, int first);

#endif							/* ANTQ_RULE_FORMS_H */
