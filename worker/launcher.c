/*
 * launcher.c — the antq launcher: one static background worker that starts one antq worker
 * per database that has the extension, the worker GUCs, and the DROP DATABASE hook that stops
 * a database's worker first so that it never blocks the drop.
 *
 * The launcher is connected to no database (it reads only the shared catalog pg_database). It
 * probes every connectable database at start and every antq.launcher_recheck seconds by
 * starting a worker there; a worker that finds no extension exits at once. CREATE EXTENSION
 * and writers whose database has no worker put the database on the "wanted" list and set the
 * launcher's latch, so a new extension gets its worker within a second, not a recheck period.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "antq.h"
#include "capture.h"
#include "antq_worker.h"

/* GUC values: process-local copies maintained by the GUC machinery. */
bool		antq_worker_enabled = true;
int			antq_naptime_ms = 10000;
int			antq_batch_size = 10;
int			antq_launcher_recheck_s = 60;

/* Handles of the workers this launcher started, parallel to antq_shared->slots (launcher only). */
static BackgroundWorkerHandle *handles[ANTQ_MAX_DATABASES];

/* The previous ProcessUtility hook, saved once at _PG_init. */
static ProcessUtility_hook_type prev_process_utility = NULL;

/* Define the worker GUCs (every backend, so SHOW and ALTER SYSTEM know them). */
static void
define_worker_gucs(void)
{
	DefineCustomBoolVariable("antq.worker_enabled",
							 "Runs the antq workers that keep results and summaries fresh (tiến trình nền).",
							 "When off the launcher stops every worker and starts none; antq.pending keeps the keys until it is on again or antq.refresh() runs.",
							 &antq_worker_enabled, true, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("antq.naptime",
							"Longest time an antq worker sleeps without being woken (fallback timer).",
							"Writers wake the worker at commit; this timer only matters for keys queued without a wake-up (prepared transactions, a full latch).",
							&antq_naptime_ms, 10000, 10, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS, NULL, NULL, NULL);
	DefineCustomIntVariable("antq.batch_size",
							"Most (province, year) keys an antq worker recomputes in one transaction.",
							"Smaller batches commit sooner (fresher summaries, shorter locks); larger ones amortize the nation-level roll-up.",
							&antq_batch_size, 10, 1, 100000, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("antq.launcher_recheck",
							"How often the antq launcher probes every database for the extension.",
							"CREATE EXTENSION wakes the launcher at once; this only catches databases restored or created by other means.",
							&antq_launcher_recheck_s, 60, 1, 86400, PGC_SIGHUP, GUC_UNIT_S, NULL, NULL, NULL);
}

/*
 * Stop dboid's worker before a command that needs the database to itself, and keep the
 * launcher from starting another for hold_s seconds (or until antq_release_database).
 */
static void
stop_worker_for(Oid dboid, int hold_s)
{
	int			waited_ms = 0;

	if (antq_shared == NULL)
		return;
	antq_hold_database(dboid, hold_s);
	for (;;)
	{
		AntqWorkerSlot *slot;
		pid_t		pid;
		bool		gone;

		LWLockAcquire(antq_shared->lock, LW_SHARED);
		slot = antq_slot_for(dboid);
		gone = slot == NULL || slot->exited;
		pid = gone ? 0 : slot->pid;
		LWLockRelease(antq_shared->lock);
		if (gone || waited_ms >= 5000)
			break;
		if (pid != 0)
			kill(pid, SIGTERM);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 10, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		waited_ms += 10;
	}
}

/* Whether dboid has a worker (running or starting); lock taken here. */
static bool
has_worker(Oid dboid)
{
	AntqWorkerSlot *slot;
	bool		result;

	if (antq_shared == NULL || !OidIsValid(dboid))
		return false;
	LWLockAcquire(antq_shared->lock, LW_SHARED);
	slot = antq_slot_for(dboid);
	result = slot != NULL && !slot->exited;
	LWLockRelease(antq_shared->lock);
	return result;
}

/*
 * The database a DROP DATABASE will drop, or InvalidOid when it will fail before dropping
 * anything: the hook runs before the command's own checks, and must not stop the worker of a
 * database the caller may not drop (any role could otherwise stop any database's worker by
 * trying). It fails when the database does not exist, is the one we are connected to, or the
 * caller neither owns it nor is a superuser, and inside a transaction block or a function.
 */
static Oid
database_to_drop(DropdbStmt *stmt, ProcessUtilityContext context)
{
	Oid			dboid = get_database_oid(stmt->dbname, true);

	if (!OidIsValid(dboid) || dboid == MyDatabaseId)
		return InvalidOid;
	if (context != PROCESS_UTILITY_TOPLEVEL || IsTransactionBlock())
		return InvalidOid;
	if (!pg_database_ownercheck(dboid, GetUserId()))
		return InvalidOid;
	return dboid;
}

/* Whether database dboid is marked as a template (datistemplate). */
static bool
database_is_template(Oid dboid)
{
	HeapTuple	tup = SearchSysCache1(DATABASEOID, ObjectIdGetDatum(dboid));
	bool		result = false;

	if (HeapTupleIsValid(tup))
	{
		result = ((Form_pg_database) GETSTRUCT(tup))->datistemplate;
		ReleaseSysCache(tup);
	}
	return result;
}

/*
 * The template a CREATE DATABASE will copy when its worker is all that stands in the way, or
 * InvalidOid. As for DROP DATABASE, only when the command can succeed as far as the caller's
 * rights go, as createdb() checks them: the caller may create databases, the new name is free,
 * and the template is marked datistemplate or the caller owns it (superusers own everything).
 * Not the database we are connected to (that session blocks the copy whatever we do), and not
 * inside a transaction block or a function, where CREATE DATABASE fails anyway.
 */
static Oid
template_to_copy(CreatedbStmt *stmt, ProcessUtilityContext context)
{
	ListCell   *lc;
	Oid			dboid = InvalidOid;

	foreach(lc, stmt->options)
	{
		DefElem    *opt = lfirst_node(DefElem, lc);

		if (strcmp(opt->defname, "template") == 0 && opt->arg != NULL)
		{
			dboid = get_database_oid(defGetString(opt), true);
			break;
		}
	}
	if (!OidIsValid(dboid) || dboid == MyDatabaseId || !has_worker(dboid))
		return InvalidOid;
	if (context != PROCESS_UTILITY_TOPLEVEL || IsTransactionBlock())
		return InvalidOid;
	if (!have_createdb_privilege() || OidIsValid(get_database_oid(stmt->dbname, true)))
		return InvalidOid;
	if (!database_is_template(dboid) && !pg_database_ownercheck(dboid, GetUserId()))
		return InvalidOid;
	return dboid;
}

/*
 * The database an ALTER DATABASE ... RENAME will rename when its worker is all that stands in
 * the way, or InvalidOid. The rights RenameDatabase() checks: the caller owns the database and
 * may create databases; it is not the current database and the new name is free. Allowed in
 * a transaction block, as RENAME is: the new worker then waits for the block to end.
 */
static Oid
database_to_rename(RenameStmt *stmt)
{
	Oid			dboid;

	if (stmt->renameType != OBJECT_DATABASE || stmt->subname == NULL)
		return InvalidOid;
	dboid = get_database_oid(stmt->subname, true);
	if (!OidIsValid(dboid) || dboid == MyDatabaseId || !has_worker(dboid))
		return InvalidOid;
	if (!pg_database_ownercheck(dboid, GetUserId()) || !have_createdb_privilege())
		return InvalidOid;
	if (stmt->newname == NULL || OidIsValid(get_database_oid(stmt->newname, true)))
		return InvalidOid;
	return dboid;
}

/* Run the utility command through the rest of the hook chain. */
static void
run_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
			ProcessUtilityContext context, ParamListInfo params,
			QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	if (prev_process_utility)
		prev_process_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	else
		standard_ProcessUtility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
}

/*
 * ProcessUtility hook: a database's worker, connected for good, would make DROP DATABASE,
 * CREATE DATABASE ... TEMPLATE and ALTER DATABASE ... RENAME fail with "being accessed by
 * other users". Stop it first, when the command will go ahead; after a copy or a rename it
 * comes back at once (the launcher is asked for it), after a drop there is nothing to serve.
 */
static void
antq_process_utility(PlannedStmt *pstmt, const char *queryString, bool readOnlyTree,
					 ProcessUtilityContext context, ParamListInfo params,
					 QueryEnvironment *queryEnv, DestReceiver *dest, QueryCompletion *qc)
{
	Node	   *stmt = pstmt->utilityStmt;
	volatile Oid paused = InvalidOid;

	if (IsA(stmt, DropdbStmt))
	{
		Oid			dboid = database_to_drop((DropdbStmt *) stmt, context);

		if (!OidIsValid(dboid))
		{
			run_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
			return;
		}
		stop_worker_for(dboid, 10);
		run_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		/* dropped: forget what shared memory keeps of it */
		antq_cover_drop_database(dboid);
		antq_unit_cache_drop_database();
		return;
	}
	else if (IsA(stmt, CreatedbStmt))
		paused = template_to_copy((CreatedbStmt *) stmt, context);
	else if (IsA(stmt, RenameStmt))
		paused = database_to_rename((RenameStmt *) stmt);

	if (!OidIsValid(paused))
	{
		run_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
		return;
	}
	/* held for longer than the command should take; released as soon as it ends */
	stop_worker_for(paused, 600);
	PG_TRY();
	{
		run_utility(pstmt, queryString, readOnlyTree, context, params, queryEnv, dest, qc);
	}
	PG_FINALLY();
	{
		antq_release_database(paused);
		antq_wake_database(paused);
	}
	PG_END_TRY();
}

/* Worker GUCs everywhere; when preloaded, shared memory, the launcher and the DROP DATABASE hook. */
void
antq_worker_init(void)
{
	BackgroundWorker bgw;

	define_worker_gucs();
	if (!antq_preloaded)
		return;

	antq_shmem_init();
	prev_process_utility = ProcessUtility_hook;
	ProcessUtility_hook = antq_process_utility;

	memset(&bgw, 0, sizeof(bgw));
	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	/* Restarted a second after any exit but a clean one (a crash, pg_terminate_backend). */
	bgw.bgw_restart_time = 1;
	snprintf(bgw.bgw_library_name, BGW_MAXLEN, "antq");
	snprintf(bgw.bgw_function_name, BGW_MAXLEN, "antq_launcher_main");
	snprintf(bgw.bgw_name, BGW_MAXLEN, "antq launcher");
	snprintf(bgw.bgw_type, BGW_MAXLEN, "antq launcher");
	RegisterBackgroundWorker(&bgw);
}

/* OIDs of the databases a worker may connect to, read from pg_database. */
static List *
connectable_databases(void)
{
	List	   *result = NIL;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	MemoryContext outer = CurrentMemoryContext;

	StartTransactionCommand();
	(void) GetTransactionSnapshot();
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);
		MemoryContext old;

		CHECK_FOR_INTERRUPTS();
		if (!db->datallowconn || db->datistemplate)
			continue;
		old = MemoryContextSwitchTo(outer);
		result = lappend_oid(result, db->oid);
		MemoryContextSwitchTo(old);
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();
	return result;
}

