/* RPM versions: rpmvercmp() on one string, and [epoch:]version[-release]
 * comparison. The scheme is version_scheme_rpm. */
#ifndef BOSUN_VERSION_RPM_H
#define BOSUN_VERSION_RPM_H

/* rpm's rpmvercmp() (lib/rpmvercmp.c) on one version or release string, with
 * no epoch or release splitting: alphanumeric segments, "~" before anything
 * (even the end), "^" after the end but before anything else. Total over all
 * strings, the empty one included. Returns -1, 0 or 1. */
int rpm_vercmp(const char *a, const char *b);

#endif
