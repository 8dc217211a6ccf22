/*
 * capture_cover.c — keys already queued as a whole: a writer whose change such a queue row
 * covers writes nothing.
 *
 * While no worker drains antq.pending (or it falls behind), writers would append one queue row
 * per transaction for keys that a queued row already names as a whole (every unit of the
 * province-year). Those writes are the larger half of what capture costs a single-row update
 * (bench/RESULTS.md). So, in shared memory, per (database, province, year):
 *
 *   covered       a whole-key row of it has committed and no taker has run since;
 *   in_flight     writers that skipped their row because of it and have not ended;
 *   queued_units  units listed by the unit rows committed since the last taker: once a key has
 *                 more than antq.capture_unit_limit, the next writer queues it whole (take_pending
 *                 would have recomputed it whole anyway), after which writers skip.
 *
 * The protocol that keeps every change recomputed:
 *  - a writer relies on a key only at pre-commit (not at PREPARE: a prepared transaction may
 *    commit any time later), and only when the key is covered, counting itself in in_flight
 *    under the key's spinlock; it leaves in_flight when its transaction ends (commit or abort),
 *    after its commit is visible to new snapshots;
 *  - anything that takes queue rows (DELETE, UPDATE, TRUNCATE of antq.pending; the worker's
 *    antq.take_pending deletes) first runs antq_pending_taken (a statement trigger): it clears
 *    every key of the database under the same spinlocks, so no writer relies on it any more,
 *    and waits until the writers that did have ended. The taker's next statements (the
 *    recompute, in READ COMMITTED: the worker sets it) then see their changes. A taker whose
 *    snapshot is the transaction's (REPEATABLE READ, SERIALIZABLE) cannot see them and instead
 *    queues every key it cleared again, as a whole, in its own transaction;
 *  - a whole-key row marks its keys covered at its writer's commit only if no taker started
 *    between that writer's pre-commit and its commit (the epoch: a taker that started in
 *    between may already have taken the row), and no taker is running: so while a taker waits,
 *    no key becomes covered and the writers it waits for can only end (it waits for no
 *    newcomer). Both are checked under the key's spinlock, which the taker takes after counting
 *    itself in and advancing the epoch.
 * A crash or restart empties shared memory: then nothing is covered and writers write again.
 *
 * Only when antq is preloaded; otherwise every function here does nothing and every writer
 * writes its rows.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/hsearch.h"
#include "utils/wait_event.h"

#include "antq.h"
#include "capture.h"

#define COVER_KEYS 4096			/* (database, province, year) keys kept; past it none is added.
								 * A database's entries are removed when it is dropped, never
								 * before (see antq_cover_drop_database) */
#define COVER_XACT 64			/* keys one transaction relies on or covers; past it it writes */

typedef struct CoverTag
{
	Oid			dboid;
	int32		year;
	char		province[ANTQ_PROVINCE_LEN];
} CoverTag;

typedef struct CoverKey
{
	CoverTag	tag;			/* hash key: zero-padded */
	slock_t		mutex;			/* protects the fields below */
	Oid			relid;			/* the antq.pending it was queued in */
	bool		covered;
	int32		in_flight;
	int32		queued_units;
} CoverKey;

typedef struct CoverShared
{
	LWLock	   *lock;			/* the hash table's entries: shared to find, exclusive to add */
	pg_atomic_uint64 epoch;		/* takers started */
	pg_atomic_uint32 takers;	/* takers clearing keys or waiting */
} CoverShared;

static CoverShared *cover = NULL;
static HTAB *cover_keys = NULL;

/*
 * This transaction's keys (backend-local), each looked up once at pre-commit: those it relies
 * on, and those of the rows it writes, to mark at commit (entries of a database are removed
 * only once it is dropped, when none of its backends is left, so the pointers stay valid).
 */
typedef struct WroteKey
{
	CoverKey   *key;
	Oid			relid;
	int32		nunits;			/* units listed; -1: a whole-key row */
} WroteKey;

static CoverKey *relied[COVER_XACT];
static int	nrelied = 0;
static WroteKey wrote[COVER_XACT];
static int	nwrote = 0;
static uint64 wrote_epoch = 0;
static bool requeued = false;	/* this transaction's rows were queued again by a taker */
static bool exit_hook_registered = false;

PG_FUNCTION_INFO_V1(antq_pending_taken);

Size
antq_cover_shmem_size(void)
{
	return add_size(MAXALIGN(sizeof(CoverShared)), hash_estimate_size(COVER_KEYS, sizeof(CoverKey)));
}

void
antq_cover_shmem_startup(LWLock *lock)
{
	HASHCTL		info;
	bool		found;

	cover = ShmemInitStruct("antq queued keys", sizeof(CoverShared), &found);
	if (!found)
	{
		cover->lock = lock;
		pg_atomic_init_u64(&cover->epoch, 0);
		pg_atomic_init_u32(&cover->takers, 0);
	}
	memset(&info, 0, sizeof(info));
	info.keysize = sizeof(CoverTag);
	info.entrysize = sizeof(CoverKey);
	/*
	 * Fixed size: a shared hash table may otherwise grow past its reservation into the shared
	 * memory every backend's lock table needs. A key that finds the table full is simply not
	 * covered (its writers write their rows).
	 */
	cover_keys = ShmemInitHash("antq queued keys hash", COVER_KEYS, COVER_KEYS, &info,
							   HASH_ELEM | HASH_BLOBS | HASH_FIXED_SIZE);
}

