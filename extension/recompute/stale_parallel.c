/*
 * stale_parallel.c — antq.results_stale's pass split between the calling backend and
 * antq.stale_workers parallel workers (PostgreSQL's ParallelContext), each taking the units
 * whose id modulo the number of processes is its own. Each reads every table (the scans are a
 * small part of the pass) but keeps and evaluates only its units; a worker sends its stale ids
 * and its communes' counts back through a shm_mq, and the backend adds them to its own.
 *
 * The workers run in the backend's transaction and snapshot (the parallel machinery carries
 * both), so every process sees the same rows; an error in a worker is raised in the backend.
 * Where no worker can be had (none free, or already in parallel mode) the backend does every
 * share itself: the answer is the same, only slower.
 *
 * The pass's settings are defined here: antq.stale_workers and antq.stale_limit.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "postmaster/bgworker_internals.h"
#include "miscadmin.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/guc.h"

#include "antq.h"
#include "rules.h"
#include "stale.h"

/* antq.stale_workers */
int			stale_workers = 1;

#define KEY_SHARED		UINT64CONST(0xA417000000000001)
#define KEY_QUEUES		UINT64CONST(0xA417000000000002)
#define QUEUE_SIZE		(64 * 1024)

typedef struct StaleShared
{
	int32		year;
	int			nparts;
} StaleShared;

/* antq.stale_limit: read by antq.compute_results (sql/47_compute.sql), defined here. */
static int	stale_limit = 50000;

void
antq_stale_init(void)
{
	DefineCustomIntVariable("antq.stale_limit",
							"Most stale units a national recompute rewrites one by one.",
							"antq.compute_results(NULL, year) rewrites the units antq.results_stale finds through index lookups when they are at most this many, else recomputes every unit in one pass in SQL; -1 always does the latter, without the pass in C.",
							&stale_limit, 50000, -1, INT_MAX, PGC_USERSET, 0, NULL, NULL, NULL);
	stale_parallel_init();
}

/* A worker's answer, as sent: ok, the number of stale ids and of communes, then the ids, the
 * communes and their counts. */
typedef struct PartHeader
{
	int32		ok;
	int32		nstale;
	int32		ncommunes;
} PartHeader;

void
stale_parallel_init(void)
{
	DefineCustomIntVariable("antq.stale_workers",
							"Parallel workers antq.results_stale shares a national pass with.",
							"0 runs the pass in the calling backend alone. Each worker holds its share of the units; all of them read every table.",
							&stale_workers, 1, 0, MAX_PARALLEL_WORKER_LIMIT, PGC_USERSET, 0, NULL, NULL, NULL);
}

/* Add a share's answer to the whole. */
static void
add_part(StalePart *all, const int64 *stale, int nstale, const int64 *communes, const int32 *counts, int ncommunes)
{
	int			i;

	all->stale = repalloc_huge(all->stale, sizeof(int64) * (all->nstale + nstale + 1));
	memcpy(all->stale + all->nstale, stale, sizeof(int64) * nstale);
	all->nstale += nstale;
	for (i = 0; i < ncommunes; i++)
		stale_counts_add(&all->counts, communes[i], counts + i * STALE_NCOUNTS);
}

static void
add_own_part(StalePart *all, const StalePart *part)
{
	add_part(all, part->stale, part->nstale, part->counts.ids, part->counts.counts, part->counts.n);
}

/* The whole pass in this backend. */
static bool
run_alone(int32 year, StalePart *all)
{
	StalePart	own;

	memset(&own, 0, sizeof(own));
	if (!stale_run_part(year, 1, 0, &own))
		return false;
	add_own_part(all, &own);
	return true;
}

/* The worker's side: its share, sent back whole as one message. */
PGDLLEXPORT void antq_stale_part_main(dsm_segment *seg, shm_toc *toc);

void
antq_stale_part_main(dsm_segment *seg, shm_toc *toc)
{
	StaleShared *shared = shm_toc_lookup(toc, KEY_SHARED, false);
	char	   *queues = shm_toc_lookup(toc, KEY_QUEUES, false);
	shm_mq	   *mq = (shm_mq *) (queues + (Size) ParallelWorkerNumber * QUEUE_SIZE);
	shm_mq_handle *mqh;
	StalePart	part;
	PartHeader	h = {0, 0, 0};
	StringInfoData msg;

	shm_mq_set_sender(mq, MyProc);
	mqh = shm_mq_attach(mq, seg, NULL);
	memset(&part, 0, sizeof(part));
	h.ok = stale_run_part(shared->year, shared->nparts, ParallelWorkerNumber + 1, &part);
	if (h.ok)
	{
		h.nstale = part.nstale;
		h.ncommunes = part.counts.n;
	}
	initStringInfo(&msg);
	appendBinaryStringInfo(&msg, (char *) &h, sizeof(h));
	if (h.ok)
	{
		appendBinaryStringInfo(&msg, (char *) part.stale, sizeof(int64) * h.nstale);
		appendBinaryStringInfo(&msg, (char *) part.counts.ids, sizeof(int64) * h.ncommunes);
		appendBinaryStringInfo(&msg, (char *) part.counts.counts, sizeof(int32) * STALE_NCOUNTS * h.ncommunes);
	}
	(void) shm_mq_send(mqh, msg.len, msg.data, false, true);
}

