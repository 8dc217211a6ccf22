# The extension's life in a cluster: it works without being preloaded (and says so in the log),
# its registry survives pg_dump and restore, and it can be dropped and created again.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $node = PostgreSQL::Test::Cluster->new('plain');
$node->init(extra => [ '--encoding=UTF8', '--locale=C' ]);
$node->start;

# Not preloaded: functions work, and the log says the worker is absent.
my $log_offset = -s $node->logfile;
$node->safe_psql('postgres', q{LOAD 'antq'});
$node->safe_psql('postgres', 'CREATE EXTENSION antq');
$node->safe_psql('postgres', q{
    INSERT INTO antq.unit (kind, sub_kind, code, name, valid_from) VALUES ('province', 'tinh', '08', 'Tỉnh Tuyên Quang', '1991-10-01')});
is($node->safe_psql('postgres', q{SELECT province_code FROM antq.unit WHERE code = '08'}), '08',
	'the registry works when antq is not preloaded');
ok($node->log_contains('antq loaded without shared_preload_libraries', $log_offset),
	'the server log says the background worker is not running');

# A registry with history: a province with a district, a merger on 1 July 2025.
$node->safe_psql('postgres', q{
    INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
         SELECT 'district', 'thanh_pho', '070', 'Thành phố Tuyên Quang', unit_id, '2010-07-02' FROM antq.unit WHERE code = '08';
    INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
         SELECT 'commune', 'phuong', c.code, c.name, d.unit_id, '2010-07-02'
           FROM antq.unit d, (VALUES ('02212', 'Phường Phan Thiết'), ('02215', 'Phường Minh Xuân')) AS c(code, name)
          WHERE d.code = '070';
    INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
         SELECT 'residential_area', 'to_dan_pho', '02215-TDP3', 'Tổ dân phố 3', unit_id, '2015-01-01' FROM antq.unit WHERE code = '02215';
    SELECT antq.merge_units((antq.unit_at('02215', '2025-06-30')).unit_id, ARRAY[(antq.unit_at('02212', '2025-06-30')).unit_id],
                            '2025-07-01', (antq.unit_at('08', '2025-07-01')).unit_id, 'Phường Minh Xuân');
    UPDATE antq.unit SET valid_to = '2025-07-01' WHERE code = '070';
});
my $census = q{SELECT string_agg(format('%s %s %s %s', code, valid_from, coalesce(valid_to::text, '-'), province_code), ', ' ORDER BY code, valid_from) FROM antq.unit};
my $lineage = q{SELECT string_agg(format('%s>%s %s', p.code, s.code, l.event), ', ' ORDER BY p.code, s.code)
                  FROM antq.unit_lineage l JOIN antq.unit p ON p.unit_id = l.predecessor_id JOIN antq.unit s ON s.unit_id = l.successor_id};
my $units_before = $node->safe_psql('postgres', $census);
my $lineage_before = $node->safe_psql('postgres', $lineage);
is($node->safe_psql('postgres', 'SELECT count(*) FROM antq.unit'), '7',
	'seven unit versions before the dump: province, district, two wards, a residential area, and the new versions of the merged ward and its residential area');

# pg_dump keeps the registry rows (they are extension configuration) and restore passes the rules.
my $dump = $node->basedir . '/antq.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('postgres'), '-f', $dump ], 'pg_dump of a database using antq');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $node->connstr('restored'), '-f', $dump ],
	'the dump restores without error');
is($node->safe_psql('restored', $census), $units_before, 'every unit version is restored with its validity and province');
is($node->safe_psql('restored', $lineage), $lineage_before, 'the lineage is restored');
$node->safe_psql('restored', q{
    INSERT INTO antq.unit (kind, sub_kind, code, name, parent_id, valid_from)
         SELECT 'residential_area', 'to_dan_pho', '02215-TDP9', 'Tổ dân phố 9', unit_id, '2025-07-01' FROM antq.unit WHERE code = '02215' AND valid_to IS NULL});
is($node->safe_psql('restored', q{SELECT count(DISTINCT unit_id) FROM antq.unit}), '8',
	'a unit registered after the restore gets a fresh identifier');

# Drop and create again: roles survive, the schema goes and comes back.
$node->safe_psql('postgres', 'DROP EXTENSION antq');
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'antq'}), '0',
	'DROP EXTENSION removes every table, index and sequence of antq');
is($node->safe_psql('postgres', q{SELECT count(*) FROM pg_roles WHERE rolname LIKE 'antq\_%'}), '3', 'the roles stay for other databases');
$node->safe_psql('postgres', 'CREATE EXTENSION antq');
is($node->safe_psql('postgres', 'SELECT count(*) FROM antq.unit'), '0', 'CREATE EXTENSION after a drop starts from an empty registry');

AntqNode::no_leaks($node);
$node->stop;
done_testing();
