/*
 * stale_lineage.c — the lineage as antq.results_stale (stale.h) reads it: each successor's
 * predecessors, and what a unit grown out of other versions (merged, split, continued) reads of
 * them, as sql/47_compute.sql's q reads it: the previous year's rows of its predecessors when
 * it has none of its own (walk and prev_lineage), and its predecessors' incidents in its own
 * window (anc and inc_pairs). Without this, every such unit would go to the SQL path, and after
 * the 2025 reform, which continued most units in new versions, that is most of them.
 */
#include "postgres.h"

#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "id_index.h"
#include "stale.h"
#include "table_read.h"

/* How far back the lineage is followed, as q's recursive CTEs do (depth < 32). */
#define LINEAGE_DEPTH 32

typedef struct IdList
{
	int64	   *ids;
	int			n;
	int			room;
} IdList;

static void
push(IdList *l, int64 id)
{
	if (l->n == l->room)
	{
		l->room = Max(l->room * 2, 8);
		l->ids = l->ids ? repalloc(l->ids, sizeof(int64) * l->room) : palloc(sizeof(int64) * l->room);
	}
	l->ids[l->n++] = id;
}

static bool
contains(const IdList *l, int64 id)
{
	int			i;

	for (i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

static void
push_predecessors(const StaleInputs *in, int64 id, IdList *l)
{
	int			first,
				n = stale_predecessors(in, id, &first),
				i;

	for (i = 0; i < n; i++)
		push(l, in->lineage[first + i].pred);
}

/*
 * The versions a unit grew out of, breadth first to LINEAGE_DEPTH: every one (q's anc), or,
 * with to_prev, the ones its previous year is read from (walk): those that have a row of the
 * year before, reached through versions that have none. Each once.
 */
static void
lineage(const StaleInputs *in, int64 id, bool to_prev, IdList *found)
{
	IdList		seen = {0},
				frontier = {0},
				next = {0},
				swap;
	int			depth,
				i;

	push_predecessors(in, id, &frontier);
	for (depth = 1; depth <= LINEAGE_DEPTH && frontier.n > 0; depth++)
	{
		next.n = 0;
		for (i = 0; i < frontier.n; i++)
		{
			int64		p = frontier.ids[i];

			if (contains(&seen, p))
				continue;
			push(&seen, p);
			if (to_prev && stale_pred(in, p)->has_prev)
			{
				push(found, p);
				continue;
			}
			if (!to_prev)
				push(found, p);
			if (depth < LINEAGE_DEPTH)
				push_predecessors(in, p, &next);
		}
		swap = frontier;
		frontier = next;
		next = swap;
	}
}

/* The previous year's rows of the unit's predecessors, by unit id (prev_lineage); 0: none. */
Datum
stale_lineage_prev(StaleInputs *in, const StaleUnit *u, TidRead *prev, Oid row_type)
{
	IdList		found = {0};
	Datum	   *rows;
	int			i;

	lineage(in, u->id, true, &found);
	if (found.n == 0)
		return (Datum) 0;
	qsort(found.ids, found.n, sizeof(int64), id_cmp);
	rows = palloc(sizeof(Datum) * found.n);
	for (i = 0; i < found.n; i++)
	{
		const StalePred *p = stale_pred(in, found.ids[i]);
		ItemPointerData tid = p->prev;
		TupleTableSlot *slot = tid_read(prev, &tid);

		if (slot == NULL)
			elog(ERROR, "the assessment of unit %lld in %d vanished during antq.results_stale", (long long) p->id, in->year - 1);
		rows[i] = ExecFetchSlotHeapTupleDatum(slot);
	}
	return PointerGetDatum(construct_array(rows, found.n, row_type, -1, false, TYPALIGN_DOUBLE));
}

static int
cmp_occurred(const void *a, const void *b)
{
	const StaleIncident *x = a,
			   *y = b;

	if (x->on != y->on)
		return x->on < y->on ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The unit's own incidents (own, nown) and its predecessors' in its window, each once, by
 * date and id (inc_pairs and inc); 0: none. They are also the incidents its row counts
 * (*read, *nread), as results_computed's incidents column (sql/47_compute.sql) counts them for
 * every kind but communes.
 */
Datum
stale_lineage_incidents(StaleInputs *in, const StaleUnit *u, const StaleIncident *own, int nown, Oid row_type,
						StaleIncident **read, int *nread)
{
	const StaleKind *kind = &in->kinds[u->kind];
	IdList		found = {0};
	StaleIncident *all;
	Datum	   *rows;
	int			n = 0,
				room = nown,
				kept = 0,
				i,
				k;

	*read = NULL;
	*nread = 0;
	lineage(in, u->id, false, &found);
	for (i = 0; i < found.n; i++)
		room += stale_pred(in, found.ids[i])->nincidents;
	if (room == 0)
		return (Datum) 0;
	all = palloc(sizeof(StaleIncident) * room);
	for (i = 0; i < nown; i++)
		all[n++] = own[i];
	for (i = 0; i < found.n; i++)
	{
		const StalePred *p = stale_pred(in, found.ids[i]);

		for (k = p->first_incident; k < p->first_incident + p->nincidents; k++)
			if (in->pred_incidents[k].on >= kind->start && in->pred_incidents[k].on <= kind->end)
				all[n++] = in->pred_incidents[k];
	}
	if (n == 0)
		return (Datum) 0;
	qsort(all, n, sizeof(StaleIncident), cmp_occurred);
	rows = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
		if (i == 0 || all[i].id != all[i - 1].id)
		{
			all[kept] = all[i];
			rows[kept++] = all[i].row;
		}
	*read = all;
	*nread = kept;
	return PointerGetDatum(construct_array(rows, kept, row_type, -1, false, TYPALIGN_DOUBLE));
}

static int
cmp_pair(const void *a, const void *b)
{
	const StaleLineage *x = a,
			   *y = b;

	if (x->succ != y->succ)
		return x->succ < y->succ ? -1 : 1;
	return (x->pred > y->pred) - (x->pred < y->pred);
}

/*
 * The lineage (q's anc and walk): each successor's predecessors, and every predecessor once,
 * whose previous year's row and incidents its successors read (gather_assessments and
 * gather_incidents fill those in).
 */
void
stale_gather_lineage(StaleInputs *in)
{
	TableRead	s;
	AttrNumber	c_succ,
				c_pred;
	int64	   *ids;
	int			room = 1024,
				n = 0,
				i;

	in->lineage = palloc(sizeof(StaleLineage) * room);
	table_read_begin(&s, in->snapshot, "unit_lineage");
	c_succ = table_column(s.rel, "successor_id");
	c_pred = table_column(s.rel, "predecessor_id");
	while (table_read_next(&s))
	{
		if (n == room)
			in->lineage = repalloc_huge(in->lineage, sizeof(StaleLineage) * (room *= 2));
		in->lineage[n].succ = table_int8(s.slot, c_succ);
		in->lineage[n].pred = table_int8(s.slot, c_pred);
		n++;
	}
	table_read_end(&s);
	/* by successor, each successor's first link indexed */
	qsort(in->lineage, n, sizeof(StaleLineage), cmp_pair);
	in->nlineage = n;
	id_index_build(&in->lineage_index, in->lineage, n, sizeof(StaleLineage));

	/* each predecessor once */
	ids = palloc(sizeof(int64) * Max(n, 1));
	for (i = 0; i < n; i++)
		ids[i] = in->lineage[i].pred;
	qsort(ids, n, sizeof(int64), id_cmp);
	in->preds = palloc0(sizeof(StalePred) * Max(n, 1));
	for (i = 0; i < n; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			in->preds[in->npreds++].id = ids[i];
	pfree(ids);
	id_index_build(&in->pred_index, in->preds, in->npreds, sizeof(StalePred));
}

int
stale_predecessors(const StaleInputs *in, int64 id, int *first)
{
	int			n = 0;

	if ((*first = id_index_get(&in->lineage_index, id)) < 0)
		return 0;
	while (*first + n < in->nlineage && in->lineage[*first + n].succ == id)
		n++;
	return n;
}

const StalePred *
stale_pred(const StaleInputs *in, int64 id)
{
	int32		i = id_index_get(&in->pred_index, id);

	return i >= 0 ? &in->preds[i] : NULL;
}