/*
 * What the launcher remembers of a database it started workers for (launcher-local): how often
 * a worker of it failed soon after its start and so when the next may start (1 s, doubling, at
 * most FAIL_BACKOFF_MAX_S), and when it last warned that no worker could be started for it
 * (at most once per WARN_EVERY_S), and when a worker last found no extension there. A database
 * whose workers keep failing (one that stopped accepting connections while a session of it goes
 * on writing and waking the launcher) then costs a start now and then, not one per commit; and
 * the periodic probe skips databases found without antq for PROBE_SKIP rechecks, so that when
 * worker processes run short, probes of those do not take every free one from a database that
 * has antq (CREATE EXTENSION asks for its worker at once, probe or not).
 */
#define REMEMBERED_DATABASES 64
#define FAIL_WITHIN_MS 10000
#define FAIL_BACKOFF_MAX_S 300
#define WARN_EVERY_S 300
#define PROBE_SKIP 10

typedef struct DatabaseMemory
{
	Oid			dboid;
	int			failures;		/* failed starts in a row */
	TimestampTz not_before;		/* no worker is started before then */
	TimestampTz warned_at;		/* last "could not start" WARNING */
	TimestampTz no_extension_at;	/* when a worker last found no antq there */
	TimestampTz seen_at;		/* last use, to forget the stalest when full */
} DatabaseMemory;

