/* Debian package versions ([epoch:]upstream[-revision]), as dpkg parses and
 * orders them (lib/dpkg/parsehelp.c parseversion, lib/dpkg/version.c
 * verrevcmp). The scheme is version_scheme_deb; this header is for callers
 * that want the parsed parts or dpkg's distinction between errors and
 * warnings. */
#ifndef BOSUN_VERSION_DPKG_H
#define BOSUN_VERSION_DPKG_H

#include "util/buf.h"

/* How bad a version string is, in dpkg's terms. */
enum dpkg_verdict {
	DPKG_VERSION_OK,
	/* parseversion() warns ("version number does not start with digit",
	 * "invalid character in ..."); dpkg still compares such versions. */
	DPKG_VERSION_WARN,
	/* parseversion() fails: empty, embedded blank, bad epoch, empty upstream
	 * or revision. There is nothing to compare. */
	DPKG_VERSION_ERROR,
};

struct dpkg_version {
	unsigned long epoch;  /* 0 when absent */
	struct slice upstream;
	struct slice revision; /* empty when absent */
};

/* Parses s (surrounding blanks ignored, as dpkg does) into slices of s.
 * The scheme's valid() is stricter than DPKG_VERSION_OK by one rule, Perl
 * Dpkg::Version's: the epoch must be bare digits (C dpkg's strtol() also
 * takes a sign and leading white space).
 * Returns a dpkg_verdict; on DPKG_VERSION_ERROR *v is unspecified. */
enum dpkg_verdict dpkg_version_parse(const char *s, struct dpkg_version *v);

/* <0, 0, >0: epoch, then upstream, then revision, each by verrevcmp. */
int dpkg_version_cmp(const struct dpkg_version *a, const struct dpkg_version *b);

#endif
