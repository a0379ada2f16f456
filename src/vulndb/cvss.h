/* CVSS base scores computed from vector strings, so that every advisory
 * with a vector gets a score (and a severity) even when its feed states
 * none, and so that scores do not depend on which feed copied them.
 *
 * v3.0 / v3.1: the specification's base equations, each version with its own
 * Roundup (3.1's integer-based one avoids 3.0's floating-point off-by-0.1).
 * v4.0: FIRST's MacroVector lookup and interpolation (specification section
 * 8), computed in exact integer arithmetic, which matches FIRST's reference
 * calculator including its fix for ties that floating point rounds down.
 * A v4.0 vector with threat or environmental metrics gets the score of the
 * vector as written (CVSS-BT / CVSS-BE), as the reference calculator does. */
#ifndef BOSUN_VULNDB_CVSS_H
#define BOSUN_VULNDB_CVSS_H

#include "vulndb/vulndb.h"

/* Base score 0.0 .. 10.0 of "CVSS:3.0/..." or "CVSS:3.1/...". Metrics may come
 * in any order; each base metric exactly once; temporal and environmental
 * metrics are checked for syntax and otherwise ignored. BOSUN_EFORMAT when
 * the vector is malformed. */
int cvss3_score(const char *vector, double *score);

/* Score 0.0 .. 10.0 of "CVSS:4.0/...": the 11 base metrics are required,
 * threat, environmental and supplemental metrics optional. BOSUN_EFORMAT
 * when malformed. */
int cvss4_score(const char *vector, double *score);

/* Either, by the vector's prefix. */
int cvss_score(const char *vector, double *score);

/* NVD bands: 9.0-10 CRITICAL, 7.0-8.9 HIGH, 4.0-6.9 MEDIUM, 0.1-3.9 LOW.
 * 0.0 ("None" in CVSS) is NEGLIGIBLE; a negative score (no vector) UNKNOWN. */
enum vuln_severity cvss_severity(double score);

#endif
