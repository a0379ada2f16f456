/* Secrets in an image's config: Env ("KEY=value"), Labels, and
 * history[].created_by, where build arguments and ENV instructions of the
 * Dockerfile leak ("|2 NPM_TOKEN=... /bin/sh -c npm ci"). Each entry is
 * scanned with the rules like a one-line file; in addition a variable
 * named like a secret (DB_PASSWORD, *_TOKEN, AWS_SECRET_ACCESS_KEY) with a
 * real value is a finding even when no rule knows its format. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret/secret_impl.h"
#include "util/json.h"

#define CONFIG_MAX_DEPTH 64

struct entry {
	struct secret_engine *eng;
	const char *text;
	size_t n;
	const char *location;
	struct finding_list *out;
};

/* A specific rule's hit inside [from, to) (generic ones do not count). */
static bool specific_hit_in(const struct entry *en, const struct secret_hits *h, size_t from, size_t to)
{
	for (size_t i = 0; i < h->n; i++)
		if (h->v[i].sstart < to && h->v[i].send > from && !(en->eng->rules[h->v[i].rule].def.flags & RULE_GENERIC))
			return true;
	return false;
}

static void drop_generic_in(const struct entry *en, struct secret_hits *h, size_t from, size_t to)
{
	size_t w = 0;
	for (size_t i = 0; i < h->n; i++)
		if (!(h->v[i].sstart < to && h->v[i].send > from && (en->eng->rules[h->v[i].rule].def.flags & RULE_GENERIC)))
			h->v[w++] = h->v[i];
	h->n = w;
}

/* NAME=value where NAME looks like a secret's name and value is real: a
 * finding of its own (AWS_SECRET_ACCESS_KEY keeps the AWS rule's id),
 * unless a specific rule already reported the value; it replaces a
 * generic rule's finding ("DB_PASSWORD=..." is not also a password
 * assignment). */
static int check_assignment(struct entry *en, struct secret_hits *hits, size_t name_at, size_t name_len,
			    size_t val_at, size_t val_len)
{
	const char *name = en->text + name_at, *val = en->text + val_at;
	if (!secret_env_name_is_secret(name, name_len))
		return BOSUN_OK;
	/* quotes are the shell's, not the value's */
	if (val_len >= 2 && (val[0] == '"' || val[0] == '\'') && val[val_len - 1] == val[0]) {
		val++;
		val_at++;
		val_len -= 2;
	}
	if (val_len < 4 || secret_is_placeholder(val, val_len) || specific_hit_in(en, hits, val_at, val_at + val_len))
		return BOSUN_OK;
	bool aws = name_len == 21 && strncasecmp(name, "AWS_SECRET_ACCESS_KEY", 21) == 0;
	int ri = secret_rule_index(en->eng, aws ? "aws-secret-access-key" : SECRET_ENV_RULE_ID);
	if (ri < 0)
		return BOSUN_OK; /* disabled by the rule file */
	drop_generic_in(en, hits, val_at, val_at + val_len);
	const struct secret_rule_def *d = &en->eng->rules[ri].def;
	char masked[64], msg[512];
	secret_mask(val, val_len, masked, sizeof masked);
	snprintf(msg, sizeof msg, "%s: %.*s=%s", d->title, (int)(name_len > 200 ? 200 : name_len), name, masked);
	struct finding f = {
		.kind = FINDING_KIND_SECRET,
		.rule_id = d->id,
		.title = d->title,
		.severity = d->severity,
		.message = msg,
		.location = en->location,
		.layer = -1,
		.match = masked,
		.category = d->category,
		.remediation = d->remediation ? d->remediation
					      : "Revoke and rotate the credential and pass it at run time instead of "
						"baking it into the image config.",
		.reference = d->reference,
	};
	return finding_add(en->out, &f);
}

static bool is_name_char(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* Every NAME=value word of a created_by line (build args, ENV, ARG). */
static int check_words(struct entry *en, struct secret_hits *hits)
{
	size_t i = 0, n = en->n;
	const char *t = en->text;
	while (i < n) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n'))
			i++;
		size_t w = i;
		while (i < n && t[i] != ' ' && t[i] != '\t' && t[i] != '\n')
			i++;
		size_t k = w;
		while (k < i && is_name_char(t[k], k == w))
			k++;
		if (k > w && k < i && t[k] == '=')
			TRY(check_assignment(en, hits, w, k - w, k + 1, i - k - 1));
	}
	return BOSUN_OK;
}

