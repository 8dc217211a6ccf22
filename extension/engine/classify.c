/*
 * classify.c — classification of the movement (xếp loại phong trào): turns a unit's total score
 * into an antq.rating with the bands of its classification sheet (the province's own sheet for
 * the year if any, else the national one), then applies the sheet's cap for units that did not
 * meet the safe standard (by default at most Trung bình). antq.classify_evaluated does the same
 * after evaluating the safe standard itself, as the planner's fused call (engine_support.c).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "engine.h"
#include "rating.h"
#include "rules.h"

/*
 * A score already classified at this call site: the sheet, the bytes of the score's numeric
 * body (a numeric's bytes stand for one value, so equal bytes give the same band), and the
 * rating of its band.
 */
typedef struct ScoreMemo
{
	const ScoringSheet *sheet;	/* NULL: empty slot */
	uint64		key[2];			/* byte 0 the body's length, then the body, zero-padded */
	int			rating;			/* rating of its band, 0 below every band */
} ScoreMemo;

#define SCORE_MEMOS 1024		/* slots, a power of two: room for every sheet's scores */
#define SCORE_PROBES 8			/* slots looked at from a score's own */

/*
 * What one call site keeps between rows (fn_extra): the sheets of the last kinds, provinces and
 * years, and the ratings of the scores seen under the current rules. Scores repeat (sheet
 * points are mostly whole numbers up to 100), and a memo hit is two word compares where
 * finding the band costs a numeric comparison per band. A score that finds no free slot is
 * classified without the memo.
 */
typedef struct ClassifyCache
{
	RulesRecent recent[RULES_RECENT];	/* sheets of recent keys, by slot */
	uint64		memo_generation;	/* rules generation of the sheets in memo */
	ScoreMemo	memo[SCORE_MEMOS];
} ClassifyCache;

/* The rating of the band of sheet that score falls in; 0 when below every band. */
static int
band_rating(const ScoringSheet *sheet, struct varlena *score)
{
	/* Detoasted once here: a score read from a table has a short header numeric_cmp would copy per band. */
	Datum		s = PointerGetDatum(PG_DETOAST_DATUM(PointerGetDatum(score)));
	int			i;

	/* The bands tile [0, infinity): the rating is that of the highest band starting at or below. */
	for (i = sheet->nbands - 1; i >= 0; i--)
		if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, s, sheet->bands[i].min_score)) >= 0)
			return sheet->bands[i].rating;
	return 0;
}

/*
 * The rating of score's band in sheet (of rules generation), from the memo when the same score
 * was seen. Inlined into each caller, as it runs on every row.
 */
static pg_attribute_always_inline int
score_rating(ClassifyCache *cache, const ScoringSheet *sheet, uint64 generation, struct varlena *score)
{
	int			len = VARSIZE_ANY_EXHDR(score);
	uint64		key[2] = {0, 0};
	uint64		h;
	int			i;

	/* A sheet of older rules may share the address of a new one: the memo goes with its rules. */
	if (cache->memo_generation != generation)
	{
		memset(cache->memo, 0, sizeof(cache->memo));
		cache->memo_generation = generation;
	}
	if (len < 1 || len >= (int) sizeof(key))
		return band_rating(sheet, score);
	((uint8 *) key)[0] = (uint8) len;
	memcpy((uint8 *) key + 1, VARDATA_ANY(score), len);
	h = (key[0] ^ (key[1] * UINT64CONST(0x9E3779B97F4A7C15)) ^ (uint64) (uintptr_t) sheet) *
		UINT64CONST(0xFF51AFD7ED558CCD);
	h ^= h >> 29;
	for (i = 0; i < SCORE_PROBES; i++)
	{
		ScoreMemo  *m = &cache->memo[(h + i) & (SCORE_MEMOS - 1)];

		if (m->sheet == sheet && m->key[0] == key[0] && m->key[1] == key[1])
			return m->rating;
		if (m->sheet == NULL)
		{
			m->rating = band_rating(sheet, score);
			m->sheet = sheet;
			m->key[0] = key[0];
			m->key[1] = key[1];
			return m->rating;
		}
	}
	return band_rating(sheet, score);
}

/* The sheet for classify's kind, province and year arguments (not NULL), looked up at most once per key. */
static pg_attribute_always_inline RulesRecent *
sheet_entry(FunctionCallInfo fcinfo, ClassifyCache *cache)
{
	text	   *kind = rules_text_arg(fcinfo, 0);
	text	   *province = PG_ARGISNULL(1) ? NULL : rules_text_arg(fcinfo, 1);
	RulesRecent *recent = rules_recent_find(cache->recent, kind, province, PG_GETARG_INT32(2), 0);

	if (recent == NULL)
	{
		recent = rules_recent_add(cache->recent, kind, province, PG_GETARG_INT32(2), 0);
		recent->rules = rules_sheet(recent->key.kind, recent->key.province_null ? NULL : recent->key.province,
									recent->key.year);
		recent->used = true;
	}
	return recent;
}

