/* Ruby: the pkgdb gemfile-lock fixture (Trivy's), gemspecs in the forms
 * RubyGems writes and people write (read as text, never run), Bundler
 * lockfiles of both major versions with platforms, GIT/PATH sources and
 * CHECKSUMS, malformed input, and the analyzer on trees. */
#include "langtest.h"

#include "analyze/ruby.h"
#include "util/log.h"

static int parse_lock(const char *data, size_t len, const char *found_in, struct artifact *a)
{
	return ruby_parse_gemfile_lock(data, len, found_in, a);
}

static void test_fixtures(void **state)
{
	(void)state;
	lt_run_fixtures("gemfile-lock", PKG_GEM, parse_lock, ", ");
}

/* ---- gemspecs ---- */

static const struct package *spec1(struct artifact *a, const char *path, const char *text)
{
	artifact_init(a);
	a->silent = true;
	assert_int_equal(ruby_parse_gemspec(text, strlen(text), path, a), BOSUN_OK);
	return a->npkgs == 1 ? &a->pkgs[0] : NULL;
}

/* As `gem install` writes specifications/rake-13.0.6.gemspec. */
static const char generated[] =
	"# -*- encoding: utf-8 -*-\n"
	"# stub: rake 13.0.6 ruby lib\n\n"
	"Gem::Specification.new do |s|\n"
	"  s.name = \"rake\".freeze\n"
	"  s.version = \"13.0.6\"\n\n"
	"  s.required_rubygems_version = Gem::Requirement.new(\">= 1.3.2\".freeze) if s.respond_to? "
	":required_rubygems_version=\n"
	"  s.metadata = { \"bug_tracker_uri\" => \"https://github.com/ruby/rake/issues\" } if s.respond_to? :metadata=\n"
	"  s.require_paths = [\"lib\".freeze]\n"
	"  s.authors = [\"Hiroshi SHIBATA\".freeze, \"Eric Hodel\".freeze]\n"
	"  s.licenses = [\"MIT\".freeze]\n"
	"  s.summary = \"Rake is a Make-like program implemented in Ruby\".freeze\n\n"
	"  s.installed_by_version = \"3.3.5\" if s.respond_to? :installed_by_version\n"
	"end\n";

static void test_gemspec_forms(void **state)
{
	(void)state;
	struct artifact a;
	const struct package *p = spec1(&a, "usr/local/bundle/specifications/rake-13.0.6.gemspec", generated);
	assert_non_null(p);
	assert_string_equal(p->name, "rake");
	assert_string_equal(p->version, "13.0.6");
	assert_string_equal(p->license, "MIT");
	assert_int_equal(p->type, PKG_GEM);
	assert_string_equal(p->found_in, "usr/local/bundle/specifications/rake-13.0.6.gemspec");
	artifact_free(&a);

	/* Debian's rubygems-integration: plain strings, several licenses. */
	p = spec1(&a, "usr/share/rubygems-integration/all/specifications/net-telnet-0.2.0.gemspec",
		  "Gem::Specification.new do |s|\n  s.name = \"net-telnet\"\n  s.version = \"0.2.0\"\n\n"
		  "  s.licenses = [\"Ruby\", \"BSD-2-Clause\"]\nend\n");
	assert_string_equal(p->name, "net-telnet");
	assert_string_equal(p->license, "Ruby, BSD-2-Clause");
	artifact_free(&a);

	/* One line, ';'-separated, the brief's form; single quotes; license=. */
	p = spec1(&a, "x.gemspec", "Gem::Specification.new do |s| s.name = 'x'; s.version = \"1.2.3\"; s.license = 'MIT' end\n");
	assert_string_equal(p->name, "x");
	assert_string_equal(p->version, "1.2.3");
	assert_string_equal(p->license, "MIT");
	artifact_free(&a);

	/* Old RubyGems: %q{}; a block variable called spec; %w licenses;
	 * Gem::Version.new. */
	p = spec1(&a, "specifications/old-0.8.7.gemspec",
		  "Gem::Specification.new do |spec|\n  spec.name = %q{old}\n  spec.version = Gem::Version.new(\"0.8.7\")\n"
		  "  spec.licenses = %w[MIT Apache-2.0]\nend\n");
	assert_string_equal(p->name, "old");
	assert_string_equal(p->version, "0.8.7");
	assert_string_equal(p->license, "MIT, Apache-2.0");
	artifact_free(&a);

	/* Another receiver's assignments, comments, =begin blocks and
	 * heredocs are not the spec's. */
	p = spec1(&a, "specifications/real-1.0.gemspec",
		  "# s.name = \"commented\"\n=begin\ns.name = \"doc\"\n=end\n"
		  "Gem::Specification.new do |s|\n"
		  "  other.name = \"nope\"\n"
		  "  s.description = <<~DESC\n    s.name = \"in a heredoc\"\n  DESC\n"
		  "  s.name = \"real\" # the name\n  s.version = '1.0'\nend\n");
	assert_string_equal(p->name, "real");
	assert_string_equal(p->version, "1.0");
	assert_null(p->license);
	artifact_free(&a);
}

