-- Fact tables (số liệu) that provincial systems write: one assessment per unit and year, dated
-- incidents, classification-sheet points, model-unit checks, official decisions and the units
-- selected for the model-unit programme. Every table
-- has unit_id and either year or (incidents) occurred_on, so that change capture can find the
-- (province, year) a row touches. Natural keys make INSERT ... ON CONFLICT resends safe.
-- The checks with readable messages are triggers in 31_facts_rules.sql.

CREATE TABLE antq.assessment (
    unit_id                bigint  NOT NULL REFERENCES antq.unit (unit_id),
    year                   integer NOT NULL,
    registered_on          date,
    resolution_on          date,
    plan_on                date,
    has_party_org          boolean,
    households_total       integer,
    households_registered  integer,
    staff_total            integer,
    staff_briefed          integer,
    active_models          integer,
    internal_rules         boolean,
    implements_policy      boolean,
    parents_board_coordination boolean,
    crime_count            integer,
    new_hotspots           integer,
    new_vice_persons       integer,
    monitored_managed      boolean,
    force_rating           text,
    force_disciplined      integer,
    has_guard_force        boolean,
    police_proactive       boolean,
    offenders_count        integer,
    subunits_total         integer,
    subunits_rated_good    integer,
    crime_reports_received integer,
    crime_reports_handled  integer,
    outreach_target        integer,
    outreach_reached       integer,
    traffic_accidents      integer,
    traffic_deaths         integer,
    traffic_injuries       integer,
    tipoffs                integer,
    extra                  jsonb,
    PRIMARY KEY (unit_id, year)
);
COMMENT ON TABLE antq.assessment IS
  'Yearly assessment of a unit (số liệu đánh giá hằng năm): one row per unit version and year with the typed facts the criteria read, plus extra for criteria a province adds.';
COMMENT ON COLUMN antq.assessment.unit_id IS 'Version of the unit assessed (đơn vị), antq.unit.unit_id: the version of its code taking part in the year. A row written on another version of the code is stored on that one, and moves when the registry changes (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.assessment.year IS 'Year assessed (năm đánh giá).';
COMMENT ON COLUMN antq.assessment.registered_on IS 'Date the unit registered for the movement (ngày đăng ký xây dựng đạt chuẩn an toàn); criterion 1 wants it in Q1.';
COMMENT ON COLUMN antq.assessment.resolution_on IS 'Date of the Party resolution on security and order (ngày ban hành nghị quyết của chi bộ/đảng ủy); criterion 1 wants it in Q1.';
COMMENT ON COLUMN antq.assessment.plan_on IS 'Date of the security and order plan (ngày ban hành kế hoạch); criterion 1 wants it in Q1.';
COMMENT ON COLUMN antq.assessment.has_party_org IS 'The agency or enterprise has a Party organisation (có tổ chức đảng); without one its resolution is not applicable.';
COMMENT ON COLUMN antq.assessment.households_total IS 'Resident households of a residential area (tổng số hộ gia đình).';
COMMENT ON COLUMN antq.assessment.households_registered IS 'Households that signed the registration (số hộ đăng ký); 100% required.';
COMMENT ON COLUMN antq.assessment.staff_total IS 'Staff (and, for schools, teachers and learners) to be briefed (tổng số cán bộ, công nhân viên, người học).';
COMMENT ON COLUMN antq.assessment.staff_briefed IS 'Of those, briefed on the movement (số được phổ biến, quán triệt); 100% required.';
COMMENT ON COLUMN antq.assessment.active_models IS 'Movement models built or maintained and effective (số mô hình phong trào hoạt động hiệu quả).';
COMMENT ON COLUMN antq.assessment.internal_rules IS 'Internal rules on premises, secrets, internal security, labour safety, fire and environment issued (có nội quy, quy chế).';
COMMENT ON COLUMN antq.assessment.implements_policy IS 'Assessor''s finding: implements policy and law on security and order and the coordination plans (thực hiện tốt chủ trương, chính sách, pháp luật).';
COMMENT ON COLUMN antq.assessment.parents_board_coordination IS 'General-education school coordinates with the parents'' board (phối hợp với ban đại diện cha mẹ học sinh).';
COMMENT ON COLUMN antq.assessment.crime_count IS 'Crime and social-evil cases in the year (số vụ tội phạm, tệ nạn xã hội); compared with the previous year.';
COMMENT ON COLUMN antq.assessment.new_hotspots IS 'New crime or social-evil hotspots (tụ điểm phức tạp mới phát sinh).';
COMMENT ON COLUMN antq.assessment.new_vice_persons IS 'New persons with a social vice (người mắc tệ nạn xã hội mới).';
COMMENT ON COLUMN antq.assessment.monitored_managed IS 'Persons under monitoring properly managed and educated (quản lý, giáo dục tốt đối tượng).';
COMMENT ON COLUMN antq.assessment.force_rating IS
  'Task rating of the security force (xếp loại lực lượng nòng cốt/bảo vệ): not_completed < completed < completed_well < completed_excellently; "advanced collective" counts as completed_well.';