/*
 * The rating of score argument 3 by sheet (of rules generation), capped when the safe standard
 * is known not to be met (safe_met -1 unknown, 0 no, 1 yes); 0 for NULL.
 */
static pg_attribute_always_inline int
sheet_rating(FunctionCallInfo fcinfo, ClassifyCache *cache, const ScoringSheet *sheet, uint64 generation, int safe_met)
{
	int			rating;

	if (sheet == NULL)
		return 0;
	rating = score_rating(cache, sheet, generation, pg_detoast_datum_packed((struct varlena *) PG_GETARG_POINTER(3)));
	if (safe_met == 0 && sheet->cap_unmet > 0 && rating > sheet->cap_unmet)
		rating = sheet->cap_unmet;
	return rating;
}

/* A call site's ClassifyCache, made on its first row. */
static inline ClassifyCache *
classify_cache(FunctionCallInfo fcinfo, ClassifyCache **cachep)
{
	if (*cachep == NULL)
		*cachep = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ClassifyCache));
	return *cachep;
}

PG_FUNCTION_INFO_V1(antq_classify);

/* antq.classify(kind, province_code, year, score, safe_met): the rating after bands and cap. */
Datum
antq_classify(PG_FUNCTION_ARGS)
{
	ClassifyCache *cache;
	RulesRecent *recent;
	int			rating;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	cache = classify_cache(fcinfo, (ClassifyCache **) &fcinfo->flinfo->fn_extra);
	recent = sheet_entry(fcinfo, cache);
	rating = sheet_rating(fcinfo, cache, recent->rules, recent->key.generation,
						  PG_ARGISNULL(4) ? -1 : PG_GETARG_BOOL(4));
	if (rating == 0)
		PG_RETURN_NULL();
	PG_RETURN_RATING(rating);
}

/* What a call site of antq.classify_evaluated keeps: the caches of both steps. */
typedef struct ClassifyEvaluatedCache
{
	EvalCache  *eval;
	ClassifyCache *classify;
} ClassifyEvaluatedCache;

/*
 * Whether classify's kind, province and year (arguments 0 to 2) are the very values the
 * evaluation read (arguments 5, 7 and 8): the same column of the same row gives the same
 * pointer, so the evaluation's rules entry can hold the sheet too. Other values are looked up
 * as antq.classify does.
 */
static inline bool
same_key_args(FunctionCallInfo fcinfo)
{
	NullableDatum *a = fcinfo->args;

	return a[0].value == a[5].value && !a[5].isnull &&
		a[1].isnull == a[7].isnull && (a[1].isnull || a[1].value == a[7].value) &&
		!a[8].isnull && DatumGetInt32(a[2].value) == DatumGetInt32(a[8].value);
}

PG_FUNCTION_INFO_V1(antq_classify_evaluated);

/*
 * antq.classify_evaluated(kind, province_code, year, score, then the eleven arguments of
 * antq.evaluate): antq.classify(kind, province_code, year, score,
 * antq.complete(antq.evaluate(...))) in one call, which the planner substitutes for it
 * (engine_support.c). The evaluation runs first and on every row, as the argument did; when
 * both read the same kind, province and year, the sheet is found with the evaluation's rules.
 */
Datum
antq_classify_evaluated(PG_FUNCTION_ARGS)
{
	ClassifyEvaluatedCache *fused = (ClassifyEvaluatedCache *) fcinfo->flinfo->fn_extra;
	ClassifyCache *cache;
	RulesRecent *eval_recent;
	RulesRecent *recent;
	int			safe_met;
	int			rating;

	if (fused == NULL)
		fused = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(ClassifyEvaluatedCache));
	safe_met = evaluate_complete_args(fcinfo, 4, &fused->eval, &eval_recent);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	cache = classify_cache(fcinfo, &fused->classify);
	if (eval_recent != NULL && same_key_args(fcinfo))
	{
		if (!eval_recent->sheet_known)
		{
			eval_recent->sheet = rules_sheet(eval_recent->key.kind,
											 eval_recent->key.province_null ? NULL : eval_recent->key.province,
											 eval_recent->key.year);
			eval_recent->sheet_known = true;
		}
		rating = sheet_rating(fcinfo, cache, eval_recent->sheet, eval_recent->key.generation, safe_met);
	}
	else
	{
		recent = sheet_entry(fcinfo, cache);
		rating = sheet_rating(fcinfo, cache, recent->rules, recent->key.generation, safe_met);
	}
	if (rating == 0)
		PG_RETURN_NULL();
	PG_RETURN_RATING(rating);
}
