/*
 * rule_ranks.c — the ordered words of the rules (rules.h): crime severities and a security
 * force's task ratings, ranked so that a condition can ask "at or above". The words and their
 * labels for people are in antq.term_labels() (sql/32_terms.sql).
 */
#include "postgres.h"

#include "rules.h"

/* Whether the len bytes at s spell the C string word. */
static inline bool
word_equal(const char *s, int len, const char *word)
{
	return rules_key_bytes_equal(s, len, word, (int) strlen(word));
}

/*
 * Rank of a crime severity given as len bytes (not NUL-terminated, so that the engine can pass a
 * text value without copying it), 1 (less serious) to 4 (especially serious); 0 when unknown.
 */
int
rules_severity_rank(const char *severity, int len)
{
	if (severity == NULL)
		return 0;
	if (word_equal(severity, len, "less_serious"))
		return 1;
	if (word_equal(severity, len, "serious"))
		return 2;
	if (word_equal(severity, len, "very_serious"))
		return 3;
	if (word_equal(severity, len, "especially_serious"))
		return 4;
	return 0;
}

/* A security force's task ratings (antq.assessment.force_rating), lowest first, from rank 1. */
static const char *const force_ratings[] = {"not_completed", "completed", "completed_well", "completed_excellently"};

/* Rank of a security force's task rating given as len bytes, 1 (not completed) to 4 (completed excellently); 0 unknown. */
int
rules_force_rating_rank(const char *rating, int len)
{
	int			i;

	for (i = 0; rating != NULL && i < (int) lengthof(force_ratings); i++)
		if (word_equal(rating, len, force_ratings[i]))
			return i + 1;
	return 0;
}

/* The task rating of a rank (1..4), or NULL. */
const char *
rules_force_rating_name(int rank)
{
	return rank >= 1 && rank <= (int) lengthof(force_ratings) ? force_ratings[rank - 1] : NULL;
}