/* The backend's side of a worker's share: received, or false when the worker never ran. */
static bool
receive_part(shm_mq_handle *mqh, StalePart *all, bool *ok)
{
	Size		nbytes;
	void	   *data;
	PartHeader	h;
	char	   *p;

	if (shm_mq_receive(mqh, &nbytes, &data, false) != SHM_MQ_SUCCESS)
		return false;
	if (nbytes < sizeof(PartHeader))
		elog(ERROR, "antq.results_stale: a worker's answer is cut short");
	memcpy(&h, data, sizeof(h));
	if (!h.ok)
	{
		*ok = false;
		return true;
	}
	if (nbytes != sizeof(PartHeader) + sizeof(int64) * (h.nstale + h.ncommunes) + sizeof(int32) * STALE_NCOUNTS * h.ncommunes)
		elog(ERROR, "antq.results_stale: a worker's answer has the wrong size");
	p = (char *) data + sizeof(PartHeader);
	{
		int64	   *stale = palloc(sizeof(int64) * Max(h.nstale, 1));
		int64	   *communes = palloc(sizeof(int64) * Max(h.ncommunes, 1));
		int32	   *counts = palloc(sizeof(int32) * STALE_NCOUNTS * Max(h.ncommunes, 1));

		/* copied out: the message's memory may not be aligned for int64 */
		memcpy(stale, p, sizeof(int64) * h.nstale);
		p += sizeof(int64) * h.nstale;
		memcpy(communes, p, sizeof(int64) * h.ncommunes);
		p += sizeof(int64) * h.ncommunes;
		memcpy(counts, p, sizeof(int32) * STALE_NCOUNTS * h.ncommunes);
		add_part(all, stale, h.nstale, communes, counts, h.ncommunes);
	}
	return true;
}

bool
stale_run_all(int32 year, StalePart *all)
{
	int			nworkers = stale_workers;
	ParallelContext *pcxt;
	StaleShared *shared;
	char	   *queues;
	shm_mq_handle **mqh;
	StalePart	own;
	bool		ok = true;
	bool	   *received;
	int			i;

	memset(all, 0, sizeof(StalePart));
	all->stale = palloc(sizeof(int64));
	stale_counts_init(&all->counts);
	memset(&own, 0, sizeof(own));

	if (nworkers <= 0 || IsInParallelMode())
		return run_alone(year, all);

	rules_ensure_loaded();
	EnterParallelMode();
	pcxt = CreateParallelContext("antq", "antq_stale_part_main", nworkers);
	shm_toc_estimate_chunk(&pcxt->estimator, sizeof(StaleShared));
	shm_toc_estimate_chunk(&pcxt->estimator, mul_size(QUEUE_SIZE, nworkers));
	shm_toc_estimate_keys(&pcxt->estimator, 2);
	InitializeParallelDSM(pcxt);
	shared = shm_toc_allocate(pcxt->toc, sizeof(StaleShared));
	shared->year = year;
	shared->nparts = nworkers + 1;
	shm_toc_insert(pcxt->toc, KEY_SHARED, shared);
	queues = shm_toc_allocate(pcxt->toc, mul_size(QUEUE_SIZE, nworkers));
	shm_toc_insert(pcxt->toc, KEY_QUEUES, queues);
	mqh = palloc(sizeof(shm_mq_handle *) * nworkers);
	received = palloc0(sizeof(bool) * nworkers);
	for (i = 0; i < nworkers; i++)
	{
		shm_mq	   *mq = shm_mq_create(queues + (Size) i * QUEUE_SIZE, QUEUE_SIZE);

		shm_mq_set_receiver(mq, MyProc);
		mqh[i] = shm_mq_attach(mq, pcxt->seg, NULL);
	}
	LaunchParallelWorkers(pcxt);
	if (pcxt->nworkers_launched == 0)
	{
		/* no worker free (or a single-user backend): the whole pass here, each table read once */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		return run_alone(year, all);
	}
	for (i = 0; i < pcxt->nworkers_launched; i++)
		shm_mq_set_handle(mqh[i], pcxt->worker[i].bgwhandle);

	/* this backend's own share, then each worker's */
	ok = stale_run_part(year, nworkers + 1, 0, &own);
	if (ok)
		add_own_part(all, &own);
	for (i = 0; i < pcxt->nworkers_launched; i++)
		received[i] = receive_part(mqh[i], all, &ok);
	/* raises a worker's error, if one failed */
	WaitForParallelWorkersToFinish(pcxt);
	DestroyParallelContext(pcxt);
	ExitParallelMode();

	/* the shares no worker took (none launched, or one that never started) */
	for (i = 0; ok && i < nworkers; i++)
		if (!received[i])
		{
			StalePart	part;

			memset(&part, 0, sizeof(part));
			ok = stale_run_part(year, nworkers + 1, i + 1, &part);
			if (ok)
				add_own_part(all, &part);
		}
	return ok;
}
