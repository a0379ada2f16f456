/* Internals shared by the secret engine's files: the rule model (built-in
 * table, rule file), the compiled engine, raw hits before masking, and the
 * text checks (entropy, placeholders, validators). Not a public API. */
#ifndef BOSUN_SECRET_SECRET_IMPL_H
#define BOSUN_SECRET_SECRET_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <pthread.h>

#include "secret/secret.h"
#include "util/buf.h"

/* Extra checks on the secret part of a match, for rules whose regex alone
 * would also match look-alikes. */
enum secret_check {
	CHECK_NONE = 0,
	CHECK_PASSWORD,     /* not a placeholder, long enough, entropy >= rule's min */
	CHECK_AWS_SECRET,   /* mixed case and digits, not a hex or one-case string */
	CHECK_BASIC_AUTH,   /* base64 of "user:password" with a real password */
	CHECK_JWT,          /* header decodes to JSON naming "alg" */
	CHECK_PEM_BODY,     /* a run of >= 32 base64 characters */
	CHECK_ENTROPY,      /* entropy >= rule's min and not a placeholder */
};

/* Rule flags. */
#define RULE_ALLOW_RUNS   0x1u /* long runs of one character are normal (key material) */
#define RULE_CONFIG_ONLY  0x2u /* no regex: applied by the image config scan (Env names) */
#define RULE_GENERIC      0x4u /* yields to a specific rule that found the same secret */

#define SECRET_MAX_KEYWORDS 8

/* A built-in rule, as written in rules_builtin.c. */
struct secret_rule_def {
	const char *id, *category, *title;
	enum vuln_severity severity;
	const char *regex;          /* PCRE2 syntax; NULL for RULE_CONFIG_ONLY */
	const char *secret_group;   /* named group holding the secret, NULL = whole match */
	const char *keywords[SECRET_MAX_KEYWORDS]; /* case-insensitive, any one must appear */
	enum secret_check check;
	double min_entropy;         /* bits per character, for CHECK_PASSWORD/ENTROPY */
	unsigned flags;
	/* Also a finding: near_regex within near_bytes of a match of near_rule. */
	const char *near_rule, *near_regex;
	unsigned near_bytes;
	const char *reference;
	const char *remediation;    /* NULL = the default */
};

extern const struct secret_rule_def secret_builtin_rules[];
extern const size_t secret_builtin_rule_count;

/* A built-in allow-rule: skip files by path, or drop secrets by regex. */
struct secret_allow_def {
	const char *id, *description;
	const char *path_regex, *secret_regex;
};
extern const struct secret_allow_def secret_builtin_allows[];
extern const size_t secret_builtin_allow_count;

/* Id of the catalogue rule for secret-named environment variables. */
#define SECRET_ENV_RULE_ID "env-secret-variable"

struct allow_rule {
	const char *id, *description;
	const char *path_src, *secret_src;
	pcre2_code *path_re, *secret_re;
};

struct rule {
	struct secret_rule_def def;   /* strings: static (built-in) or in the engine arena */
	const char *path_src;         /* custom rules: only files whose path matches */
	struct allow_rule *allows;    /* per-rule allow-rules (rule file) */
	size_t nallows;
	const char *const *keywords;  /* rule file: an arena array; NULL: def.keywords */
	size_t nkeywords;
	pcre2_code *re, *path_re, *near_re;
	int secret_group_no;          /* 0 = whole match */
	int near_anchor;              /* rule index, -1 = none */
	bool custom;                  /* from the rule file */
	bool in_hs;                   /* regex compiled into the Hyperscan database */
	const char *hs_expr;          /* the regex as Hyperscan got it (prefilter form) */
	uint32_t *kw_ids;             /* indexes into secret_engine.keywords */
};

#define SECRET_SCRATCH_POOL 16

struct secret_engine {
	struct arena arena;
	struct rule *rules;
	size_t nrules;
	struct allow_rule *allows;    /* global allow-rules */
	size_t nallows;
	char **keywords;              /* lower-cased, unique */
	size_t nkeywords;
	hs_database_t *db;
	hs_scratch_t *scratch_proto;
	pthread_mutex_t pool_lock;
	hs_scratch_t *pool[SECRET_SCRATCH_POOL];
	size_t npool;
	uint64_t max_file_bytes;
	bool scan_binaries;
};

/* One secret found in a buffer, before masking. Offsets into the buffer. */
struct secret_hit {
	size_t rule;
	size_t start, end;            /* whole match */
	size_t sstart, send;          /* secret part */
};

struct secret_hits {
	struct secret_hit *v;
	size_t n, cap;
};

/* Finds the secrets in data (no binary/size/path-skip tests: callers do
 * those). path may be NULL. */
int secret_find(struct secret_engine *eng, const char *path, const unsigned char *data, size_t n,
		struct secret_hits *hits, struct berr *e);
/* Turns hits (sorted in place) into masked findings; line numbers unless
 * location is set (an image config entry). */
int secret_emit(struct secret_engine *eng, const char *path, const char *location, int layer,
		const unsigned char *data, size_t n, struct secret_hits *hits, struct finding_list *out);
int secret_rule_index(const struct secret_engine *eng, const char *id);

/* Rule file (config.c): applies enable/disable lists and adds custom rules
 * and allow-rules to the (not yet compiled) rule set. */
int secret_config_apply(struct secret_engine *eng, const char *path, struct berr *e);
/* The same on a document in memory; `what` names it in messages. */
int secret_config_apply_text(struct secret_engine *eng, const char *text, size_t n, const char *what, struct berr *e);

/* An engine from a rule file in memory, compiling only what `full` asks:
 * everything (as secret_engine_new), or only the rule file's own regexes
 * (no Hyperscan database: the engine cannot scan). For the rule-file
 * fuzzer, which must not spend 100 ms per input compiling built-ins. */
int secret_engine_new_from_text(const char *config, size_t n, bool full, struct secret_engine **out, struct berr *e);

/* Compiles a PCRE2 pattern with JIT; on error fills msg. */
pcre2_code *secret_pcre_compile(const char *pattern, char *msg, size_t msgsz);

/* Text checks (checks.c). */
double secret_entropy(const char *s, size_t n);
bool secret_is_placeholder(const char *s, size_t n);
/* quoted: the secret was between quotes in the text (a string, not code). */
bool secret_check_passes(const struct secret_rule_def *r, const char *s, size_t n, bool quoted);
bool secret_looks_binary(const unsigned char *p, size_t n);
bool secret_env_name_is_secret(const char *name, size_t n);

#endif
