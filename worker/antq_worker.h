/*
 * antq_worker.h — shared memory of the antq background workers and what other files call.
 *
 * One AntqShared struct lives in shared memory when antq is preloaded: the launcher's PGPROC
 * and one slot per database worker (its PGPROC, counters for antq.worker_status). The launcher
 * is the only process that claims or frees slots; workers and backends only update their own
 * slot's counters (and a worker marks its slot exited) or read, under the tranche's LWLock.
 */
#ifndef ANTQ_WORKER_H
#define ANTQ_WORKER_H

#include "storage/lwlock.h"
#include "storage/proc.h"
#include "utils/timestamp.h"

/* Most databases served at once; each needs one of max_worker_processes too. */
#define ANTQ_MAX_DATABASES 32
#define ANTQ_ERROR_LEN 256

typedef struct AntqWorkerSlot
{
	Oid			dboid;			/* database served; InvalidOid when the slot is free */
	pid_t		pid;			/* 0 until the worker has attached */
	PGPROC	   *proc;			/* its PGPROC, whose latch writers set at commit */
	TimestampTz started_at;
	TimestampTz last_run;		/* end of the last round that found the extension */
	TimestampTz last_error_at;
	char		last_error[ANTQ_ERROR_LEN];
	int64		keys_done;		/* (province, year) keys recomputed since start */
	int64		queue_depth;	/* (province, year) keys in antq.pending after the last round */
	double		lag_ms;			/* commit of the last batch minus the oldest queued_at in it */
	bool		running;		/* the worker process is alive */
	/* set by the exiting worker; the launcher reads them, then frees the slot */
	bool		exited;			/* the worker has exited (pid and proc cleared) */
	int			exit_code;		/* its proc_exit code: 0 clean, 1 FATAL (SIGTERM, failed start) */
	bool		no_extension;	/* it exited because the database has no antq */
} AntqWorkerSlot;

typedef struct AntqShared
{
	LWLock	   *lock;			/* protects everything below */
	PGPROC	   *launcher;		/* NULL while the launcher is not running */
	/* databases to (re)check now: set by CREATE EXTENSION and by writers with no worker */
	Oid			wanted[ANTQ_MAX_DATABASES];
	/* databases the launcher must leave alone until then (DROP DATABASE in progress) */
	Oid			hold_dboid[ANTQ_MAX_DATABASES];
	TimestampTz hold_until[ANTQ_MAX_DATABASES];
	AntqWorkerSlot slots[ANTQ_MAX_DATABASES];
} AntqShared;

/* extension/shmem.c: reserve and attach all of antq's shared memory (antq_shared among it). */
extern AntqShared *antq_shared;
extern void antq_shmem_init(void);

/* slots.c */
extern AntqWorkerSlot *antq_slot_for(Oid dboid);
extern void antq_wake_database(Oid dboid);
extern void antq_hold_database(Oid dboid, int seconds);
extern bool antq_database_held(Oid dboid);
extern void antq_release_database(Oid dboid);

/* launcher.c */
extern PGDLLEXPORT void antq_launcher_main(Datum arg);

/* worker.c */
extern PGDLLEXPORT void antq_worker_main(Datum arg);

/* GUCs (launcher.c) */
extern bool antq_worker_enabled;
extern int	antq_naptime_ms;
extern int	antq_batch_size;
extern int	antq_launcher_recheck_s;

#endif							/* ANTQ_WORKER_H */
