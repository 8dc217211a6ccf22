/*
 * assessment_check.c — the validation trigger of antq.assessment (kiểm tra số liệu đánh giá):
 * a test in C that a row is one the full check accepts unchanged, and the full check
 * (antq.assessment_check_full, PL/pgSQL, sql/31_facts_rules.sql) for every other row.
 *
 * The full check runs once for each row written, a province's yearly batch included; in
 * PL/pgSQL, with its calls of antq.nfc and antq.fact_version (each a function with its own
 * search_path and a query), it cost several times what COPY spends on the row. Almost every row
 * passes it unchanged: its year and dates in the window accepted, its counts 0 or more and
 * each part no more than its whole, a rating that is ASCII and one of the four (ASCII text is
 * its own NFC form), no provincial facts (extra), and a unit version that takes part in the year
 * (so antq.fact_version keeps it). For such a row this trigger returns it as it is; any other
 * row, however slightly unusual, goes to the full check, which changes it or names what is
 * wrong exactly as before. So the messages, their order and the rows stored are the full
 * check's.
 *
 * The version is read as antq.fact_version reads it: by its primary key, with the snapshot a
 * query of the trigger would take (GetTransactionSnapshot), and only when the writer may read
 * antq.unit. It is read without row-level security: for a confined writer and a version of
 * another province the full check would have refused the row naming the unit
 * (antq.unit_within_reach); the table's write policy makes the same call with the same
 * arguments and refuses it with the same error. Nothing is kept between rows but the columns'
 * positions, which are checked by name and type on every row.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "datatype/timestamp.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "antq.h"

/* Counts that must be 0 or more. */
static const char *const count_columns[] = {
	"households_total", "households_registered", "staff_total", "staff_briefed", "active_models",
	"crime_count", "new_hotspots", "new_vice_persons", "force_disciplined", "offenders_count",
	"subunits_total", "subunits_rated_good", "crime_reports_received", "crime_reports_handled",
	"outreach_target", "outreach_reached", "traffic_accidents", "traffic_deaths", "traffic_injuries", "tipoffs"
};
#define N_COUNTS lengthof(count_columns)

/* Parts that cannot exceed their whole: indexes into count_columns, part then whole. */
static const int part_whole[][2] = {{1, 0}, {3, 2}, {13, 12}, {11, 10}};

/* The other columns read, and their types. */
enum
{
	COL_UNIT_ID, COL_YEAR, COL_REGISTERED_ON, COL_RESOLUTION_ON, COL_PLAN_ON, COL_FORCE_RATING, COL_EXTRA,
	N_OTHERS
};
static const char *const other_columns[N_OTHERS] = {
	"unit_id", "year", "registered_on", "resolution_on", "plan_on", "force_rating", "extra"
};
static const Oid other_types[N_OTHERS] = {INT8OID, INT4OID, DATEOID, DATEOID, DATEOID, TEXTOID, JSONBOID};

/*
 * Positions of the columns in antq.assessment's rows. Global so that a row does not look up
 * 27 names; checked against the row's descriptor on every use (positions_hold), so a changed
 * table is looked up again rather than misread.
 */
static AttrNumber count_att[N_COUNTS];
static AttrNumber other_att[N_OTHERS];
static bool positions_known = false;

/* Whether column att of desc is the live column name of type type. */
static bool
column_is(TupleDesc desc, AttrNumber att, const char *name, Oid type)
{
	Form_pg_attribute a;

	if (att <= 0 || att > desc->natts)
		return false;
	a = TupleDescAttr(desc, att - 1);
	return !a->attisdropped && a->atttypid == type && strcmp(NameStr(a->attname), name) == 0;
}

/* Position of the live column name of type type in desc; 0 when it has none. */
static AttrNumber
column_number(TupleDesc desc, const char *name, Oid type)
{
	AttrNumber	att;

	for (att = 1; att <= desc->natts; att++)
		if (column_is(desc, att, name, type))
			return att;
	return 0;
}

