/* match-bench: how long matching takes, apart from scanning. Builds an
 * artifact from a package list, then times match_artifact() (cold, then the
 * median of warm rounds) and raw database lookups per second.
 *
 * usage: match-bench DB OS_ID VERSION_ID TYPE LIST [ROUNDS]
 *   TYPE  deb, apk or rpm
 *   LIST  one package per line: name TAB version [TAB source TAB source-version [TAB modularity]]
 * Prints "key value" lines for bench/match-bench.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/match.h"
#include "util/log.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static char *field(char **s)
{
	char *f = *s;
	if (!f)
		return NULL;
	char *tab = strchr(f, '\t');
	if (tab) {
		*tab = '\0';
		*s = tab + 1;
	} else {
		*s = NULL;
	}
	return f[0] ? f : NULL;
}

static int load_list(const char *path, enum pkg_type type, struct artifact *a)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *rest = line, *name = field(&rest), *ver = field(&rest), *src = field(&rest),
		     *srcver = field(&rest), *mod = field(&rest);
		if (!name || !ver)
			continue;
		struct package *p = artifact_add_package(a);
		if (!p)
			break;
		p->type = type;
		p->name = arena_strdup(&a->arena, name);
		p->version = arena_strdup(&a->arena, ver);
		p->source_name = src && strcmp(src, name) ? arena_strdup(&a->arena, src) : NULL;
		p->source_version = arena_strdup(&a->arena, srcver ? srcver : ver);
		p->modularity = arena_strdup(&a->arena, mod);
	}
	fclose(f);
	return 0;
}

static int count_row(const struct affected_row *row, void *ctx)
{
	(void)row;
	(*(size_t *)ctx)++;
	return 0;
}

/* Lookups per second over the artifact's keys, repeated until ~0.5 s. */
static void bench_lookups(struct vulndb *db, const struct artifact *a)
{
	size_t lookups = 0, rows = 0;
	double t0 = now_ms(), t = t0;
	while (t - t0 < 500) {
		for (size_t i = 0; i < a->npkgs; i++) {
			struct match_key k;
			if (!match_key(&a->pkgs[i], &a->os, &k))
				continue;
			struct berr e = { 0 };
			vulndb_lookup(db, k.ecosystem, k.name, count_row, &rows, &e);
			lookups++;
		}
		t = now_ms();
		if (lookups == 0)
			break;
	}
	printf("lookups %zu\nlookup_rows %zu\nlookups_per_second %.0f\n", lookups, rows,
	       lookups / ((t - t0) / 1e3));
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: match-bench DB OS_ID VERSION_ID deb|apk|rpm LIST [ROUNDS]\n");
		return 2;
	}
	log_set_quiet(true);
	int rounds = argc > 6 ? atoi(argv[6]) : 20;
	enum pkg_type type = !strcmp(argv[4], "deb") ? PKG_DEB : !strcmp(argv[4], "apk") ? PKG_APK : PKG_RPM;
	struct artifact a;
	artifact_init(&a);
	a.os.found = true;
	a.os.id = argv[2];
	a.os.family = !strcmp(argv[2], "almalinux") ? "alma" : argv[2];
	a.os.version_id = argv[3];
	if (load_list(argv[5], type, &a)) {
		fprintf(stderr, "match-bench: cannot read %s\n", argv[5]);
		return 1;
	}
	struct vulndb *db;
	struct berr e = { 0 };
	if (vulndb_open(argv[1], false, &db, &e)) {
		fprintf(stderr, "match-bench: %s\n", e.msg);
		return 1;
	}
	double *ms = calloc((size_t)rounds + 1, sizeof *ms);
	size_t findings = 0;
	for (int r = 0; r <= rounds; r++) {
		struct match_result mr;
		double t0 = now_ms();
		if (match_artifact(db, &a, &mr, &e)) {
			fprintf(stderr, "match-bench: %s\n", e.msg);
			return 1;
		}
		ms[r] = now_ms() - t0;
		findings = mr.n;
		match_result_free(&mr);
	}
	printf("packages %zu\nfindings %zu\ncold_ms %.2f\n", a.npkgs, findings, ms[0]);
	qsort(ms + 1, (size_t)rounds, sizeof *ms, cmp_double);
	printf("warm_median_ms %.2f\nwarm_max_ms %.2f\n", ms[1 + rounds / 2], ms[rounds]);
	bench_lookups(db, &a);
	free(ms);
	vulndb_close(db);
	a.os.id = a.os.family = a.os.version_id = NULL;
	artifact_free(&a);
	return 0;
}
