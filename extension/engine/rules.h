/*
 * rules.h — compiled rules (quy tắc đã biên dịch): the criteria sets, their conditions and the
 * classification sheets as rules_cache.c loads them from the rules tables, and the entry points
 * criteria.c and classify.c use to find the rules for a unit kind, province and year.
 */
#ifndef ANTQ_RULES_H
#define ANTQ_RULES_H

#include "postgres.h"

#include "access/attnum.h"
#include "fmgr.h"

/* The closed set of rule forms a condition can take (antq.criterion.form). */
typedef enum RuleForm
{
	FORM_FACT_TRUE,
	FORM_DATE_IN_Q1,
	FORM_RATIO_AT_LEAST,
	FORM_COUNT_AT_MOST,
	FORM_COUNT_AT_LEAST,
	FORM_NOT_ABOVE_LAST_YEAR,
	FORM_NO_INCIDENT,
	FORM_RATING_AT_LEAST,
	FORM_UNITS_REGISTERED,
	FORM_UNITS_RECOGNIZED,
	FORM_CHECK_MET
} RuleForm;

/* Kinds of unit under a commune's authority, in the order of the unit-count array. */
#define UNIT_KIND_COUNT		4	/* residential_area, agency, enterprise, school */

/* A fact a condition reads: a column of antq.assessment or a key of its extra column. */
typedef struct FactRef
{
	const char *name;			/* as written in the rule, NULL when none */
	AttrNumber	attnum;			/* column of antq.assessment (extra for extra.<key>) */
	Oid			typid;			/* its type; JSONBOID for extra.<key> */
	const char *extra_key;		/* key inside extra, or NULL */
} FactRef;

/* One condition: one row of antq.criterion. */
typedef struct Condition
{
	const char *label;
	int			criterion_no;	/* 1-based within its set */
	RuleForm	form;
	FactRef		fact;
	FactRef		fact2;
	FactRef		applies_if;
	int64		threshold_micro;	/* threshold times 1,000,000 */
	bool		has_threshold;
	int			nkinds;
	const char **kinds;			/* incident kinds */
	int			min_severity;	/* 0: any */
	bool		except_force_majeure;
	bool		except_handled_promptly;
	int			level;			/* force rating rank for rating_at_least */
	int			unit_kinds_mask;	/* bit i: kind i of the unit-count array */
	int			nsub_kinds;
	const char **sub_kinds;
} Condition;

/* One criteria set (antq.criteria_set) with its conditions. */
typedef struct CriteriaSet
{
	const char *set_id;
	char		standard;		/* 's' safe, 'm' model */
	const char *unit_kind;
	const char *province_code;	/* NULL for national */
	int			first_year;		/* INT_MIN when open */
	int			last_year;		/* INT_MAX when open */
	int			ncriteria;		/* highest criterion_no */
	int			nconditions;
	Condition  *conditions;
} CriteriaSet;

/* The rules for one standard, unit kind, province and year: national set then provincial ones. */
typedef struct RulePlan
{
	int			nsets;
	const CriteriaSet **sets;
	int		   *offsets;		/* 0-based position of each set's criterion 1 */
	int			ncriteria;		/* total criteria, the attainment's length */
	int			nconditions;	/* every condition of every set, in order */
	const Condition **conditions;
	int		   *positions;		/* 0-based criterion of each in the attainment */
} RulePlan;

/* One rating band of a sheet: score in [min_score, max_score) gives rating. */
typedef struct RatingBand
{
	int			rating;
	Datum		min_score;		/* numeric, in the rules' memory context */
} RatingBand;

/* One classification sheet (antq.scoring_sheet) with its bands. */
typedef struct ScoringSheet
{
	const char *unit_kind;
	const char *province_code;
	int			first_year;
	int			last_year;
	int			cap_unmet;		/* 0: no cap */
	int			nbands;
	RatingBand *bands;			/* by min_score ascending; they tile [0, infinity) */
} ScoringSheet;

/* Columns of antq.incident the engine reads, by attribute number. */
typedef struct IncidentColumns
{
	AttrNumber	occurred_on;
	AttrNumber	kind;
	AttrNumber	severity;
	AttrNumber	force_majeure;
	AttrNumber	handled_promptly;
} IncidentColumns;

/*
 * A call site's memory of the rules it last looked up (kept in fn_extra): the unit kind,
 * province and year, and the rules generation the answer belongs to.
 */
typedef struct RulesKey
{
	uint64		generation;
	int			year;
	int			kind_len;		/* bytes of kind; -1 when it did not fit (never current) */
	int			province_len;	/* bytes of province; -1 when it did not fit */
	bool		province_null;
	char		kind[24];
	char		province[12];
} RulesKey;

/*
 * The generation of the compiled rules while they are loaded and valid, 0 once a rules table
 * has changed (until the next load); read on every row, so it is a variable, not a call.
 */
extern uint64 rules_live_generation;

/* rules_cache.c: drop the rules if antq.rules_version moved on; load them now if not loaded. */
extern void rules_check_current(void);
extern void rules_ensure_loaded(void);


/*
 * Text argument n, not copied: as PG_GETARG_TEXT_PP, but with the common case (not compressed,
 * not external) decided inline, since the key arguments are read on every row.
 */
