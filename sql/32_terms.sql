-- The words antq's reasons use (thuật ngữ): the facts of an assessment, the kinds and
-- severities of incidents and the task ratings of a security force, each with a short label in
-- Vietnamese and in English. antq.explain writes its Vietnamese reasons from this one list, so
-- that a fact added to antq.assessment gets its label here (tests/pgtap/reasons.sql fails
-- until it has one); BI tools may join on it for their own labels.
CREATE FUNCTION antq.term_labels()
RETURNS TABLE (domain text, term text, label_vi text, label_en text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES
    ('fact', 'registered_on', 'ngày đăng ký', 'date of registration'),
    ('fact', 'resolution_on', 'ngày ban hành nghị quyết', 'date of the resolution'),
    ('fact', 'plan_on', 'ngày ban hành kế hoạch', 'date of the plan'),
    ('fact', 'has_party_org', 'có tổ chức đảng', 'has a Party organisation'),
    ('fact', 'households_total', 'tổng số hộ gia đình', 'households'),
    ('fact', 'households_registered', 'số hộ đăng ký', 'households registered'),
    ('fact', 'staff_total', 'tổng số cán bộ, công nhân viên, người học', 'staff'),
    ('fact', 'staff_briefed', 'số được phổ biến, quán triệt', 'staff briefed'),
    ('fact', 'active_models', 'số mô hình hoạt động hiệu quả', 'active models'),
    ('fact', 'internal_rules', 'có nội quy, quy chế', 'internal rules issued'),
    ('fact', 'implements_policy', 'thực hiện tốt chủ trương, chính sách, pháp luật', 'implements policy and law'),
    ('fact', 'parents_board_coordination', 'phối hợp với ban đại diện cha mẹ học sinh', 'coordinates with the parents'' board'),
    ('fact', 'crime_count', 'số vụ tội phạm, tệ nạn xã hội', 'crime and social-evil cases'),
    ('fact', 'new_hotspots', 'số tụ điểm phức tạp mới phát sinh', 'new hotspots'),
    ('fact', 'new_vice_persons', 'số người mắc tệ nạn xã hội mới', 'new persons with a social vice'),
    ('fact', 'monitored_managed', 'quản lý, giáo dục tốt đối tượng', 'monitored persons properly managed'),
    ('fact', 'force_rating', 'xếp loại lực lượng nòng cốt, bảo vệ', 'security force rating'),
    ('fact', 'force_disciplined', 'số bị kỷ luật từ khiển trách trở lên', 'force members disciplined'),
    ('fact', 'has_guard_force', 'có lực lượng bảo vệ', 'has a guard force'),
    ('fact', 'police_proactive', 'công an xã chủ động tham mưu, xử lý', 'commune police proactive'),
    ('fact', 'offenders_count', 'số vi phạm pháp luật, bị kỷ luật', 'offenders'),
    ('fact', 'subunits_total', 'số đơn vị trực thuộc', 'sub-units'),
    ('fact', 'subunits_rated_good', 'số đơn vị trực thuộc đạt tiên tiến, hoàn thành tốt', 'sub-units rated good'),
    ('fact', 'crime_reports_received', 'số tin báo, tố giác tội phạm tiếp nhận', 'crime reports received'),
    ('fact', 'crime_reports_handled', 'số tin báo, tố giác tội phạm đã giải quyết', 'crime reports handled'),
    ('fact', 'outreach_target', 'số người cần tuyên truyền', 'outreach target'),
    ('fact', 'outreach_reached', 'số người được tuyên truyền', 'people reached'),
    ('fact', 'traffic_accidents', 'số vụ tai nạn giao thông', 'traffic accidents'),
    ('fact', 'traffic_deaths', 'số người chết do tai nạn giao thông', 'traffic deaths'),
    ('fact', 'traffic_injuries', 'số người bị thương do tai nạn giao thông', 'traffic injuries'),
    ('fact', 'tipoffs', 'số tin báo của quần chúng', 'tip-offs from residents'),
    ('incident_kind', 'anti_state', 'hoạt động chống Đảng, Nhà nước, phá hoại khối đại đoàn kết', 'activity against the Party or the State'),
    ('incident_kind', 'sabotage', 'phá hoại mục tiêu, công trình trọng điểm', 'sabotage of key targets'),
    ('incident_kind', 'illegal_religion', 'truyền đạo, hoạt động tín ngưỡng, tôn giáo trái pháp luật', 'illegal religious activity'),
    ('incident_kind', 'exploiting_grievances', 'lợi dụng tôn giáo, dân tộc, tranh chấp, khiếu kiện gây mất an ninh', 'exploiting grievances'),
    ('incident_kind', 'separatism', 'hoạt động ly khai, tự trị', 'separatism'),
    ('incident_kind', 'prolonged_dispute', 'tranh chấp, mâu thuẫn phức tạp kéo dài', 'prolonged dispute'),
    ('incident_kind', 'inciting_crowds', 'kích động tụ tập đông người, khiếu kiện, gây rối', 'inciting crowds'),
    ('incident_kind', 'illegal_strike', 'đình công, lãn công trái pháp luật', 'illegal strike'),
    ('incident_kind', 'crime', 'tội phạm', 'crime'),
    ('incident_kind', 'state_secret_breach', 'vi phạm quy định bảo vệ bí mật nhà nước', 'breach of state secrets'),
    ('incident_kind', 'serious_fire_explosion', 'cháy, nổ nghiêm trọng', 'serious fire or explosion'),
    ('incident_kind', 'fatal_workplace_accident', 'tai nạn lao động chết người', 'fatal workplace accident'),
    ('incident_kind', 'serious_incident', 'sự cố nghiêm trọng', 'serious incident'),
    ('incident_kind', 'environment_food_breach', 'vi phạm môi trường, an toàn thực phẩm gây hậu quả nghiêm trọng', 'environmental or food-safety breach'),
    ('incident_kind', 'staff_penalized', 'cán bộ bị xử lý vi phạm về an ninh, trật tự, tệ nạn xã hội', 'staff penalized'),
    ('incident_kind', 'school_violence', 'bạo lực học đường', 'school violence'),
    ('severity', 'less_serious', 'ít nghiêm trọng', 'less serious'),
    ('severity', 'serious', 'nghiêm trọng', 'serious'),
    ('severity', 'very_serious', 'rất nghiêm trọng', 'very serious'),
    ('severity', 'especially_serious', 'đặc biệt nghiêm trọng', 'especially serious'),
    ('force_rating', 'not_completed', 'không hoàn thành nhiệm vụ', 'not completed'),
    ('force_rating', 'completed', 'hoàn thành nhiệm vụ', 'completed'),
    ('force_rating', 'completed_well', 'hoàn thành tốt nhiệm vụ', 'completed well'),
    ('force_rating', 'completed_excellently', 'hoàn thành xuất sắc nhiệm vụ', 'completed excellently')
$$;
COMMENT ON FUNCTION antq.term_labels() IS
  'The words of antq''s reasons (thuật ngữ): each fact of an assessment (domain fact), incident kind, crime severity and security-force task rating (force_rating) with its short label in Vietnamese (label_vi) and English (label_en), as antq.explain and antq.explain_unit write them.';
