/*
 * id_index.c — positions by id (id_index.h). Unit ids come from a sequence, so they are nearly
 * dense: then an array from the smallest to the largest id (4 bytes an id), which scans in
 * about the order of the ids read from cache, where a hash table's lookups each miss it (12%
 * of antq.results_stale over the nation). Ids spread more thinly than one in DENSE_SPREAD go
 * to a hash table instead: the array would take more memory than what it indexes.
 */
#include "postgres.h"

#include "common/hashfn.h"

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
id_index_init(IdIndex *ix, int64 min, int64 max, int n)
{
	memset(ix, 0, sizeof(IdIndex));
	if (n > 0 && max >= min && (uint64) max - (uint64) min < (uint64) n * DENSE_SPREAD + 1024)
	{
		ix->min = min;
		ix->len = (uint64) max - (uint64) min + 1;
		ix->dense = palloc_extended(sizeof(int32) * ix->len, MCXT_ALLOC_HUGE);
		memset(ix->dense, 0xff, sizeof(int32) * ix->len);	/* -1: none */
	}
	else
		ix->hash = idmap_create(CurrentMemoryContext, Max(n, 16), NULL);
}

void
id_index_put(IdIndex *ix, int64 id, int32 pos)
{
	bool		found;

	if (ix->dense != NULL)
		ix->dense[(uint64) id - (uint64) ix->min] = pos;
	else
		idmap_insert(ix->hash, id, &found)->pos = pos;
}

int32
id_index_get(const IdIndex *ix, int64 id)
{
	IdEntry    *e;

	if (ix->dense != NULL)
	{
		uint64		at = (uint64) id - (uint64) ix->min;

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
	for (i = 0; i < n; i++)
	{
		min = Min(min, ROW_ID(i));
		max = Max(max, ROW_ID(i));
	}
	id_index_init(ix, min, max, n);
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
