/*
 * capture_guard.c — who and what the capture triggers (capture.c) accept: a capture function
 * called as the trigger it is meant to be, on a table it may capture, and the row-level call
 * a subscription's apply worker makes turned into the statement-level call the capture reads.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "capture.h"

/* Owner of antq.pending, as whom the TRUNCATE capture reads the table; InvalidOid when it is gone. */
Oid
antq_queue_owner(void)
{
	Oid			relid = antq_pending_relid();
	HeapTuple	tup;
	Oid			owner;

	if (!OidIsValid(relid))
		return InvalidOid;
	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	if (!HeapTupleIsValid(tup))
		return InvalidOid;
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* Schema-qualified name of a table, for messages. */
static char *
table_name(Relation rel)
{
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel));
}

/*
 * Refuse to capture a table the capture is not meant for. What a capture trigger queues is
 * recomputed for everybody, so a role must not queue keys of its own making through a table of
 * its own (a TEMP table, say) even if it was granted EXECUTE on a capture function by mistake
 * (PUBLIC may not execute them, and CREATE TRIGGER needs it: sql/90_grants.sql). Accepted:
 * antq.<only_table> when only_table is given (the registry and lineage triggers); otherwise a
 * table owned by the owner of antq.pending, or by a superuser: antq's fact and rules tables,
 * and tables a superuser put under capture with antq.capture_changes. Costs two cached
 * catalog lookups a statement.
 */
static void
check_captured_table(Relation rel, const char *fname, const char *only_table)
{
	Oid			owner = rel->rd_rel->relowner;

	if (only_table != NULL)
	{
		if (RelationGetNamespace(rel) != get_rel_namespace(antq_pending_relid()) ||
			strcmp(RelationGetRelationName(rel), only_table) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("%s may not capture changes of table %s", fname, table_name(rel)),
					 errdetail("%s captures antq.%s only.", fname, only_table),
					 errhint("Put a fact table under capture with antq.capture_changes(table, unit_column, period_column), as a superuser.")));
		return;
	}
	if (owner != antq_queue_owner() && !superuser_arg(owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s may not capture changes of table %s", fname, table_name(rel)),
				 errdetail("The table is owned by role \"%s\", which is neither a superuser nor the owner of antq.pending.",
						   GetUserNameFromId(owner, true)),
				 errhint("Change capture queues recomputes for every role: it runs on antq's own tables and on tables a superuser puts under capture with antq.capture_changes().")));
}

/* A transition table of one row. */
static Tuplestorestate *
one_row(HeapTuple tuple)
{
	Tuplestorestate *ts = tuplestore_begin_heap(false, false, work_mem);

	tuplestore_puttuple(ts, tuple);
	return ts;
}

/*
 * The row-level call of a capture trigger, made into the statement-level call of a one-row
 * statement (its transition tables under the names the statement triggers use). A
 * subscription's apply worker fires row triggers only, never statement triggers: the capture's
 * row triggers (ENABLE REPLICA, sql/51_capture.sql) catch what it applies, one row at a time.
 * In any other session that fires them (session_replication_role = replica) the statement
 * triggers, which fire ALWAYS, capture the change: NULL, nothing to do.
 */
static TriggerData *
applied_row(TriggerData *td)
{
	TriggerData *stmt;
	Trigger    *tg;

	if (!IsLogicalWorker())
		return NULL;
	stmt = palloc(sizeof(TriggerData));
	tg = palloc(sizeof(Trigger));
	*stmt = *td;
	*tg = *td->tg_trigger;
	tg->tgoldtable = "antq_old";
	tg->tgnewtable = "antq_new";
	stmt->tg_trigger = tg;
	stmt->tg_oldtable = NULL;
	stmt->tg_newtable = NULL;
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
		stmt->tg_newtable = one_row(td->tg_trigtuple);
	else
		stmt->tg_oldtable = one_row(td->tg_trigtuple);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		stmt->tg_newtable = one_row(td->tg_newtuple);
	return stmt;
}

/*
 * Check that a capture trigger is called as a statement-level trigger, or as the row-level
 * trigger of a subscription's apply (applied_row: NULL when there is nothing to do), on a
 * table it may capture (check_captured_table).
 */
TriggerData *
antq_capture_trigdata(FunctionCallInfo fcinfo, const char *fname, const char *only_table)
{
	TriggerData *td = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		(!TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) && !TRIGGER_FIRED_AFTER(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be called as a FOR EACH STATEMENT trigger", fname),
				 errhint("Attach it with antq.capture_changes(table, unit_column, period_column).")));
	check_captured_table(td->tg_relation, fname, only_table);
	return TRIGGER_FIRED_FOR_ROW(td->tg_event) ? applied_row(td) : td;
}
