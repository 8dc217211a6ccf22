-- Text as Vietnamese provinces write it: every kind of residential area the law and the
-- provinces name (xóm, bon, tiểu khu, khối phố, ...), written as code or label, and Vietnamese
-- typed in decomposed Unicode (NFD), which looks the same as the precomposed form (NFC) and is
-- stored as it.
BEGIN;
SELECT plan(17);

INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES
    ('province', 'tinh', '19', 'Tỉnh Thái Nguyên', '2008-08-01');
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from) VALUES
    ('commune', 'xa', '05500', 'Xã Phú Đình', (antq.unit_at('19', '2020-01-01')).unit_id, '2008-08-01');

-- NFD: letters followed by combining marks
CREATE FUNCTION pg_temp.nfd(t text) RETURNS text LANGUAGE sql AS $$ SELECT normalize(t, NFD) $$;
SELECT isnt(pg_temp.nfd('Xóm Đồng Tâm'), 'Xóm Đồng Tâm', 'the decomposed form differs from the precomposed one byte for byte');

-- Residential areas: every kind of the law and of the provinces' usage, by code or label.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
SELECT 'residential_area', w.written, '05500-K' || w.n, 'Khu dân cư ' || w.n, (antq.unit_at('05500')).unit_id, '2010-01-01'
  FROM (VALUES (1, 'xom'), (2, 'Xóm'), (3, 'xóm'), (4, 'Tiểu khu'), (5, 'khoi pho'), (6, 'Bon'), (7, 'plei'),
               (8, pg_temp.nfd('Khối phố')), (9, 'Tổ dân phố'), (10, 'thon')) AS w(n, written);
SELECT results_eq(
    $$SELECT sub_kind FROM antq.unit WHERE code LIKE '05500-K%' ORDER BY substr(code, 8)::int$$,
    ARRAY['xom', 'xom', 'xom', 'tieu_khu', 'khoi_pho', 'bon', 'plei', 'khoi_pho', 'to_dan_pho', 'thon'],
    'a residential area''s kind written as code, label, label without tone marks or decomposed is stored as its code');
SELECT throws_ok(
    $$INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
      VALUES ('residential_area', 'hamlet', '05500-X1', 'Thôn X', (antq.unit_at('05500')).unit_id, '2010-01-01')$$,
    '23514', 'unknown sub_kind "hamlet" for unit residential_area 05500-X1 "Thôn X"',
    'an unknown kind of residential area is still refused');
SELECT is((SELECT count(*)::int FROM antq.unit WHERE code = '05500-X1'), 0, 'and nothing of it is stored');
SELECT is(ARRAY[antq.residential_sub_kind('to_dan_pho'), antq.residential_sub_kind(' TO DAN PHO '),
                antq.residential_sub_kind('tổ dân phố'), antq.residential_sub_kind('village')],
    ARRAY['to_dan_pho', 'to_dan_pho', 'to_dan_pho', NULL],
    'residential_sub_kind: codes and labels map to the code, unknown words to NULL');
SELECT is((SELECT count(*)::int FROM antq.residential_sub_kinds()), 17, 'seventeen kinds of residential area');

-- Names and codes are stored in NFC: a decomposed name is the same name.
INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
VALUES ('residential_area', 'xom', '05500-N1', pg_temp.nfd('Xóm Đồng Tâm'), (antq.unit_at('05500')).unit_id, '2010-01-01');
SELECT is((SELECT name FROM antq.unit WHERE code = '05500-N1'), 'Xóm Đồng Tâm', 'a decomposed name is stored precomposed');
SELECT ok((SELECT name IS NFC NORMALIZED FROM antq.unit WHERE code = '05500-N1'), 'the stored name is in NFC');

-- Facts: text fields in NFC, ratings accepted decomposed.
INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference, description)
VALUES ((antq.unit_at('05500-N1')).unit_id, '2024-03-02', 'crime', 'serious', pg_temp.nfd('Vụ 12/CAX'), pg_temp.nfd('Trộm cắp tài sản'));
SELECT is((SELECT reference || ' | ' || description FROM antq.incident WHERE unit_id = (antq.unit_at('05500-N1')).unit_id),
    'Vụ 12/CAX | Trộm cắp tài sản', 'an incident''s reference and description are stored precomposed');
SELECT throws_ok(
    format($$INSERT INTO antq.incident (unit_id, occurred_on, kind, severity, reference)
             VALUES (%s, '2024-04-02', 'crime', 'serious', %L)$$, (antq.unit_at('05500-N1')).unit_id, pg_temp.nfd('Vụ 12/CAX')),
    '23505', NULL, 'the same reference written decomposed is the same incident (the unique key sees one form)');
SELECT is(antq.rating_to_int(pg_temp.nfd('Xuất sắc')::antq.rating), 4, 'a decomposed "Xuất sắc" is a rating');
SELECT is(antq.rating_to_int(pg_temp.nfd('trung bình')::antq.rating), 2, 'a decomposed "trung bình" is a rating');
SELECT throws_ok($$SELECT 'xuất sắcc'::antq.rating$$, '22P02', NULL, 'a misspelt rating is still refused');
INSERT INTO antq.decision (unit_id, year, kind, rating, number, decided_on, authority)
VALUES ((antq.unit_at('05500-N1')).unit_id, 2024, 'classification', pg_temp.nfd('Khá')::antq.rating,
        pg_temp.nfd('12/QĐ-UBND'), '2024-12-20', pg_temp.nfd('Ủy ban nhân dân xã Phú Đình'));
SELECT is((SELECT number || ' | ' || authority || ' | ' || rating::text FROM antq.decision
            WHERE unit_id = (antq.unit_at('05500-N1')).unit_id),
    '12/QĐ-UBND | Ủy ban nhân dân xã Phú Đình | ' || 'kha'::antq.rating::text, 'a decision''s number and authority are stored precomposed');
INSERT INTO antq.assessment (unit_id, year, force_rating) VALUES ((antq.unit_at('05500-N1')).unit_id, 2024, 'completed');
SELECT is((SELECT force_rating FROM antq.assessment WHERE unit_id = (antq.unit_at('05500-N1')).unit_id), 'completed',
    'ASCII text is unchanged');
SELECT is(antq.nfc(NULL), NULL, 'nfc of NULL is NULL');
SELECT is(antq.nfc(pg_temp.nfd('Đắk Lắk')), 'Đắk Lắk', 'nfc composes');

SELECT * FROM finish();
ROLLBACK;
