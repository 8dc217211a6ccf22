/*
 * stale.h — antq.results_stale(year): which stored results of a year no longer equal what the
 * engine computes, found in one pass in C (stale_gather.c reads the tables, stale_results.c
 * evaluates and compares). A recompute of the nation (antq.compute_results(NULL, year)) asks it
 * first and rewrites only those units through the SQL path, instead of gathering, evaluating and
 * comparing 1.1M units in SQL: in SQL each unit costs ~80k instructions of forming and reshaping
 * rows around an evaluation that needs ~3k (bench/RESULTS.md).
 *
 * Covered here are the units other than communes that grew out of no other version: their
 * inputs are their own rows (the SQL path's q_plain, sql/47_compute.sql). Units with
 * predecessors are reported stale unconditionally and communes not at all: the caller
 * recomputes every commune afterwards from the stored units.
 */
#ifndef ANTQ_STALE_H
#define ANTQ_STALE_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "access/attnum.h"
#include "id_index.h"
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
	bool		has_facts;
	bool		has_prev;
	bool		has_stored;
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


/* Everything gathered for a year, in one memory context. */
typedef struct StaleInputs
{
	int32		year;
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

	/* ids reported stale while gathering: units with predecessors, stored rows gone */
	int64	   *stale;
	int			nstale;
	int			maxstale;

	/* open for the comparison: the rows are fetched by TID */
	Relation	unit_rel;
	Relation	assessment_rel;
	Relation	result_rel;
} StaleInputs;

/*
 * Fill *in for the year from the tables; false (with nothing to free but the memory context)
 * when the pass cannot stand for the SQL path: row-level security on one of the tables, or too
 * many distinct names.
 */
/* Two text datums with the same bytes (either header). */
static inline bool
stale_text_same(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a),
			   *y = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

extern bool stale_gather(StaleInputs *in, int32 year);
extern void stale_close(StaleInputs *in);
extern void stale_add(StaleInputs *in, int64 id);
extern int	stale_unit_index(const StaleInputs *in, int64 id);
extern const StaleArea *stale_area(const StaleInputs *in, int64 id);

#endif							/* ANTQ_STALE_H */
