# The docs stay true to the code: every setting antq defines (pg_settings, antq.%) has its row in
# docs/operations.md's settings table with its default and context, and no row names a setting
# that does not exist; every link in README.md and docs/*.md leads to a file of the repository
# (and, for a Markdown file with #anchor, to one of its headings), never outside it.
#
# The repository is $ANTQ_REPO (make test copies the source tree there for the PostgreSQL OS
# user), else two folders up from this file (make installcheck runs from the clone).
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Spec;
use FindBin;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use AntqNode;

my $repo = abs_path($ENV{ANTQ_REPO} // "$FindBin::Bin/../..");
ok(-f "$repo/README.md" && -d "$repo/docs", "the repository is found at $repo");

sub slurp
{
	my ($path) = @_;
	open(my $fh, '<:encoding(UTF-8)', $path) or die "cannot read $path: $!";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

# --- settings ---------------------------------------------------------------------------------

# The settings table's rows: | `antq.name` | `default` | context | what it does |
my %documented;
for my $line (split /\n/, slurp("$repo/docs/operations.md"))
{
	next unless $line =~ /^\|\s*`(antq\.[a-z_]+)`\s*\|\s*`([^`]*)`\s*\|\s*(\w+)\s*\|/;
	$documented{$1} = { default => $2, context => $3 };
}

my $node = AntqNode::new_node('docs');
my %defined;
for my $row (split /\n/,
	$node->safe_psql('postgres',
		"SELECT name, boot_val, coalesce(unit, ''), context FROM pg_settings WHERE name LIKE 'antq.%' ORDER BY name"))
{
	my ($name, $boot, $unit, $context) = split /\|/, $row;
	# As SHOW writes a default: 10000 ms is 10s, 60 s is 60s.
	my $default = $unit eq 'ms' && $boot % 1000 == 0 ? ($boot / 1000) . 's' : $boot . $unit;
	$defined{$name} = { default => $default, context => $context };
}
cmp_ok(scalar(keys %defined), '>=', 12, 'pg_settings lists antq\'s settings');

for my $name (sort keys %defined)
{
	ok(exists $documented{$name}, "$name has a row in docs/operations.md's settings table")
	  or next;
	is($documented{$name}{default}, $defined{$name}{default}, "$name: the documented default is the real one");
	is($documented{$name}{context}, $defined{$name}{context}, "$name: the documented context is the real one");
}
for my $name (sort keys %documented)
{
	ok(exists $defined{$name}, "docs/operations.md documents $name, which antq defines");
}
$node->stop;

# --- links ------------------------------------------------------------------------------------

# A heading's anchor as GitHub makes it: lower case, punctuation but '-' dropped, spaces as '-'.
sub anchor
{
	my ($heading) = @_;
	my $a = lc $heading;
	$a =~ s/[^\w\- ]//g;
	$a =~ s/ /-/g;
	return $a;
}

sub anchors_of
{
	my ($path) = @_;
	my %a;
	my $fenced = 0;
	for my $line (split /\n/, slurp($path))
	{
		$fenced = !$fenced if $line =~ /^```/;
		$a{ anchor($1) } = 1 if !$fenced && $line =~ /^#+\s+(.*?)\s*$/;
	}
	return \%a;
}

# Links of a Markdown text outside code: [text](target), not images or code spans.
sub links_of
{
	my ($text) = @_;
	my @links;
	my $fenced = 0;
	for my $line (split /\n/, $text)
	{
		if ($line =~ /^```/) { $fenced = !$fenced; next; }
		next if $fenced;
		$line =~ s/`[^`]*`//g;
		push @links, $1 while $line =~ /\]\(([^)\s]+)\)/g;
	}
	return @links;
}

my @pages = ('README.md', map { File::Spec->abs2rel($_, $repo) } sort glob("$repo/docs/*.md"));
my $checked = 0;
for my $page (@pages)
{
	my $dir = dirname("$repo/$page");
	for my $link (links_of(slurp("$repo/$page")))
	{
		next if $link =~ m{^(https?|mailto):};
		$checked++;
		my ($file, $frag) = $link =~ /^([^#]*)(?:#(.*))?$/;
		my $target = $file eq '' ? "$repo/$page" : File::Spec->rel2abs($file, $dir);
		my $real = -e $target ? abs_path($target) : undef;
		if (!defined $real)
		{
			fail("$page links to $link, which does not exist");
			next;
		}
		if (index("$real/", "$repo/") != 0)
		{
			fail("$page links to $link, outside the repository");
			next;
		}
		if (defined $frag && $real =~ /\.md$/)
		{
			ok(anchors_of($real)->{$frag}, "$page links to $link, a heading of it")
			  or next;
		}
		pass("$page links to $link");
	}
}
cmp_ok($checked, '>', 10, 'the README and docs have links, and they were checked');

done_testing();
