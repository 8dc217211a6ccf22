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
-- while no worker runs, and collapse in its first batch (antq.take_pending).

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
  'Province code (mã tỉnh), or * for every province (a rule or the whole registry changed).';
COMMENT ON COLUMN antq.pending.first_year IS 'First assessment year to recompute (năm đầu), inclusive.';
COMMENT ON COLUMN antq.pending.last_year IS 'Last assessment year to recompute (năm cuối), inclusive.';
COMMENT ON COLUMN antq.pending.unit_ids IS
  'The unit versions whose facts changed (đơn vị có số liệu thay đổi), sorted and distinct; NULL means every unit of the province-years: the registry or the rules changed, a table was truncated, or the transaction changed more units of the province than antq.capture_unit_limit.';
COMMENT ON COLUMN antq.pending.queued_at IS 'When the writing transaction queued the row (thời điểm ghi nhận), just before its commit.';