static void
make_tag(CoverTag *tag, const char *province, int32 year)
{
	memset(tag, 0, sizeof(CoverTag));
	tag->dboid = MyDatabaseId;
	tag->year = year;
	strlcpy(tag->province, province, ANTQ_PROVINCE_LEN);
}

/*
 * Entries this backend found last, so that a writer of the same keys as its previous
 * transactions (a province's clerk, a pgbench client) takes neither the lock nor the shared
 * probe: the entries of this backend's database are not removed while it is connected, so a
 * pointer stays valid as long as the backend.
 */
#define KEYS_SEEN 8
static CoverTag seen_tags[KEYS_SEEN];
static CoverKey *seen_keys[KEYS_SEEN];
static int	nseen = 0;
static int	seen_next = 0;

/* The key's entry; with add, created when missing (NULL when the table is full). */
static CoverKey *
find_key(const char *province, int32 year, bool add)
{
	CoverTag	tag;
	CoverKey   *k;
	bool		found;
	int			i;

	make_tag(&tag, province, year);
	for (i = 0; i < nseen; i++)
		if (memcmp(&seen_tags[i], &tag, sizeof(CoverTag)) == 0)
			return seen_keys[i];
	LWLockAcquire(cover->lock, LW_SHARED);
	k = hash_search(cover_keys, &tag, HASH_FIND, NULL);
	LWLockRelease(cover->lock);
	if (k == NULL && add)
	{
		LWLockAcquire(cover->lock, LW_EXCLUSIVE);
		k = hash_search(cover_keys, &tag, HASH_ENTER_NULL, &found);
		if (k != NULL && !found)
		{
			SpinLockInit(&k->mutex);
			k->relid = InvalidOid;
			k->covered = false;
			k->in_flight = 0;
			k->queued_units = 0;
		}
		LWLockRelease(cover->lock);
	}
	if (k != NULL)
	{
		seen_tags[seen_next] = tag;
		seen_keys[seen_next] = k;
		seen_next = (seen_next + 1) % KEYS_SEEN;
		if (nseen < KEYS_SEEN)
			nseen++;
	}
	return k;
}

/* Leave every key this backend relies on (transaction end, or exit before it). */
static void
release_relied(void)
{
	int			i;

	for (i = 0; i < nrelied; i++)
	{
		SpinLockAcquire(&relied[i]->mutex);
		relied[i]->in_flight--;
		SpinLockRelease(&relied[i]->mutex);
	}
	nrelied = 0;
}

static void
release_at_exit(int code, Datum arg)
{
	release_relied();
}

/*
 * At pre-commit, what to queue for years first..last of province in the queue relid, a row of
 * nunits units or (whole) of every unit: nothing when every year is covered (may_skip: not when
 * preparing), and then the transaction relies on them until it ends; the whole key when one of
 * the years has more units queued than limit; else the row as it is. Each year's key is looked
 * up once, and the row's keys are kept to be marked at commit.
 */
CoverRow
antq_cover_row(Oid relid, const char *province, int32 first, int32 last, bool whole, int nunits,
			   int limit, bool may_skip)
{
	int			nyears = last - first + 1,
				start = nrelied,
				i;
	CoverKey   *keys[COVER_XACT];
	bool		covered = may_skip,
				over = false;

	if (cover == NULL || nyears > COVER_XACT - Max(nrelied, nwrote))
		return whole ? COVER_WHOLE : COVER_UNITS;	/* marks and counts nothing: writers write */
	for (i = 0; i < nyears; i++)
		if ((keys[i] = find_key(province, first + i, true)) == NULL)
			return whole ? COVER_WHOLE : COVER_UNITS;	/* the table is full */
	if (covered && !exit_hook_registered)
	{
		before_shmem_exit(release_at_exit, (Datum) 0);
		exit_hook_registered = true;
	}
	for (i = 0; i < nyears; i++)
	{
		CoverKey   *k = keys[i];

		SpinLockAcquire(&k->mutex);
		if (covered && k->covered && k->relid == relid)
		{
			k->in_flight++;
			relied[nrelied++] = k;
		}
		else
			covered = false;
		over |= (int64) k->queued_units + nunits > limit;
		SpinLockRelease(&k->mutex);
	}
	if (covered)
		return COVER_SKIP;
	/* all or nothing: leave the years already relied on */
	while (nrelied > start)
	{
		nrelied--;
		SpinLockAcquire(&relied[nrelied]->mutex);
		relied[nrelied]->in_flight--;
		SpinLockRelease(&relied[nrelied]->mutex);
	}
	whole |= over;
	if (nwrote == 0)
		wrote_epoch = pg_atomic_read_u64(&cover->epoch);
	for (i = 0; i < nyears; i++)
	{
		wrote[nwrote].key = keys[i];
		wrote[nwrote].relid = relid;
		wrote[nwrote].nunits = whole ? -1 : nunits;
		nwrote++;
	}
	return whole ? COVER_WHOLE : COVER_UNITS;
}

