/*
 * reasons.c — the reasons of antq.explain in English and Vietnamese (reasons.h).
 *
 * The English reason names facts as the rules do (column names, for whoever writes rules); the
 * Vietnamese one is for the province's staff: facts, incident kinds, severities and ratings in
 * the words of antq.term_labels(), numbers and dates written the Vietnamese way (77,4%;
 * 02/03/2024), and the level a condition requires.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "antq.h"
#include "reasons.h"

#define MICRO	INT64CONST(1000000)

/* Read antq.term_labels() into t, in the caller's memory. */
void
terms_load(Terms *t)
{
	MemoryContext caller = CurrentMemoryContext;
	int			nest,
				i;

	SPI_connect();
	nest = antq_pin_search_path();
	if (SPI_execute("SELECT t.domain, t.term, t.label_vi FROM antq.term_labels() t", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read antq.term_labels()");
	t->n = (int) SPI_processed;
	t->domain = MemoryContextAlloc(caller, Max(t->n, 1));
	t->term = MemoryContextAlloc(caller, sizeof(char *) * Max(t->n, 1));
	t->vi = MemoryContextAlloc(caller, sizeof(char *) * Max(t->n, 1));
	for (i = 0; i < t->n; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		char	   *domain = SPI_getvalue(row, desc, 1);

		t->domain[i] = strcmp(domain, "fact") == 0 ? 'f' : strcmp(domain, "incident_kind") == 0 ? 'k' :
			strcmp(domain, "severity") == 0 ? 's' : 'r';
		t->term[i] = MemoryContextStrdup(caller, SPI_getvalue(row, desc, 2));
		t->vi[i] = MemoryContextStrdup(caller, SPI_getvalue(row, desc, 3));
	}
	antq_unpin_search_path(nest);
	SPI_finish();
}

/* The Vietnamese label of a term (len bytes, not NUL-terminated), or the term itself. */
static const char *
vi(const Terms *t, char domain, const char *term, int len)
{
	int			i;

	for (i = 0; t && i < t->n; i++)
		if (t->domain[i] == domain && rules_key_bytes_equal(term, len, t->term[i], (int) strlen(t->term[i])))
			return t->vi[i];
	return pnstrdup(term, len);
}

static const char *
fact_vi(const Reason *r, const FactRef *f)
{
	return vi(r->terms, 'f', f->name, strlen(f->name));
}

void
reason_init(Reason *r, const Terms *terms)
{
	initStringInfo(&r->en);
	initStringInfo(&r->vi);
	r->terms = terms;
}

void
reason_join(Reason *into, const Reason *part)
{
	appendStringInfo(&into->en, "%s%s", into->en.len ? "; " : "", part->en.data);
	appendStringInfo(&into->vi, "%s%s", into->vi.len ? "; " : "", part->vi.data);
}

/* A value held times 1,000,000, as a plain decimal; comma as the decimal mark when vi. */
static void
append_micro(StringInfo s, int64 micro, bool vi_marks)
{
	int			start = s->len;
	int			i;

	if (micro % MICRO == 0)
		appendStringInfo(s, INT64_FORMAT, micro / MICRO);
	else
		appendStringInfo(s, "%g", (double) micro / MICRO);
	for (i = start; vi_marks && i < s->len; i++)
		if (s->data[i] == '.')
			s->data[i] = ',';
}

/* A percentage with one decimal, "77.4%" or "77,4%". */
static void
append_percent(StringInfo s, double percent, bool vi_marks)
{
	append_micro(s, (int64) rint(percent * 10.0) * (MICRO / 10), vi_marks);
	appendStringInfoChar(s, '%');
}

/* A threshold held as a fraction times 10^6, as a percentage ("70%"). */
static void
append_threshold(StringInfo s, int64 threshold_micro, bool vi_marks)
{
	append_micro(s, threshold_micro * 100, vi_marks);
	appendStringInfoChar(s, '%');
}

/* An identifier such as serious_fire_explosion as words. */
static void
append_words(StringInfo s, const char *identifier)
{
	const char *p;

	for (p = identifier; *p; p++)
		appendStringInfoChar(s, *p == '_' ? ' ' : *p);
}

static void
append_date(StringInfo s, DateADT day, bool vi_marks)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (vi_marks)
		appendStringInfo(s, "%02d/%02d/%04d", d, m, y);
	else
		appendStringInfo(s, "%04d-%02d-%02d", y, m, d);
}

void
reason_not_applicable_if(Reason *r, const Condition *c)
{
	appendStringInfo(&r->en, "%s: not applicable (%s is not true)", c->label, c->applies_if.name);
	appendStringInfo(&r->vi, "%s: không áp dụng (không %s)", c->label, fact_vi(r, &c->applies_if));
}

void
reason_other_sub_kind(Reason *r, const Condition *c, const char *sub_kind, int len)
{
	if (sub_kind == NULL)
		sub_kind = "(none)", len = 6;
	appendStringInfo(&r->en, "%s: not applicable to sub-kind %.*s", c->label, len, sub_kind);
	appendStringInfo(&r->vi, "%s: không áp dụng cho loại %.*s", c->label, len, sub_kind);
}

void
reason_not_recorded(Reason *r, const Condition *c)
{
	appendStringInfo(&r->en, "%s: %s not recorded", c->label, c->fact.name);
	appendStringInfo(&r->vi, "%s: chưa ghi nhận %s", c->label, fact_vi(r, &c->fact));
}

void
reason_false(Reason *r, const Condition *c, bool recorded)
{
	appendStringInfo(&r->en, "%s: %s is %s", c->label, c->fact.name, recorded ? "false" : "not recorded");
	if (recorded)
		appendStringInfo(&r->vi, "%s: không đạt «%s»", c->label, fact_vi(r, &c->fact));
	else
		appendStringInfo(&r->vi, "%s: chưa ghi nhận «%s»", c->label, fact_vi(r, &c->fact));
}

void
reason_date_outside_q1(Reason *r, const Condition *c, DateADT day, int year)
{
	appendStringInfo(&r->en, "%s: %s ", c->label, c->fact.name);
	append_date(&r->en, day, false);
	appendStringInfo(&r->en, " is not in Q1 %d", year);
	appendStringInfo(&r->vi, "%s: %s ", c->label, fact_vi(r, &c->fact));
	append_date(&r->vi, day, true);
	appendStringInfo(&r->vi, ", không trong quý I năm %d", year);
}

void
reason_ratio_missing(Reason *r, const Condition *c)
{
	appendStringInfo(&r->en, "%s: %s/%s not recorded (or no %s)", c->label, c->fact.name, c->fact2.name, c->fact2.name);
	appendStringInfo(&r->vi, "%s: chưa ghi nhận %s hoặc %s", c->label, fact_vi(r, &c->fact), fact_vi(r, &c->fact2));
}

void
reason_ratio_low(Reason *r, const Condition *c, int64 v, int64 v2)
{
	double		percent = 100.0 * v / v2;

	appendStringInfo(&r->en, "%s: %s/%s = ", c->label, c->fact.name, c->fact2.name);
	append_micro(&r->en, v, false);
	appendStringInfoChar(&r->en, '/');
	append_micro(&r->en, v2, false);
	appendStringInfo(&r->en, " (%.1f%%), at least %g%% required", percent, (double) c->threshold_micro / 10000.0);

	appendStringInfo(&r->vi, "%s: %s/%s = ", c->label, fact_vi(r, &c->fact), fact_vi(r, &c->fact2));
	append_micro(&r->vi, v, true);
	appendStringInfoChar(&r->vi, '/');
	append_micro(&r->vi, v2, true);
	appendStringInfoString(&r->vi, " (");
	append_percent(&r->vi, percent, true);
	appendStringInfoString(&r->vi, "), yêu cầu tối thiểu ");
	append_threshold(&r->vi, c->threshold_micro, true);
}

void
reason_count(Reason *r, const Condition *c, int64 v)
{
	bool		at_most = c->form == FORM_COUNT_AT_MOST;

	appendStringInfo(&r->en, "%s: %s = ", c->label, c->fact.name);
	append_micro(&r->en, v, false);
	appendStringInfoString(&r->en, at_most ? ", at most " : ", at least ");
	append_micro(&r->en, c->threshold_micro, false);
	appendStringInfoString(&r->en, at_most ? " allowed" : " required");

	appendStringInfo(&r->vi, "%s: %s = ", c->label, fact_vi(r, &c->fact));
	append_micro(&r->vi, v, true);
	appendStringInfoString(&r->vi, at_most ? ", tối đa cho phép " : ", yêu cầu tối thiểu ");
	append_micro(&r->vi, c->threshold_micro, true);
}

void
reason_no_last_year(Reason *r, const Condition *c, int year)
{
	appendStringInfo(&r->en, "%s: not applicable (no %s for %d)", c->label, c->fact.name, year - 1);
	appendStringInfo(&r->vi, "%s: không áp dụng (không có %s năm %d)", c->label, fact_vi(r, &c->fact), year - 1);
}

void
reason_above_last_year(Reason *r, const Condition *c, int64 v, int64 last, int found, int year)
{
	bool		lowered = c->has_threshold && c->threshold_micro > 0;

	appendStringInfo(&r->en, "%s: %s = ", c->label, c->fact.name);
	append_micro(&r->en, v, false);
	appendStringInfo(&r->en, ", above %d's ", year - 1);
	append_micro(&r->en, last, false);
	if (found > 1)
		appendStringInfo(&r->en, " (sum of %d predecessors)", found);
	if (lowered)
		appendStringInfo(&r->en, " less %g%%", (double) c->threshold_micro / 10000.0);

	appendStringInfo(&r->vi, "%s: %s = ", c->label, fact_vi(r, &c->fact));
	append_micro(&r->vi, v, true);
	appendStringInfo(&r->vi, ", cao hơn năm %d (", year - 1);
	append_micro(&r->vi, last, true);
	if (found > 1)
		appendStringInfo(&r->vi, ", tổng của %d đơn vị trước sáp nhập", found);
	appendStringInfoChar(&r->vi, ')');
	if (lowered)
	{
		appendStringInfoString(&r->vi, " phải giảm ít nhất ");
		append_threshold(&r->vi, c->threshold_micro, true);
	}
}

void
reason_rating_low(Reason *r, const Condition *c, const char *rating, int len)
{
	const char *required = rules_force_rating_name(c->level);

	appendStringInfo(&r->en, "%s: %s is %.*s, below the level required (%s)", c->label, c->fact.name, len, rating,
					 required ? required : "none");
	appendStringInfo(&r->vi, "%s: %s là «%s», dưới mức yêu cầu «%s»", c->label, fact_vi(r, &c->fact),
					 vi(r->terms, 'r', rating, len),
					 required ? vi(r->terms, 'r', required, strlen(required)) : "không có");
}

void
reason_incident(Reason *r, const Condition *c, bool first, text *severity, text *kind, const Datum *occurred_on)
{
	const char *kind_s = text_to_cstring(kind);

	appendStringInfoString(&r->en, first ? c->label : ";");
	appendStringInfoString(&r->en, first ? ": " : " ");
	appendStringInfoString(&r->vi, first ? c->label : ";");
	appendStringInfoString(&r->vi, first ? ": " : " ");
	if (severity)
	{
		append_words(&r->en, text_to_cstring(severity));
		appendStringInfoChar(&r->en, ' ');
	}
	append_words(&r->en, kind_s);
	appendStringInfoString(&r->vi, vi(r->terms, 'k', kind_s, strlen(kind_s)));
	if (severity)
		appendStringInfo(&r->vi, " %s", vi(r->terms, 's', VARDATA_ANY(severity), VARSIZE_ANY_EXHDR(severity)));
	if (occurred_on)
	{
		appendStringInfoString(&r->en, " on ");
		append_date(&r->en, DatumGetDateADT(*occurred_on), false);
		appendStringInfoString(&r->vi, " ngày ");
		append_date(&r->vi, DatumGetDateADT(*occurred_on), true);
	}
	if (c->except_force_majeure)
	{
		appendStringInfoString(&r->en, ", not force majeure");
		appendStringInfoString(&r->vi, ", không phải bất khả kháng");
	}
	if (c->except_handled_promptly)
	{
		appendStringInfoString(&r->en, ", not handled promptly");
		appendStringInfoString(&r->vi, ", không được phát hiện, xử lý kịp thời");
	}
}

void
reason_no_units(Reason *r, const Condition *c)
{
	appendStringInfo(&r->en, "%s: not applicable (no units under its authority)", c->label);
	appendStringInfo(&r->vi, "%s: không áp dụng (không có đơn vị thuộc quyền quản lý)", c->label);
}

void
reason_units_low(Reason *r, const Condition *c, int64 part, int64 total)
{
	bool		registered = c->form == FORM_UNITS_REGISTERED;
	double		percent = 100.0 * part / total;

	appendStringInfo(&r->en, "%s: " INT64_FORMAT " of " INT64_FORMAT " units %s (%.1f%%), at least %g%% required",
					 c->label, part, total, registered ? "registered" : "recognized (by decision where one is recorded, else as computed)",
					 percent, (double) c->threshold_micro / 10000.0);
	appendStringInfo(&r->vi, "%s: " INT64_FORMAT "/" INT64_FORMAT " đơn vị %s (", c->label, part, total,
					 registered ? "đã đăng ký" : "được công nhận (theo quyết định nếu có, nếu không theo kết quả tính)");
	append_percent(&r->vi, percent, true);
	appendStringInfoString(&r->vi, "), yêu cầu tối thiểu ");
	append_threshold(&r->vi, c->threshold_micro, true);
}

void
reason_check(Reason *r, const Condition *c, bool recorded)
{
	appendStringInfo(&r->en, "%s: %s", c->label, recorded ? "check recorded as not met" : "no check recorded");
	appendStringInfo(&r->vi, "%s: %s", c->label, recorded ? "kiểm tra ghi nhận không đạt" : "chưa có kết quả kiểm tra");
}
