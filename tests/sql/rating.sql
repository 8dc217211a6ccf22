-- antq.rating: spellings, rejections, styles, ordering, hashing, aggregates, casts, binary I/O.
\set VERBOSITY default
-- Every accepted spelling maps to the level it names (1 = Yếu .. 4 = Xuất sắc).
SELECT s AS spelling, s::antq.rating::int AS level
FROM (VALUES ('Xuất sắc'), ('XUẤT SẮC'), ('xuất sắc'), ('Xuất Sắc'), ('xuat_sac'), ('xuat sac'),
             ('XUAT_SAC'), ('excellent'), ('Excellent'),
             ('Khá'), ('KHÁ'), ('khá'), ('kha'), ('KHA'), ('good'), ('GOOD'),
             ('Trung bình'), ('TRUNG BÌNH'), ('trung bình'), ('Trung Bình'), ('trung_binh'),
             ('trung binh'), ('Trung_Binh'), ('average'), ('Average'),
             ('Yếu'), ('YẾU'), ('yếu'), ('yeu'), ('YEU'), ('weak'), ('Weak'),
             ('  Khá  '), (E'\tyếu\n'), ('  trung   binh '), ('xuất_sắc')) AS t(s);
