/*
 * stale.h — antq.results_stale(year): which stored results of a year no longer equal what the
 * engine computes, found in one pass in C (stale_gather.c reads the tables, stale_results.c
 * evaluates and compares). A recompute of the nation (antq.compute_results(NULL, year)) asks it
 * first and rewrites only those units through the SQL path, instead of gathering, evaluating and
 * comparing 1.1M units in SQL: in SQL each unit costs ~80k instructions of forming and reshaping
 * rows around an evaluation that needs ~3k (bench/RESULTS.md).
 *
 * The pass may be split between the backend and parallel workers (stale_parallel.c), each
 * taking the units whose id modulo the number of processes is its own.
 *
 * Covered here are the units other than communes: their own rows (the SQL path's q_plain,
 * sql/47_compute.sql) and, for a unit grown out of other versions, what q reads of those
 * (stale_lineage.c). Communes are not reported: the caller recomputes every commune afterwards,
 * with its units counted as the pass tallied them (stale_counts.c).
 *
 * The contract between the two paths (what is read, which units take part, which columns are
 * compared) is stated once, in docs/architecture.md ("The C pass mirrors the SQL"); the SQL side
 * is marked "-- q:", "-- q_plain:" and units_taking_part in sql/47_compute.sql, and
 * tests/pgtap/stale_results.sql fails when the two paths disagree.
 */
#ifndef ANTQ_STALE_H
#define ANTQ_STALE_H

#include "postgres.h"

#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "access/attnum.h"
#include "id_index.h"
#include "table_read.h"
#include "storage/itemptr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/relcache.h"
#include "utils/snapshot.h"

/* A unit taking part in the year, with where its inputs are. */
typedef struct StaleUnit
{
	int64		id;
	int64		parent_id;		/* 0: none */
	int64		commune_id;		/* where it counts for criterion 4: its parent (a residential
								 * area) or the commune managing it; 0: none */
	int32	   *checks;			/* model checks: criterion_no, negated when not met */
	ItemPointerData row;		/* its antq.unit row (code and name are read from it when compared) */
	ItemPointerData facts;		/* its assessment of the year */
	ItemPointerData prev;		/* of the year before */
	ItemPointerData stored;		/* its antq.unit_result row of the year */
	uint32		score;			/* offset + 1 of its total score in StaleInputs.scores; 0: none */
	uint16		kind;			/* index into StaleInputs.kinds */
	uint16		sub_kind;		/* index into StaleInputs.names, 1-based; 0: NULL */
	uint16		province;
	uint16		nchecks;
	int8		counted_kind;	/* its kind among the counted ones (STALE_NCOUNTS); -1: none */
	bool		has_facts;
	bool		has_prev;
	bool		has_stored;
	bool		has_lineage;	/* grew out of other versions (antq.unit_lineage) */
	bool		in_programme;	/* takes part in the model-unit programme (antq.model_participation) */
	int8		decision_met;	/* bool_or of its recognitions: -1 NULL, 0 false, 1 true */
	int8		decision_rating;	/* max of its classifications: 0 NULL, else 1..4 */
} StaleUnit;

/* A commune or district version: what a unit's commune_code and district_code read. */
typedef struct StaleArea
{
	int64		id;
	int64		parent_id;		/* 0: none */
	Datum		code;
	uint16		province;
	char		kind;			/* 'c' commune, 'd' district */
} StaleArea;

/* An incident of a covered unit, in its window. */
typedef struct StaleIncident
{
	uint32		unit;			/* index into StaleInputs.units */
	DateADT		on;
	int64		id;
	Datum		row;			/* the antq.incident row, as a composite */
	Datum		kind;
} StaleIncident;

/* A link of antq.unit_lineage. */
typedef struct StaleLineage
{
	int64		succ;			/* first: the links are indexed by successor */
	int64		pred;
} StaleLineage;

/* A version others grew out of (an antq.unit_lineage predecessor): what its successors read
 * of it, the previous year's row and its incidents (of any date: each successor's window
 * applies). */
typedef struct StalePred
{
	int64		id;
	ItemPointerData prev;		/* its assessment of the year before */
	bool		has_prev;
	int32		first_incident; /* into StaleInputs.pred_incidents */
	int32		nincidents;
} StalePred;

/* Distinct names (sub-kinds, provinces) kept by the pass: at most this many. */
#define MAX_NAMES 4096

/* The kinds that take part in a year, with their windows (antq.window_start, antq.window_end). */
#define STALE_KINDS 6
typedef struct StaleKind
{
	const char *name;
	Datum		text;			/* name as a text datum */
	bool		covered;		/* evaluated here; the communes are not */
	DateADT		start;
	DateADT		end;
} StaleKind;


