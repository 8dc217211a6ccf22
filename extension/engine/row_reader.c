/*
 * row_reader.c — reading a few columns of a composite value (đọc bản ghi) in place: offsets of
 * the leading fixed-width attributes are computed once per row type, so that reading one of
 * them costs a null-bit test and a load; attributes after the first variable-width one are
 * found by walking from there, remembering how far the walk went.
 */
#include "postgres.h"

#include "port/pg_bitutils.h"
#include "utils/memutils.h"

#include "row_reader.h"

/* The shape of a row type: a copy of its descriptor and the offsets of its fixed-width prefix. */
RowShape *
row_shape_new(TupleDesc desc, MemoryContext mcxt)
{
	RowShape   *shape = MemoryContextAllocZero(mcxt, sizeof(RowShape));
	MemoryContext old = MemoryContextSwitchTo(mcxt);
	int32		off = 0;
	int			i;

	shape->desc = CreateTupleDescCopy(desc);
	shape->fixed_off = palloc(sizeof(int32) * Max(desc->natts, 1));
	shape->attlen = palloc(sizeof(int16) * Max(desc->natts, 1));
	shape->attbyval = palloc(sizeof(bool) * Max(desc->natts, 1));
	shape->attalign = palloc(sizeof(char) * Max(desc->natts, 1));
	for (i = 0; i < desc->natts; i++)
	{
		shape->attlen[i] = TupleDescAttr(desc, i)->attlen;
		shape->attbyval[i] = TupleDescAttr(desc, i)->attbyval;
		shape->attalign[i] = TupleDescAttr(desc, i)->attalign;
	}
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (a->attlen <= 0)
			break;
		/* As heap_form_tuple lays them out: aligned as the type asks, one after the other. */
		off = att_align_nominal(off, a->attalign);
		shape->fixed_off[i] = off;
		off += a->attlen;
	}
	shape->fixed_natts = i;
	MemoryContextSwitchTo(old);
	return shape;
}

#ifdef VersionedDatumOffsetNumber
/* Check a versioned row against the shape's row type, and remember its version as checked. */
void
row_check_version(RowShape *shape, HeapTupleHeader th)
{
	heap_datum_check(th, shape->desc);
	shape->checked = true;
	shape->checked_version = HeapTupleHeaderGetVersion(th);
}
#endif

/* The number of leading attributes of the row before its first NULL, at most limit. */
int
row_first_null(const bits8 *nulls, int limit)
{
	int			i;

	for (i = 0; i < limit; i += 8)
	{
		uint32		absent = (uint32) (bits8) ~nulls[i >> 3];

		if (absent)
			return Min(limit, i + pg_rightmost_one_pos32(absent));
	}
	return limit;
}

/*
 * The offset of attribute attnum (present, not NULL, past the fixed offsets known and not
 * remembered from an earlier walk): walked from where the last walk stopped when that is before
 * it, else from the last known fixed offset.
 */
int32
row_walk(RowReader *r, int attnum)
{
	/* Locals, so that the stores into walk_off do not make the compiler reload them. */
	const int16 *attlen = r->shape->attlen;
	const char *attalign = r->shape->attalign;
	const bits8 *nulls = r->nulls;
	const char *data = r->data;
	int			known = r->known;
	int			att;
	Size		off;			/* Size, as the alignment macros compute in it */

	if (r->walked > 0 && r->walked < attnum)
	{
		att = r->walked;
		off = r->walked_end;
	}
	else
	{
		att = known;
		off = att == 0 ? 0 : r->shape->fixed_off[att - 1] + attlen[att - 1];
	}
	for (;;)
	{
		int			len;

		att++;
		if (nulls && att_isnull(att - 1, nulls))
			continue;
		len = attlen[att - 1];
		if (len == -1)
			off = att_align_pointer(off, attalign[att - 1], -1, data + off);
		else
			off = att_align_nominal(off, attalign[att - 1]);
		if (att - known <= ROW_WALK_SLOTS)
			r->walk_off[att - known - 1] = (int32) off;
		if (att == attnum)
			break;
		off = att_addlength_pointer(off, len, data + off);
	}
	r->walked = att;
	r->walked_end = (int32) att_addlength_pointer(off, attlen[att - 1], data + off);
	return (int32) off;
}
