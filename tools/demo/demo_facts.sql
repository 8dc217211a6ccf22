-- Demo facts for 2024 and 2025: each unit's facts vary with a hash of its code, so that some
-- units miss a criterion (not registered, households not all registered, the security force not
-- rated well, too few sub-units rated good) and scores spread over every band. Two incidents
-- show the exceptions: a serious crime handled promptly (no effect) and one that was not.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO antq.assessment (unit_id, year, registered_on, resolution_on, plan_on, has_party_org, households_total,
       households_registered, staff_total, staff_briefed, active_models, internal_rules, implements_policy,
       parents_board_coordination, crime_count, new_hotspots, new_vice_persons, monitored_managed, force_rating,
       force_disciplined, has_guard_force, police_proactive, offenders_count, subunits_total, subunits_rated_good,
       crime_reports_received, crime_reports_handled, outreach_target, outreach_reached, tipoffs)
SELECT u.unit_id, y.year,
       CASE WHEN v < 3 THEN NULL ELSE make_date(y.year, 2, 1) END,
       make_date(y.year, 1, 15), make_date(y.year, 1, 20), true,
       120 + v, CASE WHEN v BETWEEN 3 AND 7 THEN 118 + v ELSE 120 + v END,
       40 + v, 40 + v, 1 + v % 3, true, true, true,
       8 - (y.year - 2024) - v % 2, 0, 0, true,
       CASE WHEN v BETWEEN 8 AND 10 THEN 'not_completed' ELSE 'completed_well' END, 0, true, true, 0,
       10, CASE WHEN v BETWEEN 11 AND 13 THEN 6 ELSE 7 + v % 4 END,
       20 + v % 7, 20 + v % 7, 500 + 10 * v, 480 + 9 * v, v % 6
  FROM (VALUES (2024), (2025)) AS y(year)
  JOIN antq.unit u ON u.province_code = '08' AND u.kind NOT IN ('province', 'district')
   AND u.valid_from <= make_date(y.year, 10, 31) AND (u.valid_to IS NULL OR u.valid_to > make_date(y.year, 11, 15)),
       LATERAL (SELECT abs(hashtext(u.code || y.year)) % 100 AS v) h;

INSERT INTO antq.score (unit_id, year, item, points)
SELECT a.unit_id, a.year, 'other', 40 + (abs(hashtext(u.code || a.year || 'score')) % 61)
  FROM antq.assessment a JOIN antq.unit u USING (unit_id) WHERE u.kind <> 'agency';
INSERT INTO antq.score (unit_id, year, item, points)
SELECT a.unit_id, a.year, i.item, CASE WHEN i.item = 'other' THEN 40 + (abs(hashtext(u.code || a.year)) % 49) ELSE i.max_points END
  FROM antq.assessment a JOIN antq.unit u USING (unit_id)
  JOIN antq.scoring_item i ON i.sheet_id = 3
 WHERE u.kind = 'agency';

INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, force_majeure, handled_promptly, reference, description)
VALUES ((antq.unit_at('02215-TDP03', '2025-03-02')).unit_id, '2025-03-02', 'crime', 'serious', false, true,
        'CATQ-2025-0117', 'Cố ý gây thương tích, phát hiện và xử lý kịp thời'),
       ((antq.unit_at('02545-TH02', '2025-05-14')).unit_id, '2025-05-14', 'crime', 'serious', false, false,
        'CATQ-2025-0342', 'Trộm cắp tài sản có giá trị lớn');
COMMIT;
-- No refresh here: the commit queued the province-years, and the antq worker recomputes them.
