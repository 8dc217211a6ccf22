/*
 * audit.c — the audit trail (nhật ký kiểm toán): who changed which row of the registry, the
 * facts and the rules, when, and from what to what, in antq.audit (sql/56_audit.sql).
 *
 * One statement-level AFTER trigger per table and operation reads the statement's transition
 * tables and writes the audit rows with one set-based INSERT ... SELECT, planned once per
 * trigger and kept: a COPY of 100,000 rows costs one pass over them, a single-row UPDATE one
 * executed plan. The trigger is written in C rather than as a SECURITY DEFINER function because
 * it must record the role that made the change (current_user), which a SECURITY DEFINER
 * function no longer sees: it reads the caller's role, then inserts as the owner of antq.audit,
 * which alone may write it, under the trusted search path.
 *
 * Changes a logical-replication subscription applies are not audited here: the publisher's
 * audit records who made them, and the apply worker's role (the subscription's owner) says
 * nothing about the author.
 *
 * antq.audit_retention (PGC_SUSET) is how long rows are kept; the worker prunes older ones
 * (worker/worker.c, antq.audit_prune).
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "antq.h"

/*
 * GUC antq.audit_retention: how long audit rows are kept, as an interval; 0 keeps them forever.
 * Default 0: deleting evidence is a decision for whoever answers for the records (the archival
 * periods of the Law on Archives are set per agency and record type), never a default.
 */
static char *audit_retention = NULL;

/* The kept plan of one audit trigger (by its pg_trigger OID), for this backend. */
typedef struct AuditPlan
{
	Oid			tgoid;
	SPIPlanPtr	plan;
} AuditPlan;

/* Plans of the audit triggers fired in this backend; created on first use. */
static HTAB *audit_plans = NULL;

PG_FUNCTION_INFO_V1(antq_audit_changes);

/* Accept an interval that is not negative ('0' keeps the rows forever). */
static bool
check_audit_retention(char **newval, void **extra, GucSource source)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		Interval   *iv = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(*newval),
															   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));

		if (iv->month < 0 || iv->day < 0 || iv->time < 0)
		{
			GUC_check_errdetail("antq.audit_retention must not be negative (0 keeps the audit forever).");
			ok = false;
		}
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		GUC_check_errdetail("antq.audit_retention must be an interval such as '10 years' or '90 days' (0 keeps the audit forever).");
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* Define antq.audit_retention. */
void
antq_audit_init(void)
{
	DefineCustomStringVariable("antq.audit_retention",
							   "How long the audit trail (nhật ký kiểm toán) keeps a row; 0 keeps every row.",
							   "An interval such as '10 years'; the antq worker deletes older rows of antq.audit once an hour.",
							   &audit_retention, "0", PGC_SUSET, 0, check_audit_retention, NULL, NULL);
}

/* jsonb_build_object('k1', alias.k1, ...) of the trigger's arguments, the table's key columns. */
static void
append_key(StringInfo sql, Trigger *tg, const char *alias)
{
	int			i;

	appendStringInfoString(sql, "pg_catalog.jsonb_build_object(");
	for (i = 0; i < tg->tgnargs; i++)
		appendStringInfo(sql, "%s%s, %s.%s", i > 0 ? ", " : "", quote_literal_cstr(tg->tgargs[i]),
						 alias, quote_identifier(tg->tgargs[i]));
	appendStringInfoChar(sql, ')');
}

/*
 * The INSERT into antq.audit of one trigger: $1 the table's name, $2 the acting role. UPDATE
 * pairs old and new rows by key with a full join (a changed key gives one row with the old side
 * and one with the new), and leaves out rows the statement left as they were.
 */
