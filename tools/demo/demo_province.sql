-- Demo province: Tuyên Quang (08) before and after the reform of 1 July 2025.
-- Province, district and commune codes and names are the real ones; the pre-2025 placement of
-- the communes in two districts is illustrative, and residential areas, agencies, enterprises
-- and schools are made up with the naming conventions provinces use.
\set ON_ERROR_STOP on
BEGIN;

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from)
VALUES ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01');

INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'district', d.sub_kind, d.code, d.name, p.unit_id, '2010-07-02'
  FROM antq.unit p,
       (VALUES ('thanh_pho', '070', 'Thành phố Tuyên Quang'), ('huyen', '076', 'Huyện Sơn Dương')) AS d(sub_kind, code, name)
 WHERE p.code = '08';

-- Communes before the reform (their 2025 seats), each under its district.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'commune', c.sub_kind, c.code, c.name, d.unit_id, '2010-07-02'
  FROM (VALUES ('phuong', '02212', 'Phường Nông Tiến', '070'), ('phuong', '02215', 'Phường Minh Xuân', '070'),
               ('phuong', '02509', 'Phường Mỹ Lâm', '070'), ('phuong', '02512', 'Phường An Tường', '070'),
               ('phuong', '02524', 'Phường Bình Thuận', '070'),
               ('xa', '02536', 'Xã Sơn Dương', '076'), ('xa', '02545', 'Xã Tân Trào', '076'),
               ('xa', '02548', 'Xã Bình Ca', '076'), ('xa', '02554', 'Xã Minh Thanh', '076'),
               ('xa', '02572', 'Xã Đông Thọ', '076')) AS c(sub_kind, code, name, district)
  JOIN antq.unit d ON d.code = c.district;

-- Residential areas: tổ dân phố in wards, thôn in xã.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'residential_area', CASE c.sub_kind WHEN 'phuong' THEN 'to_dan_pho' ELSE 'thon' END,
       c.code || CASE c.sub_kind WHEN 'phuong' THEN '-TDP' ELSE '-TH' END || lpad(n::text, 2, '0'),
       CASE c.sub_kind WHEN 'phuong' THEN 'Tổ dân phố ' ELSE 'Thôn ' END || n, c.unit_id, '2015-01-01'
  FROM antq.unit c, generate_series(1, 4 + (c.code::int % 5)) AS n
 WHERE c.kind = 'commune';

-- Schools (managed by the commune or the province), agencies and enterprises.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from)
SELECT 'school', 'lower_secondary', c.code || '-THCS', 'Trường THCS ' || substr(c.name, strpos(c.name, ' ') + 1), c.unit_id, c.unit_id, '2015-01-01'
  FROM antq.unit c WHERE c.kind = 'commune';
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, managed_by, valid_from)
SELECT 'school', 'upper_secondary', s.code, s.name, c.unit_id, p.unit_id, '2015-01-01'
  FROM (VALUES ('THPT-CTQ', 'Trường THPT Chuyên Tuyên Quang', '02215'), ('THPT-SD', 'Trường THPT Sơn Dương', '02536'),
               ('THPT-TT', 'Trường THPT Tân Trào', '02545')) AS s(code, name, commune)
  JOIN antq.unit c ON c.code = s.commune, antq.unit p WHERE p.code = '08';
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
SELECT 'agency', a.code, a.name, c.unit_id, m.unit_id, '2015-01-01'
  FROM (VALUES ('CQ-KBNN', 'Kho bạc Nhà nước Tuyên Quang', '02215', '08'), ('CQ-BVDK', 'Bệnh viện Đa khoa tỉnh', '02212', '08'),
               ('CQ-TTYT-SD', 'Trung tâm Y tế Sơn Dương', '02536', '02536')) AS a(code, name, commune, manager)
  JOIN antq.unit c ON c.code = a.commune JOIN antq.unit m ON m.code = a.manager;
INSERT INTO antq.unit (kind, code, name, parent_id, managed_by, valid_from)
SELECT 'enterprise', e.code, e.name, c.unit_id, m.unit_id, '2015-01-01'
  FROM (VALUES ('DN-XMTQ', 'Công ty Cổ phần Xi măng Tuyên Quang', '02509', '08'),
               ('DN-GIAY', 'Công ty Cổ phần Giấy An Hòa', '02524', '08'),
               ('DN-CHE-SD', 'Công ty TNHH Chè Sơn Dương', '02548', '02548')) AS e(code, name, commune, manager)
  JOIN antq.unit c ON c.code = e.commune JOIN antq.unit m ON m.code = e.manager;

-- The reform of 1 July 2025 (Nghị quyết 202/2025/QH15, Nghị quyết 1684/NQ-UBTVQH15): the wards
-- of the city merge pairwise, the xã move under the province, the districts close.
SELECT antq.merge_units((antq.unit_at('02215', '2025-06-30')).unit_id, ARRAY[(antq.unit_at('02212', '2025-06-30')).unit_id],
                        '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, p_legal_basis => 'Nghị quyết 1684/NQ-UBTVQH15');
SELECT antq.merge_units((antq.unit_at('02509', '2025-06-30')).unit_id, ARRAY[(antq.unit_at('02512', '2025-06-30')).unit_id],
                        '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, p_legal_basis => 'Nghị quyết 1684/NQ-UBTVQH15');
SELECT antq.reorganize(c.unit_id, '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, p_legal_basis => 'Nghị quyết 1684/NQ-UBTVQH15')
  FROM antq.unit c WHERE c.kind = 'commune' AND c.valid_to IS NULL AND c.code IN ('02524', '02536', '02545', '02548', '02554', '02572')
 ORDER BY c.code;
UPDATE antq.unit SET valid_to = '2025-07-01' WHERE kind = 'district' AND valid_to IS NULL;

COMMIT;