/*
 * At commit (the transaction is visible): mark the whole-key rows' keys covered, unless a taker
 * started since pre-commit or is running (see the top of the file); count the listed units;
 * leave the keys relied on. Must not fail.
 */
void
antq_cover_at_commit(void)
{
	int			i;

	for (i = 0; i < nwrote; i++)
	{
		CoverKey   *k = wrote[i].key;

		if (wrote[i].nunits < 0 && requeued)
			continue;
		SpinLockAcquire(&k->mutex);
		if (wrote[i].nunits >= 0)
			k->queued_units = (int32) Min((int64) k->queued_units + wrote[i].nunits, PG_INT32_MAX);
		else if (pg_atomic_read_u64(&cover->epoch) == wrote_epoch && pg_atomic_read_u32(&cover->takers) == 0)
		{
			k->covered = true;
			k->relid = wrote[i].relid;
		}
		SpinLockRelease(&k->mutex);
	}
	antq_cover_forget();
}

/* At transaction end (abort, prepare, or after commit): leave the keys, forget the rows. */
void
antq_cover_forget(void)
{
	release_relied();
	nwrote = 0;
	requeued = false;
}

/* The taker has finished (or failed): keys may be covered again. */
static void
taker_done(int code, Datum arg)
{
	pg_atomic_fetch_sub_u32(&cover->takers, 1);
}

/* Clear every key of the database; with requeue, queue the ones in use again as a whole. */
static void
clear_keys(bool requeue)
{
	HASH_SEQ_STATUS seq;
	CoverKey   *k;

	LWLockAcquire(cover->lock, LW_SHARED);
	hash_seq_init(&seq, cover_keys);
	while ((k = hash_seq_search(&seq)) != NULL)
	{
		bool		was;

		if (k->tag.dboid != MyDatabaseId)
			continue;
		SpinLockAcquire(&k->mutex);
		was = k->covered || k->in_flight > 0;
		k->covered = false;
		k->queued_units = 0;
		SpinLockRelease(&k->mutex);
		if (was && requeue)
			antq_queue_province(k->tag.province, k->tag.year, k->tag.year);
	}
	LWLockRelease(cover->lock);
}

/* Wait until no writer of the database relies on a key (they only end: none can start). */
static void
wait_for_writers(void)
{
	for (;;)
	{
		HASH_SEQ_STATUS seq;
		CoverKey   *k;
		bool		waiting = false;

		LWLockAcquire(cover->lock, LW_SHARED);
		hash_seq_init(&seq, cover_keys);
		while ((k = hash_seq_search(&seq)) != NULL)
		{
			if (k->tag.dboid != MyDatabaseId)
				continue;
			SpinLockAcquire(&k->mutex);
			waiting |= k->in_flight > 0;
			SpinLockRelease(&k->mutex);
		}
		LWLockRelease(cover->lock);
		if (!waiting)
			return;
		/* a writer between its pre-commit and its commit: microseconds */
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 1, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * antq.pending_taken(): BEFORE statement trigger of DELETE, UPDATE and TRUNCATE on antq.pending.
 * Clears every key of the database and waits for the writers that relied on them to end (see the
 * top of the file); under a transaction snapshot, queues the cleared keys again instead.
 */
Datum
antq_pending_taken(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	bool		requeue = IsolationUsesXactSnapshot();

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		elog(ERROR, "antq.pending_taken() must be a BEFORE statement trigger");
	if (cover == NULL)
		return PointerGetDatum(NULL);
	pg_atomic_fetch_add_u32(&cover->takers, 1);
	pg_atomic_fetch_add_u64(&cover->epoch, 1);
	PG_ENSURE_ERROR_CLEANUP(taker_done, (Datum) 0);
	{
		clear_keys(requeue);
		if (!requeue)
			wait_for_writers();
	}
	PG_END_ENSURE_ERROR_CLEANUP(taker_done, (Datum) 0);
	taker_done(0, (Datum) 0);
	if (requeue)
		requeued = true;
	return PointerGetDatum(NULL);
}

/*
 * DROP DATABASE has dropped database dboid: remove its keys. Its backends have all gone (a
 * database with connections cannot be dropped), so no pointer to them is left in any backend.
 * Without this the table would fill with dead databases' keys, and a database that later got
 * the same OID would find them covered, relying on queue rows that never existed in it.
 */
void
antq_cover_drop_database(Oid dboid)
{
	HASH_SEQ_STATUS seq;
	CoverKey   *k;

	if (cover == NULL)
		return;
	LWLockAcquire(cover->lock, LW_EXCLUSIVE);
	hash_seq_init(&seq, cover_keys);
	while ((k = hash_seq_search(&seq)) != NULL)
		if (k->tag.dboid == dboid)
			(void) hash_search(cover_keys, &k->tag, HASH_REMOVE, NULL);
	LWLockRelease(cover->lock);
}
