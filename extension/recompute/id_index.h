/*
 * id_index.h — positions of rows in an array, found by their bigint id (unit ids), for the
 * passes in C over the nation (stale_gather.c, stale_counts.c).
 */
#ifndef ANTQ_ID_INDEX_H
#define ANTQ_ID_INDEX_H

#include "postgres.h"

struct idmap_hash;

typedef struct IdIndex
{
	int32	   *dense;			/* by (id - min) / step when the ids are dense, else NULL */
	int64		min;
	uint64		step;			/* every id is min plus a multiple of it */
	int			shift;			/* log2 of step when a power of two, else -1 */
	uint64		len;
	struct idmap_hash *hash;	/* when they are not */
} IdIndex;

/* Make room for n ids between min and max, each min plus a multiple of step, in the current
 * memory context. */
extern void id_index_init(IdIndex *ix, int64 min, int64 max, int n, uint64 step);
extern void id_index_put(IdIndex *ix, int64 id, int32 pos);
/* The position of id; -1 when it has none. */
extern int32 id_index_get(const IdIndex *ix, int64 id);
/* Index n rows, stride bytes apart, that each begin with an int64 id: an id's position is its
 * first row's. */
extern void id_index_build(IdIndex *ix, const void *rows, int n, Size stride);
/* qsort comparator of int64 ids. */
extern int	id_cmp(const void *a, const void *b);

#endif							/* ANTQ_ID_INDEX_H */