/* Whether the positions known are those of desc's columns. */
static bool
positions_hold(TupleDesc desc)
{
	int			i;

	if (!positions_known)
		return false;
	for (i = 0; i < (int) N_COUNTS; i++)
		if (!column_is(desc, count_att[i], count_columns[i], INT4OID))
			return false;
	for (i = 0; i < N_OTHERS; i++)
		if (!column_is(desc, other_att[i], other_columns[i], other_types[i]))
			return false;
	return true;
}

/* Look the positions up in desc; false when a column is missing or of another type. */
static bool
find_positions(TupleDesc desc)
{
	int			i;

	for (i = 0; i < (int) N_COUNTS; i++)
		count_att[i] = column_number(desc, count_columns[i], INT4OID);
	for (i = 0; i < N_OTHERS; i++)
		other_att[i] = column_number(desc, other_columns[i], other_types[i]);
	positions_known = true;
	return positions_hold(desc);
}

/* A row's columns, taken apart once: by attribute number minus 1. */
typedef struct RowColumns
{
	Datum	   *values;
	bool	   *nulls;
} RowColumns;

#define COLUMN_NULL(r, att) ((r)->nulls[(att) - 1])
#define COLUMN(r, att) ((r)->values[(att) - 1])

/* Whether the counts are 0 or more and no part exceeds its whole. */
static bool
counts_pass(const RowColumns *r)
{
	int32		value[N_COUNTS];
	bool		isnull[N_COUNTS];
	int			i;

	for (i = 0; i < (int) N_COUNTS; i++)
	{
		isnull[i] = COLUMN_NULL(r, count_att[i]);
		value[i] = isnull[i] ? 0 : DatumGetInt32(COLUMN(r, count_att[i]));
		if (!isnull[i] && value[i] < 0)
			return false;
	}
	for (i = 0; i < (int) lengthof(part_whole); i++)
	{
		int			part = part_whole[i][0];
		int			whole = part_whole[i][1];

		if (!isnull[part] && !isnull[whole] && value[part] > value[whole])
			return false;
	}
	return true;
}

/* Whether the year and the dates lie in the window accepted (bounds.c). */
static bool
dates_pass(const RowColumns *r, int32 year)
{
	int32		first,
				last;
	DateADT		lo,
				hi;
	int			c;

	antq_year_window(&first, &last);
	if (year < first || year > last)
		return false;
	lo = date2j(first, 1, 1) - POSTGRES_EPOCH_JDATE;
	hi = date2j(last, 12, 31) - POSTGRES_EPOCH_JDATE;
	for (c = COL_REGISTERED_ON; c <= COL_PLAN_ON; c++)
		if (!COLUMN_NULL(r, other_att[c]) &&
			(DatumGetDateADT(COLUMN(r, other_att[c])) < lo || DatumGetDateADT(COLUMN(r, other_att[c])) > hi))
			return false;
	return true;
}

/* Whether the rating is NULL or, in ASCII, one of the four. */
static bool
rating_passes(const RowColumns *r)
{
	static const char *const ratings[] = {"not_completed", "completed", "completed_well", "completed_excellently"};
	text	   *t;
	int			len;
	int			i;

	if (COLUMN_NULL(r, other_att[COL_FORCE_RATING]))
		return true;
	t = DatumGetTextPP(COLUMN(r, other_att[COL_FORCE_RATING]));
	len = VARSIZE_ANY_EXHDR(t);
	for (i = 0; i < (int) lengthof(ratings); i++)
		if (len == (int) strlen(ratings[i]) && memcmp(VARDATA_ANY(t), ratings[i], len) == 0)
			return true;
	return false;
}

/*
 * Whether unit version unit_id takes part in year (in force on antq.window_end(kind, year)), read
 * by its primary key as the writer's query would see it; false too when the writer may not read
 * antq.unit (the full check then reports it).
 */
