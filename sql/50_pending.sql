-- The change queue (hàng đợi tính lại): what must be recomputed, as one row per province and
-- range of years per writing transaction, naming the units whose facts changed when they are
-- few. Written by the capture triggers at pre-commit, in the writer's transaction, so a row is
-- queued exactly when its facts commit; drained by the database's antq worker through
-- antq.take_pending(), which deletes the rows in the same transaction that recomputes them (a
-- crash loses nothing: the table is WAL-logged).
--
-- There is deliberately no index, and no unique key: the worker reads the table by sequential
-- scan (it is kept nearly empty), so a writer appends one heap row and maintains nothing else;
-- and with a unique key a writer queuing a key that the worker has just taken (deleted, not yet
-- committed) would wait for the worker's whole recompute. Rows for the same keys only pile up
-- while no worker runs, and collapse in its first batch (antq.take_pending). What a write
-- queues, covers included (extension/capture/capture_cover.c), is in docs/architecture.md, "The
-- capture rules".

CREATE TABLE antq.pending (
    province_code text        NOT NULL,
    first_year    integer     NOT NULL,
    last_year     integer     NOT NULL,
    unit_ids      bigint[],
    queued_at     timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp(),
    CONSTRAINT pending_years_ordered CHECK (first_year OPERATOR(pg_catalog.<=) last_year)
);

COMMENT ON TABLE antq.pending IS
  'Change queue (hàng đợi tính lại): a province and a range of years whose results and summaries are out of date, with the units whose facts changed; one row per province and range per writing transaction, written by the capture triggers at commit, drained by the antq worker (antq.take_pending).';
COMMENT ON COLUMN antq.pending.province_code IS
  'Province code (mã tỉnh), * for every province (a rule or the whole registry changed), or ? for units the writer could not see in the registry (no foreign key is checked under session_replication_role = replica), whose provinces the worker looks up when it takes the row.';
COMMENT ON COLUMN antq.pending.first_year IS 'First assessment year to recompute (năm đầu), inclusive.';
COMMENT ON COLUMN antq.pending.last_year IS 'Last assessment year to recompute (năm cuối), inclusive.';
COMMENT ON COLUMN antq.pending.unit_ids IS
  'The unit versions whose facts changed (đơn vị có số liệu thay đổi), sorted and distinct; NULL means every unit of the province-years: the registry or the rules changed, a table was truncated, or more units of the province than antq.capture_unit_limit were queued for it.';
COMMENT ON COLUMN antq.pending.queued_at IS 'When the writing transaction queued the row (thời điểm ghi nhận), just before its commit.';

-- Whatever takes rows (the worker's antq.take_pending deletes them; a DELETE, UPDATE or
-- TRUNCATE by hand) first tells the writers that a key queued as a whole may be gone, and waits
-- for those that relied on it to commit or abort, so that what they wrote is seen by the
-- recompute that follows (extension/capture/capture_cover.c). ALWAYS: also under
-- session_replication_role = replica.
CREATE FUNCTION antq.pending_taken() RETURNS trigger
AS 'MODULE_PATHNAME', 'antq_pending_taken' LANGUAGE C;
COMMENT ON FUNCTION antq.pending_taken() IS
  'Statement trigger on antq.pending before DELETE, UPDATE and TRUNCATE (lấy hàng đợi): no writer may rely on a key queued as a whole any more, and those that did have ended; under REPEATABLE READ or SERIALIZABLE the keys are queued again instead.';
CREATE TRIGGER antq_pending_taken BEFORE DELETE OR UPDATE OR TRUNCATE ON antq.pending
  FOR EACH STATEMENT EXECUTE FUNCTION antq.pending_taken();
ALTER TABLE antq.pending ENABLE ALWAYS TRIGGER antq_pending_taken;

-- Keys set aside (khóa tạm gác): a key whose recompute failed is not retried on every commit,
-- which would block the database's queue behind it, but after a delay that doubles with each
-- failure (antq.retry_delay). Its units wait here, with whatever is queued for it meanwhile,
-- so nothing is lost; the worker takes it again once retry_at has passed.
CREATE TABLE antq.pending_set_aside (
    province_code   text        NOT NULL,
    year            integer     NOT NULL,
    unit_ids        bigint[],
    attempts        integer     NOT NULL,
    last_error      text        NOT NULL,
    first_failed_at timestamptz NOT NULL,
    retry_at        timestamptz NOT NULL,
    PRIMARY KEY (province_code, year)
);
COMMENT ON TABLE antq.pending_set_aside IS
  'Keys set aside after their recompute failed (khóa tạm gác): retried by the antq worker at retry_at, after a delay that doubles with each failure, while every other key keeps flowing.';
COMMENT ON COLUMN antq.pending_set_aside.province_code IS 'Province code (mã tỉnh), or * for every province.';
COMMENT ON COLUMN antq.pending_set_aside.year IS 'Assessment year (năm).';
COMMENT ON COLUMN antq.pending_set_aside.unit_ids IS
  'Units whose facts changed (đơn vị có số liệu thay đổi), including those queued since it failed; NULL: every unit of the province-year.';
COMMENT ON COLUMN antq.pending_set_aside.attempts IS 'Failed recomputes so far (số lần thất bại).';
COMMENT ON COLUMN antq.pending_set_aside.last_error IS 'Message of the last failure (lỗi gần nhất).';
COMMENT ON COLUMN antq.pending_set_aside.first_failed_at IS 'When it first failed (lần lỗi đầu).';
COMMENT ON COLUMN antq.pending_set_aside.retry_at IS 'Not retried before (thử lại lúc).';
