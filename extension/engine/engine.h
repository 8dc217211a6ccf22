/*
 * engine.h — what the engine's entry points share across files: antq.complete(antq.evaluate(...))
 * as one step (criteria.c), which antq.classify_evaluated (classify.c) runs before classifying,
 * and which engine_support.c has the planner substitute for the nested calls.
 */
#ifndef ANTQ_ENGINE_H
#define ANTQ_ENGINE_H

#include "fmgr.h"

#include "rules.h"

/* What an evaluating call site keeps between rows (criteria.c); made on its first row. */
typedef struct EvalCache EvalCache;

/*
 * complete(evaluate(...)) of the eleven arguments of antq.evaluate starting at argument base (0 or 4):
 * -1 when no criteria apply (NULL), 0 when a criterion is not met, 1 when none is. When recentp
 * is given, *recentp is the call site's rules entry for the kind, province and year (NULL when
 * those arguments are NULL), where a fused call may keep the classification sheet.
 */
extern int	evaluate_complete_args(FunctionCallInfo fcinfo, int base, EvalCache **cachep, RulesRecent **recentp);

/* The SQL entry points, called directly by antq.results_stale (stale_results.c). */
extern Datum antq_evaluate(PG_FUNCTION_ARGS);
extern Datum antq_classify(PG_FUNCTION_ARGS);
extern Datum attainment_complete(PG_FUNCTION_ARGS);

#endif							/* ANTQ_ENGINE_H */
