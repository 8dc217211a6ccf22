/*
 * shmem.c — all of antq's shared memory, reserved and attached in one place: the workers' slots
 * (worker/slots.c), the shared unit-to-province cache (capture/unit_province.c) and the keys
 * queued as a whole (capture/capture_cover.c), each with its LWLock tranche.
 *
 * Only when antq is in shared_preload_libraries (_PG_init, through antq_worker_init); otherwise
 * antq_shared stays NULL and each part works without its shared state.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "antq.h"
#include "antq_worker.h"
#include "capture.h"

/* Points into shared memory once attached; process-local pointer, set once per process. */
AntqShared *antq_shared = NULL;

/* Hook chain saved at _PG_init: set once, never changed. */
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

/* Reserve our shared memory and LWLock (PG15 shmem_request_hook). */
static void
antq_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(AntqShared)));
	RequestAddinShmemSpace(antq_unit_cache_shmem_size());
	RequestAddinShmemSpace(antq_cover_shmem_size());
	RequestNamedLWLockTranche("antq", 1);
	RequestNamedLWLockTranche("antq unit provinces", 1);
	RequestNamedLWLockTranche("antq queued keys", 1);
}

/* Attach to (and on first use zero) the shared struct. */
static void
antq_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	antq_shared = ShmemInitStruct("antq", sizeof(AntqShared), &found);
	if (!found)
	{
		memset(antq_shared, 0, sizeof(AntqShared));
		antq_shared->lock = &(GetNamedLWLockTranche("antq"))->lock;
	}
	antq_unit_cache_shmem_startup(&(GetNamedLWLockTranche("antq unit provinces"))->lock);
	antq_cover_shmem_startup(&(GetNamedLWLockTranche("antq queued keys"))->lock);
	LWLockRelease(AddinShmemInitLock);
}

/* Install the shared-memory hooks; called from _PG_init when preloaded. */
void
antq_shmem_init(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = antq_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = antq_shmem_startup;
}