static DatabaseMemory remembered[REMEMBERED_DATABASES];

/* dboid's entry, made (in place of the stalest) when missing. */
static DatabaseMemory *
remember(Oid dboid)
{
	DatabaseMemory *stalest = &remembered[0];
	int			i;

	for (i = 0; i < REMEMBERED_DATABASES; i++)
	{
		if (remembered[i].dboid == dboid)
		{
			remembered[i].seen_at = GetCurrentTimestamp();
			return &remembered[i];
		}
		if (remembered[i].seen_at < stalest->seen_at)
			stalest = &remembered[i];
	}
	memset(stalest, 0, sizeof(*stalest));
	stalest->dboid = dboid;
	stalest->seen_at = GetCurrentTimestamp();
	return stalest;
}

/* A worker of dboid has exited: a failure when abnormal and soon after its start. */
static void
note_exit(Oid dboid, int exit_code, TimestampTz started_at, bool no_extension)
{
	DatabaseMemory *m = remember(dboid);
	TimestampTz now = GetCurrentTimestamp();

	m->no_extension_at = no_extension ? now : 0;
	if (exit_code == 0 || TimestampDifferenceExceeds(started_at, now, FAIL_WITHIN_MS))
	{
		m->failures = 0;
		m->not_before = 0;
		return;
	}
	m->failures = Min(m->failures + 1, 16);
	m->not_before = TimestampTzPlusMilliseconds(now, 1000 * Min(1 << (m->failures - 1), FAIL_BACKOFF_MAX_S));
}