static inline text *
rules_text_arg(FunctionCallInfo fcinfo, int n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(fcinfo->args[n].value);

	if (unlikely(VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v)))
		return (text *) pg_detoast_datum_packed(v);
	return (text *) v;
}

/*
 * Whether the len bytes at s are the buf_len bytes held in buf (buf_len -1: never). Compared
 * eight bytes at a time without a library call, the rest as four, two and one: keys are a few
 * to a few dozen bytes ("safe", "08", "residential_area"), and compared several times per row.
 */
static inline bool
rules_key_bytes_equal(const char *s, int len, const char *buf, int buf_len)
{
	uint64		a8,
				b8;
	uint32		a4,
				b4;
	uint16		a2,
				b2;

	if (len != buf_len)
		return false;
	for (; len >= 8; len -= 8, s += 8, buf += 8)
	{
		memcpy(&a8, s, 8);
		memcpy(&b8, buf, 8);
		if (a8 != b8)
			return false;
	}
	if (len >= 4)
	{
		memcpy(&a4, s, 4);
		memcpy(&b4, buf, 4);
		if (a4 != b4)
			return false;
		len -= 4, s += 4, buf += 4;
	}
	if (len >= 2)
	{
		memcpy(&a2, s, 2);
		memcpy(&b2, buf, 2);
		if (a2 != b2)
			return false;
		len -= 2, s += 2, buf += 2;
	}
	return len == 0 || *s == *buf;
}

/* Whether key answers for this kind, province (NULL: none) and year under the current rules. */
static inline bool
rules_key_matches(const RulesKey *key, text *kind, text *province, int year)
{
	return key->generation == rules_live_generation && key->generation != 0 && key->year == year &&
		rules_key_bytes_equal(VARDATA_ANY(kind), VARSIZE_ANY_EXHDR(kind), key->kind, key->kind_len) &&
		(province == NULL ? key->province_null :
		 !key->province_null && rules_key_bytes_equal(VARDATA_ANY(province), VARSIZE_ANY_EXHDR(province),
													  key->province, key->province_len));
}

/*
 * A call site's recent lookups (kept in fn_extra): the rules (a RulePlan or a ScoringSheet)
 * found for a kind, province, year and standard, each in the slot its key hashes to. Rows
 * usually repeat a few keys, but a scan over the nation meets every province's kinds in no
 * particular order (the input query's hash joins mix the provinces: 4 rows in 10 change
 * province), and a lookup in the rules cache costs far more than hashing the key.
 */
typedef struct RulesRecent
{
	RulesKey	key;
	char		standard;		/* 's' safe, 'm' model; 0 for a classification sheet */
	bool		used;			/* rules holds the answer for key */
	const void *rules;			/* the plan or sheet, which may be NULL (no sheet) */
	bool		sheet_known;	/* sheet holds the classification sheet of key (fused calls) */
	const void *sheet;			/* that sheet, which may be NULL (no sheet) */
	int			last_not_met;	/* plan's condition last found not met by complete(evaluate()) */
} RulesRecent;

#define RULES_RECENT 1024		/* slots, a power of two: the 34 provinces' kinds fit */

/*
 * The slot of a key: its year, standard, kind and province code, mixed (FNV-1a over the
 * bytes: kinds and codes are a few to sixteen bytes).
 */
static pg_attribute_always_inline int
rules_recent_slot(text *kind, text *province, int year, char standard)
{
	const uint8 *k = (const uint8 *) VARDATA_ANY(kind);
	int			klen = VARSIZE_ANY_EXHDR(kind);
	uint32		h = 2166136261u ^ (uint32) year ^ ((uint32) (uint8) standard << 24);
	int			i;

	for (i = 0; i < klen; i++)
		h = (h ^ k[i]) * 16777619u;
	if (province == NULL)
		h ^= 0x5bd1e995u;
	else
	{
		const uint8 *p = (const uint8 *) VARDATA_ANY(province);
		int			plen = VARSIZE_ANY_EXHDR(province);

		h = (h ^ 0xff) * 16777619u;		/* between kind and province */
		for (i = 0; i < plen; i++)
			h = (h ^ p[i]) * 16777619u;
	}
	h ^= h >> 15;
	return (int) (h & (RULES_RECENT - 1));
}

/*
 * The entry for kind, province, year and standard; NULL when its slot holds no answer for it.
 * Always inlined: it runs on every row, and the compiler stopped inlining it once it had three
 * callers.
 */
static pg_attribute_always_inline RulesRecent *
rules_recent_find(RulesRecent *recent, text *kind, text *province, int year, char standard)
{
	RulesRecent *r = &recent[rules_recent_slot(kind, province, year, standard)];

	if (r->used && r->standard == standard && rules_key_matches(&r->key, kind, province, year))
		return r;
	return NULL;
}

extern RulesRecent *rules_recent_add(RulesRecent *recent, text *kind, text *province, int year, char standard);
extern const RulePlan *rules_plan(char standard, const char *unit_kind, const char *province_code, int year);
extern const ScoringSheet *rules_sheet(const char *unit_kind, const char *province_code, int year);
extern const IncidentColumns *rules_incident_columns(void);

/* rule_ranks.c: the order of incident severities and force ratings, and a rating's name. */
extern int	rules_severity_rank(const char *severity, int len);
extern int	rules_force_rating_rank(const char *rating, int len);
extern const char *rules_force_rating_name(int rank);

#endif							/* ANTQ_RULES_H */
