/*
 * reasons.h — the reasons antq.explain gives for a condition (lý do), written in English and in
 * Vietnamese side by side (reasons.c). criteria.c decides the state of each condition; when a
 * caller asks why, it hands the numbers it compared to one of these functions, which write
 * them. The Vietnamese words come from antq.term_labels() (sql/32_terms.sql), read once per
 * call of antq.explain: reasons are for people, never on the recompute's path.
 */
#ifndef ANTQ_REASONS_H
#define ANTQ_REASONS_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "utils/date.h"

#include "rules.h"

/* Vietnamese labels of facts, incident kinds, severities and force ratings. */
typedef struct Terms
{
	int			n;
	char	   *domain;			/* per entry: 'f' fact, 'k' incident kind, 's' severity, 'r' rating */
	const char **term;
	const char **vi;
} Terms;

/* One reason in both languages; the state's reasons are joined with "; ". */
typedef struct Reason
{
	StringInfoData en;
	StringInfoData vi;
	const Terms *terms;
} Reason;

extern void terms_load(Terms *t);
extern void reason_init(Reason *r, const Terms *terms);
extern void reason_join(Reason *into, const Reason *part);

extern void reason_not_applicable_if(Reason *r, const Condition *c);
extern void reason_other_sub_kind(Reason *r, const Condition *c, const char *sub_kind, int len);
extern void reason_not_recorded(Reason *r, const Condition *c);
extern void reason_false(Reason *r, const Condition *c, bool recorded);
extern void reason_date_outside_q1(Reason *r, const Condition *c, DateADT day, int year);
extern void reason_ratio_missing(Reason *r, const Condition *c);
extern void reason_ratio_low(Reason *r, const Condition *c, int64 v, int64 v2);
extern void reason_count(Reason *r, const Condition *c, int64 v);
extern void reason_no_last_year(Reason *r, const Condition *c, int year);
extern void reason_above_last_year(Reason *r, const Condition *c, int64 v, int64 last, int found, int year);
extern void reason_rating_low(Reason *r, const Condition *c, const char *rating, int len);
extern void reason_incident(Reason *r, const Condition *c, bool first, text *severity, text *kind, const Datum *occurred_on);
extern void reason_no_units(Reason *r, const Condition *c);
extern void reason_units_low(Reason *r, const Condition *c, int64 part, int64 total);
extern void reason_check(Reason *r, const Condition *c, bool recorded);

#endif							/* ANTQ_REASONS_H */