/* The databases of list worth probing now: those not found without antq lately. */
static List *
worth_probing(List *list)
{
	List	   *result = NIL;
	ListCell   *lc;
	TimestampTz now = GetCurrentTimestamp();

	foreach(lc, list)
	{
		DatabaseMemory *m = remember(lfirst_oid(lc));

		if (m->no_extension_at == 0 ||
			TimestampDifferenceExceeds(m->no_extension_at, now, PROBE_SKIP * antq_launcher_recheck_s * 1000))
			result = lappend_oid(result, lfirst_oid(lc));
	}
	list_free(list);
	return result;
}

/* Warn that no worker could be started for dboid, at most once per WARN_EVERY_S a database. */
static bool
may_warn(Oid dboid)
{
	DatabaseMemory *m = remember(dboid);
	TimestampTz now = GetCurrentTimestamp();

	if (m->warned_at != 0 && !TimestampDifferenceExceeds(m->warned_at, now, WARN_EVERY_S * 1000))
		return false;
	m->warned_at = now;
	return true;
}

/* Free the slots of workers that have exited without freeing them (failed start, lost handle). */
static void
reap_slots(void)
{
	int			i;

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
	{
		AntqWorkerSlot *slot = &antq_shared->slots[i];
		pid_t		pid;
		bool		gone;

		if (!OidIsValid(slot->dboid))
			continue;
		if (slot->exited)
			gone = true;
		else if (handles[i] != NULL)
			gone = GetBackgroundWorkerPid(handles[i], &pid) == BGWH_STOPPED;
		else
			gone = !slot->running &&
				TimestampDifferenceExceeds(slot->started_at, GetCurrentTimestamp(), 10000);
		if (gone)
		{
			note_exit(slot->dboid, slot->exited ? slot->exit_code : 1, slot->started_at,
					  slot->exited && slot->no_extension);
			memset(slot, 0, sizeof(*slot));
			if (handles[i] != NULL)
				pfree(handles[i]);
			handles[i] = NULL;
		}
	}
	LWLockRelease(antq_shared->lock);
}

