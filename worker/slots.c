/*
 * slots.c — the antq workers' slots in shared memory (reserved by extension/shmem.c): finding a
 * database's slot, waking a worker (or asking the launcher for one), and holding a database the
 * launcher must not start a worker for (DROP DATABASE in progress).
 *
 * Only when antq is in shared_preload_libraries; otherwise antq_shared stays NULL and every
 * function here does nothing.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/shmem.h"
#include "utils/timestamp.h"

#include "antq.h"
#include "antq_worker.h"
#include "capture.h"

/* The slot serving dboid, or NULL; caller holds antq_shared->lock. */
AntqWorkerSlot *
antq_slot_for(Oid dboid)
{
	int			i;

	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
		if (antq_shared->slots[i].dboid == dboid)
			return &antq_shared->slots[i];
	return NULL;
}

/* Whether dboid is on the launcher's list of databases that want a worker; lock held. */
static bool
antq_database_wanted(Oid dboid)
{
	int			i;

	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
		if (antq_shared->wanted[i] == dboid)
			return true;
	return false;
}

/*
 * Wake the worker of dboid, or ask the launcher to start one. Called at every commit that
 * queued keys, so the common cases take the lock shared: a running worker only gets its latch
 * set, and a database already on the wanted list needs nothing more (whoever listed it woke
 * the launcher, which has not taken the list since). Must not fail.
 */
void
antq_wake_database(Oid dboid)
{
	AntqWorkerSlot *slot;
	PGPROC	   *target = NULL;
	int			i;

	if (antq_shared == NULL || !OidIsValid(dboid))
		return;

	LWLockAcquire(antq_shared->lock, LW_SHARED);
	slot = antq_slot_for(dboid);
	if (slot != NULL && slot->running && slot->proc != NULL)
		target = slot->proc;
	if (target != NULL || antq_database_wanted(dboid))
	{
		if (target != NULL)
			SetLatch(&target->procLatch);
		LWLockRelease(antq_shared->lock);
		return;
	}
	LWLockRelease(antq_shared->lock);

	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	slot = antq_slot_for(dboid);
	if (slot != NULL && slot->running && slot->proc != NULL)
		target = slot->proc;
	else
	{
		if (!antq_database_wanted(dboid))
			for (i = 0; i < ANTQ_MAX_DATABASES; i++)
				if (!OidIsValid(antq_shared->wanted[i]))
				{
					antq_shared->wanted[i] = dboid;
					break;
				}
		target = antq_shared->launcher;
	}
	if (target != NULL)
		SetLatch(&target->procLatch);
	LWLockRelease(antq_shared->lock);
}

/* Keep the launcher from starting a worker for dboid for a while. */
void
antq_hold_database(Oid dboid, int seconds)
{
	int			i,
				free_i = -1;
	TimestampTz until = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), seconds * 1000);

	if (antq_shared == NULL)
		return;
	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
	{
		if (antq_shared->hold_dboid[i] == dboid)
		{
			free_i = i;
			break;
		}
		if (free_i < 0 && (!OidIsValid(antq_shared->hold_dboid[i]) ||
						   antq_shared->hold_until[i] < GetCurrentTimestamp()))
			free_i = i;
	}
	if (free_i >= 0)
	{
		antq_shared->hold_dboid[free_i] = dboid;
		antq_shared->hold_until[free_i] = until;
	}
	LWLockRelease(antq_shared->lock);
}

/* True when dboid is held; caller holds antq_shared->lock. */
bool
antq_database_held(Oid dboid)
{
	int			i;

	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
		if (antq_shared->hold_dboid[i] == dboid &&
			antq_shared->hold_until[i] >= GetCurrentTimestamp())
			return true;
	return false;
}

/* End a hold on dboid before it expires (the command it protected has finished). */
void
antq_release_database(Oid dboid)
{
	int			i;

	if (antq_shared == NULL)
		return;
	LWLockAcquire(antq_shared->lock, LW_EXCLUSIVE);
	for (i = 0; i < ANTQ_MAX_DATABASES; i++)
		if (antq_shared->hold_dboid[i] == dboid)
			antq_shared->hold_dboid[i] = InvalidOid;
	LWLockRelease(antq_shared->lock);
}
