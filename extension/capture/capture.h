/*
 * capture.h — what the capture triggers (capture.c) hand to the transaction's change set
 * (capture_queue.c), which writes it into antq.pending at pre-commit.
 */
#ifndef ANTQ_CAPTURE_H
#define ANTQ_CAPTURE_H

#include "fmgr.h"
#include "storage/lwlock.h"

#define ANTQ_PROVINCE_LEN 16	/* province codes are 2 digits; '*' means every province */

/*
 * The queue's "province" of units not in the registry the writer sees: with
 * session_replication_role = replica no foreign key is checked, so a fact may be written
 * before its unit commits (a subscription copies its tables in parallel). The worker finds
 * their provinces when it takes them; a unit committed later queues its own keys then.
 */
#define ANTQ_UNSEEN_UNITS "?"

/* capture_queue.c: define the GUC antq.capture_unit_limit; the queue's OID (InvalidOid when absent). */
extern void antq_capture_queue_init(void);
extern Oid	antq_pending_relid(void);

/* A fact of unit unit_id, lying in province, changed: its years first..last need recomputing. */
extern void antq_queue_unit(const char *province, int32 first, int32 last, int64 unit_id);

/* Something other than one unit's facts changed: the whole province over first..last. */
extern void antq_queue_province(const char *province, int32 first, int32 last);

/*
 * capture_guard.c: the owner of antq.pending (InvalidOid when it is gone); the trigger data of
 * a capture trigger's call, checked (NULL: a row-level call with nothing to do).
 */
extern Oid	antq_queue_owner(void);
extern struct TriggerData *antq_capture_trigdata(FunctionCallInfo fcinfo, const char *fname, const char *only_table);

/* capture_cover.c: keys already queued as a whole, which writers then need not queue again. */
extern Size antq_cover_shmem_size(void);
extern void antq_cover_shmem_startup(LWLock *lock);
typedef enum CoverRow
{
	COVER_SKIP,					/* covered: write nothing */
	COVER_WHOLE,				/* write the row for every unit */
	COVER_UNITS					/* write the row listing its units */
} CoverRow;
extern CoverRow antq_cover_row(Oid relid, const char *province, int32 first, int32 last, bool whole,
							   int nunits, int limit, bool may_skip);
extern void antq_cover_at_commit(void);
extern void antq_cover_forget(void);
extern void antq_cover_drop_database(Oid dboid);

/* unit_province.c: the province of a unit version (false when there is none), and the caches behind it. */
extern bool antq_unit_province(int64 unit_id, char *province);
extern void antq_unit_written(bool insert_only);
extern Size antq_unit_cache_shmem_size(void);
extern void antq_unit_cache_shmem_startup(LWLock *lock);
extern void antq_unit_cache_drop_database(void);

#endif							/* ANTQ_CAPTURE_H */
