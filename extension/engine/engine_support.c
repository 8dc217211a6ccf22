/*
 * engine_support.c — the planner support function (hàm hỗ trợ trình lập kế hoạch) of
 * antq.complete and antq.classify: it plans the natural query
 *
 *		antq.classify(kind, province, year, score, antq.complete(antq.evaluate(...)))
 *
 * as one C call. antq.complete(antq.evaluate(...)) becomes antq.evaluate_complete(...), which
 * stops at the first condition not met and builds no attainment; antq.classify(..., that)
 * becomes antq.classify_evaluated(...). Both give what the nested calls give, NULLs included;
 * only the number of calls per row changes. The planner simplifies a call's arguments before
 * asking the call's support function, so classify sees evaluate_complete already in place.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"

/* Whether funcid is the function called name in namespace nsp. */
static bool
is_function(Oid funcid, Oid nsp, const char *name)
{
	char	   *fname;

	if (get_func_namespace(funcid) != nsp)
		return false;
	fname = get_func_name(funcid);
	return fname != NULL && strcmp(fname, name) == 0;
}

/*
 * A call of the function called name in namespace nsp taking args (their types), returning
 * rettype, in place of call; NULL when there is no such function (an extension script that
 * does not define it).
 */
static Node *
fused_call(FuncExpr *call, Oid nsp, const char *name, List *args, Oid rettype)
{
	Oid			argtypes[FUNC_MAX_ARGS];
	int			nargs = 0;
	ListCell   *lc;
	Oid			funcid;
	FuncExpr   *fused;

	foreach(lc, args)
		argtypes[nargs++] = exprType(lfirst(lc));
	funcid = LookupFuncName(list_make2(makeString(get_namespace_name(nsp)), makeString(pstrdup(name))),
							nargs, argtypes, true);
	if (!OidIsValid(funcid) || get_func_rettype(funcid) != rettype)
		return NULL;
	fused = makeFuncExpr(funcid, rettype, args, InvalidOid, call->inputcollid, COERCE_EXPLICIT_CALL);
	fused->location = call->location;
	return (Node *) fused;
}

PG_FUNCTION_INFO_V1(antq_engine_support);

/* Planner support of antq.complete and antq.classify: the fused calls above, else nothing. */
Datum
antq_engine_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestSimplify *req;
	FuncExpr   *call;
	FuncExpr   *inner;
	Oid			nsp;

	if (!IsA(rawreq, SupportRequestSimplify))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestSimplify *) rawreq;
	call = req->fcall;
	nsp = get_func_namespace(call->funcid);

	/* antq.complete(antq.evaluate(...)): the one argument is the evaluation. */
	if (list_length(call->args) == 1 && is_function(call->funcid, nsp, "complete"))
	{
		inner = (FuncExpr *) linitial(call->args);
		if (IsA(inner, FuncExpr) && !inner->funcretset && list_length(inner->args) == 11 &&
			is_function(inner->funcid, nsp, "evaluate"))
			PG_RETURN_POINTER(fused_call(inner, nsp, "evaluate_complete", inner->args, BOOLOID));
		PG_RETURN_POINTER(NULL);
	}

	/*
	 * antq.classify(kind, province, year, score, antq.evaluate_complete(...)). One collation for
	 * the fused call: the C functions compare bytes and read none, but a call keeps only one.
	 */
	if (list_length(call->args) == 5 && is_function(call->funcid, nsp, "classify"))
	{
		inner = (FuncExpr *) llast(call->args);
		if (IsA(inner, FuncExpr) && list_length(inner->args) == 11 && inner->inputcollid == call->inputcollid &&
			is_function(inner->funcid, nsp, "evaluate_complete"))
			PG_RETURN_POINTER(fused_call(call, nsp, "classify_evaluated",
										 list_concat(list_copy_head(call->args, 4), inner->args),
										 call->funcresulttype));
	}
	PG_RETURN_POINTER(NULL);
}
