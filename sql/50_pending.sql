-- The change queue (hàng đợi tính lại): (province, year) keys whose results and summaries must
-- be recomputed. Written by the capture triggers at pre-commit, in the writer's transaction, so
-- a key is queued exactly when its facts commit; drained by the database's antq worker, which
-- deletes a key in the same transaction that recomputes it (a crash loses nothing: the table is
-- WAL-logged). 
--
-- There is deliberately no unique key on (province_code, year): with one, a writer queuing a
-- key that the worker has just taken (deleted, not yet committed) would wait for the worker's
-- whole recompute (INSERT ... ON CONFLICT waits for an in-progress deleter). Instead each
-- transaction writes each of its keys once, and the worker takes every queued row of a key at
-- once, so duplicates only pile up while no worker runs and collapse in its first batch.

CREATE TABLE antq.pending (
    province_code text        NOT NULL,
    year          integer     NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
CREATE INDEX pending_key ON antq.pending (province_code, year);

COMMENT ON TABLE antq.pending IS
  'Change queue (hàng đợi tính lại): (province, year) keys whose results and summaries are out of date; filled by the capture triggers at commit, drained by the antq worker.';
COMMENT ON COLUMN antq.pending.province_code IS
  'Province code (mã tỉnh) of the key, or * for every province (a rule or the whole registry changed).';
COMMENT ON COLUMN antq.pending.year IS 'Assessment year (năm đánh giá) of the key.';
COMMENT ON COLUMN antq.pending.queued_at IS 'When the writing transaction queued the key (thời điểm ghi nhận), just before its commit.';
