/*
 * unit_province.c — which province a unit version lies in, for the capture of fact rows: a
 * backend-local cache, a cache in shared memory (when antq is preloaded) that every backend
 * fills and reads, and on a miss one probe of antq.unit's primary-key index (no SQL, no
 * row-level security).
 *
 * The local cache is emptied when a relcache invalidation of antq.unit arrives (the capture
 * trigger of antq.unit sends one for every change but an INSERT), which also covers the
 * backend's own uncommitted changes and their rollback.
 *
 * The shared cache lets a new connection find the provinces that others have looked up (a
 * province's writers share them; a cold lookup costs as much as the update it serves). Its
 * entries are tagged with a generation that a transaction bumps when it commits a change to
 * antq.unit other than an INSERT; an entry counts only while its tag is the current
 * generation. A backend reads the generation before it takes the snapshot of its probe, so an
 * entry that might hold a province from before a committed change is never current. It is
 * bypassed by a transaction that wrote antq.unit itself (its view is not yet everyone's), and
 * when prepared transactions are enabled (a change committed by COMMIT PREPARED would not bump).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/twophase.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "capture.h"

#define LOCAL_UNITS_MAX 200000	/* entries before the local cache starts afresh (~10 MB) */
#define SHARED_UNITS_MAX 131072 /* entries of the shared cache (~8 MB of shared memory) */

typedef struct LocalUnit
{
	int64		unit_id;
	char		province[ANTQ_PROVINCE_LEN];
} LocalUnit;

/* A unit version of one database's antq.unit (its OID changes when the extension is re-created). */
typedef struct SharedUnitKey
{
	Oid			dboid;
	Oid			relid;
	int64		unit_id;
} SharedUnitKey;

typedef struct SharedUnit
{
	SharedUnitKey key;
	uint64		generation;		/* the generation current when it was read */
	char		province[ANTQ_PROVINCE_LEN];
} SharedUnit;

typedef struct SharedUnits
{
	LWLock	   *lock;			/* protects the hash table; the generation is atomic */
	pg_atomic_uint64 generation;
} SharedUnits;

/*
 * Backend-local cache in CacheMemoryContext, emptied lazily when an invalidation of antq.unit
 * arrives (local_stale) because the callback may run at awkward moments.
 */
static HTAB *local_units = NULL;
static Oid	unit_relid = InvalidOid;
static bool local_stale = false;
static bool relcache_callback_registered = false;

/* Shared cache: process-local pointers into shared memory, set once at attach. */
static SharedUnits *shared_units = NULL;
static HTAB *shared_unit_hash = NULL;

/* This transaction wrote antq.unit (bypass the shared cache) / must bump the generation at commit. */
static bool unit_written = false;
static bool bump_at_commit = false;
static bool xact_callback_registered = false;

/* Shared memory the shared cache needs. */
Size
antq_unit_cache_shmem_size(void)
{
	return add_size(MAXALIGN(sizeof(SharedUnits)), hash_estimate_size(SHARED_UNITS_MAX, sizeof(SharedUnit)));
}

/* Attach to (and on first use create) the shared cache; caller holds AddinShmemInitLock. */
void
antq_unit_cache_shmem_startup(LWLock *lock)
{
	bool		found;
	HASHCTL		info;

	shared_units = ShmemInitStruct("antq unit provinces", sizeof(SharedUnits), &found);
	if (!found)
	{
		shared_units->lock = lock;
		pg_atomic_init_u64(&shared_units->generation, 1);
	}
	info.keysize = sizeof(SharedUnitKey);
	info.entrysize = sizeof(SharedUnit);
	shared_unit_hash = ShmemInitHash("antq unit province hash", SHARED_UNITS_MAX, SHARED_UNITS_MAX,
									 &info, HASH_ELEM | HASH_BLOBS | HASH_FIXED_SIZE);
}

/* Transaction callback: bump the shared generation when a change to antq.unit commits. */
static void
unit_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
			if (bump_at_commit && shared_units != NULL)
				pg_atomic_fetch_add_u64(&shared_units->generation, 1);
			unit_written = bump_at_commit = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
			unit_written = bump_at_commit = false;
			break;
		default:
			break;
	}
}

/* The capture of antq.unit saw a write: bypass the shared cache, and bump it at commit unless only INSERTs. */
void
antq_unit_written(bool insert_only)
{
	if (!xact_callback_registered)
	{
		RegisterXactCallback(unit_xact_callback, NULL);
		xact_callback_registered = true;
	}
	unit_written = true;
	if (!insert_only)
		bump_at_commit = true;
}

/* Relcache callback: antq.unit changed somewhere, so the local cache may be stale. */
static void
local_inval(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == unit_relid)
		local_stale = true;
}