COMMENT ON COLUMN antq.assessment.force_disciplined IS 'Members of the security force (or police officers) disciplined at warning or above (số bị kỷ luật từ khiển trách trở lên).';
COMMENT ON COLUMN antq.assessment.has_guard_force IS 'The school has a security guard force (có lực lượng bảo vệ); without one school criterion 5 is not applicable.';
COMMENT ON COLUMN antq.assessment.police_proactive IS 'Commune police proactive in advising and handling (công an xã chủ động tham mưu, xử lý).';
COMMENT ON COLUMN antq.assessment.offenders_count IS 'Staff or learners who committed a crime or were disciplined at warning or above (số vi phạm pháp luật, bị kỷ luật).';
COMMENT ON COLUMN antq.assessment.subunits_total IS 'Sub-units: departments, teams, faculties (số phòng, ban, đơn vị trực thuộc).';
COMMENT ON COLUMN antq.assessment.subunits_rated_good IS 'Sub-units rated advanced or task completed well (số đơn vị trực thuộc đạt tiên tiến/hoàn thành tốt); at least 70%.';
COMMENT ON COLUMN antq.assessment.crime_reports_received IS 'Crime reports and denunciations received (tin báo, tố giác tội phạm tiếp nhận).';
COMMENT ON COLUMN antq.assessment.crime_reports_handled IS 'Of those, handled (đã giải quyết).';
COMMENT ON COLUMN antq.assessment.outreach_target IS 'People the outreach should reach (đối tượng cần tuyên truyền).';
COMMENT ON COLUMN antq.assessment.outreach_reached IS 'People the outreach reached (số được tuyên truyền).';
COMMENT ON COLUMN antq.assessment.traffic_accidents IS 'Traffic accidents (số vụ tai nạn giao thông).';
COMMENT ON COLUMN antq.assessment.traffic_deaths IS 'Traffic deaths (số người chết do tai nạn giao thông).';
COMMENT ON COLUMN antq.assessment.traffic_injuries IS 'Traffic injuries (số người bị thương do tai nạn giao thông).';
COMMENT ON COLUMN antq.assessment.tipoffs IS 'Tip-offs from residents (tin báo của quần chúng).';
COMMENT ON COLUMN antq.assessment.extra IS 'Further facts a province records for its own criteria (số liệu bổ sung của tỉnh), read by criteria naming extra.<key>.';

CREATE TABLE antq.incident (
    incident_id      bigint  GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    unit_id          bigint  NOT NULL REFERENCES antq.unit (unit_id),
    occurred_on      date    NOT NULL,
    kind             text    NOT NULL,
    severity         text,
    force_majeure    boolean NOT NULL DEFAULT false,
    handled_promptly boolean NOT NULL DEFAULT false,
    reference        text,
    description      text
);
CREATE UNIQUE INDEX incident_reference ON antq.incident (unit_id, reference);
CREATE INDEX incident_unit_date ON antq.incident (unit_id, occurred_on);
COMMENT ON TABLE antq.incident IS
  'Dated events behind the "none of these happened" criteria (vụ việc): which assessment year an event counts for follows the unit kind''s window.';
