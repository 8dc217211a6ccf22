# The README's newcomer path, run as written: the psql commands of "Install into your own
# server" on a new database, then the blocks of its "A province, step by step" in order, from the
# repository's folder (its \copy commands read docs/examples/). A query block followed by a
# plain block must print exactly that block.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;
use FindBin;

my $repo = $ENV{ANTQ_REPO} // "$FindBin::Bin/../..";
open(my $fh, '<', "$repo/README.md") or die "README.md: $!";
my @lines = <$fh>;
close $fh;

# The fenced blocks of a section (up to the next heading): [language, text], in order.
sub blocks_of
{
	my ($heading) = @_;
	my (@blocks, $in_section, $lang, $text);
	for my $line (@lines)
	{
		if ($line =~ /^##+ (.*)$/ && !defined $lang) { $in_section = $1 eq $heading; next; }
		next unless $in_section;
		if ($line =~ /^```(\w*)\s*$/)
		{
			if (defined $lang) { push @blocks, [ $lang, $text ]; undef $lang; }
			else { $lang = $1; $text = ''; }
			next;
		}
		$text .= $line if defined $lang;
	}
	return @blocks;
}

my $node = AntqNode::new_node('readme');
my $db = 'mydb';
$node->safe_psql('postgres', "CREATE DATABASE $db");

# "Install into your own server": its psql commands (the cluster is already set up).
my @install = map { $_->[1] =~ /^(psql .*?)\s*(?:#.*)?$/mg } grep { $_->[0] eq 'sh' } blocks_of('Install into your own server');
is(scalar(@install), 2, 'the install section has its two psql commands');
for my $cmd (@install)
{
	my ($sql) = $cmd =~ /-c '((?:[^']|'\\'')*)'/ or die "no -c in: $cmd";
	$node->safe_psql($db, $sql);
}
is($node->safe_psql($db, "SELECT extversion FROM pg_extension WHERE extname = 'antq'") ne '', 1, 'CREATE EXTENSION ran');

my @steps = blocks_of('A province, step by step');
ok(@steps >= 3, 'the section has its blocks');
for (my $i = 0; $i < @steps; $i++)
{
	my ($lang, $text) = @{ $steps[$i] };
	next unless $lang eq 'sql';
	AntqNode::wait_drained($node, $db, "before block " . ($i + 1));
	my ($out, $err);
	my $ok = IPC::Run::run([ 'psql', '-X', '-d', $node->connstr($db), '-v', 'ON_ERROR_STOP=1', '-f', '-' ],
		'<', \$text, '>', \$out, '2>', \$err, init => sub { chdir $repo or die "chdir $repo: $!" });
	ok($ok, "block " . ($i + 1) . " runs without error") or diag($err);
	if ($i + 1 < @steps && $steps[ $i + 1 ][0] eq '')
	{
		# as the README can keep it: no trailing spaces, no closing empty line
		(my $printed = $out) =~ s/[ \t]+$//mg;
		$printed =~ s/\n+\z/\n/;
		is($printed, $steps[ $i + 1 ][1], "block " . ($i + 1) . " prints what the README shows");
		$i++;
	}
}
is(AntqNode::differences($node, $db), '0', 'verify() finds no difference');
done_testing();
