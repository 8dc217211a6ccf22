/*
 * search_path.c — the trusted search path (đường dẫn tìm kiếm tin cậy) under which the
 * extension's own SQL runs: the rules cache's load, the capture's queries as the queue owner and
 * the worker's batch. Their text names every object with its schema, operators included, and
 * pinning the path as well means that an object a user plants in a schema of the caller's path
 * (public, by default writable before PostgreSQL 15) can never be resolved in their place, even
 * by an unqualified name added later. PostgreSQL does the same around index builds
 * (RestrictSearchPath, from version 17): pg_catalog first, pg_temp last.
 */
#include "postgres.h"

#include "utils/guc.h"

#include "antq.h"

/* The path of PostgreSQL's RestrictSearchPath: built-ins only, temporary objects never first. */
#define ANTQ_TRUSTED_SEARCH_PATH "pg_catalog, pg_temp"

/*
 * Pin the trusted search path until antq_unpin_search_path(nestlevel). Once per load or query,
 * never per row: the change makes the next name lookup recompute the path.
 */
int
antq_pin_search_path(void)
{
	int			nestlevel = NewGUCNestLevel();

	(void) set_config_option("search_path", ANTQ_TRUSTED_SEARCH_PATH, PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

/* Restore the caller's search path (and any setting changed since the pin). */
void
antq_unpin_search_path(int nestlevel)
{
	AtEOXact_GUC(false, nestlevel);
}