COMMENT ON COLUMN antq.incident.incident_id IS 'Identifier of the event (mã vụ việc).';
COMMENT ON COLUMN antq.incident.unit_id IS 'Version of the unit where it happened (đơn vị xảy ra): the version of its code in force on occurred_on. A row written on another version of the code is stored on that one, and moves when the registry changes (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.incident.occurred_on IS 'Date it happened (ngày xảy ra).';
COMMENT ON COLUMN antq.incident.kind IS 'Kind of event from the Circular 124/2021/TT-BCA lists (loại vụ việc); see antq.incident_kinds().';
COMMENT ON COLUMN antq.incident.severity IS 'Severity of a crime (mức độ tội phạm): less_serious (ít nghiêm trọng), serious (nghiêm trọng), very_serious (rất nghiêm trọng), especially_serious (đặc biệt nghiêm trọng).';
COMMENT ON COLUMN antq.incident.force_majeure IS 'Caused by force majeure (nguyên nhân bất khả kháng).';
COMMENT ON COLUMN antq.incident.handled_promptly IS 'Detected and handled promptly (phát hiện, xử lý kịp thời).';
COMMENT ON COLUMN antq.incident.reference IS 'The sending system''s own reference (số hiệu vụ việc); unique per unit, the natural key for resends.';
COMMENT ON COLUMN antq.incident.description IS 'Short description (mô tả).';

CREATE TABLE antq.score (
    unit_id bigint  NOT NULL REFERENCES antq.unit (unit_id),
    year    integer NOT NULL,
    item    text    NOT NULL,
    points  numeric NOT NULL,
    PRIMARY KEY (unit_id, year, item)
);
COMMENT ON TABLE antq.score IS 'Classification-sheet points (điểm chấm phân loại phong trào) per unit, year and item.';
COMMENT ON COLUMN antq.score.unit_id IS 'Version of the unit scored (đơn vị): the version of its code taking part in the year; written on another version of the code, stored on that one (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.score.year IS 'Year scored (năm).';
COMMENT ON COLUMN antq.score.item IS 'Item of the scoring sheet (mục chấm điểm), antq.scoring_item.item.';
COMMENT ON COLUMN antq.score.points IS 'Points given (điểm), from 0 to the item''s maximum.';

CREATE TABLE antq.model_check (
    unit_id      bigint  NOT NULL REFERENCES antq.unit (unit_id),
    year         integer NOT NULL,
    criterion_no integer NOT NULL,
    met          boolean NOT NULL,
    note         text,
    PRIMARY KEY (unit_id, year, criterion_no)
);
COMMENT ON TABLE antq.model_check IS 'Model-unit criteria checked by assessors (kết quả kiểm tra tiêu chí điển hình): met or not, per unit, year and criterion number.';
COMMENT ON COLUMN antq.model_check.unit_id IS 'Version of the unit checked (đơn vị): the version of its code taking part in the year; written on another version of the code, stored on that one (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.model_check.year IS 'Year checked (năm).';
COMMENT ON COLUMN antq.model_check.criterion_no IS 'Number of the model criterion (số thứ tự tiêu chí điển hình), 1..34 for communes, 1..14 for agencies, enterprises and schools.';
COMMENT ON COLUMN antq.model_check.met IS 'The criterion is met (đạt).';
COMMENT ON COLUMN antq.model_check.note IS 'Assessor''s note (ghi chú).';

CREATE TABLE antq.decision (
    unit_id    bigint  NOT NULL REFERENCES antq.unit (unit_id),
    year       integer NOT NULL,
    kind       text    NOT NULL,
    met        boolean,
    rating     antq.rating,
    number     text    NOT NULL,
    decided_on date    NOT NULL,
    authority  text    NOT NULL,
    PRIMARY KEY (unit_id, year, kind),
    CONSTRAINT decision_kind_known CHECK (kind IN ('recognition', 'classification', 'model'))
);
COMMENT ON TABLE antq.decision IS
  'Official decisions (quyết định công nhận, xếp loại): recognition as safe, classification of the movement, recognition as a model unit.';
