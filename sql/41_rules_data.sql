-- The rules the extension ships (dữ liệu tiêu chí gốc), all with shipped = true:
--   * Circular 124/2021/TT-BCA, from 2022: residential areas (5 criteria), communes (4), agencies
--     and enterprises (5), schools (6), read as facts as docs/domain.md describes;
--   * Circular 23/2012/TT-BCA, up to 2021: the commune set (its other sets are not available);
--   * the model-unit sets of Decision 9745/QĐ-BCA-V05, from 2023: communes (34), agencies,
--     enterprises and schools (14), as recorded checks; only the first criteria's text is known;
--   * classification sheets of Decision 510/QĐ-BCA-V05, from 2022, with the default bands
--     (Xuất sắc >= 90, Khá >= 70, Trung bình >= 50, else Yếu) and the default cap (a unit that
--     did not meet the safe standard is at most Trung bình). Bands and cap are documented
--     defaults, not known rules: a province overrides them with a sheet of its own.
-- Where the text of a criterion or item is not known, its title says so.

INSERT INTO antq.criteria_set (set_id, standard, unit_kind, first_year, last_year, title, legal_basis, shipped) VALUES
  ('tt124-residential_area', 'safe', 'residential_area', 2022, NULL, 'Safe residential area (khu dân cư đạt tiêu chuẩn an toàn về an ninh, trật tự), Art. 5', 'Thông tư 124/2021/TT-BCA', true),
  ('tt124-commune', 'safe', 'commune', 2022, NULL, 'Safe commune, ward, town (xã, phường, thị trấn đạt tiêu chuẩn an toàn về an ninh, trật tự)', 'Thông tư 124/2021/TT-BCA', true),
  ('tt124-agency', 'safe', 'agency', 2022, NULL, 'Safe agency (cơ quan đạt tiêu chuẩn an toàn về an ninh, trật tự), Art. 6', 'Thông tư 124/2021/TT-BCA', true),
  ('tt124-enterprise', 'safe', 'enterprise', 2022, NULL, 'Safe enterprise (doanh nghiệp đạt tiêu chuẩn an toàn về an ninh, trật tự), Art. 6', 'Thông tư 124/2021/TT-BCA', true),
  ('tt124-school', 'safe', 'school', 2022, NULL, 'Safe school (cơ sở giáo dục đạt tiêu chuẩn an toàn về an ninh, trật tự), Art. 7', 'Thông tư 124/2021/TT-BCA', true),
  ('tt23-commune', 'safe', 'commune', NULL, 2021, 'Safe commune, ward, town under the 2012 circular (xã, phường, thị trấn đạt tiêu chuẩn an toàn về an ninh, trật tự)', 'Thông tư 23/2012/TT-BCA', true),
  ('model-commune', 'model', 'commune', 2023, NULL, 'Model commune, ward, special zone (xã, phường, đặc khu điển hình tiên tiến), 34 provisional criteria', 'Quyết định 9745/QĐ-BCA-V05; Kế hoạch 612/KH-BCA', true),
  ('model-agency', 'model', 'agency', 2023, NULL, 'Model agency (cơ quan điển hình tiên tiến), 14 criteria', 'Quyết định 9745/QĐ-BCA-V05; Hướng dẫn 851/HD-BCĐ (Phú Thọ)', true),
  ('model-enterprise', 'model', 'enterprise', 2023, NULL, 'Model enterprise (doanh nghiệp điển hình tiên tiến), 14 criteria', 'Quyết định 9745/QĐ-BCA-V05; Hướng dẫn 851/HD-BCĐ (Phú Thọ)', true),
  ('model-school', 'model', 'school', 2023, NULL, 'Model school (cơ sở giáo dục điển hình tiên tiến), 14 criteria', 'Quyết định 9745/QĐ-BCA-V05; Hướng dẫn 851/HD-BCĐ (Phú Thọ)', true);

-- Residential area, Circular 124 Art. 5.
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, fact2, threshold, incident_kinds, min_severity,
                            except_force_majeure, except_handled_promptly, level, shipped)
