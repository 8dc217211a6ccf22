/*
 * rules_cache.c — the compiled rules of this backend (quy tắc đã biên dịch): loads the criteria
 * sets, conditions and classification sheets from the rules tables once, resolves the facts they
 * name to columns of antq.assessment, and answers "which rules apply to this unit kind, province
 * and year" from a hash table. A statement trigger on the rules tables (antq_rules_changed) sends
 * a relcache invalidation for the table; every backend's callback then drops its copy, which is
 * rebuilt on next use.
 *
 * Three rules keep a copy from outliving the rules it was read from:
 * - It is read under the latest snapshot, not the caller's: a REPEATABLE READ transaction that
 *   takes an invalidation would otherwise rebuild the copy from its old snapshot and keep it
 *   after it ends.
 * - An invalidation that arrives while the copy is being read (SPI takes locks, which processes
 *   invalidations) leaves the new copy usable for the call but not valid: the next use reads
 *   again.
 * - A committing transaction wakes the worker before it sends its invalidations, so the worker
 *   can see a queued key before the message that its rules changed. The trigger also bumps
 *   antq.rules_version in the same transaction; whoever stores results checks the version it
 *   read its copy with against the one its snapshot sees (rules_check_current) first.
 */
#include "postgres.h"

#include <limits.h>

#include "access/parallel.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "antq.h"
#include "rules.h"

/* Key of a resolved plan: standard, unit kind, province and year. */
typedef struct PlanKey
{
	char		standard;
	char		unit_kind[24];
	char		province_code[12];
	int			year;
} PlanKey;

typedef struct PlanEntry
{
	PlanKey		key;
	RulePlan	plan;
} PlanEntry;

/*
 * The backend's compiled rules. Module-level state is needed because the cache outlives every
 * query; it lives in RulesContext (a child of CacheMemoryContext) and is rebuilt whenever
 * rules_valid is cleared by the relcache callback.
 */
static MemoryContext RulesContext = NULL;
static bool rules_valid = false;
static uint64 generation = 0;	/* bumped on every load, so callers can keep plans */
uint64		rules_live_generation = 0;	/* generation while rules_valid, else 0 (rules.h) */
static bool callback_registered = false;
static uint64 invalidations = 0;	/* of the rules tables, counted even while not valid */
static int64 loaded_version = -1;	/* antq.rules_version the copy was read with */
static int	nsets;
static CriteriaSet *sets;
static int	nsheets;
static ScoringSheet *sheets;
static HTAB *plans;
static IncidentColumns incident_columns;
#define NRULE_RELS 6
static Oid	rule_relids[NRULE_RELS];

static void rules_invalidate(Datum arg, Oid relid);
static void rules_load(void);
static int64 read_version(void);
static void load_sets(Oid assessment);
static void load_conditions(Oid assessment);
static void load_sheets(void);
static const char *copy_value(int row, int col);
static int	int_value(int row, int col, int if_null);
static bool bool_value(int row, int col);
static const char **split_list(const char *list, int *n);
static void resolve_fact(FactRef *f, const char *name, Oid assessment);
static RuleForm form_from_name(const char *name);
static bool years_cover(int first, int last, int year);

/*
 * Drop the compiled rules when a rules table (or any relation, for InvalidOid) changes. Counted
 * also while no valid copy exists, since one may be being read (see ensure_loaded).
 */
static void
rules_invalidate(Datum arg, Oid relid)
{
	int			i;
	bool		ours = !OidIsValid(relid);

	for (i = 0; i < NRULE_RELS && !ours; i++)
		ours = rule_relids[i] == relid;
	if (!ours)
		return;
	invalidations++;
	rules_valid = false;
	rules_live_generation = 0;
}

PG_FUNCTION_INFO_V1(antq_rules_changed);

/*
 * Statement trigger on the rules tables: tell every backend to drop its compiled rules, and bump
 * antq.rules_version in this transaction (see the file's header for why both).
 */
