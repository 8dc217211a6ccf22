/*
 * antq.c — module entry point: _PG_init and the module magic.
 *
 * antq's functions and types work in any backend that loads the library. The background
 * worker (worker/) needs shared_preload_libraries; without it we say so in the server log
 * and carry on, because analysts may load antq into a cluster they cannot restart.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "antq.h"

PG_MODULE_MAGIC;

bool		antq_preloaded = false;

void		_PG_init(void);

/* Define GUCs and, when preloaded, register the background worker. */
void
_PG_init(void)
{
	antq_rating_init();
	antq_bounds_init();
	antq_audit_init();

	/* pg_upgrade loads libraries to check them; start nothing then. */
	if (IsBinaryUpgrade)
		return;

	antq_preloaded = process_shared_preload_libraries_in_progress;
	antq_capture_init();
	antq_stale_init();
	antq_worker_init();

	if (!antq_preloaded)
		ereport(LOG,
				(errmsg("antq loaded without shared_preload_libraries: the antq background worker is not running"),
				 errdetail("Results and summaries are refreshed only when antq.refresh() is called."),
				 errhint("Add antq to shared_preload_libraries and restart the server to keep summaries fresh automatically.")));
}
