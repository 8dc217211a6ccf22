/*
 * table_read.h — reading antq's tables row by row from C, as a query would (SELECT privilege
 * checked, the caller's snapshot), for the passes that stand for a SQL query over the whole
 * nation (stale_gather.c, stale_counts.c).
 */
#ifndef ANTQ_TABLE_READ_H
#define ANTQ_TABLE_READ_H

#include "postgres.h"

#include "access/attnum.h"
#include "access/relscan.h"
#include "executor/tuptable.h"
#include "storage/buf.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/* A sequential scan of one table. */
typedef struct TableRead
{
	Relation	rel;
	TupleTableSlot *slot;
	TableScanDesc scan;
} TableRead;

extern Relation table_read_open(const char *name);
extern AttrNumber table_column(Relation rel, const char *name);
extern void table_read_begin(TableRead *s, Snapshot snapshot, const char *name);
extern bool table_read_next(TableRead *s);
extern void table_read_end(TableRead *s);

/*
 * Rows fetched by TID, as a pass over the nation fetches them: in about the order of their
 * blocks (a unit's assessment and antq.unit rows lie in the order of the units), so the current
 * block stays pinned from one row to the next instead of being looked up and pinned for each
 * row, and on a block all visible (as VACUUM leaves most of them) a row needs neither the
 * block's lock nor a visibility check, as a sequential scan reads such a block. Blocks are read
 * through shared buffers as an index scan reads them (a bulk-read ring was no faster, and
 * slower for antq.unit_result, whose rows lie in no such order).
 */
typedef struct TidRead
{
	Relation	rel;
	Snapshot	snapshot;
	TupleTableSlot *slot;		/* the row read last */
	Buffer		buffer;			/* pinned, or InvalidBuffer */
	bool		all_visible;	/* the pinned block was all visible when pinned */
	BufferAccessStrategy strategy;	/* a ring for a large table, or NULL */
} TidRead;

extern void tid_read_begin(TidRead *r, Relation rel, Snapshot snapshot);
/* The row at tid (in r->slot), when it is visible in the snapshot; else NULL. It stays valid
 * until the next row this reader reads. */
extern TupleTableSlot *tid_read(TidRead *r, ItemPointer tid);
extern void tid_read_end(TidRead *r);

/* A column of the current row as an integer; 0 when NULL. */
extern int32 table_int4(TupleTableSlot *slot, AttrNumber att);
extern int64 table_int8(TupleTableSlot *slot, AttrNumber att);

#endif							/* ANTQ_TABLE_READ_H */