SELECT 'tt124-residential_area', c.* , true FROM (VALUES
  ('1-registration', 1, 'Registration to build a safe residential area in Q1 (đăng ký trong quý I)', 'date_in_q1', 'registered_on', NULL, NULL::numeric, NULL::text[], NULL, false, false, NULL),
  ('1-resolution', 1, 'Party cell resolution on security and order in Q1 (nghị quyết chi bộ trong quý I)', 'date_in_q1', 'resolution_on', NULL, NULL, NULL, NULL, false, false, NULL),
  ('1-households', 1, '100% of resident households registered (100% hộ gia đình đăng ký)', 'ratio_at_least', 'households_registered', 'households_total', 1, NULL, NULL, false, false, NULL),
  ('2', 2, 'Implements policy and law on security and order (thực hiện tốt chủ trương, chính sách, pháp luật)', 'fact_true', 'implements_policy', NULL, NULL, NULL, NULL, false, false, NULL),
  ('3', 3, 'None of events 3a–3g: activity against the Party or State, sabotage, illegal religion, exploiting religion, ethnicity, disputes or complaints, separatism, prolonged disputes, inciting crowds', 'no_incident', NULL, NULL, NULL,
        ARRAY['anti_state', 'sabotage', 'illegal_religion', 'exploiting_grievances', 'separatism', 'prolonged_dispute', 'inciting_crowds'], NULL, false, false, NULL),
  ('4a', 4, 'Crime and social evils no higher than the previous year (tội phạm, tệ nạn xã hội không tăng so với năm trước)', 'not_above_last_year', 'crime_count', NULL, NULL, NULL, NULL, false, false, NULL),
  ('4b', 4, 'No crime of serious severity or above, except force majeure or detected and handled promptly (không để xảy ra tội phạm nghiêm trọng trở lên)', 'no_incident', NULL, NULL, NULL, ARRAY['crime'], 'serious', true, true, NULL),
  ('4c-hotspots', 4, 'No new crime or social-evil hotspot (không phát sinh tụ điểm phức tạp)', 'count_at_most', 'new_hotspots', NULL, 0, NULL, NULL, false, false, NULL),
  ('4c-vice', 4, 'No new person with a social vice (không phát sinh người mắc tệ nạn xã hội mới)', 'count_at_most', 'new_vice_persons', NULL, 0, NULL, NULL, false, false, NULL),
  ('4c-monitored', 4, 'Persons under monitoring properly managed (quản lý, giáo dục tốt đối tượng)', 'fact_true', 'monitored_managed', NULL, NULL, NULL, NULL, false, false, NULL),
  ('4d', 4, 'No serious fire or explosion, fatal workplace accident or serious incident, force majeure excepted (không để xảy ra cháy, nổ, tai nạn lao động chết người, sự cố nghiêm trọng)', 'no_incident', NULL, NULL, NULL,
        ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident'], NULL, true, false, NULL),
  ('5-rating', 5, 'Grassroots security force rated "task completed" or better (lực lượng nòng cốt xếp loại hoàn thành nhiệm vụ trở lên)', 'rating_at_least', 'force_rating', NULL, NULL, NULL, NULL, false, false, 'completed'),
  ('5-discipline', 5, 'No member of the force disciplined (không có thành viên bị kỷ luật)', 'count_at_most', 'force_disciplined', NULL, 0, NULL, NULL, false, false, NULL)
) AS c;

-- Commune, Circular 124; criterion 2 applies residential-area criteria 2–4 to the commune's
-- territory (its own incidents and those of every unit lying in it).
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, fact2, threshold, incident_kinds, min_severity,
                            except_force_majeure, except_handled_promptly, level, unit_kinds, shipped)