static void test_gemspec_fallback(void **state)
{
	(void)state;
	struct artifact a;
	/* Computed values are not evaluated: the file name gives them. */
	const struct package *p =
		spec1(&a, "var/lib/gems/3.1.0/specifications/concurrent-ruby-1.1.10.gemspec",
		      "require_relative 'lib/x/version'\nGem::Specification.new do |s|\n  s.name = NAME\n"
		      "  s.version = Concurrent::VERSION\n  s.license = \"MIT\"\nend\n");
	assert_string_equal(p->name, "concurrent-ruby");
	assert_string_equal(p->version, "1.1.10");
	assert_string_equal(p->license, "MIT");
	artifact_free(&a);
	/* An interpolated string is computed too. */
	p = spec1(&a, "specifications/nokogiri-1.13.6-x86_64-linux.gemspec",
		  "Gem::Specification.new do |s|\n  s.name = \"nokogiri\"\n  s.version = \"#{V}\"\nend\n");
	assert_string_equal(p->name, "nokogiri");
	assert_string_equal(p->version, "1.13.6");
	artifact_free(&a);
	/* "-2fa" is part of the name, "1.0" the version. */
	p = spec1(&a, "specifications/foo-2fa-1.0.gemspec", "");
	assert_string_equal(p->name, "foo-2fa");
	assert_string_equal(p->version, "1.0");
	artifact_free(&a);
	p = spec1(&a, "specifications/bar-20.gemspec", "garbage \"unterminated");
	assert_string_equal(p->name, "bar");
	assert_string_equal(p->version, "20");
	artifact_free(&a);
	/* No literal and no usable file name. */
	assert_null(spec1(&a, "specifications/noversion.gemspec", "Gem::Specification.new do |s|\nend\n"));
	assert_true(lt_warned(&a, "no literal name and version"));
	artifact_free(&a);
	/* Hostile: NUL bytes, very long literals, unterminated everything. */
	artifact_init(&a);
	a.silent = true;
	char big[4096];
	memset(big, 'a', sizeof big);
	memcpy(big, "s.name = \"", 10);
	assert_int_equal(ruby_parse_gemspec(big, sizeof big, "specifications/z-1.0.gemspec", &a), BOSUN_OK);
	lt_must(&a, PKG_GEM, "z", "1.0");
	static const char nul[] = "s.name = \"a\0b\"\ns.version = \"1\"\n";
	assert_int_equal(ruby_parse_gemspec(nul, sizeof nul - 1, "specifications/q-2.0.gemspec", &a), BOSUN_OK);
	/* Found by fuzzing: %q with a NUL byte as delimiter read past the
	 * delimiter table (strchr finds the terminating NUL). */
	static const char pq[] = "s.name = %q\0x\0\ns.version = '1'\n";
	assert_int_equal(ruby_parse_gemspec(pq, sizeof pq - 1, "specifications/pq-3.0.gemspec", &a), BOSUN_OK);
	lt_must(&a, PKG_GEM, "x", "1");
	artifact_free(&a);
}

/* ---- Gemfile.lock ---- */

static const char lock_v2[] =
	"GIT\n  remote: https://github.com/rails/rails.git\n  revision: abc\n  branch: main\n  specs:\n"
	"    actionpack (7.1.0.alpha)\n      rack (~> 2.0)\n\n"
	"PATH\n  remote: .\n  specs:\n    myapp (0.1.0)\n      nokogiri\n\n"
	"GEM\n  remote: https://rubygems.org/\n  specs:\n"
	"    mini_portile2 (2.8.0)\n"
	"    nokogiri (1.13.6)\n      mini_portile2 (~> 2.8.0)\n      racc (~> 1.4)\n"
	"    nokogiri (1.13.6-x86_64-linux)\n      racc (~> 1.4)\n"
	"    nokogiri (1.13.6-arm64-darwin)\n      racc (~> 1.4)\n"
	"    racc (1.6.0)\n"
	"    rack (2.2.3)\n"
	"    rc (1.0.0-rc1)\n"
	"    broken-line\n\n"
	"PLATFORMS\n  ruby\n  x86_64-linux\n\n"
	"DEPENDENCIES\n  actionpack!\n  myapp!\n  nokogiri (>= 1.13)\n  rc\n\n"
	"CHECKSUMS\n  nokogiri (1.13.6) sha256=abcd\n\n"
	"RUBY VERSION\n   ruby 3.1.2p20\n\n"
	"BUNDLED WITH\n   2.3.7\n";

