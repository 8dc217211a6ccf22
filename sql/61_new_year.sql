-- The turn of the year (sang năm mới). A year after the current one has results only for units
-- with facts for it (antq.kinds_taking_part, sql/47_compute.sql); when it becomes the current
-- year every unit taking part needs its result ("not assessed" until its facts come), and no
-- write queues that: a fact queues its own unit only, and a province's summaries would count
-- only the units with facts. The worker opens each new year once (worker/worker.c, hourly):
-- it recomputes the year for the whole nation and records it here.

CREATE TABLE antq.year_opened (
    year      integer     PRIMARY KEY,
    opened_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE antq.year_opened IS
  'Years whose results the worker has computed for every unit taking part, once the year became the current one (năm đã mở); the year of installation counts as opened.';
COMMENT ON COLUMN antq.year_opened.year IS 'The year opened (năm).';
COMMENT ON COLUMN antq.year_opened.opened_at IS 'When it was opened (thời điểm mở).';
-- At installation the registry is empty: its writes queue their years as they come.
INSERT INTO antq.year_opened (year) VALUES (antq.current_year());

CREATE FUNCTION antq.open_year() RETURNS integer LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    y constant integer := antq.current_year();
BEGIN
    IF y < antq.year_min() OR y > antq.year_max() THEN
        RETURN NULL;
    END IF;
    INSERT INTO antq.year_opened (year) VALUES (y) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM antq.recompute_keys(ARRAY['*'], ARRAY[y], true);
    RETURN y;
END
$$;
COMMENT ON FUNCTION antq.open_year() IS
  'Open the current year (mở năm mới) if it is not yet: recompute its results and summaries for the whole nation, so that every unit taking part has its result, and record it in antq.year_opened. Returns the year opened, NULL when there was nothing to do. The worker calls it hourly; only the owner may.';
