/*
 * id_index.c — positions by id (id_index.h). Unit ids come from a sequence, so they are nearly
 * dense: then an array from the smallest to the largest id (4 bytes an id), which scans in
 * about the order of the ids read from cache, where a hash table's lookups each miss it (12%
 * of antq.results_stale over the nation). Ids spread more thinly than one in DENSE_SPREAD go
 * to a hash table instead: the array would take more memory than what it indexes.
 *
 * Ids that all lie the same distance apart or a multiple of it — a process's share of a pass
 * split by id modulo the processes (stale_parallel.c) — are indexed by (id - min) / step: each
 * half of the nation's 1.1M units, two ids apart, fits the array where it would have gone to
 * the hash table, whose lookups were half of each process's reading of the tables.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "port/pg_bitutils.h"

#include "id_index.h"

#define DENSE_SPREAD 16

typedef struct IdEntry
{
	int64		id;
	int32		pos;
	char		status;
} IdEntry;

#define SH_PREFIX idmap
#define SH_ELEMENT_TYPE IdEntry
#define SH_KEY_TYPE int64
#define SH_KEY id
#define SH_HASH_KEY(tb, key) murmurhash32((uint32) ((uint64) (key) ^ ((uint64) (key) >> 32)))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

void
id_index_init(IdIndex *ix, int64 min, int64 max, int n, uint64 step)
{
	memset(ix, 0, sizeof(IdIndex));
	if (n > 0 && max >= min && ((uint64) max - (uint64) min) / step < (uint64) n * DENSE_SPREAD + 1024)
	{
		ix->min = min;
		ix->len = ((uint64) max - (uint64) min) / step + 1;
		ix->shift = pg_popcount64(step) == 1 ? pg_rightmost_one_pos64(step) : -1;
		ix->step = step;
		ix->dense = palloc_extended(sizeof(int32) * ix->len, MCXT_ALLOC_HUGE);
		memset(ix->dense, 0xff, sizeof(int32) * ix->len);	/* -1: none */
	}
	else
		ix->hash = idmap_create(CurrentMemoryContext, Max(n, 16), NULL);
}

/* Where id goes in the array; past its end (len) for an id off the step. */
static inline uint64
dense_at(const IdIndex *ix, int64 id)
{
	uint64		off = (uint64) id - (uint64) ix->min;

	if (ix->shift >= 0)			/* step a power of two, 1 included */
		return (off & (ix->step - 1)) == 0 ? off >> ix->shift : PG_UINT64_MAX;
	return off % ix->step == 0 ? off / ix->step : PG_UINT64_MAX;
}

void
id_index_put(IdIndex *ix, int64 id, int32 pos)
{
	bool		found;

	if (ix->dense != NULL)
		ix->dense[dense_at(ix, id)] = pos;
	else
		idmap_insert(ix->hash, id, &found)->pos = pos;
}

int32
id_index_get(const IdIndex *ix, int64 id)
{
	IdEntry    *e;

	if (ix->dense != NULL)
	{
		uint64		at = dense_at(ix, id);

		return at < ix->len ? ix->dense[at] : -1;
	}
	e = idmap_lookup(ix->hash, id);
	return e ? e->pos : -1;
}

void
id_index_build(IdIndex *ix, const void *rows, int n, Size stride)
{
	int64		min = PG_INT64_MAX,
				max = PG_INT64_MIN;
	int			i;

#define ROW_ID(i) (*(const int64 *) ((const char *) rows + (Size) (i) * stride))
	uint64		step = 0;

	for (i = 0; i < n; i++)
	{
		min = Min(min, ROW_ID(i));
		max = Max(max, ROW_ID(i));
	}
	/* the greatest common divisor of the distances from the smallest (0 while all are equal) */
	for (i = 0; i < n && step != 1; i++)
	{
		uint64		a = (uint64) ROW_ID(i) - (uint64) min,
					b = step;

		while (b != 0)
		{
			uint64		r = a % b;

			a = b;
			b = r;
		}
		step = a;
	}
	id_index_init(ix, min, max, n, Max(step, 1));
	for (i = n - 1; i >= 0; i--)
		id_index_put(ix, ROW_ID(i), i);	/* backwards: the first row's position stays */
#undef ROW_ID
}

int
id_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return (x > y) - (x < y);
}
