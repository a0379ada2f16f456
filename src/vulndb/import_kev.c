/* importer_kev: CISA's Known Exploited Vulnerabilities catalog
 * (known_exploited_vulnerabilities.json), which flags CVEs as exploited in
 * the wild. One source, "kev". */
#include "vulndb/feedfs.h"
#include "vulndb/importer.h"
#include "util/json.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define KEV_FILE "known_exploited_vulnerabilities.json"
#define KEV_MAX_FILE (64u << 20)
#define KEV_MAX_DEPTH 16

static bool kev_detect(const char *dir)
{
	char path[PATH_MAX];
	struct stat st;
	return !feed_join(path, sizeof path, dir, KEV_FILE, NULL) && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int kev_field(const char *what, const json_t *obj, const char *key, size_t i, const char **out, struct berr *e)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return BOSUN_OK;
	if (!json_is_string(v))
		return berr_set(e, BOSUN_EFORMAT, "%s: vulnerabilities[%zu].%s: expected a string", what, i, key);
	*out = json_string_value(v);
	return BOSUN_OK;
}

static int import_entry(struct vulndb *db, const char *what, const json_t *ent, size_t i, struct import_stats *st,
			struct berr *e)
{
	if (!json_is_object(ent))
		return berr_set(e, BOSUN_EFORMAT, "%s: vulnerabilities[%zu]: expected an object", what, i);
	const char *cve, *added, *due, *ransom, *name, *desc;
	TRY(kev_field(what, ent, "cveID", i, &cve, e));
	TRY(kev_field(what, ent, "dateAdded", i, &added, e));
	TRY(kev_field(what, ent, "dueDate", i, &due, e));
	TRY(kev_field(what, ent, "knownRansomwareCampaignUse", i, &ransom, e));
	TRY(kev_field(what, ent, "vulnerabilityName", i, &name, e));
	TRY(kev_field(what, ent, "shortDescription", i, &desc, e));
	if (!cve || !*cve)
		return berr_set(e, BOSUN_EFORMAT, "%s: vulnerabilities[%zu]: no cveID", what, i);
	/* The catalog's own title and description give a CVE that no other
	 * feed describes something to show; other feeds' text is kept first. */
	struct vuln_record v = { .id = cve, .summary = name, .details = desc };
	int rc = vulndb_put_vuln(db, &v, e);
	if (!rc)
		rc = vulndb_put_kev(db, cve, added, due, ransom && !strcmp(ransom, "Known"), e);
	if (rc)
		return berr_wrap(e, rc, "%s: vulnerabilities[%zu]", what, i);
	st->vulns++;
	return BOSUN_OK;
}

static int import_catalog(struct vulndb *db, const char *path, const json_t *root, struct import_stats *st,
			  struct berr *e)
{
	json_t *list = json_object_get(root, "vulnerabilities");
	if (!json_is_array(list))
		return berr_set(e, BOSUN_EFORMAT, "%s: not a KEV catalog (no vulnerabilities array)", path);
	/* dateReleased is a timestamp; catalogVersion ("2025.08.25") the fallback */
	const char *snap = json_str(root, "dateReleased");
	char ver[32] = "";
	if (!snap && json_str(root, "catalogVersion")) {
		snprintf(ver, sizeof ver, "%s", json_str(root, "catalogVersion"));
		for (char *p = ver; *p; p++)
			*p = *p == '.' ? '-' : *p;
		snap = ver;
	}
	char origin[PATH_MAX];
	if (!realpath(path, origin))
		snprintf(origin, sizeof origin, "%s", path);
	struct vulndb_source src = { .name = "kev", .origin = origin, .snapshot = snap, .license = "CC0-1.0" };
	TRY(vulndb_source_begin(db, &src, e));
	int rc = BOSUN_OK;
	for (size_t i = 0; !rc && i < json_array_size(list); i++)
		rc = import_entry(db, path, json_array_get(list, i), i, st, e);
	if (!rc)
		return vulndb_source_commit(db, e);
	vulndb_source_abort(db);
	return rc;
}

static int kev_import(struct vulndb *db, const char *dir, struct import_stats *st, struct berr *e)
{
	char path[PATH_MAX];
	TRY(feed_join(path, sizeof path, dir, KEV_FILE, e));
	struct buf b = { 0 };
	json_t *root = NULL;
	int rc = feed_read_file(path, KEV_MAX_FILE, &b, e);
	if (!rc)
		rc = json_parse_bounded(b.data, b.len, KEV_MAX_DEPTH, path, &root, e);
	buf_free(&b);
	if (!rc) {
		st->files++;
		rc = json_is_object(root) ? import_catalog(db, path, root, st, e)
					  : berr_set(e, BOSUN_EFORMAT, "%s: not a KEV catalog", path);
	}
	json_decref(root);
	return rc;
}

const struct importer importer_kev = { "kev", kev_detect, kev_import };