/* The local cache, created or emptied as needed. */
static HTAB *
get_local_units(void)
{
	if (local_units != NULL && (local_stale || hash_get_num_entries(local_units) > LOCAL_UNITS_MAX))
	{
		hash_destroy(local_units);
		local_units = NULL;
	}
	if (local_units == NULL)
	{
		HASHCTL		ctl;
		Oid			nsp = get_namespace_oid("antq", false);

		if (!relcache_callback_registered)
		{
			CacheRegisterRelcacheCallback(local_inval, (Datum) 0);
			relcache_callback_registered = true;
		}
		unit_relid = get_relname_relid("unit", nsp);
		local_stale = false;
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(LocalUnit);
		ctl.hcxt = CacheMemoryContext;
		local_units = hash_create("antq unit provinces", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	return local_units;
}

/* The shared cache's key of a unit of this database. */
static void
shared_key(SharedUnitKey *key, int64 unit_id)
{
	memset(key, 0, sizeof(*key));
	key->dboid = MyDatabaseId;
	key->relid = unit_relid;
	key->unit_id = unit_id;
}

/* Find a current entry of the shared cache. */
static bool
shared_find(int64 unit_id, uint64 generation, char *province)
{
	SharedUnitKey key;
	SharedUnit *e;
	bool		found = false;

	shared_key(&key, unit_id);
	LWLockAcquire(shared_units->lock, LW_SHARED);
	e = hash_search(shared_unit_hash, &key, HASH_FIND, NULL);
	if (e != NULL && e->generation == generation)
	{
		strcpy(province, e->province);
		found = true;
	}
	LWLockRelease(shared_units->lock);
	return found;
}

/* Store what a probe read under generation; nothing when a change has committed since. */
static void
shared_store(int64 unit_id, uint64 generation, const char *province)
{
	SharedUnitKey key;
	SharedUnit *e;

	shared_key(&key, unit_id);
	LWLockAcquire(shared_units->lock, LW_EXCLUSIVE);
	if (pg_atomic_read_u64(&shared_units->generation) == generation)
	{
		/* full (of live entries or of ones outdated by changes): start afresh */
		if (hash_get_num_entries(shared_unit_hash) >= SHARED_UNITS_MAX)
		{
			HASH_SEQ_STATUS seq;
			SharedUnit *old;

			hash_seq_init(&seq, shared_unit_hash);
			while ((old = hash_seq_search(&seq)) != NULL)
				(void) hash_search(shared_unit_hash, &old->key, HASH_REMOVE, NULL);
		}
		e = hash_search(shared_unit_hash, &key, HASH_ENTER_NULL, NULL);
		if (e != NULL)
		{
			e->generation = generation;
			strcpy(e->province, province);
		}
	}
	LWLockRelease(shared_units->lock);
}

/*
 * Province code of a unit version, read through the primary-key index of antq.unit with the
 * given snapshot; false when there is no such unit.
 */
static bool
probe_unit(int64 unit_id, Snapshot snapshot, char *province)
{
	Relation	rel = table_open(unit_relid, AccessShareLock);
	Oid			pkey = RelationGetPrimaryKeyIndex(rel);
	int			unit_att = SPI_fnumber(RelationGetDescr(rel), "unit_id");
	int			province_att = SPI_fnumber(RelationGetDescr(rel), "province_code");
	ScanKeyData skey;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	if (!OidIsValid(pkey) || unit_att <= 0 || province_att <= 0 ||
		TupleDescAttr(RelationGetDescr(rel), unit_att - 1)->atttypid != INT8OID)
		elog(ERROR, "antq.unit has no bigint primary key unit_id and province_code");
	ScanKeyInit(&skey, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(unit_id));
	scan = systable_beginscan(rel, pkey, true, snapshot, 1, &skey);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		bool		isnull;
		Datum		d = heap_getattr(tup, province_att, RelationGetDescr(rel), &isnull);

		if (!isnull)
		{
			char	   *code = TextDatumGetCString(d);

			if (strlen(code) < ANTQ_PROVINCE_LEN)
			{
				strcpy(province, code);
				found = true;
			}
			pfree(code);
		}
	}
	systable_endscan(scan);
	table_close(rel, NoLock);	/* kept to the end of the transaction, as the executor does */
	return found;
}

/* Province code of a unit version (into province); false when there is no such unit. */
bool
antq_unit_province(int64 unit_id, char *province)
{
	HTAB	   *local = get_local_units();
	LocalUnit  *e = hash_search(local, &unit_id, HASH_FIND, NULL);
	bool		use_shared = shared_units != NULL && !unit_written && max_prepared_xacts == 0;
	uint64		generation = 0;
	bool		found;

	if (e != NULL)
	{
		strcpy(province, e->province);
		return true;
	}
	if (use_shared)
	{
		/* read before the probe's snapshot is taken: see the header comment */
		generation = pg_atomic_read_u64(&shared_units->generation);
		pg_memory_barrier();
		found = shared_find(unit_id, generation, province);
		if (!found)
		{
			found = probe_unit(unit_id, GetLatestSnapshot(), province);
			if (found)
				shared_store(unit_id, generation, province);
		}
	}
	else
		found = probe_unit(unit_id, ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot(),
						   province);
	if (!found)
		return false;
	e = hash_search(local, &unit_id, HASH_ENTER, NULL);
	strcpy(e->province, province);
	return true;
}

/*
 * DROP DATABASE has dropped a database: outdate every shared entry, since a database created
 * later may get the same OID (and, copied from the same template, the same antq.unit OID) and
 * would otherwise read the dropped one's provinces until a change of its own.
 */
void
antq_unit_cache_drop_database(void)
{
	if (shared_units != NULL)
		pg_atomic_fetch_add_u64(&shared_units->generation, 1);
}