static char *
audit_sql(TriggerData *td)
{
	Trigger    *tg = td->tg_trigger;
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "INSERT INTO antq.audit (changed_at, statement_at, login_role, acting_role, xid, "
						   "table_name, operation, row_key, old_row, new_row) "
						   "SELECT pg_catalog.now(), pg_catalog.statement_timestamp(), session_user, $2, "
						   "pg_catalog.pg_current_xact_id(), $1, ");
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		appendStringInfoString(&sql, "'TRUNCATE', NULL, NULL, NULL");
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		appendStringInfoString(&sql, "'INSERT', ");
		append_key(&sql, tg, "n");
		appendStringInfo(&sql, ", NULL, pg_catalog.to_jsonb(n) FROM %s n", quote_identifier(tg->tgnewtable));
	}
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		appendStringInfoString(&sql, "'DELETE', ");
		append_key(&sql, tg, "o");
		appendStringInfo(&sql, ", pg_catalog.to_jsonb(o), NULL FROM %s o", quote_identifier(tg->tgoldtable));
	}
	else
	{
		appendStringInfoString(&sql, "'UPDATE', COALESCE(n.k, o.k), o.r, n.r FROM (SELECT ");
		append_key(&sql, tg, "o");
		appendStringInfo(&sql, " AS k, pg_catalog.to_jsonb(o) AS r FROM %s o) o FULL JOIN (SELECT ",
						 quote_identifier(tg->tgoldtable));
		append_key(&sql, tg, "n");
		appendStringInfo(&sql, " AS k, pg_catalog.to_jsonb(n) AS r FROM %s n) n "
						 "ON o.k OPERATOR(pg_catalog.=) n.k WHERE o.r IS DISTINCT FROM n.r",
						 quote_identifier(tg->tgnewtable));
	}
	return sql.data;
}

/* The kept plan of this trigger, prepared on its first call in this backend. */
static SPIPlanPtr
audit_plan(TriggerData *td)
{
	AuditPlan  *entry;
	bool		found;
	Oid			argtypes[2] = {TEXTOID, TEXTOID};

	if (audit_plans == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(AuditPlan);
		audit_plans = hash_create("antq audit plans", 32, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	entry = hash_search(audit_plans, &td->tg_trigger->tgoid, HASH_ENTER, &found);
	if (!found)
		entry->plan = NULL;
	if (entry->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(audit_sql(td), 2, argtypes);

		if (plan == NULL)
			elog(ERROR, "could not prepare the audit of %s: %s",
				 RelationGetRelationName(td->tg_relation), SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "could not keep the audit plan of %s", RelationGetRelationName(td->tg_relation));
		entry->plan = plan;
	}
	return entry->plan;
}

/* Owner of antq.audit, as whom the audit is written; error when the table is gone. */
static Oid
audit_owner(void)
{
	Oid			nsp = get_namespace_oid("antq", true);
	Oid			relid = OidIsValid(nsp) ? get_relname_relid("audit", nsp) : InvalidOid;
	HeapTuple	tup;
	Oid			owner;

	tup = OidIsValid(relid) ? SearchSysCache1(RELOID, ObjectIdGetDatum(relid)) : NULL;
	if (!HeapTupleIsValid(tup))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("the antq audit trigger needs antq.audit, which does not exist")));
	owner = ((Form_pg_class) GETSTRUCT(tup))->relowner;
	ReleaseSysCache(tup);
	return owner;
}

/* True when the statement changed no row (nothing to record but a TRUNCATE). */
static bool
no_rows(TriggerData *td)
{
	Tuplestorestate *ts = td->tg_newtable != NULL ? td->tg_newtable : td->tg_oldtable;

	return !TRIGGER_FIRED_BY_TRUNCATE(td->tg_event) && (ts == NULL || tuplestore_tuple_count(ts) == 0);
}

/*
 * antq.audit_changes(key columns...): AFTER ... FOR EACH STATEMENT trigger (with transition
 * tables antq_old, antq_new) that records the statement's changes in antq.audit.
 */
Datum
antq_audit_changes(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	Datum		args[2];
	Oid			save_userid;
	int			save_sec;
	int			nestlevel;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) ||
		!TRIGGER_FIRED_AFTER(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.audit_changes must be called as an AFTER ... FOR EACH STATEMENT trigger"),
				 errhint("Attach it with antq.attach_audit(table).")));
	if (IsLogicalWorker() || no_rows(td))
		return PointerGetDatum(NULL);

	args[0] = CStringGetTextDatum(quote_qualified_identifier(get_namespace_name(RelationGetNamespace(td->tg_relation)),
															 RelationGetRelationName(td->tg_relation)));
	args[1] = CStringGetTextDatum(GetUserNameFromId(GetUserId(), false));
	GetUserIdAndSecContext(&save_userid, &save_sec);
	SetUserIdAndSecContext(audit_owner(), save_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	nestlevel = antq_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_register_trigger_data(td) != SPI_OK_TD_REGISTER)
		elog(ERROR, "could not register the transition tables of %s", RelationGetRelationName(td->tg_relation));
	if (SPI_execute_plan(audit_plan(td), args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write the audit of %s", RelationGetRelationName(td->tg_relation));
	SPI_finish();
	antq_unpin_search_path(nestlevel);
	SetUserIdAndSecContext(save_userid, save_sec);
	return PointerGetDatum(NULL);
}
