/*
 * attainment.h — antq.attainment (kết quả đạt tiêu chí): the outcome of one unit against a
 * criteria set, each criterion met, not met or not applicable.
 *
 * Layout (varlena, 4-byte header, int4 alignment, storage plain): vl_len_, int16 count
 * (1..ATT_MAX_CRITERIA), then the states packed two bits apiece as attainment_io.h describes.
 * The helpers below let C code (the criteria engine) build one:
 *
 *		Attainment *a = attainment_new(n);		(every criterion ATT_NA)
 *		attainment_set(a, i, ATT_MET);			(i 0-based)
 *		PG_RETURN_ATTAINMENT_P(a);
 */
#ifndef ATTAINMENT_H
#define ATTAINMENT_H

#include "fmgr.h"

#include "attainment_io.h"

typedef struct Attainment
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int16		count;			/* number of criteria */
	uint8		states[FLEXIBLE_ARRAY_MEMBER];	/* 2 bits per criterion */
} Attainment;

/* Size in bytes of an attainment of n criteria. */
#define ATTAINMENT_SIZE(n)			(offsetof(Attainment, states) + ATT_STATE_BYTES(n))

#define DatumGetAttainmentP(X)		((Attainment *) PG_DETOAST_DATUM(X))
#define AttainmentPGetDatum(X)		PointerGetDatum(X)
#define PG_GETARG_ATTAINMENT_P(n)	DatumGetAttainmentP(PG_GETARG_DATUM(n))
#define PG_RETURN_ATTAINMENT_P(x)	return AttainmentPGetDatum(x)

/* A new attainment of ncriteria (1..ATT_MAX_CRITERIA) criteria, all not applicable. */
static inline Attainment *
attainment_new(int ncriteria)
{
	Attainment *a;

	if (ncriteria < 1 || ncriteria > ATT_MAX_CRITERIA)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("an attainment has 1 to %d criteria, not %d", ATT_MAX_CRITERIA, ncriteria)));
	a = (Attainment *) palloc0(ATTAINMENT_SIZE(ncriteria));
	SET_VARSIZE(a, ATTAINMENT_SIZE(ncriteria));
	a->count = (int16) ncriteria;
	return a;
}

/* Set the state of criterion index0 (0-based, below a->count). */
static inline void
attainment_set(Attainment *a, int index0, AttState state)
{
	Assert(index0 >= 0 && index0 < a->count);
	att_state_set(a->states, index0, state);
}

/* The state of criterion index0 (0-based, below a->count). */
static inline AttState
attainment_get(const Attainment *a, int index0)
{
	Assert(index0 >= 0 && index0 < a->count);
	return att_state_get(a->states, index0);
}

#endif							/* ATTAINMENT_H */