static bool
takes_part(int64 unit_id, int32 year)
{
	Oid			relid = get_relname_relid("unit", get_namespace_oid("antq", false));
	Relation	rel;
	TupleDesc	desc;
	AttrNumber	kind_att,
				from_att,
				to_att;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		result = false;

	if (!OidIsValid(relid) || pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		return false;
	rel = table_open(relid, AccessShareLock);
	if (!OidIsValid(RelationGetPrimaryKeyIndex(rel)))
	{
		table_close(rel, NoLock);
		return false;
	}
	desc = RelationGetDescr(rel);
	kind_att = column_number(desc, "kind", TEXTOID);
	from_att = column_number(desc, "valid_from", DATEOID);
	to_att = column_number(desc, "valid_to", DATEOID);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(unit_id));
	scan = systable_beginscan(rel, RelationGetPrimaryKeyIndex(rel), true, GetTransactionSnapshot(), 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup) && kind_att > 0 && from_att > 0 && to_att > 0)
	{
		bool		kind_null,
					from_null,
					to_null;
		text	   *kind = DatumGetTextPP(heap_getattr(tup, kind_att, desc, &kind_null));
		DateADT		from = DatumGetDateADT(heap_getattr(tup, from_att, desc, &from_null));
		DateADT		to = DatumGetDateADT(heap_getattr(tup, to_att, desc, &to_null));
		bool		residential = !kind_null && VARSIZE_ANY_EXHDR(kind) == strlen("residential_area") &&
			memcmp(VARDATA_ANY(kind), "residential_area", strlen("residential_area")) == 0;
		DateADT		window_end = date2j(year, residential ? 10 : 11, residential ? 31 : 15) - POSTGRES_EPOCH_JDATE;

		result = !kind_null && !from_null && from <= window_end && (to_null || to > window_end);
	}
	systable_endscan(scan);
	table_close(rel, NoLock);	/* kept to the end of the transaction, as the executor does */
	return result;
}

/* Whether the full check would accept row as it is. */
static bool
row_passes(HeapTuple row, TupleDesc desc)
{
	RowColumns	r;
	bool		passes;

	r.values = palloc(sizeof(Datum) * desc->natts);
	r.nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(row, desc, r.values, r.nulls);
	passes = !COLUMN_NULL(&r, other_att[COL_UNIT_ID]) && !COLUMN_NULL(&r, other_att[COL_YEAR]) &&
		COLUMN_NULL(&r, other_att[COL_EXTRA]) && rating_passes(&r) && counts_pass(&r) &&
		dates_pass(&r, DatumGetInt32(COLUMN(&r, other_att[COL_YEAR]))) &&
		takes_part(DatumGetInt64(COLUMN(&r, other_att[COL_UNIT_ID])), DatumGetInt32(COLUMN(&r, other_att[COL_YEAR])));
	pfree(r.values);
	pfree(r.nulls);
	return passes;
}

/* Run the full check, antq.assessment_check_full(), with this trigger's call. */
static Datum
full_check(FunctionCallInfo fcinfo)
{
	List	   *name = list_make2(makeString("antq"), makeString("assessment_check_full"));
	Oid			fn = LookupFuncName(name, 0, NULL, false);
	FmgrInfo	flinfo;
	LOCAL_FCINFO(call, 0);

	fmgr_info(fn, &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 0, InvalidOid, fcinfo->context, NULL);
	return FunctionCallInvoke(call);
}

PG_FUNCTION_INFO_V1(antq_assessment_check);

/* BEFORE INSERT OR UPDATE FOR EACH ROW trigger of antq.assessment. */
Datum
antq_assessment_check(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	HeapTuple	row;
	TupleDesc	desc;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trig->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trig->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(trig->tg_event) || TRIGGER_FIRED_BY_UPDATE(trig->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.assessment_check checks the rows written to antq.assessment"),
				 errhint("Use it as a BEFORE INSERT OR UPDATE FOR EACH ROW trigger.")));
	row = TRIGGER_FIRED_BY_UPDATE(trig->tg_event) ? trig->tg_newtuple : trig->tg_trigtuple;
	desc = RelationGetDescr(trig->tg_relation);
	if ((positions_hold(desc) || find_positions(desc)) && row_passes(row, desc))
		return PointerGetDatum(row);
	return full_check(fcinfo);
}
