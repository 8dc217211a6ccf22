/*
 * bounds.c — the window of years (khoảng năm hợp lệ) that facts and rules may name.
 *
 * A year or a date far outside the movement's history is never a real fact, and it does harm:
 * change capture queues the worker for it, the engine compiles rule sets for it, and one such
 * row written by any writer stalls recomputes for everybody. The validation triggers
 * (sql/21_registry_rules.sql, sql/31_facts_rules.sql, sql/40_rules.sql) therefore accept years
 * from antq.year_min through the current year plus antq.years_ahead only, and dates in those
 * years. Both settings are PGC_SUSET: a writer or an admin cannot widen the window for a
 * session; a superuser sets them per database or cluster (ALTER DATABASE ... SET).
 *
 * The functions are read once or twice per written row, so they do no catalog or table access:
 * two integers and the transaction's start time.
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "antq.h"

/*
 * GUC antq.year_min: the earliest year a fact, a rule or a registry date may name. 1990: the
 * registry's oldest versions date from the 1991 provincial splits (valid_from 1991-10-01), and
 * the earliest rules shipped (Circular 23/2012/TT-BCA, applied from 2013) come well after.
 */
static int	bounds_year_min = 1990;

/*
 * GUC antq.years_ahead: how many years after the current one a fact or a rule may name. 1: next
 * year's registrations and rule sets are prepared in the last weeks of the year, and change
 * capture recomputes registry and rules changes through next year (antq.capture_first_year ..
 * current year + 1), so every admitted year is one the worker keeps up to date.
 */
static int	bounds_years_ahead = 1;

PG_FUNCTION_INFO_V1(antq_year_min);
PG_FUNCTION_INFO_V1(antq_year_max);
PG_FUNCTION_INFO_V1(antq_date_min);
PG_FUNCTION_INFO_V1(antq_date_max);

/* Define antq.year_min and antq.years_ahead. */
void
antq_bounds_init(void)
{
	DefineCustomIntVariable("antq.year_min",
							"Earliest year (năm sớm nhất) a fact, a rule or a registry date may name.",
							"Years before it, and dates in them, are rejected by the validation triggers (SQLSTATE 22008).",
							&bounds_year_min, 1990, 1900, 2100, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("antq.years_ahead",
							"Years after the current one (số năm tới) a fact, a rule or a registry date may name.",
							"The latest year accepted is the current year (at transaction start, local time) plus this; "
							"later years and dates are rejected by the validation triggers (SQLSTATE 22008).",
							&bounds_years_ahead, 1, 0, 10, PGC_SUSET, 0, NULL, NULL, NULL);
}

/* The calendar year the transaction started in (local time), as change capture reckons it. */
static int
transaction_year(void)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	if (timestamp2tm(GetCurrentTransactionStartTimestamp(), &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("the transaction's start time is out of range")));
	return tm.tm_year;
}

/* The latest year accepted: the current year plus antq.years_ahead. */
static int
year_max(void)
{
	return transaction_year() + bounds_years_ahead;
}

/* The window of years accepted, for C callers (change capture). */
void
antq_year_window(int32 *first, int32 *last)
{
	*first = bounds_year_min;
	*last = year_max();
}

/* antq.year_min(): the earliest year accepted (antq.year_min). */
Datum
antq_year_min(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(bounds_year_min);
}

/* antq.year_max(): the latest year accepted, the current year plus antq.years_ahead. */
Datum
antq_year_max(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(year_max());
}

/* antq.date_min(): 1 January of antq.year_min. */
Datum
antq_date_min(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(date2j(bounds_year_min, 1, 1) - POSTGRES_EPOCH_JDATE);
}

/* antq.date_max(): 31 December of the latest year accepted. */
Datum
antq_date_max(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATEADT(date2j(year_max(), 12, 31) - POSTGRES_EPOCH_JDATE);
}