/* Each commune's criterion-4 counts (stale_counts.c): per counted kind (residential_area,
 * agency, enterprise, school) total, registered, recognized. */
#define STALE_NCOUNTS 12
typedef struct StaleCounts
{
	int64	   *ids;
	int32	   *counts;			/* STALE_NCOUNTS a commune */
	int			n;
	int			room;
	IdIndex		index;
} StaleCounts;

/* Everything gathered for a year, in one memory context. */
typedef struct StaleInputs
{
	int32		year;
	int			nparts;			/* the units are split between processes by id: this one */
	int			part;			/* takes those whose id modulo nparts is part */
	Snapshot	snapshot;
	StaleKind	kinds[STALE_KINDS];

	/* distinct kinds, sub-kinds and provinces, each kept once */
	Datum	   *names;
	int			nnames;

	StaleUnit  *units;
	int			nunits;
	IdIndex		unit_index;		/* unit id to index into units */

	StaleArea  *areas;
	int			nareas;
	IdIndex		area_index;

	StaleIncident *incidents;	/* sorted by unit, occurred_on, incident_id */
	int			nincidents;

	StringInfoData scores;		/* the units' total scores, numeric datums back to back */

	/* the lineage: its links sorted by successor (lineage_index gives a successor's first),
	 * and each predecessor once */
	StaleLineage *lineage;
	int			nlineage;
	IdIndex		lineage_index;
	StalePred  *preds;
	int			npreds;
	IdIndex		pred_index;
	StaleIncident *pred_incidents;	/* unit: index into preds; sorted as incidents */
	int			npred_incidents;

	StaleCounts counts;

	/* which kinds take part in which province (stale_taking_part.c): per province index and
	 * kind, 0 not yet asked, 1 yes, -1 no; whether the year is after the current one */
	int8	   *takes_part;
	Oid			takes_part_fn;
	bool		future;

	/* ids reported stale while gathering: stored rows of units not taking part */
	int64	   *stale;
	int			nstale;
	int			maxstale;

	/* open for the comparison: the rows are fetched by TID */
	Relation	unit_rel;
	Relation	assessment_rel;
	Relation	result_rel;
} StaleInputs;

/* Two text datums with the same bytes (either header). */
static inline bool
stale_text_same(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a),
			   *y = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/*
 * Fill *in for the year and this process's share of the units from the tables; false (with
 * nothing to free but the memory context) when the pass cannot stand for the SQL path:
 * row-level security on one of the tables, or too many distinct names.
 */
extern bool stale_gather(StaleInputs *in, int32 year, int nparts, int part);
extern void stale_close(StaleInputs *in);

static inline bool
stale_in_part(const StaleInputs *in, int64 id)
{
	return in->nparts <= 1 || (int) ((uint64) id % (uint64) in->nparts) == in->part;
}

/* One process's share of the pass (stale_results.c): its stale units and its communes' counts
 * (of its units only), in the current memory context; false when the pass cannot stand for SQL. */
typedef struct StalePart
{
	int64	   *stale;
	int			nstale;
	StaleCounts counts;
} StalePart;

extern bool stale_run_part(int32 year, int nparts, int part, StalePart *out);
/* The whole pass, split between this process and antq.stale_workers parallel workers
 * (stale_parallel.c). */
extern bool stale_run_all(int32 year, StalePart *out);
extern void stale_parallel_init(void);
extern int	stale_workers;
extern void stale_add(StaleInputs *in, int64 id);
extern int	stale_unit_index(const StaleInputs *in, int64 id);
extern const StaleArea *stale_area(const StaleInputs *in, int64 id);
extern int	stale_predecessors(const StaleInputs *in, int64 id, int *first);
extern const StalePred *stale_pred(const StaleInputs *in, int64 id);
extern void stale_counts_init(StaleCounts *t);
extern void stale_count(StaleCounts *t, int64 commune_id, int kind, bool registered, bool recognized);
extern void stale_counts_add(StaleCounts *t, int64 commune_id, const int32 *counts);
extern void stale_counts_arrays(const StaleCounts *t, Datum *ids, Datum *counts);
extern Datum stale_incidents_by_kind(const StaleIncident *x, int n);	/* as the SQL's jsonb */
extern void stale_taking_part_init(StaleInputs *in);
extern bool stale_kind_takes_part(StaleInputs *in, uint16 province, int k);
extern void stale_gather_lineage(StaleInputs *in);
extern Datum stale_lineage_prev(StaleInputs *in, const StaleUnit *u, TidRead *prev, Oid row_type);
extern Datum stale_lineage_incidents(StaleInputs *in, const StaleUnit *u, const StaleIncident *own, int nown,
									 Oid row_type, StaleIncident **read, int *nread);

#endif							/* ANTQ_STALE_H */
