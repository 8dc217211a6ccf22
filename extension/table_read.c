/*
 * table_read.c — reading antq's tables row by row from C (table_read.h).
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "miscadmin.h"
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

void
table_read_end(TableRead *s)
{
	table_endscan(s->scan);
	ExecDropSingleTupleTableSlot(s->slot);
	table_close(s->rel, AccessShareLock);
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
