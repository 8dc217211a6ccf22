/*
 * stale_counts.c — what antq.results_stale (stale_results.c) counts as it goes through the
 * units: each commune's criterion-4 counts (the units under its authority per kind: total,
 * registered, recognized), for the communes step of a national recompute
 * (antq.commune_results, sql/47_compute.sql), and a unit's incidents by kind, as its stored
 * row has them.
 *
 * A unit counts as it will be stored once the stale units are rewritten: as its stored row says
 * when the pass found the row equal, else as the pass evaluated it. So the counts equal the
 * SQL's (the counts of results_computed, 47_compute.sql, over the units' rows) without the hash
 * join and aggregate of 1.1M stored rows that took 1.0-1.4 s, or a second scan of them.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "stale.h"

void
stale_counts_init(StaleCounts *t)
{
	memset(t, 0, sizeof(StaleCounts));
	id_index_init(&t->index, 0, -1, 0, 1);	/* a few thousand communes, spread: hashed */
}

/* The commune's 12 counts, zeros when it is new. */
static int32 *
counts_of(StaleCounts *t, int64 commune_id)
{
	int32		at = id_index_get(&t->index, commune_id);

	if (at < 0)
	{
		if (t->n == t->room)
		{
			t->room = Max(t->room * 2, 1024);
			t->ids = t->ids ? repalloc(t->ids, sizeof(int64) * t->room) : palloc(sizeof(int64) * t->room);
			t->counts = t->counts ? repalloc(t->counts, sizeof(int32) * STALE_NCOUNTS * t->room)
				: palloc(sizeof(int32) * STALE_NCOUNTS * t->room);
		}
		at = t->n++;
		t->ids[at] = commune_id;
		memset(&t->counts[at * STALE_NCOUNTS], 0, sizeof(int32) * STALE_NCOUNTS);
		id_index_put(&t->index, commune_id, at);
	}
	return &t->counts[at * STALE_NCOUNTS];
}

void
stale_count(StaleCounts *t, int64 commune_id, int kind, bool registered, bool recognized)
{
	int32	   *counts = counts_of(t, commune_id) + kind * 3;

	counts[0]++;
	counts[1] += registered;
	counts[2] += recognized;
}

/* Add another process's counts of a commune (its share of the units). */
void
stale_counts_add(StaleCounts *t, int64 commune_id, const int32 *counts)
{
	int32	   *mine = counts_of(t, commune_id);
	int			k;

	for (k = 0; k < STALE_NCOUNTS; k++)
		mine[k] += counts[k];
}

/* The communes as a bigint[] and their counts as one integer[], 12 a commune in the same order. */
void
stale_counts_arrays(const StaleCounts *t, Datum *ids, Datum *counts)
{
	Datum	   *e = palloc(sizeof(Datum) * Max(t->n * STALE_NCOUNTS, 1));
	int			i;

	for (i = 0; i < t->n; i++)
		e[i] = Int64GetDatum(t->ids[i]);
	*ids = PointerGetDatum(construct_array(e, t->n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	for (i = 0; i < t->n * STALE_NCOUNTS; i++)
		e[i] = Int32GetDatum(t->counts[i]);
	*counts = PointerGetDatum(construct_array(e, t->n * STALE_NCOUNTS, INT4OID, 4, true, TYPALIGN_INT));
}

/* incidents_by_kind as the SQL builds it: the count per kind of the incidents its row counts. */
Datum
stale_incidents_by_kind(const StaleIncident *x, int n)
{
	StringInfoData j;
	int			a,
				b;

	initStringInfo(&j);
	appendStringInfoChar(&j, '{');
	for (a = 0; a < n; a++)
	{
		int			count = 0;
		bool		seen = false;

		for (b = 0; b < a && !seen; b++)
			seen = stale_text_same(x[b].kind, x[a].kind);
		if (seen)
			continue;
		for (b = a; b < n; b++)
			count += stale_text_same(x[b].kind, x[a].kind);
		if (j.len > 1)
			appendStringInfoChar(&j, ',');
		escape_json(&j, TextDatumGetCString(x[a].kind));
		appendStringInfo(&j, ":%d", count);
	}
	appendStringInfoChar(&j, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(j.data));
}
