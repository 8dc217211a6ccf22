#!/usr/bin/env bash
# A province's 2025 reform in one call (antq.apply_reorganization, sql/23_registry_reform.sql),
# on a private cluster with the worker off: a pre-2025 province 02 of DISTRICTS districts,
# COMMUNES communes under them, AREAS residential areas a commune and AGENCIES agencies a
# commune managed by its district (about 10,000 units by default), and a small province 08
# (one district, three communes). The plan: 02 merges into 08, every district closes (its
# communes under 08, the units it managed to 08), the communes merge three into one. Every unit
# of both provinces carries on in a new version. Each round builds the provinces afresh in one
# transaction (the reference: the same units written once into antq.unit, through the same
# checks) and then applies the plan in one call; ROUNDS rounds, medians.
#   bench/reform_bench.sh [ROUNDS]   (DISTRICTS=10 COMMUNES=151 AREAS=60 AGENCIES=6 PORT=54386)
# Target (issue 19): the reform of a province of 10,000 units in under 10 s.
set -euo pipefail
. "$(dirname "$0")/bench_common.sh"
rounds=${1:-3}
districts=${DISTRICTS:-10}
communes=${COMMUNES:-151}
areas=${AREAS:-60}
agencies=${AGENCIES:-6}
dir=$REPO/bench/out/reform
bench_cluster "$dir" "${PORT:-54386}"
out=$dir/reform_bench.txt
: > "$out"
psql_run -c 'ALTER SYSTEM SET antq.worker_enabled = off' -c 'SELECT pg_reload_conf()' >/dev/null
psql_run -c 'CREATE EXTENSION antq'

# The two provinces as they were on 30 June 2025, in one transaction.
load_sql() {
	cat <<SQL
BEGIN;
LOCK TABLE antq.unit IN SHARE ROW EXCLUSIVE MODE;
INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '02', 'Tỉnh Hà Giang', '2000-01-01'), ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '2000-01-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'district', 'huyen', lpad(g::text, 3, '0'), 'Huyện ' || g, (antq.unit_at('02', '2020-01-01')).unit_id, date '2000-01-01'
  FROM generate_series(1, $districts) g
UNION ALL SELECT 'district', 'huyen', '900', 'Huyện 900', (antq.unit_at('08', '2020-01-01')).unit_id, '2000-01-01';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', 'xa', lpad(g::text, 5, '0'), 'Xã ' || g, d.unit_id, date '2000-01-01'
  FROM generate_series(1, $communes) g JOIN antq.unit d ON d.code = lpad((1 + (g - 1) % $districts)::text, 3, '0')
UNION ALL SELECT 'commune', 'xa', lpad((90000 + g)::text, 5, '0'), 'Xã 9' || g, d.unit_id, date '2000-01-01'
  FROM generate_series(1, 3) g JOIN antq.unit d ON d.code = '900';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'residential_area', 'thon', c.code || '-T' || a, 'Thôn ' || a, c.unit_id, date '2015-01-01'
  FROM antq.unit c CROSS JOIN generate_series(1, $areas) a WHERE c.kind = 'commune';
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
SELECT 'agency', c.code || '-CQ' || a, 'Cơ quan ' || a, c.unit_id, c.parent_id, date '2015-01-01'
  FROM antq.unit c CROSS JOIN generate_series(1, $agencies) a WHERE c.kind = 'commune';
COMMIT;
SQL
}

# The plan, as a province would write it.
plan_sql() {
	cat <<SQL
SELECT jsonb_agg(s) FROM (
  SELECT jsonb_build_object('code', '02', 'into', '08') AS s
  UNION ALL SELECT jsonb_build_object('code', d.code, 'close', true, 'children_to', '08', 'managed_to', '08')
    FROM antq.unit d WHERE d.kind = 'district'
  UNION ALL SELECT jsonb_build_object('code', c.code, 'into', lpad((((c.code::int - 1) / 3) * 3 + 1)::text, 5, '0'))
    FROM antq.unit c WHERE c.kind = 'commune' AND c.code::int < 90000 AND (c.code::int - 1) % 3 <> 0
       AND ((c.code::int - 1) / 3) * 3 + 1 <= $communes
) x
SQL
}

for ((r = 1; r <= rounds; r++)); do
	psql_run -c 'DROP EXTENSION antq CASCADE' -c 'CREATE EXTENSION antq' >/dev/null
	t0=$(date +%s%N)
	load_sql | psql_run >/dev/null
	load_ms=$(ms_since "$t0")
	units=$(psql_run -At -c 'SELECT count(*) FROM antq.unit')
	psql_run -At -c "$(plan_sql)" > "$dir/plan.json"
	give_to_pg "$dir/plan.json"
	t0=$(date +%s%N)
	changed=$(psql_run -At -v plan="$(cat "$dir/plan.json")" <<'SQL'
SELECT count(*) FROM antq.apply_reorganization('2025-07-01', :'plan'::jsonb, 'Nghị quyết 202/2025/QH15');
SQL
)
	reform_ms=$(ms_since "$t0")
	after=$(psql_run -At -c "SELECT count(*) FROM antq.unit WHERE valid_from = '2025-07-01'")
	echo "round $r: units $units, changed $changed, new versions $after, load ${load_ms} ms, reform ${reform_ms} ms" | tee -a "$out"
	echo "$load_ms $reform_ms" >> "$dir/times"
done
load_med=$(tail -n "$rounds" "$dir/times" | awk '{print $1}' | median)
reform_med=$(tail -n "$rounds" "$dir/times" | awk '{print $2}' | median)
echo "median: load ${load_med} ms, reform ${reform_med} ms, reform / load $(ratio "$reform_med" "$load_med") (target: reform < 10,000 ms)" | tee -a "$out"
