/*
 * worker.c — the antq worker of one database: waits on its latch (set by writers at commit),
 * then drains antq.pending in short transactions by calling antq.process_pending(), which
 * takes keys (antq.take_pending) and recomputes their results and summaries in the same
 * transaction that deletes them (a crash loses nothing), and publishes its progress in its
 * shared-memory slot.
 *
 * It exits 0 when the extension is not there (never created, or dropped): the launcher starts
 * it again on CREATE EXTENSION. SIGTERM ends it with FATAL (exit 1); being a dynamic worker
 * that the postmaster never restarts, whether it comes back is the launcher's decision.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type_d.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "tcop/tcopprot.h"
#include "storage/latch.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "antq.h"
#include "antq_worker.h"

/* This worker's slot in shared memory; set once at start (process-local pointer). */
static AntqWorkerSlot *my_slot = NULL;

/* Set the launcher's latch so that it frees our slot now rather than at its next round. */
static void
wake_launcher(void)
{
	LWLockAcquire(antq_shared->lock, LW_SHARED);
	if (antq_shared->launcher != NULL)
		SetLatch(&antq_shared->launcher->procLatch);
	LWLockRelease(antq_shared->lock);
}

/*
 * Mark this worker's slot exited, with how, so the launcher can tell a failed start (to back
 * off from) from a clean exit, then free the slot; after an abnormal exit (code != 0: SIGTERM,
 * an error at start) ask the launcher for a new worker at once (it decides when).
 */
static void
worker_detach(int code, Datum arg)
{
	Oid			dboid = InvalidOid;

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	if (my_slot != NULL && my_slot->pid == MyProcPid)
	{
		dboid = my_slot->dboid;
		my_slot->pid = 0;		/* nobody signals this pid any more: it may be reused */
		my_slot->proc = NULL;
		my_slot->running = false;
		my_slot->exit_code = code;
		my_slot->exited = true;
	}
	LWLockRelease(antq_shared->lock);
	if (code != 0 && OidIsValid(dboid))
		antq_wake_database(dboid);
	else if (OidIsValid(dboid))
		wake_launcher();
}

/*
 * True when the extension's queue is there to drain (created, committed, not dropped). Takes
 * a share lock on the extension first, as DROP EXTENSION locks it before its members: a drop
 * then waits for this transaction (or this one for the drop) instead of deadlocking with it.
 */
static bool
extension_ready(void)
{
	Oid			ext = get_extension_oid("antq", true);
	Oid			nsp;

	if (!OidIsValid(ext))
		return false;
	LockDatabaseObject(ExtensionRelationId, ext, 0, AccessShareLock);
	/* the lock processed pending invalidations: look again in case a drop just committed */
	if (get_extension_oid("antq", true) != ext)
		return false;
	nsp = get_namespace_oid("antq", true);
	return OidIsValid(nsp) && OidIsValid(get_relname_relid("pending", nsp));
}

/*
 * One transaction: take up to antq.batch_size keys and recompute them. Returns the number of
 * keys taken, or -1 when the extension is not installed.
 */
static int
run_batch(void)
{
	int			taken = 0;
	double		lag_ms = -1;
	int64		depth = 0;
	Datum		arg = Int32GetDatum(antq_batch_size);
	Oid			argtype = INT4OID;
	int			nestlevel;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	/* whatever default_transaction_isolation says: each statement of the recompute must see
	 * what committed before it, the writers that relied on a key taken (capture_cover.c) too */
	XactIsoLevel = XACT_READ_COMMITTED;
	PushActiveSnapshot(GetTransactionSnapshot());
	if (!extension_ready())
	{
		PopActiveSnapshot();
		CommitTransactionCommand();
		return -1;
	}
	pgstat_report_activity(STATE_RUNNING, "antq: recompute pending keys");
	/* the database's search_path (ALTER DATABASE ... SET) may name a schema anyone can write */
	nestlevel = antq_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT keys, lag_ms FROM antq.process_pending($1)",
							  1, &argtype, &arg, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "antq.process_pending() returned no row");
	{
		bool		isnull;
		Datum		d;

		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		taken = isnull ? 0 : DatumGetInt32(d);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		lag_ms = isnull ? -1 : DatumGetFloat8(d);
	}
	/* as antq.worker_status counts it: every year of every queued row */
	if (SPI_execute("SELECT COALESCE(pg_catalog.sum((last_year OPERATOR(pg_catalog.-) first_year) "
					"OPERATOR(pg_catalog.+) 1), 0)::pg_catalog.int8 FROM antq.pending",
					true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		bool		isnull;

		depth = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	}
	SPI_finish();
	antq_unpin_search_path(nestlevel);
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	my_slot->last_run = GetCurrentTimestamp();
	my_slot->keys_done += taken;
	my_slot->queue_depth = depth;
	if (taken > 0 && lag_ms >= 0)
		my_slot->lag_ms = lag_ms;
	LWLockRelease(antq_shared->lock);
	return taken;
}

/* Rows of antq.audit_log deleted a transaction, and batches a round, when pruning the audit trail. */
#define AUDIT_PRUNE_BATCH 10000
#define AUDIT_PRUNE_BATCHES 10

/*
 * Delete rows of antq.audit_log older than antq.audit_retention (antq.audit_prune), one batch of
 * AUDIT_PRUNE_BATCH rows a transaction, at most AUDIT_PRUNE_BATCHES batches: a round never
 * holds many row locks or an old snapshot, and recomputes go on between rounds. Returns true
 * when nothing older is left (or the extension is not installed).
 */
