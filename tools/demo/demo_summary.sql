-- What the demo shows: the province's units before and after the reform, and its new tree.
\pset footer off
\echo
\echo '== Tỉnh Tuyên Quang (08): units on 30 June 2025 and on 1 July 2025 (antq.units_under) =='
SELECT k.kind AS "kind (loại đơn vị)",
       (SELECT count(*) FROM antq.units_under('08', '2025-06-30') u WHERE u.kind = k.kind) AS "30/06/2025",
       (SELECT count(*) FROM antq.units_under('08', '2025-07-01') u WHERE u.kind = k.kind) AS "01/07/2025"
  FROM (VALUES (1, 'district'), (2, 'commune'), (3, 'residential_area'), (4, 'agency'), (5, 'enterprise'), (6, 'school')) AS k(ord, kind)
 ORDER BY k.ord;
\echo '== Communes from 1 July 2025 and what they grew out of (antq.predecessors) =='
SELECT c.code, c.name, c.sub_kind,
       (SELECT count(*) FROM antq.units_under(c.unit_id, '2025-07-01') r WHERE r.kind = 'residential_area') AS residential_areas,
       (SELECT string_agg(p.name || ' (' || p.event || ')', ', ' ORDER BY p.code) FROM antq.predecessors(c.unit_id) p) AS predecessors
  FROM antq.units_under('08', '2025-07-01') c
 WHERE c.kind = 'commune'
 ORDER BY c.code;
\echo '== The province summary kept by the antq worker (antq.v_summary): safe standard and classification =='
SELECT s.year, s.unit_kind AS "kind (loại đơn vị)", s.total AS units, s.registered AS "registered (đăng ký)",
       s.met_label AS "safe (đạt chuẩn an toàn)", s.incidents AS "incidents (vụ việc)", s.tipoffs AS "tip-offs (tin báo)",
       s.rating_excellent AS "Xuất sắc", s.rating_good AS "Khá", s.rating_average AS "Trung bình", s.rating_weak AS "Yếu",
       to_char(s.computed_at, 'HH24:MI:SS') AS computed
  FROM antq.v_summary s
 WHERE s.area_level = 'province' AND s.area_code = '08' AND s.year IN (2024, 2025) AND s.unit_kind <> 'district'
 ORDER BY s.year, array_position(ARRAY['residential_area', 'commune', 'agency', 'enterprise', 'school'], s.unit_kind);
\echo '== Why some units of 2025 are not safe (antq.explain_unit) =='
SELECT r.code, r.name, e.reason
  FROM antq.v_unit_result r, antq.explain_unit(r.unit_id, r.year, 'safe') e
 WHERE r.year = 2025 AND NOT r.safe_met AND e.state = 'not met'
 ORDER BY r.kind, r.code
 LIMIT 12;
