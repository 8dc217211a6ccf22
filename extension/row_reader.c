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
	for (i = 0; i < desc->natts; i++)
	{
		shape->attlen[i] = TupleDescAttr(desc, i)->attlen;
		shape->attbyval[i] = TupleDescAttr(desc, i)->attbyval;
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

/* Start reading the row th of the shape's type. */
void
row_reader_init(RowReader *r, RowShape *shape, HeapTupleHeader th)
{
	int			known;

#ifdef VersionedDatumOffsetNumber

	/*
	 * This server stamps composite values with the version of their row type and checks it
	 * before a column is read (heap_getattr does); rows of one version pass or fail alike, so
	 * the check is made once per version and row shape rather than once per row.
	 */
	if (HeapTupleHeaderIsVersionedDatum(th) &&
		(!shape->checked || shape->checked_version != HeapTupleHeaderGetVersion(th)))
	{
		heap_datum_check(th, shape->desc);
		shape->checked = true;
		shape->checked_version = HeapTupleHeaderGetVersion(th);
	}
#endif
	r->shape = shape;
	r->data = (const char *) th + th->t_hoff;
	r->nulls = (th->t_infomask & HEAP_HASNULL) ? th->t_bits : NULL;
	r->natts = Min((int) HeapTupleHeaderGetNatts(th), shape->desc->natts);
	known = Min(shape->fixed_natts, r->natts);
	/* A NULL takes no space: the fixed offsets hold only up to the first NULL. */
	if (r->nulls)
	{
		int			i;

		for (i = 0; i < known; i += 8)
		{
			uint32		absent = (uint32) (bits8) ~r->nulls[i >> 3];

			if (absent)
			{
				known = Min(known, i + pg_rightmost_one_pos32(absent));
				break;
			}
		}
	}
	r->known = known;
	r->walked = 0;
	r->walked_end = 0;
}

/*
 * The offset of attribute attnum (present, not NULL, past the fixed offsets known and not
 * remembered from an earlier walk): walked from where the last walk stopped when that is before
 * it, else from the last known fixed offset.
 */
int32
row_walk(RowReader *r, int attnum)
{
	TupleDesc	desc = r->shape->desc;
	int			att;
	Size		off;				/* Size, as the alignment macros compute in it */

	if (r->walked > 0 && r->walked < attnum)
	{
		att = r->walked;
		off = r->walked_end;
	}
	else
	{
		att = r->known;
		off = att == 0 ? 0 : r->shape->fixed_off[att - 1] + TupleDescAttr(desc, att - 1)->attlen;
	}
	for (;;)
	{
		Form_pg_attribute a;

		att++;
		if (r->nulls && att_isnull(att - 1, r->nulls))
			continue;
		a = TupleDescAttr(desc, att - 1);
		if (a->attlen == -1)
			off = att_align_pointer(off, a->attalign, -1, r->data + off);
		else
			off = att_align_nominal(off, a->attalign);
		if (att - r->known <= ROW_WALK_SLOTS)
			r->walk_off[att - r->known - 1] = (int32) off;
		if (att == attnum)
		{
			r->walked = att;
			r->walked_end = (int32) att_addlength_pointer(off, a->attlen, r->data + off);
			return (int32) off;
		}
		off = att_addlength_pointer(off, a->attlen, r->data + off);
	}
}
