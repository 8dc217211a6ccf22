/*
 * stale_taking_part.c — which units of the year the national pass covers, as the SQL path's
 * units_taking_part (sql/47_compute.sql) chooses them beyond the dates: a unit's kind must be
 * assessed that year in its province (antq.kind_takes_part, called here once per kind and
 * province), and a year after the current one (antq.current_year) covers only the units that
 * have facts for it. Both are the SQL functions themselves, so that the two paths cannot
 * differ on what they mean.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"

#include "stale.h"

static Oid
antq_function(const char *name, int nargs, Oid *argtypes)
{
	return LookupFuncName(list_make2(makeString("antq"), makeString(unconstify(char *, name))), nargs, argtypes, false);
}

void
stale_taking_part_init(StaleInputs *in)
{
	Oid			argtypes[3] = {TEXTOID, TEXTOID, INT4OID};

	in->takes_part_fn = antq_function("kind_takes_part", 3, argtypes);
	in->takes_part = palloc0(sizeof(int8) * (MAX_NAMES + 1) * STALE_KINDS);
	in->future = in->year > DatumGetInt32(OidFunctionCall0(antq_function("current_year", 0, NULL)));
}

/* Whether units of kind k in the province (an index into in->names) are assessed this year. */
bool
stale_kind_takes_part(StaleInputs *in, uint16 province, int k)
{
	int8	   *known = &in->takes_part[province * STALE_KINDS + k];

	if (*known == 0)
		*known = DatumGetBool(OidFunctionCall3(in->takes_part_fn, in->kinds[k].text, in->names[province - 1],
											   Int32GetDatum(in->year))) ? 1 : -1;
	return *known > 0;
}
