/*
 * status.c — antq.worker_status_raw(): the launcher and database workers as seen in shared
 * memory (pid, database, counters, last error), for the antq.worker_status view.
 *
 * As pg_stat_activity does for sessions, what a role sees depends on who it is: the worker of
 * the database it is connected to, and the other databases' workers only when it has the
 * privileges of pg_read_all_stats (superusers do). The text of the last error (it may quote
 * figures of any province) likewise: to the others it is NULL, its time stays shown.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_authid_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "antq.h"
#include "antq_worker.h"

PG_FUNCTION_INFO_V1(antq_worker_status_raw);

/* Datum of a timestamp, or NULL when it was never set. */
static Datum
ts_or_null(TimestampTz ts, bool *isnull)
{
	*isnull = (ts == 0);
	return TimestampTzGetDatum(ts);
}

/*
 * One row per database worker slot in use that the caller may see (none when antq is not
 * preloaded).
 */
Datum
antq_worker_status_raw(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	bool		all_stats = has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS);
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (antq_shared == NULL)
		return (Datum) 0;

	LWLockAcquire(antq_shared->lock, LW_SHARED);
	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
	{
		AntqWorkerSlot *s = &antq_shared->slots[i];
		Datum		values[10];
		bool		nulls[10];

		if (!OidIsValid(s->dboid) || s->exited || (!all_stats && s->dboid != MyDatabaseId))
			continue;
		memset(nulls, 0, sizeof(nulls));
		values[0] = Int32GetDatum(s->pid);
		nulls[0] = (s->pid == 0);
		values[1] = ObjectIdGetDatum(s->dboid);
		values[2] = BoolGetDatum(s->running);
		values[3] = ts_or_null(s->started_at, &nulls[3]);
		values[4] = ts_or_null(s->last_run, &nulls[4]);
		values[5] = Int64GetDatum(s->keys_done);
		values[6] = Int64GetDatum(s->queue_depth);
		values[7] = Float8GetDatum(s->lag_ms);
		nulls[7] = (s->last_run == 0);
		values[8] = CStringGetTextDatum(s->last_error);
		nulls[8] = (s->last_error[0] == '\0' || !all_stats);
		values[9] = ts_or_null(s->last_error_at, &nulls[9]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	LWLockRelease(antq_shared->lock);
	return (Datum) 0;
}