SELECT 'tt124-commune', c.*, true FROM (VALUES
  ('1-resolution', 1, 'Party committee resolution on security and order in Q1 (nghị quyết của đảng ủy trong quý I)', 'date_in_q1', 'resolution_on', NULL, NULL::numeric, NULL::text[], NULL, false, false, NULL, NULL::text[]),
  ('1-plan', 1, 'People''s Committee security and order plan in Q1 (kế hoạch của Ủy ban nhân dân trong quý I)', 'date_in_q1', 'plan_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-registration', 1, 'Registration in Q1 (đăng ký trong quý I)', 'date_in_q1', 'registered_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-models', 1, 'At least one effective movement model built or maintained (ít nhất một mô hình hiệu quả)', 'count_at_least', 'active_models', NULL, 1, NULL, NULL, false, false, NULL, NULL),
  ('2-policy', 2, 'Residential-area criterion 2 on the commune''s territory: implements policy and law', 'fact_true', 'implements_policy', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-3', 2, 'Residential-area criterion 3 on the commune''s territory: none of events 3a–3g', 'no_incident', NULL, NULL, NULL,
        ARRAY['anti_state', 'sabotage', 'illegal_religion', 'exploiting_grievances', 'separatism', 'prolonged_dispute', 'inciting_crowds'], NULL, false, false, NULL, NULL),
  ('2-4a', 2, 'Residential-area criterion 4a on the commune''s territory: crime and social evils no higher than the previous year', 'not_above_last_year', 'crime_count', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-4b', 2, 'Residential-area criterion 4b on the commune''s territory: no crime of serious severity or above, except force majeure or handled promptly', 'no_incident', NULL, NULL, NULL, ARRAY['crime'], 'serious', true, true, NULL, NULL),
  ('2-4c-hotspots', 2, 'Residential-area criterion 4c on the commune''s territory: no new hotspot', 'count_at_most', 'new_hotspots', NULL, 0, NULL, NULL, false, false, NULL, NULL),
  ('2-4c-vice', 2, 'Residential-area criterion 4c on the commune''s territory: no new person with a social vice', 'count_at_most', 'new_vice_persons', NULL, 0, NULL, NULL, false, false, NULL, NULL),
  ('2-4c-monitored', 2, 'Residential-area criterion 4c on the commune''s territory: monitored persons properly managed', 'fact_true', 'monitored_managed', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-4d', 2, 'Residential-area criterion 4d on the commune''s territory: no serious fire, fatal workplace accident or serious incident, force majeure excepted', 'no_incident', NULL, NULL, NULL,
        ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident'], NULL, true, false, NULL, NULL),
  ('3-proactive', 3, 'Commune police proactive (công an xã chủ động tham mưu, xử lý)', 'fact_true', 'police_proactive', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('3-discipline', 3, 'No commune police officer disciplined (không có cán bộ bị kỷ luật)', 'count_at_most', 'force_disciplined', NULL, 0, NULL, NULL, false, false, NULL, NULL),
  ('4-registered', 4, '100% of the residential areas, agencies, enterprises and schools under its authority registered (100% đăng ký)', 'units_registered', NULL, NULL, 1, NULL, NULL, false, false, NULL,
        ARRAY['residential_area', 'agency', 'enterprise', 'school']),
  ('4-recognized', 4, 'At least 70% of them recognized safe (ít nhất 70% được công nhận đạt tiêu chuẩn an toàn)', 'units_recognized', NULL, NULL, 0.7, NULL, NULL, false, false, NULL,
        ARRAY['residential_area', 'agency', 'enterprise', 'school'])
) AS c;

-- Commune, Circular 23/2012 (years up to 2021). Criterion 2 refers to the residential-area
-- criteria 2–4 of that circular, whose text is not available: they are read here as Circular 124
-- reads them, and the titles say so.
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, fact2, threshold, incident_kinds, min_severity,
                            except_force_majeure, except_handled_promptly, level, unit_kinds, shipped)
SELECT 'tt23-commune', c.*, true FROM (VALUES
  ('1-resolution', 1, 'Annual Party resolution on security and order (nghị quyết hằng năm), in Q1', 'date_in_q1', 'resolution_on', NULL, NULL::numeric, NULL::text[], NULL, false, false, NULL, NULL::text[]),
  ('1-plan', 1, 'People''s Committee plan (kế hoạch của Ủy ban nhân dân), in Q1', 'date_in_q1', 'plan_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-registration', 1, 'Registration (đăng ký), in Q1', 'date_in_q1', 'registered_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-policy', 2, 'Residential-area criterion 2 (exact 2012 text not available; read as Circular 124): implements policy and law', 'fact_true', 'implements_policy', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-3', 2, 'Residential-area criterion 3 (exact 2012 text not available; read as Circular 124): none of events 3a–3g', 'no_incident', NULL, NULL, NULL,
        ARRAY['anti_state', 'sabotage', 'illegal_religion', 'exploiting_grievances', 'separatism', 'prolonged_dispute', 'inciting_crowds'], NULL, false, false, NULL, NULL),
  ('2-4a', 2, 'Residential-area criterion 4 (exact 2012 text not available; read as Circular 124 4a): crime no higher than the previous year', 'not_above_last_year', 'crime_count', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('2-4b', 2, 'Residential-area criterion 4 (exact 2012 text not available; read as Circular 124 4b): no serious crime or above, with its exceptions', 'no_incident', NULL, NULL, NULL, ARRAY['crime'], 'serious', true, true, NULL, NULL),
  ('3-rating', 3, 'Commune police and ward protection force rated "advanced unit" or better (đơn vị tiên tiến trở lên)', 'rating_at_least', 'force_rating', NULL, NULL, NULL, NULL, false, false, 'completed_well', NULL),
  ('3-discipline', 3, 'Nobody disciplined at "warning" or above (không có ai bị kỷ luật từ cảnh cáo trở lên)', 'count_at_most', 'force_disciplined', NULL, 0, NULL, NULL, false, false, NULL, NULL),
  ('4', 4, 'At least 70% of residential areas recognized safe (ít nhất 70% khu dân cư đạt tiêu chuẩn an toàn)', 'units_recognized', NULL, NULL, 0.7, NULL, NULL, false, false, NULL, ARRAY['residential_area'])
) AS c;

-- Agency and enterprise, Circular 124 Art. 6 (the same criteria).
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, fact2, threshold, incident_kinds, min_severity,
                            except_force_majeure, except_handled_promptly, level, applies_if, shipped)
SELECT k.set_id, c.*, true FROM (VALUES ('tt124-agency'), ('tt124-enterprise')) AS k(set_id), (VALUES
  ('1-resolution', 1, 'Party resolution on security and order in Q1, where a Party organisation exists (nghị quyết trong quý I)', 'date_in_q1', 'resolution_on', NULL, NULL::numeric, NULL::text[], NULL, false, false, NULL, 'has_party_org'),
  ('1-plan', 1, 'Security and order plan in Q1 (kế hoạch trong quý I)', 'date_in_q1', 'plan_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-registration', 1, 'Registration in Q1 (đăng ký trong quý I)', 'date_in_q1', 'registered_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-rules', 1, 'Internal rules on premises, state secrets, internal security, labour safety, fire and environment (nội quy, quy chế)', 'fact_true', 'internal_rules', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('1-briefed', 1, '100% of staff briefed (100% cán bộ, công nhân viên được quán triệt)', 'ratio_at_least', 'staff_briefed', 'staff_total', 1, NULL, NULL, false, false, NULL, NULL),
  ('1-models', 1, 'At least one movement model (ít nhất một mô hình)', 'count_at_least', 'active_models', NULL, 1, NULL, NULL, false, false, NULL, NULL),
  ('2', 2, 'Implements policy and law and coordination plans with the police (thực hiện chủ trương, chính sách, pháp luật, quy chế phối hợp)', 'fact_true', 'implements_policy', NULL, NULL, NULL, NULL, false, false, NULL, NULL),
  ('3', 3, 'None of events 3a–3e, 3h: illegal religion, exploiting religion, ethnicity or disputes, inciting mass complaints, illegal strikes, breach of state secrets, staff penalized', 'no_incident', NULL, NULL, NULL,
        ARRAY['illegal_religion', 'exploiting_grievances', 'inciting_crowds', 'illegal_strike', 'state_secret_breach', 'staff_penalized'], NULL, false, false, NULL, NULL),
  ('3đ', 3, 'No crime of serious severity or above, except force majeure or handled promptly (3đ)', 'no_incident', NULL, NULL, NULL, ARRAY['crime'], 'serious', true, true, NULL, NULL),
  ('3g', 3, 'No serious fire or explosion, fatal workplace accident, serious incident, or environmental or food-safety breach with serious consequences (3g)', 'no_incident', NULL, NULL, NULL,
        ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident', 'environment_food_breach'], NULL, false, false, NULL, NULL),
  ('4-rating', 4, 'Security guard force rated "advanced collective" / "task completed well" or better (tập thể tiên tiến, hoàn thành tốt nhiệm vụ)', 'rating_at_least', 'force_rating', NULL, NULL, NULL, NULL, false, false, 'completed_well', NULL),
  ('4-discipline', 4, 'Nobody disciplined at "warning" or above (không có ai bị kỷ luật từ cảnh cáo trở lên)', 'count_at_most', 'force_disciplined', NULL, 0, NULL, NULL, false, false, NULL, NULL),
  ('5', 5, 'At least 70% of sub-units rated advanced or task completed well (ít nhất 70% đơn vị trực thuộc)', 'ratio_at_least', 'subunits_rated_good', 'subunits_total', 0.7, NULL, NULL, false, false, NULL, NULL)
) AS c;

-- School, Circular 124 Art. 7.
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, fact, fact2, threshold, incident_kinds, min_severity,
                            except_force_majeure, except_handled_promptly, level, applies_if, applies_sub_kinds, shipped)
SELECT 'tt124-school', c.*, true FROM (VALUES
  ('1-resolution', 1, 'Party resolution on security and order in Q1, where a Party organisation exists (nghị quyết trong quý I)', 'date_in_q1', 'resolution_on', NULL, NULL::numeric, NULL::text[], NULL, false, false, NULL, 'has_party_org', NULL::text[]),
  ('1-plan', 1, 'Security and order plan in Q1 (kế hoạch trong quý I)', 'date_in_q1', 'plan_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL),
  ('1-registration', 1, 'Registration in Q1 (đăng ký trong quý I)', 'date_in_q1', 'registered_on', NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL),
  ('1-rules', 1, 'Internal rules covering staff and learners (nội quy, quy chế)', 'fact_true', 'internal_rules', NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL),
  ('1-briefed', 1, '100% of staff, teachers and learners briefed (100% cán bộ, giáo viên, người học được quán triệt)', 'ratio_at_least', 'staff_briefed', 'staff_total', 1, NULL, NULL, false, false, NULL, NULL, NULL),
  ('1-models', 1, 'At least one movement model (ít nhất một mô hình)', 'count_at_least', 'active_models', NULL, 1, NULL, NULL, false, false, NULL, NULL, NULL),
  ('2-policy', 2, 'Implements policy and law and coordination plans with the police (thực hiện chủ trương, chính sách, pháp luật, quy chế phối hợp)', 'fact_true', 'implements_policy', NULL, NULL, NULL, NULL, false, false, NULL, NULL, NULL),
  ('2-parents', 2, 'General-education school coordinates with the parents'' board (phối hợp với ban đại diện cha mẹ học sinh)', 'fact_true', 'parents_board_coordination', NULL, NULL, NULL, NULL, false, false, NULL, NULL,
        ARRAY['lower_secondary', 'upper_secondary', 'multi_level']),
  ('3', 3, 'None of Art. 6 events a, b, c, e: illegal religion, exploiting religion, ethnicity or disputes, inciting mass complaints, breach of state secrets', 'no_incident', NULL, NULL, NULL,
        ARRAY['illegal_religion', 'exploiting_grievances', 'inciting_crowds', 'state_secret_breach'], NULL, false, false, NULL, NULL, NULL),
  ('3đ', 3, 'No crime of serious severity or above, except force majeure or handled promptly (Art. 6 đ)', 'no_incident', NULL, NULL, NULL, ARRAY['crime'], 'serious', true, true, NULL, NULL, NULL),
  ('3g', 3, 'No serious fire or explosion, fatal workplace accident, serious incident, or environmental or food-safety breach with serious consequences (Art. 6 g)', 'no_incident', NULL, NULL, NULL,
        ARRAY['serious_fire_explosion', 'fatal_workplace_accident', 'serious_incident', 'environment_food_breach'], NULL, false, false, NULL, NULL, NULL),
  ('4-violence', 4, 'No school violence (không để xảy ra bạo lực học đường)', 'no_incident', NULL, NULL, NULL, ARRAY['school_violence'], NULL, false, false, NULL, NULL, NULL),
  ('4-offenders', 4, 'No staff or learner committing a crime or disciplined at "warning" or above (không có cán bộ, người học phạm tội, bị kỷ luật)', 'count_at_most', 'offenders_count', NULL, 0, NULL, NULL, false, false, NULL, NULL, NULL),
  ('5-rating', 5, 'Security guard force rated "advanced collective" / "task completed well" or better, where the school has one (lực lượng bảo vệ)', 'rating_at_least', 'force_rating', NULL, NULL, NULL, NULL, false, false, 'completed_well', 'has_guard_force', NULL),
  ('5-discipline', 5, 'Nobody in the guard force disciplined at "warning" or above, where the school has one', 'count_at_most', 'force_disciplined', NULL, 0, NULL, NULL, false, false, NULL, 'has_guard_force', NULL),
  ('6', 6, 'At least 70% of sub-units rated advanced or task completed well (ít nhất 70% đơn vị trực thuộc)', 'ratio_at_least', 'subunits_rated_good', 'subunits_total', 0.7, NULL, NULL, false, false, NULL, NULL, NULL)
) AS c;

-- Model units: each criterion is a check recorded by assessors (antq.model_check).
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, shipped)
SELECT 'model-commune', n::text, n,
       CASE n WHEN 1 THEN 'Group 1 (leadership of the Party committee and government), criterion 1: thorough implementation of policy and directives (quán triệt, triển khai chủ trương, chỉ thị)'
              WHEN 2 THEN 'Group 1, criterion 2: Q1 resolution, plan and steering-committee programme (nghị quyết, kế hoạch, chương trình trong quý I)'
              ELSE format('Model commune criterion %s (text not available to us; Quyết định 9745/QĐ-BCA-V05)', n) END,
       'check_met', true
  FROM generate_series(1, 34) AS n;
INSERT INTO antq.criterion (set_id, label, criterion_no, title, form, shipped)
SELECT k.set_id, n::text, n,
       CASE n WHEN 1 THEN 'Group 1 (leadership of the movement), criterion 1: carrying policy and directives down to every department and team (quán triệt đến từng phòng, ban, tổ, đội)'
              ELSE format('Model agency, enterprise and school criterion %s (text not available to us; Quyết định 9745/QĐ-BCA-V05)', n) END,
       'check_met', true
  FROM (VALUES ('model-agency'), ('model-enterprise'), ('model-school')) AS k(set_id), generate_series(1, 14) AS n;

-- Classification sheets (Decision 510/QĐ-BCA-V05, from 2022).
INSERT INTO antq.scoring_sheet (sheet_id, unit_kind, first_year, title, legal_basis, shipped) VALUES
  (1, 'residential_area', 2022, 'Classification sheet of residential areas (bảng chấm điểm phân loại khu dân cư)', 'Quyết định 510/QĐ-BCA-V05', true),
  (2, 'commune', 2022, 'Classification sheet of communes (bảng chấm điểm phân loại xã, phường, đặc khu)', 'Quyết định 510/QĐ-BCA-V05', true),
  (3, 'agency', 2022, 'Classification sheet of agencies (bảng chấm điểm phân loại cơ quan)', 'Quyết định 510/QĐ-BCA-V05', true),
  (4, 'enterprise', 2022, 'Classification sheet of enterprises (bảng chấm điểm phân loại doanh nghiệp)', 'Quyết định 510/QĐ-BCA-V05', true),
  (5, 'school', 2022, 'Classification sheet of schools (bảng chấm điểm phân loại cơ sở giáo dục)', 'Quyết định 510/QĐ-BCA-V05', true),
  (6, 'district', 2022, 'Classification sheet of districts (bảng chấm điểm phân loại huyện, quận)', 'Quyết định 510/QĐ-BCA-V05', true);

INSERT INTO antq.scoring_item (sheet_id, item, title, max_points, shipped) VALUES
  (3, '1', 'Q1 resolution and plan, and reporting (nghị quyết, kế hoạch quý I và báo cáo)', 3, true),
  (3, '2', 'Outreach reaching at least 90% of members, staff, workers and students (tuyên truyền đạt ít nhất 90%)', 3, true),
  (3, '3', 'Taking part in the 19 August festival and steering-committee topics (tham gia ngày hội 19/8)', 5, true),
  (3, '4', 'Coordination rules with local government and police (quy chế phối hợp)', 1, true),
  (3, 'other', 'The sheet''s other items (text not available to us; Quyết định 510/QĐ-BCA-V05), together', 88, true);
INSERT INTO antq.scoring_item (sheet_id, item, title, max_points, shipped)
SELECT s, 'other', 'The sheet''s items (text not available to us; Quyết định 510/QĐ-BCA-V05), together', 100, true
  FROM (VALUES (1), (2), (4), (5), (6)) AS v(s);

INSERT INTO antq.rating_band (sheet_id, rating, min_score, max_score, shipped)
SELECT s, b.rating::antq.rating, b.min_score, b.max_score, true
  FROM generate_series(1, 6) AS s,
       (VALUES (1, 0, 50), (2, 50, 70), (3, 70, 90), (4, 90, NULL)) AS b(rating, min_score, max_score);
