/* Ruby gems: installed specifications (GEM_HOME/specifications/NAME-VERSION.gemspec,
 * including specifications/default/ and Debian's rubygems-integration) and
 * in project trees Gemfile.lock (or gems.locked). Pure parsers for tests
 * and fuzzing; the analyzer (analyzer_ruby, ruby.c) feeds them from the
 * view. PKG_GEM packages, found_in as given; BOSUN_OK or BOSUN_ENOMEM,
 * malformed input is a warning and a best-effort result. */
#ifndef BOSUN_ANALYZE_RUBY_H
#define BOSUN_ANALYZE_RUBY_H

#include <stddef.h>

#include "sbom/artifact.h"

/* A gemspec is Ruby code; nothing is evaluated. Read are the assignments
 * RECV.name / .version / .license / .licenses = LITERAL inside
 * `Gem::Specification.new do |RECV|` (RECV is whatever the block calls
 * the spec; any receiver when that line is absent), where LITERAL is a
 * "string" or 'string' (optionally .freeze), %q{string},
 * Gem::Version.new("x") for the version, and ["a", 'b'] or %w[a b] for
 * licenses (joined with ", ": RubyGems does not say whether several
 * licenses are alternatives). When the name or version is not a literal,
 * they come from the file name NAME-VERSION[-PLATFORM].gemspec, as
 * RubyGems itself names installed specifications. */
int ruby_parse_gemspec(const char *data, size_t len, const char *found_in, struct artifact *a);

/* Bundler's lockfile: the specs of every GEM, GIT and PATH source (4-space
 * "name (version[-platform])" lines; the platform is dropped and a gem
 * locked for several platforms is reported once). Gems listed under
 * DEPENDENCIES are "direct", the rest "indirect". */
int ruby_parse_gemfile_lock(const char *data, size_t len, const char *found_in, struct artifact *a);

#endif