Datum
antq_rules_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("antq.rules_changed() must be called as a trigger")));
	/* its row-level trigger (ENABLE REPLICA) is for a subscription's apply, which fires no
	 * statement trigger; elsewhere the statement trigger, which fires ALWAYS, does the work */
	if (TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) && !IsLogicalWorker())
		return PointerGetDatum(NULL);
	CacheInvalidateRelcache(trigdata->tg_relation);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "antq: SPI_connect failed while recording a rules change");
	if (SPI_execute("UPDATE antq.rules_version SET version = version OPERATOR(pg_catalog.+) 1",
					false, 0) != SPI_OK_UPDATE || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("antq.rules_version must hold exactly one row"),
				 errhint("Restore it with INSERT INTO antq.rules_version VALUES (1).")));
	SPI_finish();
	return PointerGetDatum(NULL);
}

PG_FUNCTION_INFO_V1(antq_rules_check_current);

/* SQL face of rules_check_current, for the functions that store results. */
Datum
antq_rules_check_current(PG_FUNCTION_ARGS)
{
	rules_check_current();
	PG_RETURN_VOID();
}

/* The version of the rules the caller's snapshot sees; caller is connected to SPI. */
static int64
read_version(void)
{
	bool		isnull;

	if (SPI_execute("SELECT version FROM antq.rules_version", true, 2) != SPI_OK_SELECT ||
		SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("antq.rules_version must hold exactly one row"),
				 errhint("Restore it with INSERT INTO antq.rules_version VALUES (1).")));
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * Drop the compiled rules when a rules change has committed that the copy does not hold, as
 * the latest snapshot shows. For whoever is about to store results from keys it just took:
 * their snapshot may show a rules change whose invalidation has not reached this backend yet.
 */
void
rules_check_current(void)
{
	int64		version;

	if (!rules_valid)
		return;
	PushActiveSnapshot(GetLatestSnapshot());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "antq: SPI_connect failed while checking the rules version");
	version = read_version();
	SPI_finish();
	PopActiveSnapshot();
	if (version != loaded_version)
	{
		rules_valid = false;
		rules_live_generation = 0;
	}
}

/*
 * Load the rules when they are not loaded or were invalidated. A copy during whose reading an
 * invalidation arrived answers this call but not the next: rules_live_generation stays 0, so
 * every caller comes back here.
 */
static void
ensure_loaded(void)
{
	uint64		seen = invalidations;

	if (rules_valid)
		return;
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(rules_invalidate, (Datum) 0);
		callback_registered = true;
	}
	if (RulesContext == NULL)
		RulesContext = AllocSetContextCreate(CacheMemoryContext, "antq rules",
											 ALLOCSET_SMALL_SIZES);
	else
		MemoryContextReset(RulesContext);
	plans = NULL;
	rules_live_generation = 0;
	rules_load();
	generation++;
	rules_valid = invalidations == seen;
	rules_live_generation = rules_valid ? generation : 0;
}

/* Load the rules now if they are not loaded: before a parallel pass, which cannot take the
 * latest snapshot once in parallel mode. */
void
rules_ensure_loaded(void)
{
	ensure_loaded();
}

