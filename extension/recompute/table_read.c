/*
 * table_read.c — reading antq's tables row by row from C (table_read.h).
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "table_read.h"

/* Open antq.<name> for reading, as a query would: SELECT privilege checked. */
Relation
table_read_open(const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid("antq", false));
	AclResult	acl;

	if (!OidIsValid(relid))
		elog(ERROR, "table antq.%s does not exist", name);
	acl = pg_class_aclcheck(relid, GetUserId(), ACL_SELECT);
	if (acl != ACLCHECK_OK)
		aclcheck_error(acl, OBJECT_TABLE, name);
	return table_open(relid, AccessShareLock);
}

AttrNumber
table_column(Relation rel, const char *name)
{
	AttrNumber	n = get_attnum(RelationGetRelid(rel), name);

	if (n == InvalidAttrNumber)
		elog(ERROR, "table %s has no column %s", RelationGetRelationName(rel), name);
	return n;
}

void
table_read_begin(TableRead *s, Snapshot snapshot, const char *name)
{
	s->rel = table_read_open(name);
	s->slot = table_slot_create(s->rel, NULL);
	s->scan = table_beginscan(s->rel, snapshot, 0, NULL);
}

bool
table_read_next(TableRead *s)
{
	CHECK_FOR_INTERRUPTS();
	return table_scan_getnextslot(s->scan, ForwardScanDirection, s->slot);
}

/*
 * The lock stays until the end of the transaction, as the executor keeps it: a pass that
 * collects row positions here and fetches them later must not let VACUUM FULL, CLUSTER or a
 * rewriting ALTER move the rows in between.
 */
void
table_read_end(TableRead *s)
{
	table_endscan(s->scan);
	ExecDropSingleTupleTableSlot(s->slot);
	table_close(s->rel, NoLock);
}

/*
 * A reader of rows by TID. A table larger than a quarter of shared buffers is read through a
 * ring of a few buffers, as PostgreSQL's own sequential scans read one: the national pass
 * fetches every unit's rows, and would otherwise push everything the writers use out of shared
 * buffers (and count all of shared buffers in the process's resident set).
 */
void
tid_read_begin(TidRead *r, Relation rel, Snapshot snapshot)
{
	r->rel = rel;
	r->snapshot = snapshot;
	r->buffer = InvalidBuffer;
	r->all_visible = false;
	r->strategy = NULL;
	if (rel->rd_rel->relam == HEAP_TABLE_AM_OID && RelationGetNumberOfBlocks(rel) > (BlockNumber) NBuffers / 4)
		r->strategy = GetAccessStrategy(BAS_BULKREAD);
	r->slot = table_slot_create(rel, NULL);
}

/*
 * As heap_fetch, but the block kept pinned. No predicate lock is taken on the row: the scan that
 * found its TID, in the same snapshot, locked the whole relation. Tables of another access
 * method are fetched through it.
 *
 * A block found all visible once pinned keeps its rows visible to this snapshot, which is older
 * than that finding: a row deleted since was deleted by a transaction the snapshot does not see.
 * Its line pointers cannot move while the pin is held (pruning needs the only pin), and a row's
 * data is never changed in place, so such rows are read without the block's lock, as a
 * sequential scan reads them after checking the block.
 */
TupleTableSlot *
tid_read(TidRead *r, ItemPointer tid)
{
	BlockNumber block = ItemPointerGetBlockNumber(tid);
	OffsetNumber off = ItemPointerGetOffsetNumber(tid);
	HeapTuple	tuple;
	Page		page;
	ItemId		lp;
	bool		visible = false;

	if (r->rel->rd_rel->relam != HEAP_TABLE_AM_OID)
		return table_tuple_fetch_row_version(r->rel, tid, r->snapshot, r->slot) ? r->slot : NULL;
	/* a heap table's slot (tid_read_begin) is a buffer slot, which keeps a pointer to the
	 * tuple's header: the header must be the slot's own */
	tuple = &((BufferHeapTupleTableSlot *) r->slot)->base.tupdata;
	if (!BufferIsValid(r->buffer) || BufferGetBlockNumber(r->buffer) != block)
	{
		if (BufferIsValid(r->buffer))
			ReleaseBuffer(r->buffer);
		r->buffer = InvalidBuffer;	/* not left dangling if the read fails */
		r->buffer = ReadBufferExtended(r->rel, MAIN_FORKNUM, block, RBM_NORMAL, r->strategy);
		LockBuffer(r->buffer, BUFFER_LOCK_SHARE);
		r->all_visible = PageIsAllVisible(BufferGetPage(r->buffer)) && !r->snapshot->takenDuringRecovery;
		LockBuffer(r->buffer, BUFFER_LOCK_UNLOCK);
	}
	if (!r->all_visible)
		LockBuffer(r->buffer, BUFFER_LOCK_SHARE);
	page = BufferGetPage(r->buffer);
	if (off >= FirstOffsetNumber && off <= PageGetMaxOffsetNumber(page) &&
		ItemIdIsNormal(lp = PageGetItemId(page, off)))
	{
		tuple->t_data = (HeapTupleHeader) PageGetItem(page, lp);
		tuple->t_len = ItemIdGetLength(lp);
		tuple->t_tableOid = RelationGetRelid(r->rel);
		tuple->t_self = *tid;
		visible = r->all_visible || HeapTupleSatisfiesVisibility(tuple, r->snapshot, r->buffer);
	}
	if (!r->all_visible)
		LockBuffer(r->buffer, BUFFER_LOCK_UNLOCK);
	if (!visible)
	{
		ExecClearTuple(r->slot);	/* its header was overwritten */
		return NULL;
	}
	ExecStoreBufferHeapTuple(tuple, r->slot, r->buffer);
	return r->slot;
}

void
tid_read_end(TidRead *r)
{
	ExecDropSingleTupleTableSlot(r->slot);
	if (BufferIsValid(r->buffer))
		ReleaseBuffer(r->buffer);
	r->buffer = InvalidBuffer;
	if (r->strategy != NULL)
		FreeAccessStrategy(r->strategy);
	r->strategy = NULL;
}

int32
table_int4(TupleTableSlot *slot, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);

	return isnull ? 0 : DatumGetInt32(d);
}

int64
table_int8(TupleTableSlot *slot, AttrNumber att)
{
	bool		isnull;
	Datum		d = slot_getattr(slot, att, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}
