/*
 * by_code_keep.c — keeping the rows of a write by code (ghi số liệu theo mã đơn vị) until the
 * end of its statement (sql/58_by_code.sql).
 *
 * A view such as antq.assessment_by_code takes INSERT and COPY through three triggers: this
 * function as its BEFORE statement trigger (an empty temporary table for the statement's rows)
 * and as its INSTEAD OF row trigger (the row's number from 1, then its columns, into that table;
 * read back as columns, not as one composite value whose fields a query would take apart one by
 * one), and a PL/pgSQL
 * statement trigger that resolves the codes and writes the base table with one INSERT ...
 * SELECT. The row trigger runs once for each row of a province's batch: in PL/pgSQL it cost an
 * executor start-up and a setting a row (the row's number), several times what COPY itself
 * spends on the row. Here it is a counter in this backend and one heap insert into the
 * session's own temporary table, which has no index, trigger or rule to run.
 *
 * The counter belongs to the statement whose BEFORE trigger set it up (its transaction's local
 * id is kept with it): a row trigger that finds no such set-up in its transaction refuses the
 * row rather than number it wrongly. The temporary table is the session's own; it is granted to
 * PUBLIC when created so that whichever role the session later sets reads it too.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "antq.h"


#define KEEP_VIEWS_MAX 8		/* the by-code views of year facts (five today) */

/*
 * The statement under way on one view: its temporary table and the number of its last row.
 * Global because a row trigger call has nowhere else to find what its statement's BEFORE
 * trigger set up; one entry per view, overwritten by that view's next statement.
 */
typedef struct KeptStatement
{
	Oid			view;
	Oid			stash;			/* the temporary table of its rows */
	LocalTransactionId lxid;	/* the transaction of the statement that set it up */
	int64		rows;			/* rows kept so far */
} KeptStatement;

static KeptStatement kept[KEEP_VIEWS_MAX];

/*
 * The entry of a view; with create, when it has none, one that no statement of this transaction
 * uses or whose view is gone (views of a dropped and re-created extension leave theirs behind).
 */
static KeptStatement *
kept_entry(Oid view, bool create)
{
	int			i;

	for (i = 0; i < KEEP_VIEWS_MAX; i++)
		if (kept[i].view == view)
			return &kept[i];
	if (!create)
		return NULL;
	for (i = 0; i < KEEP_VIEWS_MAX; i++)
		if (!OidIsValid(kept[i].view) || kept[i].lxid != MyProc->lxid ||
			!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(kept[i].view)))
		{
			kept[i].view = view;
			kept[i].stash = InvalidOid;
			kept[i].lxid = InvalidLocalTransactionId;
			return &kept[i];
		}
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("more than %d views are written by code in one transaction", KEEP_VIEWS_MAX),
			 errhint("Write through fewer by-code views in one transaction.")));
	return NULL;
}

/* The session's temporary table of this name; InvalidOid when it has none. */
static Oid
stash_relid(const char *name)
{
	Oid			nsp = LookupExplicitNamespace("pg_temp", true);

	return OidIsValid(nsp) ? get_relname_relid(name, nsp) : InvalidOid;
}

/* Whether temporary table relid holds a bigint, then columns of the types of view's. */
static bool
stash_fits(Oid relid, TupleDesc view)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TupleDesc	desc = RelationGetDescr(rel);
	bool		fits = desc->natts == view->natts + 1 && TupleDescAttr(desc, 0)->atttypid == INT8OID;
	int			i;

	for (i = 0; fits && i < view->natts; i++)
		fits = !TupleDescAttr(desc, i + 1)->attisdropped &&
			TupleDescAttr(desc, i + 1)->atttypid == TupleDescAttr(view, i)->atttypid;
	table_close(rel, NoLock);
	return fits;
}