static bool
prune_audit(void)
{
	int			batch;
	int64		deleted = 0,
				total = 0;

	for (batch = 0; batch < AUDIT_PRUNE_BATCHES; batch++)
	{
		Datum		arg = Int32GetDatum(AUDIT_PRUNE_BATCH);
		Oid			argtype = INT4OID;
		int			nestlevel;
		bool		isnull;

		CHECK_FOR_INTERRUPTS();
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		PushActiveSnapshot(GetTransactionSnapshot());
		if (!extension_ready())
		{
			PopActiveSnapshot();
			CommitTransactionCommand();
			return true;
		}
		pgstat_report_activity(STATE_RUNNING, "antq: prune the audit trail");
		nestlevel = antq_pin_search_path();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute_with_args("SELECT antq.audit_prune($1)", 1, &argtype, &arg, NULL, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "antq.audit_prune() returned no row");
		deleted = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		SPI_finish();
		antq_unpin_search_path(nestlevel);
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_activity(STATE_IDLE, NULL);
		total += deleted;
		if (deleted < AUDIT_PRUNE_BATCH)
			break;
	}
	if (total > 0)
		ereport(LOG,
				(errmsg("antq deleted " INT64_FORMAT " rows of the audit log older than antq.audit_retention (%s)",
						total, GetConfigOption("antq.audit_retention", false, false))));
	return deleted < AUDIT_PRUNE_BATCH;
}

/*
 * Prune the audit trail when *last_prune (the end of the last complete pruning) is an hour old,
 * and on, round after round, until nothing expired is left. Returns false while some is.
 */
static bool
prune_audit_hourly(volatile TimestampTz *last_prune)
{
	if (!TimestampDifferenceExceeds(*last_prune, GetCurrentTimestamp(), 3600 * 1000))
		return true;
	if (!prune_audit())
		return false;
	*last_prune = GetCurrentTimestamp();
	return true;
}

/*
 * Open the current year once it has come (antq.open_year, sql/61_new_year.sql), checked hourly
 * like the audit trail's pruning: at the turn of the year every unit taking part needs its
 * result, and no write queues that.
 */
static void
open_year_hourly(volatile TimestampTz *last_check)
{
	int			nestlevel;

	if (!TimestampDifferenceExceeds(*last_check, GetCurrentTimestamp(), 3600 * 1000))
		return;
	*last_check = GetCurrentTimestamp();	/* a failing recompute waits an hour, not a round */
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	PushActiveSnapshot(GetTransactionSnapshot());
	if (extension_ready())
	{
		pgstat_report_activity(STATE_RUNNING, "antq: open the new year");
		nestlevel = antq_pin_search_path();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute("SELECT antq.open_year()", false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "antq.open_year() returned no row");
		SPI_finish();
		antq_unpin_search_path(nestlevel);
	}
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

/* Record an error in the slot and the log, and roll back; the worker carries on. */
static void
recover_from_error(MemoryContext worker_cxt)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(worker_cxt);
	edata = CopyErrorData();
	EmitErrorReport();
	FlushErrorState();
	AbortCurrentTransaction();
	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	strlcpy(my_slot->last_error, edata->message ? edata->message : "(no message)", ANTQ_ERROR_LEN);
	my_slot->last_error_at = GetCurrentTimestamp();
	LWLockRelease(antq_shared->lock);
	FreeErrorData(edata);
	pgstat_report_activity(STATE_IDLE, NULL);
}

/* Entry point of a database's worker; the argument is the database OID. */
void
antq_worker_main(Datum arg)
{
	Oid			dboid = DatumGetObjectId(arg);
	MemoryContext worker_cxt;
	volatile TimestampTz last_prune = 0;	/* when the audit trail was last pruned to the end */
	volatile TimestampTz last_year_check = 0;	/* when antq.open_year last ran */

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	my_slot = antq_slot_for(dboid);
	if (my_slot != NULL && my_slot->pid == 0)
	{
		my_slot->pid = MyProcPid;
		my_slot->proc = MyProc;
		my_slot->running = true;
		my_slot->started_at = GetCurrentTimestamp();
	}
	else
		my_slot = NULL;
	LWLockRelease(antq_shared->lock);
	if (my_slot == NULL)
		proc_exit(0);			/* the launcher gave the slot up; nothing to do */
	before_shmem_exit(worker_detach, (Datum) 0);

	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	pgstat_report_appname("antq worker");
	worker_cxt = AllocSetContextCreate(TopMemoryContext, "antq worker", ALLOCSET_DEFAULT_SIZES);

	for (;;)
	{
		int			taken = 0;
		bool		failed = false;
		volatile bool pruned = true;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			last_prune = 0;		/* antq.audit_retention may have changed: apply it now */
		}
		if (!antq_worker_enabled)
			proc_exit(0);

		MemoryContextSwitchTo(worker_cxt);
		PG_TRY();
		{
			taken = run_batch();
			if (taken >= 0)
				pruned = prune_audit_hourly(&last_prune);
			if (taken >= 0)
				open_year_hourly(&last_year_check);
		}
		PG_CATCH();
		{
			recover_from_error(worker_cxt);
			failed = true;
		}
		PG_END_TRY();
		MemoryContextReset(worker_cxt);

		if (taken < 0)
		{
			/* no extension here (any more): the launcher probes this database less often */
			LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
			my_slot->no_extension = true;
			LWLockRelease(antq_shared->lock);
			proc_exit(0);
		}
		/* A full batch means more keys are waiting: go on without sleeping. */
		if (!failed && (taken >= antq_batch_size || !pruned))
			continue;

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 antq_naptime_ms, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