static void test_gemfile_lock(void **state)
{
	(void)state;
	struct artifact a;
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(ruby_parse_gemfile_lock(lock_v2, sizeof lock_v2 - 1, "Gemfile.lock", &a), BOSUN_OK);
	static const char *const want[][3] = {
		{ "actionpack", "7.1.0.alpha", "direct" }, { "myapp", "0.1.0", "direct" },
		{ "mini_portile2", "2.8.0", "indirect" },  { "nokogiri", "1.13.6", "direct" },
		{ "racc", "1.6.0", "indirect" },	   { "rack", "2.2.3", "indirect" },
		{ "rc", "1.0.0-rc1", "direct" },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		lt_str_eq(lt_must(&a, PKG_GEM, want[i][0], want[i][1])->relationship, want[i][2], want[i][0]);
	assert_int_equal(a.npkgs, sizeof want / sizeof want[0]);
	assert_true(lt_warned(&a, "broken-line"));
	artifact_free(&a);

	/* CRLF, no DEPENDENCIES (relationships unknown), junk. */
	static const char crlf[] = "GEM\r\n  remote: https://rubygems.org/\r\n  specs:\r\n    json (2.6.2)\r\n\r\n";
	artifact_init(&a);
	a.silent = true;
	assert_int_equal(ruby_parse_gemfile_lock(crlf, sizeof crlf - 1, "Gemfile.lock", &a), BOSUN_OK);
	assert_null(lt_must(&a, PKG_GEM, "json", "2.6.2")->relationship);
	static const char junk[] = "GEM\n  specs:\n    (\n    a ()\n    b (1 2)\n    \xff (1)\n    ok (1.0)\n\x00\n";
	assert_int_equal(ruby_parse_gemfile_lock(junk, sizeof junk - 1, "junk.lock", &a), BOSUN_OK);
	assert_int_equal(a.npkgs, 2);
	lt_must(&a, PKG_GEM, "ok", "1.0");
	assert_int_equal(ruby_parse_gemfile_lock(NULL, 0, "empty.lock", &a), BOSUN_OK);
	artifact_free(&a);
}

/* ---- the analyzer on trees ---- */

static void test_trees(void **state)
{
	(void)state;
	char dir[256];
	lt_tmpdir(dir, sizeof dir);
	lt_write(dir, "usr/local/bundle/specifications/rake-13.0.6.gemspec", generated);
	lt_write(dir, "usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
		 "Gem::Specification.new do |s|\n  s.name = \"json\"\n  s.version = \"2.6.1\"\nend\n");
	/* A gemspec in a gem's source, not under specifications/. */
	lt_write(dir, "usr/local/bundle/gems/rake-13.0.6/rake.gemspec", "s.name = 'rake'\ns.version = '0.0.1'\n");
	lt_write(dir, "app/Gemfile.lock", lock_v2);
	lt_write(dir, "app2/gems.locked", "GEM\n  specs:\n    puma (5.6.4)\n\nDEPENDENCIES\n  puma\n");
	struct artifact a;
	lt_scan("rootfs", dir, &a);
	assert_int_equal(lt_count(&a, PKG_GEM), 2);
	const struct package *p = lt_must(&a, PKG_GEM, "rake", "13.0.6");
	assert_string_equal(p->purl, "pkg:gem/rake@13.0.6");
	lt_must(&a, PKG_GEM, "json", "2.6.1");
	artifact_free(&a);
	lt_scan("fs", dir, &a);
	assert_int_equal(lt_count(&a, PKG_GEM), 2 + 7 + 1);
	assert_string_equal(lt_must(&a, PKG_GEM, "puma", "5.6.4")->relationship, "direct");
	assert_string_equal(lt_must(&a, PKG_GEM, "racc", "1.6.0")->found_in, "app/Gemfile.lock");
	artifact_free(&a);
	lt_rmrf(dir);
}

int main(void)
{
	log_set_quiet(true);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),     cmocka_unit_test(test_gemspec_forms),
		cmocka_unit_test(test_gemspec_fallback), cmocka_unit_test(test_gemfile_lock),
		cmocka_unit_test(test_trees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