/* Read every rules table through SPI into RulesContext, under the trusted search path. */
static void
rules_load(void)
{
	Oid			nsp = get_namespace_oid("antq", false);
	Oid			assessment = get_relname_relid("assessment", nsp);
	Oid			incident = get_relname_relid("incident", nsp);
	HASHCTL		ctl;
	int			nestlevel;

	rule_relids[0] = get_relname_relid("criteria_set", nsp);
	rule_relids[1] = get_relname_relid("criterion", nsp);
	rule_relids[2] = get_relname_relid("scoring_sheet", nsp);
	rule_relids[3] = get_relname_relid("rating_band", nsp);
	rule_relids[4] = assessment;
	rule_relids[5] = incident;

	incident_columns.occurred_on = get_attnum(incident, "occurred_on");
	incident_columns.kind = get_attnum(incident, "kind");
	incident_columns.severity = get_attnum(incident, "severity");
	incident_columns.force_majeure = get_attnum(incident, "force_majeure");
	incident_columns.handled_promptly = get_attnum(incident, "handled_promptly");

	/*
	 * The latest snapshot, so that the copy never holds rules older than a change this backend
	 * was told of. A parallel worker cannot take one; it reads under its leader's snapshot, and
	 * the leader loads before going parallel (rules_ensure_loaded).
	 */
	PushActiveSnapshot(IsInParallelMode() ? GetActiveSnapshot() : GetLatestSnapshot());
	/* the caller's search path may hold planted look-alikes of the built-ins the queries use */
	nestlevel = antq_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "antq: SPI_connect failed while loading rules");
	loaded_version = read_version();
	load_sets(assessment);
	load_conditions(assessment);
	load_sheets();
	SPI_finish();
	antq_unpin_search_path(nestlevel);
	PopActiveSnapshot();

	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(PlanKey);
	ctl.entrysize = sizeof(PlanEntry);
	ctl.hcxt = RulesContext;
	plans = hash_create("antq rule plans", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/* Load antq.criteria_set. */
static void
load_sets(Oid assessment)
{
	int			i;

	if (SPI_execute("SELECT set_id, standard, unit_kind, province_code, first_year, last_year "
					"FROM antq.criteria_set ORDER BY province_code NULLS FIRST, set_id", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "antq: cannot read antq.criteria_set");
	nsets = (int) SPI_processed;
	sets = MemoryContextAllocZero(RulesContext, sizeof(CriteriaSet) * Max(nsets, 1));
	for (i = 0; i < nsets; i++)
	{
		CriteriaSet *s = &sets[i];

		s->set_id = copy_value(i, 1);
		s->standard = copy_value(i, 2)[0];
		s->unit_kind = copy_value(i, 3);
		s->province_code = copy_value(i, 4);
		s->first_year = int_value(i, 5, INT_MIN);
		s->last_year = int_value(i, 6, INT_MAX);
	}
}

/* Load antq.criterion into the sets, resolving the facts each condition names. */
static void
load_conditions(Oid assessment)
{
	int			i,
				s = 0,
				n;

	if (SPI_execute("SELECT set_id, label, criterion_no, form, fact, fact2, "
					"(threshold OPERATOR(pg_catalog.*) 1000000)::pg_catalog.int8, "
					"pg_catalog.array_to_string(incident_kinds, ','), antq.severity_rank(min_severity), "
					"except_force_majeure, except_handled_promptly, level, "
					"pg_catalog.array_to_string(unit_kinds, ','), applies_if, "
					"pg_catalog.array_to_string(applies_sub_kinds, ',') "
					"FROM antq.criterion ORDER BY set_id, criterion_no, label", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "antq: cannot read antq.criterion");
	n = (int) SPI_processed;
	for (s = 0; s < nsets; s++)
	{
		sets[s].conditions = MemoryContextAllocZero(RulesContext, sizeof(Condition) * Max(n, 1));
		sets[s].nconditions = 0;
		sets[s].ncriteria = 0;
	}
	for (i = 0; i < n; i++)
	{
		const char *set_id = copy_value(i, 1);
		CriteriaSet *set = NULL;
		Condition  *c;
		const char *list;
		const char **kinds;
		int			nk,
					k;

		for (s = 0; s < nsets; s++)
			if (strcmp(sets[s].set_id, set_id) == 0)
				set = &sets[s];
		if (set == NULL)
			continue;
		c = &set->conditions[set->nconditions++];
		c->label = copy_value(i, 2);
		c->criterion_no = int_value(i, 3, 1);
		set->ncriteria = Max(set->ncriteria, c->criterion_no);
		c->form = form_from_name(copy_value(i, 4));
		resolve_fact(&c->fact, copy_value(i, 5), assessment);
		resolve_fact(&c->fact2, copy_value(i, 6), assessment);
		c->has_threshold = copy_value(i, 7) != NULL;
		c->threshold_micro = c->has_threshold ? strtoll(copy_value(i, 7), NULL, 10) : 0;
		list = copy_value(i, 8);
		c->kinds = split_list(list, &c->nkinds);
		c->min_severity = int_value(i, 9, 0);
		c->except_force_majeure = bool_value(i, 10);
		c->except_handled_promptly = bool_value(i, 11);
		list = copy_value(i, 12);
		c->level = list ? rules_force_rating_rank(list, strlen(list)) : 0;
		kinds = split_list(copy_value(i, 13), &nk);
		for (k = 0; k < nk; k++)
		{
			if (strcmp(kinds[k], "residential_area") == 0)
				c->unit_kinds_mask |= 1;
			else if (strcmp(kinds[k], "agency") == 0)
				c->unit_kinds_mask |= 2;
			else if (strcmp(kinds[k], "enterprise") == 0)
				c->unit_kinds_mask |= 4;
			else if (strcmp(kinds[k], "school") == 0)
				c->unit_kinds_mask |= 8;
		}
		resolve_fact(&c->applies_if, copy_value(i, 14), assessment);
		c->sub_kinds = split_list(copy_value(i, 15), &c->nsub_kinds);
	}
}

/* Load antq.scoring_sheet with the bands of each sheet. */
static void
load_sheets(void)
{
	int			i,
				n;
	int64		last_sheet = -1;
	ScoringSheet *sh = NULL;

	if (SPI_execute("SELECT s.sheet_id, s.unit_kind, s.province_code, s.first_year, s.last_year, s.cap_unmet, "
					"b.rating::pg_catalog.int4, b.min_score "
					"FROM antq.scoring_sheet s JOIN antq.rating_band b ON b.sheet_id OPERATOR(pg_catalog.=) s.sheet_id "
					"ORDER BY s.sheet_id, b.min_score", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "antq: cannot read antq.scoring_sheet");
	n = (int) SPI_processed;
	sheets = MemoryContextAllocZero(RulesContext, sizeof(ScoringSheet) * Max(n, 1));
	nsheets = 0;
	for (i = 0; i < n; i++)
	{
		int64		sheet_id = int_value(i, 1, 0);
		RatingBand *b;
		MemoryContext old;

		if (sheet_id != last_sheet)
		{
			sh = &sheets[nsheets++];
			sh->unit_kind = copy_value(i, 2);
			sh->province_code = copy_value(i, 3);
			sh->first_year = int_value(i, 4, INT_MIN);
			sh->last_year = int_value(i, 5, INT_MAX);
			sh->cap_unmet = int_value(i, 6, 0);
			sh->bands = MemoryContextAllocZero(RulesContext, sizeof(RatingBand) * 8);
			sh->nbands = 0;
			last_sheet = sheet_id;
		}
		if (sh->nbands >= 8)
			continue;
		b = &sh->bands[sh->nbands++];
		b->rating = int_value(i, 7, 1);
		old = MemoryContextSwitchTo(RulesContext);
		b->min_score = DirectFunctionCall3(numeric_in, CStringGetDatum(copy_value(i, 8)),
										   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		MemoryContextSwitchTo(old);
	}
}

/* The text of column col of SPI result row, copied into RulesContext; NULL stays NULL. */
static const char *
copy_value(int row, int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return v ? MemoryContextStrdup(RulesContext, v) : NULL;
}

/* Integer column col of SPI result row, or if_null. */
static int
int_value(int row, int col, int if_null)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return v ? (int) strtol(v, NULL, 10) : if_null;
}

/* Boolean column col of SPI result row (NULL is false). */
static bool
bool_value(int row, int col)
{
	char	   *v = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return v != NULL && v[0] == 't';
}

/* Split a comma-separated list (from array_to_string) into strings in RulesContext. */
static const char **
split_list(const char *list, int *n)
{
	const char **out;
	char	   *copy,
			   *tok,
			   *save;
	int			count = 1;
	const char *p;

	*n = 0;
	if (list == NULL || list[0] == '\0')
		return NULL;
	for (p = list; *p; p++)
		if (*p == ',')
			count++;
	out = MemoryContextAlloc(RulesContext, sizeof(char *) * count);
	copy = MemoryContextStrdup(RulesContext, list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		out[(*n)++] = tok;
	return out;
}

/* Resolve a fact name to a column of antq.assessment or a key of its extra column. */
static void
resolve_fact(FactRef *f, const char *name, Oid assessment)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	if (name == NULL)
		return;
	if (strncmp(name, "extra.", 6) == 0)
	{
		f->attnum = get_attnum(assessment, "extra");
		f->typid = JSONBOID;
		f->extra_key = name + 6;
	}
	else
	{
		f->attnum = get_attnum(assessment, name);
		f->typid = f->attnum != InvalidAttrNumber ? get_atttype(assessment, f->attnum) : InvalidOid;
	}
	if (f->attnum == InvalidAttrNumber)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("a criterion names fact \"%s\", which antq.assessment does not have", name),
				 errhint("Correct the row of antq.criterion: facts are columns of antq.assessment or extra.<key>.")));
}

/* The rule form of its name in antq.criterion.form. */
static RuleForm
form_from_name(const char *name)
{
	static const char *const names[] = {
		"fact_true", "date_in_q1", "ratio_at_least", "count_at_most", "count_at_least",
		"not_above_last_year", "no_incident", "rating_at_least", "units_registered",
		"units_recognized", "check_met"
	};
	int			i;

	for (i = 0; i < (int) lengthof(names); i++)
		if (name && strcmp(name, names[i]) == 0)
			return (RuleForm) i;
	elog(ERROR, "antq: unknown rule form \"%s\"", name ? name : "(null)");
	return FORM_FACT_TRUE;		/* not reached */
}

/* Whether [first, last] contains year. */
static bool
years_cover(int first, int last, int year)
{
	return first <= year && year <= last;
}

/* Copy a text into buf (NUL-terminated); its length, or -1 when it does not fit. */
static int
key_text(text *t, char *buf, int size)
{
	int			len = VARSIZE_ANY_EXHDR(t);

	text_to_cstring_buffer(t, buf, size);
	return len < size ? len : -1;
}

/*
 * The entry of a call site's recent lookups for this kind, province (NULL: none), year and
 * standard under the current rules (loaded if needed), emptied: it replaces whatever key held
 * its slot. The caller looks the rules up, stores them and marks the entry used, so that an
 * error in the lookup leaves no entry answering for the key.
 */
RulesRecent *
rules_recent_add(RulesRecent *recent, text *kind, text *province, int year, char standard)
{
	RulesRecent *r = &recent[rules_recent_slot(kind, province, year, standard)];
	RulesKey   *key = &r->key;

	ensure_loaded();
	r->used = false;
	r->rules = NULL;
	r->sheet_known = false;
	r->sheet = NULL;
	r->last_not_met = 0;
	r->standard = standard;
	key->generation = generation;
	key->year = year;
	key->kind_len = key_text(kind, key->kind, sizeof(key->kind));
	key->province_null = province == NULL;
	if (province)
		key->province_len = key_text(province, key->province, sizeof(key->province));
	else
	{
		key->province[0] = '\0';
		key->province_len = 0;
	}
	return r;
}

/* The rules of a standard ('s' safe, 'm' model) for a unit kind, province and year. */
const RulePlan *
rules_plan(char standard, const char *unit_kind, const char *province_code, int year)
{
	PlanKey		key;
	PlanEntry  *entry;
	bool		found;
	int			i,
				n = 0;
	const CriteriaSet *national = NULL;

	ensure_loaded();
	memset(&key, 0, sizeof(key));
	key.standard = standard;
	strlcpy(key.unit_kind, unit_kind, sizeof(key.unit_kind));
	if (province_code)
		strlcpy(key.province_code, province_code, sizeof(key.province_code));
	key.year = year;
	entry = hash_search(plans, &key, HASH_ENTER, &found);
	if (found)
		return &entry->plan;

	memset(&entry->plan, 0, sizeof(RulePlan));
	entry->plan.sets = MemoryContextAllocZero(RulesContext, sizeof(CriteriaSet *) * Max(nsets, 1));
	entry->plan.offsets = MemoryContextAllocZero(RulesContext, sizeof(int) * Max(nsets, 1));
	for (i = 0; i < nsets; i++)
	{
		const CriteriaSet *s = &sets[i];

		if (s->standard == standard && s->province_code == NULL && strcmp(s->unit_kind, unit_kind) == 0 &&
			years_cover(s->first_year, s->last_year, year) &&
			(national == NULL || s->first_year > national->first_year))
			national = s;
	}
	if (national && national->ncriteria > 0)
		entry->plan.sets[n++] = national;
	for (i = 0; i < nsets; i++)
	{
		const CriteriaSet *s = &sets[i];

		if (s->standard == standard && s->province_code != NULL && province_code != NULL &&
			strcmp(s->province_code, province_code) == 0 && strcmp(s->unit_kind, unit_kind) == 0 &&
			years_cover(s->first_year, s->last_year, year) && s->ncriteria > 0)
			entry->plan.sets[n++] = s;
	}
	entry->plan.nsets = n;
	for (i = 0; i < n; i++)
		entry->plan.nconditions += entry->plan.sets[i]->nconditions;
	entry->plan.conditions = MemoryContextAlloc(RulesContext, sizeof(Condition *) * Max(entry->plan.nconditions, 1));
	entry->plan.positions = MemoryContextAlloc(RulesContext, sizeof(int) * Max(entry->plan.nconditions, 1));
	for (i = 0, n = 0; i < entry->plan.nsets; i++)
	{
		const CriteriaSet *s = entry->plan.sets[i];
		int			k;

		entry->plan.offsets[i] = entry->plan.ncriteria;
		/* One flat list, so that evaluating a row is a single loop. */
		for (k = 0; k < s->nconditions; k++, n++)
		{
			entry->plan.conditions[n] = &s->conditions[k];
			entry->plan.positions[n] = entry->plan.ncriteria + s->conditions[k].criterion_no - 1;
		}
		entry->plan.ncriteria += s->ncriteria;
	}
	return &entry->plan;
}

/* The classification sheet for a unit kind, province and year: the province's own first. */
const ScoringSheet *
rules_sheet(const char *unit_kind, const char *province_code, int year)
{
	const ScoringSheet *best = NULL;
	int			i;

	ensure_loaded();
	for (i = 0; i < nsheets; i++)
	{
		const ScoringSheet *s = &sheets[i];
		bool		provincial = s->province_code != NULL;

		if (strcmp(s->unit_kind, unit_kind) != 0 || !years_cover(s->first_year, s->last_year, year))
			continue;
		if (provincial && (province_code == NULL || strcmp(s->province_code, province_code) != 0))
			continue;
		if (best == NULL ||
			(provincial && best->province_code == NULL) ||
			((provincial == (best->province_code != NULL)) && s->first_year > best->first_year))
			best = s;
	}
	return best;
}

/* Attribute numbers of the columns of antq.incident the engine reads. */
const IncidentColumns *
rules_incident_columns(void)
{
	ensure_loaded();
	return &incident_columns;
}