/* Start a worker for dboid unless one runs or the database is held. */
static void
start_worker(Oid dboid)
{
	BackgroundWorker bgw;
	AntqWorkerSlot *slot = NULL;
	int			i;

	if (remember(dboid)->not_before > GetCurrentTimestamp())
		return;					/* its last workers failed: backing off */
	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	if (antq_slot_for(dboid) != NULL || antq_database_held(dboid))
	{
		LWLockRelease(antq_shared->lock);
		return;
	}
	for (i = 0; i < ANTQ_MAX_DATABASES && slot == NULL; i++)
		if (!OidIsValid(antq_shared->slots[i].dboid))
			slot = &antq_shared->slots[i];
	if (slot == NULL)
	{
		LWLockRelease(antq_shared->lock);
		if (may_warn(dboid))
			ereport(WARNING,
					(errmsg("antq launcher: no free worker slot for database %u", dboid),
					 errhint("antq serves at most %d databases at once.", ANTQ_MAX_DATABASES)));
		return;
	}
	i = slot - antq_shared->slots;
	if (handles[i] != NULL)
		pfree(handles[i]);		/* left by a worker that freed its own slot */
	handles[i] = NULL;
	memset(slot, 0, sizeof(*slot));
	slot->dboid = dboid;
	slot->started_at = GetCurrentTimestamp();
	LWLockRelease(antq_shared->lock);

	memset(&bgw, 0, sizeof(bgw));
	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	/* The launcher, not the postmaster, restarts workers: it knows whether one is still wanted. */
	bgw.bgw_restart_time = BGW_NEVER_RESTART;
	bgw.bgw_main_arg = ObjectIdGetDatum(dboid);
	bgw.bgw_notify_pid = MyProcPid;
	snprintf(bgw.bgw_library_name, BGW_MAXLEN, "antq");
	snprintf(bgw.bgw_function_name, BGW_MAXLEN, "antq_worker_main");
	snprintf(bgw.bgw_name, BGW_MAXLEN, "antq worker for database %u", dboid);
	snprintf(bgw.bgw_type, BGW_MAXLEN, "antq worker");
	if (!RegisterDynamicBackgroundWorker(&bgw, &handles[i]))
	{
		LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
		memset(slot, 0, sizeof(*slot));
		LWLockRelease(antq_shared->lock);
		handles[i] = NULL;
		if (may_warn(dboid))
			ereport(WARNING,
					(errmsg("antq launcher: could not start a worker for database %u", dboid),
					 errdetail("Said at most once every %d seconds for a database.", WARN_EVERY_S),
					 errhint("Raise max_worker_processes.")));
	}
}

/* Ask every running worker to stop (antq.worker_enabled turned off). */
static void
stop_all_workers(void)
{
	int			i;

	LWLockAcquire(antq_shared->lock, LW_SHARED);
	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
		if (antq_shared->slots[i].pid != 0)
			kill(antq_shared->slots[i].pid, SIGTERM);
	LWLockRelease(antq_shared->lock);
}

/* Forget the launcher's PGPROC at exit. */
static void
launcher_detach(int code, Datum arg)
{
	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	antq_shared->launcher = NULL;
	LWLockRelease(antq_shared->lock);
}

/* Entry point of the launcher. */
void
antq_launcher_main(Datum arg)
{
	TimestampTz next_scan = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	antq_shared->launcher = MyProc;
	LWLockRelease(antq_shared->lock);
	before_shmem_exit(launcher_detach, (Datum) 0);

	for (;;)
	{
		List	   *to_start = NIL;
		ListCell   *lc;
		int			i;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			bool		was_enabled = antq_worker_enabled;

			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			if (antq_worker_enabled && !was_enabled)
				next_scan = 0;	/* switched back on: probe every database now */
		}

		reap_slots();
		if (!antq_worker_enabled)
			stop_all_workers();
		else
		{
			LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
			for (i = 0; i < ANTQ_MAX_DATABASES; i++)
				if (OidIsValid(antq_shared->wanted[i]))
				{
					to_start = lappend_oid(to_start, antq_shared->wanted[i]);
					antq_shared->wanted[i] = InvalidOid;
				}
			LWLockRelease(antq_shared->lock);
			/* only databases a worker can connect to: not templates, not ALLOW_CONNECTIONS false */
			if (to_start != NIL)
			{
				List	   *connectable = connectable_databases();
				List	   *wanted = to_start;

				to_start = NIL;
				foreach(lc, wanted)
					if (list_member_oid(connectable, lfirst_oid(lc)))
						to_start = lappend_oid(to_start, lfirst_oid(lc));
				list_free(wanted);
				list_free(connectable);
			}
			if (GetCurrentTimestamp() >= next_scan)
			{
				to_start = list_concat(to_start, worth_probing(connectable_databases()));
				next_scan = TimestampTzPlusMilliseconds(GetCurrentTimestamp(),
														antq_launcher_recheck_s * 1000);
			}
			foreach(lc, to_start)
			{
				CHECK_FOR_INTERRUPTS();
				start_worker(lfirst_oid(lc));
			}
			list_free(to_start);
		}

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 1000, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
