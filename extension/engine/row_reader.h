/*
 * row_reader.h — reading a few columns of a composite value (đọc bản ghi) without deforming the
 * whole row: the criteria engine reads about a dozen of antq.assessment's columns per unit-year
 * and two or three of each incident's, and a full deform per row cost more than the rules.
 *
 *		RowShape   *shape = row_shape_new(desc, mcxt);		(once per row type and call site)
 *		RowReader	r;
 *		row_reader_init(&r, shape, tuple_header);			(per row)
 *		d = row_get(&r, attnum, &isnull);
 */
#ifndef ROW_READER_H
#define ROW_READER_H

#include "postgres.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "utils/array.h"

/*
 * What is known of a row type before any row is read: its attributes, and the offsets of the
 * leading fixed-width ones, which hold in every row where none of them before is NULL.
 */
typedef struct RowShape
{
	TupleDesc	desc;			/* a copy, owned by the shape */
	int16	   *attlen;			/* of each attribute, packed apart from desc's large entries */
	bool	   *attbyval;
	char	   *attalign;
	int			fixed_natts;	/* attributes 1..fixed_natts are fixed-width */
	int32	   *fixed_off;		/* their offsets in the data area */
	bool		checked;		/* a versioned row of checked_version passed the type check */
	uint64		checked_version;
} RowShape;

/* Offsets a reader remembers past the fixed ones, so that reading back costs no second walk. */
#define ROW_WALK_SLOTS 16

/* One row being read: where its data and null bitmap are, and how far it has been walked. */
typedef struct RowReader
{
	const RowShape *shape;
	const char *data;			/* the row's data area */
	const bits8 *nulls;			/* its null bitmap; NULL when it has no nulls */
	int			natts;			/* attributes present in the row */
	int			known;			/* attributes 1..known are at their fixed offsets */
	int			walked;			/* attribute the last walk past the fixed ones stopped at */
	int32		walked_end;		/* offset just past that attribute's value */
	int32		walk_off[ROW_WALK_SLOTS];	/* offsets of attributes known + 1 .. walked */
} RowReader;

extern RowShape *row_shape_new(TupleDesc desc, MemoryContext mcxt);
extern int	row_first_null(const bits8 *nulls, int limit);
extern int32 row_walk(RowReader *r, int attnum);
#ifdef VersionedDatumOffsetNumber
extern void row_check_version(RowShape *shape, HeapTupleHeader th);
#endif

/* Start reading the row th of the shape's type (inline: it runs for every row read). */
static inline void
row_reader_init(RowReader *r, RowShape *shape, HeapTupleHeader th)
{
#ifdef VersionedDatumOffsetNumber

	/*
	 * This server stamps composite values with the version of their row type and checks it
	 * before a column is read (heap_getattr does); rows of one version pass or fail alike, so
	 * the check is made once per version and row shape rather than once per row.
	 */
	if (HeapTupleHeaderIsVersionedDatum(th) &&
		unlikely(!shape->checked || shape->checked_version != HeapTupleHeaderGetVersion(th)))
		row_check_version(shape, th);
#endif
	r->shape = shape;
	r->data = (const char *) th + th->t_hoff;
	r->natts = Min((int) HeapTupleHeaderGetNatts(th), shape->desc->natts);
	r->known = Min(shape->fixed_natts, r->natts);
	r->nulls = NULL;
	/* A NULL takes no space: the fixed offsets hold only up to the first NULL. */
	if (th->t_infomask & HEAP_HASNULL)
	{
		r->nulls = th->t_bits;
		r->known = row_first_null(r->nulls, r->known);
	}
	r->walked = 0;
	r->walked_end = 0;
}

/* Attribute attnum (1-based) of the row; a missing or NULL attribute gives isnull. */
static inline Datum
row_get(RowReader *r, int attnum, bool *isnull)
{
	int32		off;

	if (attnum < 1 || attnum > r->natts || (r->nulls && att_isnull(attnum - 1, r->nulls)))
	{
		*isnull = true;
		return (Datum) 0;
	}
	*isnull = false;
	if (attnum <= r->known)
		off = r->shape->fixed_off[attnum - 1];
	else if (attnum <= r->walked && attnum - r->known <= ROW_WALK_SLOTS)
		off = r->walk_off[attnum - r->known - 1];
	else
		off = row_walk(r, attnum);
	return fetch_att(r->data + off, r->shape->attbyval[attnum - 1], r->shape->attlen[attnum - 1]);
}

/*
 * The elements of an array of composites, walked in place (no deconstruct_array, no copies):
 * each is a varlena aligned on doubles, NULL elements taking no space.
 */
typedef struct RowArrayIter
{
	const char *ptr;			/* next element */
	const bits8 *nullmap;		/* the array's null bitmap, or NULL */
	int			n;				/* elements */
	int			i;				/* index of the next element */
} RowArrayIter;

/* Number of elements of arr; the one-dimensional case without a call, as it is every row's. */
static inline int
row_array_count(ArrayType *arr)
{
	return ARR_NDIM(arr) == 1 ? ARR_DIMS(arr)[0] : ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
}

/* Start walking the elements of arr (not NULL, not toasted). */
static inline void
row_array_begin(RowArrayIter *it, ArrayType *arr)
{
	it->n = row_array_count(arr);
	it->i = 0;
	it->nullmap = ARR_NULLBITMAP(arr);
	/* ARR_DATA_PTR spelled out: the macro mixes signedness, which -Wextra rejects. */
	it->ptr = (const char *) arr + (ARR_HASNULL(arr) ? (Size) arr->dataoffset : (Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(arr)));
}

/* The next non-NULL element, or NULL after the last. */
static inline HeapTupleHeader
row_array_next(RowArrayIter *it)
{
	while (it->i < it->n)
	{
		const char *elem = it->ptr;

		if (it->nullmap && att_isnull(it->i, it->nullmap))
		{
			it->i++;
			continue;
		}
		it->i++;
		it->ptr = (const char *) att_align_nominal(elem + VARSIZE_ANY(elem), TYPALIGN_DOUBLE);
		return (HeapTupleHeader) elem;
	}
	return NULL;
}

#endif							/* ROW_READER_H */