/* An empty temporary table for the statement's rows of view: created on first use, else emptied. */
static Oid
stash_prepare(Relation view, const char *name)
{
	StringInfoData sql;
	Oid			relid = stash_relid(name);
	int			nestlevel;

	initStringInfo(&sql);
	if (OidIsValid(relid))
		appendStringInfo(&sql, "TRUNCATE pg_temp.%s", quote_identifier(name));
	else
		/* this session's alone; whichever role it later sets uses it too */
		appendStringInfo(&sql,
						 "CREATE TEMP TABLE %1$s (rowno pg_catalog.int8 NOT NULL, LIKE %2$s) ON COMMIT DROP; "
						 "GRANT SELECT, INSERT, TRUNCATE ON pg_temp.%1$s TO PUBLIC",
						 quote_identifier(name),
						 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(view)),
													RelationGetRelationName(view)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	nestlevel = antq_pin_search_path();
	if (SPI_execute(sql.data, false, 0) < 0)
		elog(ERROR, "could not prepare the temporary table %s", name);
	antq_unpin_search_path(nestlevel);
	SPI_finish();
	pfree(sql.data);
	relid = stash_relid(name);
	if (!OidIsValid(relid) || !stash_fits(relid, RelationGetDescr(view)))
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("the temporary table %s does not hold a row number and the columns of %s",
						name, RelationGetRelationName(view)),
				 errhint("Drop the session's own table pg_temp.%s, which antq uses for writes by code.", name)));
	return relid;
}

/* One row of the statement, numbered, into its temporary table. */
static void
keep_row(TriggerData *trig)
{
	KeptStatement *k = kept_entry(RelationGetRelid(trig->tg_relation), false);
	TupleDesc	desc = RelationGetDescr(trig->tg_relation);
	Relation	stash;
	Datum	   *values;
	bool	   *nulls;
	HeapTuple	row;

	if (k == NULL || k->lxid != MyProc->lxid || !OidIsValid(k->stash))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("a row of %s came without the start of its statement",
						RelationGetRelationName(trig->tg_relation)),
				 errdetail("No BEFORE INSERT FOR EACH STATEMENT trigger of the view ran this function in this transaction."),
				 errhint("Give the view a BEFORE INSERT FOR EACH STATEMENT trigger calling it with the same temporary table, as sql/58_by_code.sql does.")));
	stash = table_open(k->stash, RowExclusiveLock);
	if (RelationGetDescr(stash)->natts != desc->natts + 1)
		elog(ERROR, "the temporary table %s does not hold a row number and the columns of %s",
			 RelationGetRelationName(stash), RelationGetRelationName(trig->tg_relation));
	values = palloc(sizeof(Datum) * (desc->natts + 1));
	nulls = palloc(sizeof(bool) * (desc->natts + 1));
	values[0] = Int64GetDatum(++k->rows);
	nulls[0] = false;
	heap_deform_tuple(trig->tg_trigtuple, desc, values + 1, nulls + 1);
	row = heap_form_tuple(RelationGetDescr(stash), values, nulls);
	simple_heap_insert(stash, row);
	heap_freetuple(row);
	pfree(values);
	pfree(nulls);
	table_close(stash, NoLock);
}

PG_FUNCTION_INFO_V1(antq_by_code_keep);

/*
 * Trigger of a by-code view (argument: the name of its temporary table): BEFORE INSERT FOR EACH
 * STATEMENT, an empty table and the count from 1; INSTEAD OF INSERT FOR EACH ROW, the row kept.
 */
Datum
antq_by_code_keep(PG_FUNCTION_ARGS)
{
	TriggerData *trig = (TriggerData *) fcinfo->context;
	const char *name;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BY_INSERT(trig->tg_event) ||
		trig->tg_relation->rd_rel->relkind != RELKIND_VIEW || trig->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.by_code_keep keeps the rows inserted into a view"),
				 errhint("Use it as the BEFORE INSERT FOR EACH STATEMENT and INSTEAD OF INSERT FOR EACH ROW trigger of a by-code view, naming its temporary table.")));
	name = trig->tg_trigger->tgargs[0];
	if (TRIGGER_FIRED_FOR_ROW(trig->tg_event) && TRIGGER_FIRED_INSTEAD(trig->tg_event))
	{
		keep_row(trig);
		return PointerGetDatum(trig->tg_trigtuple);
	}
	if (TRIGGER_FIRED_FOR_STATEMENT(trig->tg_event) && TRIGGER_FIRED_BEFORE(trig->tg_event))
	{
		KeptStatement *k = kept_entry(RelationGetRelid(trig->tg_relation), true);

		k->stash = InvalidOid;	/* until the table is ready */
		k->stash = stash_prepare(trig->tg_relation, name);
		k->lxid = MyProc->lxid;
		k->rows = 0;
		return PointerGetDatum(NULL);
	}
	ereport(ERROR,
			(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
			 errmsg("antq.by_code_keep fired at the wrong time on %s", RelationGetRelationName(trig->tg_relation)),
			 errhint("Use it BEFORE INSERT FOR EACH STATEMENT or INSTEAD OF INSERT FOR EACH ROW.")));
	return PointerGetDatum(NULL);
}