COMMENT ON COLUMN antq.decision.unit_id IS 'Version of the unit decided on (đơn vị): the version of its code taking part in the year; written on another version of the code, stored on that one (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.decision.year IS 'Year the decision is for (năm).';
COMMENT ON COLUMN antq.decision.kind IS 'recognition (công nhận đạt chuẩn an toàn về an ninh, trật tự), classification (xếp loại phong trào) or model (công nhận điển hình).';
COMMENT ON COLUMN antq.decision.met IS 'Recognition and model: recognized (được công nhận) or refused.';
COMMENT ON COLUMN antq.decision.rating IS 'Classification: the level decided (xếp loại): Yếu, Trung bình, Khá, Xuất sắc.';
COMMENT ON COLUMN antq.decision.number IS 'Number of the decision (số quyết định), e.g. 123/QĐ-UBND.';
COMMENT ON COLUMN antq.decision.decided_on IS 'Date of the decision (ngày quyết định).';
COMMENT ON COLUMN antq.decision.authority IS 'Authority that decided (cơ quan quyết định), e.g. UBND xã Tân Trào.';

-- The model-unit programme (chương trình xây dựng điển hình, Decision 9745/QĐ-BCA-V05, Plan
-- 612/KH-BCA): which units the province selected in Q1 to build into model units that year,
-- among those that met the safe standard and were rated Khá or better the year before. The
-- rule is checked when the row is written (antq.model_participation_check, 31_facts_rules.sql);
-- antq.v_model_programme flags a row whose previous year no longer qualifies it.
CREATE TABLE antq.model_participation (
    unit_id         bigint  NOT NULL REFERENCES antq.unit (unit_id),
    year            integer NOT NULL,
    selected_on     date    NOT NULL,
    decision_number text    NOT NULL,
    authority       text,
    PRIMARY KEY (unit_id, year)
);
COMMENT ON TABLE antq.model_participation IS
  'Units taking part in the model-unit programme (đơn vị tham gia xây dựng điển hình) per year, as selected in Q1 by the province (Decision 9745/QĐ-BCA-V05, Plan 612/KH-BCA): only units that met the safe standard and were rated Khá or better the year before (recognized and classified by decision where one is recorded, else as computed) are accepted.';
COMMENT ON COLUMN antq.model_participation.unit_id IS 'Version of the unit selected (đơn vị): the version of its code taking part in the year; written on another version of the code, stored on that one (sql/48_facts_unit.sql).';
COMMENT ON COLUMN antq.model_participation.year IS 'Year of the programme the unit takes part in (năm tham gia).';
COMMENT ON COLUMN antq.model_participation.selected_on IS 'Date of the selection (ngày lựa chọn), normally in Q1 of the year.';
COMMENT ON COLUMN antq.model_participation.decision_number IS 'Decision or plan that selected the unit (số quyết định, kế hoạch lựa chọn), its legal basis, e.g. 45/QĐ-BCĐ.';
COMMENT ON COLUMN antq.model_participation.authority IS 'Authority that selected it (cơ quan lựa chọn), e.g. Ban Chỉ đạo 138 tỉnh.';

-- Facts are the provinces' data: pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('antq.assessment', '');
SELECT pg_catalog.pg_extension_config_dump('antq.incident', '');
SELECT pg_catalog.pg_extension_config_dump('antq.score', '');
SELECT pg_catalog.pg_extension_config_dump('antq.model_check', '');
SELECT pg_catalog.pg_extension_config_dump('antq.decision', '');
SELECT pg_catalog.pg_extension_config_dump('antq.model_participation', '');
SELECT pg_catalog.pg_extension_config_dump('antq.incident_incident_id_seq', '');

GRANT INSERT, UPDATE, DELETE ON antq.assessment, antq.incident, antq.score, antq.model_check, antq.decision,
                                antq.model_participation TO antq_writer;
GRANT USAGE ON SEQUENCE antq.incident_incident_id_seq TO antq_writer;