enum entry_kind { ENTRY_ENV, ENTRY_LABEL, ENTRY_HISTORY };

static int scan_entry(struct entry *en, enum entry_kind kind, struct berr *e)
{
	struct secret_hits hits = { 0 };
	int rc = secret_find(en->eng, NULL, (const unsigned char *)en->text, en->n, &hits, e);
	if (rc == BOSUN_OK && kind == ENTRY_ENV) {
		const char *eq = memchr(en->text, '=', en->n);
		if (eq && eq > en->text) {
			size_t name_len = (size_t)(eq - en->text);
			rc = check_assignment(en, &hits, 0, name_len, name_len + 1, en->n - name_len - 1);
		}
	} else if (rc == BOSUN_OK && kind == ENTRY_HISTORY) {
		rc = check_words(en, &hits);
	}
	if (rc == BOSUN_OK)
		rc = secret_emit(en->eng, NULL, en->location, -1, (const unsigned char *)en->text, en->n, &hits, en->out);
	free(hits.v);
	return rc;
}

int secret_scan_image_config(struct secret_engine *eng, const char *config_json, struct finding_list *out,
			     struct berr *e)
{
	json_t *root;
	TRY(json_parse_bounded(config_json, strlen(config_json), CONFIG_MAX_DEPTH, "image config", &root, e));
	int rc = BOSUN_OK;
	if (!json_is_object(root)) {
		json_decref(root);
		return berr_set(e, BOSUN_EFORMAT, "image config: not a JSON object");
	}
	json_t *cfg = json_object_get(root, "config");
	if (!json_is_object(cfg))
		cfg = json_object_get(root, "Config"); /* `docker inspect` spelling */
	char loc[320];
	struct entry en = { .eng = eng, .location = loc, .out = out };
	json_t *env = json_is_object(cfg) ? json_object_get(cfg, "Env") : NULL;
	size_t i;
	json_t *v;
	if (json_is_array(env)) {
		json_array_foreach(env, i, v) {
			if (!json_is_string(v) || rc != BOSUN_OK)
				continue;
			snprintf(loc, sizeof loc, "config.Env[%zu]", i);
			en.text = json_string_value(v);
			en.n = json_string_length(v);
			rc = scan_entry(&en, ENTRY_ENV, e);
		}
	}
	json_t *labels = json_is_object(cfg) ? json_object_get(cfg, "Labels") : NULL;
	if (json_is_object(labels)) {
		const char *key;
		json_object_foreach(labels, key, v) {
			if (!json_is_string(v) || rc != BOSUN_OK)
				continue;
			/* scanned as "key=value", so rules that need the name see it */
			struct buf b = { 0 };
			if (buf_printf(&b, "%s=", key) != BOSUN_OK ||
			    buf_append(&b, json_string_value(v), json_string_length(v)) != BOSUN_OK) {
				buf_free(&b);
				rc = berr_set(e, BOSUN_ENOMEM, "image config: out of memory");
				break;
			}
			snprintf(loc, sizeof loc, "config.Labels[%.300s]", key);
			en.text = b.data;
			en.n = b.len;
			rc = scan_entry(&en, ENTRY_LABEL, e);
			buf_free(&b);
		}
	}
	json_t *history = json_object_get(root, "history");
	if (json_is_array(history)) {
		json_array_foreach(history, i, v) {
			json_t *cb = json_is_object(v) ? json_object_get(v, "created_by") : NULL;
			if (!json_is_string(cb) || rc != BOSUN_OK)
				continue;
			snprintf(loc, sizeof loc, "history[%zu].created_by", i);
			en.text = json_string_value(cb);
			en.n = json_string_length(cb);
			rc = scan_entry(&en, ENTRY_HISTORY, e);
		}
	}
	json_decref(root);
	if (rc == BOSUN_ENOMEM && e && !e->code)
		berr_set(e, rc, "image config: out of memory");
	return rc;
}
