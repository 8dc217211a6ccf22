/*
 * antq.h — what the files of antq.so share: the module's start-up hooks.
 *
 * Each concern defines its own GUCs and registrations in its own file and exposes one
 * init function here, which _PG_init (antq.c) calls.
 */
#ifndef ANTQ_H
#define ANTQ_H

/* antq.c: true when loaded through shared_preload_libraries (the worker can run). */
extern bool antq_preloaded;

/* types/rating.c: define the GUC antq.rating_style. */
extern void antq_rating_init(void);

/* bounds.c: define the GUCs antq.year_min and antq.years_ahead; the window of years they give. */
extern void antq_bounds_init(void);
extern void antq_year_window(int32 *first, int32 *last);

/* capture/audit.c: define the GUC antq.audit_retention. */
extern void antq_audit_init(void);

/* capture/capture.c: change-capture GUCs. */
extern void antq_capture_init(void);

/* recompute/stale_parallel.c: the national pass's GUCs. */
extern void antq_stale_init(void);

/*
 * search_path.c: pin the trusted search path (pg_catalog, pg_temp) around SQL the extension runs
 * itself; antq_unpin_search_path restores the caller's.
 */
extern int	antq_pin_search_path(void);
extern void antq_unpin_search_path(int nestlevel);

/* worker/launcher.c: worker GUCs; when preloaded, shared memory and the launcher. */
extern void antq_worker_init(void);

#endif							/* ANTQ_H */
