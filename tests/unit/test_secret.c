/* Secret engine: every built-in rule finds a planted secret, look-alikes
 * (placeholders, docs examples, hashes, UUIDs, variable references) are not
 * reported, masking never leaks, line numbers, skips and limits, the rule
 * file, the image config, and scanning from two threads at once.
 *
 * The planted secrets are assembled at run time from templates
 * ("ghp_%{an:36}": a prefix and 36 pseudo-random alphanumerics), so this
 * file holds no string a secret scanner (GitHub push protection, or bosun
 * itself) would take for a credential. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

#include "secret/secret.h"

/* ---- planted secrets ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static const char *charset(const char *name)
{
	static const struct {
		const char *name, *chars;
	} sets[] = {
		{ "an", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" },
		{ "hex", "0123456789abcdef" },
		{ "HEX", "0123456789ABCDEF" },
		{ "AZ09", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" },
		{ "b64", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" },
		{ "url", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-" },
		{ "lower", "abcdefghijklmnopqrstuvwxyz" },
		{ "alpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" },
		{ "b32", "abcdefghijklmnopqrstuvwxyz234567" },
		{ "digit", "0123456789" },
		{ "lan", "abcdefghijklmnopqrstuvwxyz0123456789" },
		{ "bech", "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L" },
		{ "pw", "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%^+" },
	};
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
		if (strcmp(sets[i].name, name) == 0)
			return sets[i].chars;
	fail_msg("unknown charset %s", name);
	return NULL;
}

static void b64enc(const unsigned char *in, size_t n, char *out)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t w = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
		out[w++] = t[v >> 18 & 63];
		out[w++] = t[v >> 12 & 63];
		out[w++] = i + 1 < n ? t[v >> 6 & 63] : '=';
		out[w++] = i + 2 < n ? t[v & 63] : '=';
	}
	out[w] = 0;
}

/* Expands %{set:len} (random characters), %{basic} (base64 of
 * "deploy:<random password>") and %{pem:lines} (64-column base64 lines). */
static char *expand(const char *tmpl)
{
	struct buf b = { 0 };
	for (const char *p = tmpl; *p;) {
		if (p[0] != '%' || p[1] != '{') {
			buf_append(&b, p++, 1);
			continue;
		}
		const char *close = strchr(p, '}');
		assert_non_null(close);
		char spec[32];
		snprintf(spec, sizeof spec, "%.*s", (int)(close - p - 2), p + 2);
		p = close + 1;
		if (strcmp(spec, "basic") == 0) {
			char raw[64], enc[128];
			strcpy(raw, "deploy:");
			for (int i = 0; i < 14; i++)
				raw[7 + i] = charset("an")[rnd(62)];
			raw[21] = 0;
			b64enc((unsigned char *)raw, strlen(raw), enc);
			buf_append_str(&b, enc);
			continue;
		}
		char *colon = strchr(spec, ':');
		assert_non_null(colon);
		*colon = 0;
		int len = atoi(colon + 1);
		if (strcmp(spec, "pem") == 0) {
			for (int l = 0; l < len; l++) {
				for (int i = 0; i < 64; i++)
					buf_append(&b, &charset("b64")[rnd(64)], 1);
				buf_append(&b, "\n", 1);
			}
			continue;
		}
		const char *cs = charset(spec);
		size_t m = strlen(cs);
		for (int i = 0; i < len; i++)
			buf_append(&b, &cs[rnd((unsigned)m)], 1);
	}
	return b.data;
}

struct plant {
	const char *rule;
	const char *path;
	const char *tmpl;
};

static const struct plant plants[] = {
	{ "aws-access-key-id", "root/.aws/credentials", "[default]\naws_access_key_id = AKIA%{AZ09:16}\n" },
	{ "aws-access-key-id", "app/deploy.sh", "export AWS_ACCESS_KEY_ID=ASIA%{AZ09:16}\n" },
	{ "aws-secret-access-key", "root/.aws/credentials", "[default]\naws_secret_access_key = %{an:18}/%{an:21}\n" },
	{ "aws-secret-access-key", "app/settings.json", "{\"SecretAccessKey\": \"%{an:20}+%{an:19}\"}\n" },
	/* near its id, no telling name */
	{ "aws-secret-access-key", "app/notes.txt", "keys for prod:\n  AKIA%{AZ09:16}\n  %{an:12}/%{an:27}\n" },
	{ "aws-session-token", "root/.aws/credentials", "aws_session_token = FwoGZXIvYXdzE%{b64:180}\n" },
	{ "aws-mws-auth-token", "app/mws.cfg", "token=amzn.mws.%{hex:8}-%{hex:4}-%{hex:4}-%{hex:4}-%{hex:12}\n" },
	{ "aws-bedrock-api-key", "app/.env", "BEDROCK_KEY=ABSK%{b64:120}\n" },
	{ "gcp-service-account", "app/sa.json",
	  "{\n  \"type\": \"service_account\",\n  \"project_id\": \"bosun-test\",\n  \"private_key_id\": \"%{hex:40}\",\n"
	  "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE%{b64:60}\\n%{b64:64}\\n%{b64:64}\\n-----END PRIVATE KEY-----\\n\",\n"
	  "  \"client_email\": \"svc@bosun-test.iam.gserviceaccount.com\"\n}\n" },
	{ "gcp-api-key", "web/config.js", "const key = \"AIza%{url:35}\";\n" },
	{ "gcp-oauth-client-secret", "app/client.json", "{\"client_secret\":\"GOCSPX-%{url:28}\"}\n" },
	{ "google-oauth-access-token", "tmp/token.txt", "Authorization: Bearer ya29.%{url:120}\n" },
	{ "azure-storage-connection-string", "app/appsettings.json",
	  "\"Storage\": \"DefaultEndpointsProtocol=https;AccountName=bosunstore;AccountKey=%{b64:86}==;EndpointSuffix=core.windows.net\"\n" },
	{ "azure-storage-account-key", "app/.env", "AZURE_STORAGE_KEY=%{b64:86}==\n" },
	{ "azure-ad-client-secret", "app/auth.yaml", "client_secret: \"%{an:3}8Q~%{an:34}\"\n" },
	{ "azure-devops-pat", "ci/env", "AZURE_DEVOPS_PAT=%{b32:52}\n" },
	{ "github-pat", "root/.git-credentials", "token=ghp_%{an:36}\n" },
	{ "github-oauth-token", "app/gh.json", "{\"token\": \"gho_%{an:36}\"}\n" },
	{ "github-app-user-token", "app/gh.env", "GH=ghu_%{an:36}\n" },
	{ "github-app-installation-token", "app/gh.env", "GH=ghs_%{an:36}\n" },
	{ "github-refresh-token", "app/gh.env", "GH=ghr_%{an:36}\n" },
	{ "github-fine-grained-pat", "app/gh.env", "GH=github_pat_%{an:22}_%{an:59}\n" },
	{ "gitlab-pat", "app/.gitlab", "GITLAB_TOKEN=glpat-%{url:20}\n" },
	{ "gitlab-runner-registration-token", "etc/gitlab-runner/config.toml", "token = \"GR1348941%{url:20}\"\n" },
	{ "gitlab-runner-auth-token", "etc/gitlab-runner/config.toml", "token = \"glrt-%{url:20}\"\n" },
	{ "gitlab-pipeline-trigger-token", "ci/trigger.sh", "curl -F token=glptt-%{hex:40} https://gitlab\n" },
	{ "gitlab-deploy-token", "ci/env", "T=gldt-%{url:20}\n" },
	{ "gitlab-feed-token", "ci/env", "T=glft-%{url:20}\n" },
	{ "gitlab-oauth-app-secret", "ci/env", "T=gloas-%{hex:64}\n" },
	{ "gitlab-cicd-job-token", "ci/env", "T=glcbt-%{an:2}_%{url:20}\n" },
	{ "slack-bot-token", "app/slack.yaml", "bot_token: xoxb-%{digit:12}-%{digit:13}-%{an:24}\n" },
	{ "slack-user-token", "app/slack.yaml", "user_token: xoxp-%{digit:12}-%{digit:12}-%{digit:13}-%{hex:32}\n" },
	{ "slack-app-token", "app/slack.yaml", "app_token: xapp-1-A%{AZ09:10}-%{digit:13}-%{lan:64}\n" },
	{ "slack-legacy-token", "app/slack.yaml", "legacy: xoxa-2-%{an:30}\n" },
	{ "slack-config-token", "app/slack.yaml", "config: xoxe.xoxp-1-%{AZ09:164}\n" },
	{ "slack-webhook-url", "app/notify.py",
	  "URL = 'https://hooks.slack.com/services/T%{AZ09:8}/B%{AZ09:10}/%{an:24}'\n" },
	{ "stripe-secret-key", "app/billing.py", "stripe.api_key = \"sk_live_%{an:24}\"\n" },
	{ "stripe-restricted-key", "app/billing.py", "KEY = \"rk_live_%{an:32}\"\n" },
	{ "stripe-webhook-secret", "app/billing.py", "WH = \"whsec_%{an:32}\"\n" },
	{ "square-access-token", "app/pay.env", "SQUARE=EAAA%{url:60}\n" },
	{ "square-oauth-secret", "app/pay.env", "SQUARE_SECRET=sq0csp-%{url:43}\n" },
	{ "braintree-access-token", "app/pay.env", "BT=access_token$production$%{lan:16}$%{hex:32}\n" },
	{ "twilio-api-key", "app/twilio.env", "# twilio\nTWILIO_KEY=SK%{hex:32}\n" },
	{ "twilio-auth-token", "app/twilio.env", "TWILIO_AUTH_TOKEN=%{hex:32}\n" },
	{ "sendgrid-api-key", "app/mail.env", "SENDGRID=SG.%{url:22}.%{url:43}\n" },
	{ "mailgun-api-key", "app/mail.env", "MAILGUN_API_KEY=key-%{lan:32}\n" },
	{ "mailchimp-api-key", "app/mail.env", "MC=%{hex:32}-us14\n" },
	{ "telegram-bot-token", "app/bot.env", "BOT=%{digit:10}:AA%{url:33}\n" },
	{ "discord-bot-token", "app/bot.env", "DISCORD_TOKEN=M%{an:25}.%{url:6}.%{url:38}\n" },
	{ "discord-webhook-url", "app/bot.env",
	  "HOOK=https://discord.com/api/webhooks/%{digit:18}/%{url:68}\n" },
	{ "npm-access-token", "root/.npmrc", "//registry.npmjs.org/:_authToken=npm_%{an:36}\n" },
	{ "npmrc-auth-token", "root/.npmrc", "//npm.corp.example/:_authToken=%{an:40}\n" },
	{ "pypi-upload-token", "root/.pypirc", "[pypi]\npassword = pypi-AgEIcHlwaS5vcmc%{url:70}\n" },
	{ "rubygems-api-key", "root/.gem/credentials", ":rubygems_api_key: rubygems_%{hex:48}\n" },
	{ "docker-config-auth", "root/.docker/config.json",
	  "{\n\t\"auths\": {\n\t\t\"registry.example.com\": {\n\t\t\t\"auth\": \"%{basic}\"\n\t\t}\n\t}\n}\n" },
	{ "hashicorp-vault-service-token", "app/vault.env", "VAULT=hvs.%{url:90}\n" },
	{ "hashicorp-vault-batch-token", "app/vault.env", "VAULT=hvb.%{url:120}\n" },
	{ "hashicorp-vault-legacy-token", "app/vault.env", "VAULT_TOKEN=s.%{an:24}\n" },
	{ "terraform-cloud-token", "root/.terraformrc", "token = \"%{an:14}.atlasv1.%{url:67}\"\n" },
	{ "shopify-access-token", "app/shop.env", "S=shpat_%{hex:32}\n" },
	{ "shopify-custom-app-token", "app/shop.env", "S=shpca_%{hex:32}\n" },
	{ "shopify-private-app-token", "app/shop.env", "S=shppa_%{hex:32}\n" },
	{ "shopify-shared-secret", "app/shop.env", "S=shpss_%{hex:32}\n" },
	{ "heroku-api-key", "app/.netrc.env",
	  "HEROKU_API_KEY=%{hex:8}-%{hex:4}-%{hex:4}-%{hex:4}-%{hex:12}\n" },
	{ "heroku-api-key-v2", "app/heroku.env", "H=HRKU-AA%{url:58}\n" },
	{ "databricks-api-token", "app/db.env", "DATABRICKS_TOKEN=dapi%{hex:32}\n" },
	{ "digitalocean-pat", "app/do.env", "DO=dop_v1_%{hex:64}\n" },
	{ "digitalocean-oauth-token", "app/do.env", "DO=doo_v1_%{hex:64}\n" },
	{ "digitalocean-refresh-token", "app/do.env", "DO=dor_v1_%{hex:64}\n" },
	{ "netlify-pat", "app/netlify.env", "N=nfp_%{an:36}\n" },
	{ "netlify-token", "app/netlify.toml", "netlify_auth_token = \"%{url:43}\"\n" },
	{ "fastly-api-token", "app/fastly.env", "FASTLY_API_TOKEN=%{url:32}\n" },
	{ "cloudflare-api-token", "app/cf.env", "CLOUDFLARE_API_TOKEN=%{url:40}\n" },
	{ "cloudflare-origin-ca-key", "app/cf.env", "CA=v1.0-%{hex:24}-%{hex:146}\n" },
	{ "pulumi-access-token", "app/pulumi.env", "P=pul-%{hex:40}\n" },
	{ "doppler-token", "app/doppler.env", "D=dp.st.%{an:43}\n" },
	{ "postman-api-key", "app/postman.env", "P=PMAK-%{hex:24}-%{hex:34}\n" },
	{ "planetscale-token", "app/ps.env", "PS=pscale_tkn_%{url:43}\n" },
	{ "supabase-access-token", "app/sb.env", "SB=sbp_%{hex:40}\n" },
	{ "flyio-access-token", "app/fly.env", "FLY=fo1_%{url:43}\n" },
	{ "atlassian-api-token", "app/jira.env", "JIRA=ATATT3%{url:186}\n" },
	{ "okta-api-token", "app/okta.env", "OKTA_API_TOKEN=00%{url:40}\n" },
	{ "linear-api-key", "app/linear.env", "L=lin_api_%{an:40}\n" },
	{ "openai-api-key", "app/ai.env", "OPENAI_API_KEY=sk-proj-%{url:40}T3BlbkFJ%{url:40}\n" },
	{ "anthropic-api-key", "app/ai.env", "ANTHROPIC_API_KEY=sk-ant-api03-%{url:93}AA\n" },
	{ "huggingface-token", "app/ai.env", "HF_TOKEN=hf_%{alpha:34}\n" },
	{ "grafana-api-key", "app/grafana.env", "G=eyJrIjoi%{an:80}=\n" },
	{ "grafana-cloud-token", "app/grafana.env", "G=glc_%{an:60}\n" },
	{ "grafana-service-account-token", "app/grafana.env", "G=glsa_%{an:32}_%{hex:8}\n" },
	{ "newrelic-user-api-key", "app/nr.env", "NR=NRAK-%{AZ09:27}\n" },
	{ "newrelic-insert-key", "app/nr.env", "NR=NRII-%{url:32}\n" },
	{ "newrelic-browser-api-key", "app/nr.env", "NR=NRJS-%{hex:19}\n" },
	{ "datadog-api-key", "etc/datadog-agent/datadog.env", "DD_API_KEY=%{hex:32}\n" },
	{ "datadog-app-key", "etc/datadog-agent/datadog.env", "DATADOG_APP_KEY=%{hex:40}\n" },
	{ "sentry-org-token", "app/sentry.env", "S=sntrys_eyJ%{url:80}\n" },
	{ "sentry-user-token", "app/sentry.env", "S=sntryu_%{hex:64}\n" },
	{ "dropbox-api-token", "app/dropbox.env", "DB=sl.%{url:140}\n" },
	{ "asana-pat", "app/asana.env", "ASANA_TOKEN=1/%{digit:16}:%{hex:32}\n" },
	{ "alibaba-access-key-id", "app/ali.env", "A=LTAI%{an:20}\n" },
	{ "alibaba-secret-key", "app/ali.env", "ALIBABA_CLOUD_ACCESS_KEY_SECRET=%{an:30}\n" },
	{ "tencent-secret-id", "app/tc.env", "T=AKID%{an:32}\n" },
	{ "dynatrace-api-token", "app/dt.env", "DT=dt0c01.%{AZ09:24}.%{AZ09:64}\n" },
	{ "mapbox-secret-token", "app/map.env", "M=sk.eyJ1Ijoi%{url:40}.%{url:22}\n" },
	{ "facebook-access-token", "app/fb.env", "FB=EAACEdEose0cBA%{an:60}\n" },
	{ "jwt", "app/session.txt",
	  "cookie=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ%{url:60}.%{url:43}\n" },
	{ "private-key", "root/.ssh/id_rsa", "-----BEGIN RSA PRIVATE KEY-----\nMIIE%{pem:12}%{b64:40}==\n-----END RSA PRIVATE KEY-----\n" },
	{ "private-key", "root/.ssh/id_ed25519",
	  "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA%{pem:6}-----END OPENSSH PRIVATE KEY-----\n" },
	{ "private-key", "etc/ssl/private/server.key", "-----BEGIN EC PRIVATE KEY-----\n%{pem:3}-----END EC PRIVATE KEY-----\n" },
	{ "private-key", "etc/ssl/private/dsa.key", "-----BEGIN DSA PRIVATE KEY-----\n%{pem:10}-----END DSA PRIVATE KEY-----\n" },
	{ "private-key", "etc/ssl/private/p8.key", "-----BEGIN PRIVATE KEY-----\r\n%{b64:64}\r\n%{b64:64}\r\n-----END PRIVATE KEY-----\r\n" },
	{ "private-key", "etc/ssl/private/enc.key",
	  "-----BEGIN ENCRYPTED PRIVATE KEY-----\n%{pem:8}-----END ENCRYPTED PRIVATE KEY-----\n" },
	{ "private-key", "etc/ssl/private/legacy.key",
	  "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,%{HEX:32}\n\n%{pem:10}-----END RSA PRIVATE KEY-----\n" },
	{ "private-key", "root/.gnupg/secret.asc",
	  "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF%{pem:12}=%{an:4}\n-----END PGP PRIVATE KEY BLOCK-----\n" },
	{ "putty-private-key", "home/u/key.ppk",
	  "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key\nPublic-Lines: 2\n%{pem:2}Private-Lines: 4\n%{pem:4}Private-MAC: %{hex:40}\n" },
	{ "age-secret-key", "root/.config/age/keys.txt", "# created\nAGE-SECRET-KEY-1%{bech:58}\n" },
	{ "kubernetes-client-key-data", "root/.kube/config",
	  "users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo%{b64:200}\n" },
	{ "generic-password", "etc/app/db.yaml", "database:\n  user: app\n  password: %{pw:16}\n" },
	{ "generic-password", "app/config.json", "{\"db\": {\"password\": \"%{pw:12} %{an:4}\"}}\n" },
	{ "generic-password", "app/.env", "DB_PASSWORD='%{pw:14}'\n" },
	{ "url-credentials", "app/settings.py", "DATABASE_URL = \"postgres://app:%{an:18}@db.internal:5432/app\"\n" },
	{ "http-basic-auth", "app/client.sh", "curl -H \"Authorization: Basic %{basic}\" https://api\n" },
};

/* Things that look like secrets and are not: every one must go unreported. */
static const struct plant lookalikes[] = {
	{ NULL, "root/.aws/credentials",
	  "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" },
	{ NULL, "app/ids.txt", "request 123e4567-e89b-12d3-a456-426614174000\nheroku_app = my-heroku-app\n" },
	{ NULL, "app/hashes.txt",
	  "commit 3f786850e387550fdab836ed7e6dc881de23001b\nsha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
	  "md5 d41d8cd98f00b204e9800998ecf8427e\nnear AKIAIOSFODNN7EXAMPLE: 3f786850e387550fdab836ed7e6dc881de23001b\n" },
	{ NULL, "etc/ssl/certs/x.crt", "-----BEGIN CERTIFICATE-----\n%{pem:12}-----END CERTIFICATE-----\n" },
	{ NULL, "etc/ssh/host.pub", "-----BEGIN PUBLIC KEY-----\n%{pem:4}-----END PUBLIC KEY-----\n" },
	{ NULL, "app/blob.b64", "%{pem:40}" },
	{ NULL, "app/db.yaml",
	  "password: changeme\npassword = ${DB_PASSWORD}\npassword: <password>\npassword=xxxxxxxx\npassword: \"\"\n"
	  "password = os.getenv('DB_PASSWORD')\npassword: ********\nPASSWORD={{ .Values.password }}\n"
	  "password: !vault |\npassword = None\npassword: true\npassword: $(cat /run/secrets/db)\n"
	  "password: your-password-here\npassword_file: /run/secrets/db\npasswordless: true\n"
	  "password = request.form['password']\npassword: self.db_password\npassword: DB_PASSWORD_VALUE\n"
	  "password: %(db_password)s\npassword: secret\npassword: \"REPLACE_ME\"\n" },
	{ NULL, "etc/nsswitch.conf", "passwd:         files systemd\ngroup:          files systemd\nshadow: files\n" },
	{ NULL, "etc/pam.d/common-password",
	  "password\t[success=1 default=ignore]\tpam_unix.so obscure yescrypt\npassword\trequisite\t\t\tpam_deny.so\n" },
	{ NULL, "etc/ssh/sshd_config", "PasswordAuthentication no\nPermitEmptyPasswords no\n" },
	{ NULL, "app/docs.txt",
	  "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nstripe: sk_live_000000000000000000000000\n"
	  "slack: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"
	  "use GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }} and api_key: YOUR_API_KEY\nxoxb-your-token\n"
	  "client-key-data: REDACTED\nexport AWS_SECRET_ACCESS_KEY=$AWS_SECRET\n" },
	{ NULL, "app/keydoc.txt",
	  "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n"
	  "-----BEGIN PRIVATE KEY-----\n<your private key here>\n-----END PRIVATE KEY-----\n" },
	{ NULL, "app/urls.txt",
	  "https://user:password@example.com\npostgres://user:${DB_PASS}@db/app\nhttps://github.com/org/repo\n"
	  "git@github.com:org/repo.git\nhttp://localhost:8080/path@v1\nredis://:@cache:6379\n" },
	{ NULL, "app/jwtlike.txt", "eyJfoo.eyJbar.baz\neyJ%{url:20}.eyJ%{url:20}.%{url:20}\n" },
	{ NULL, "app/auth.txt",
	  "Authorization: Basic dXNlcjpwYXNzd29yZA==\nAuthorization: Basic dXNlcjo=\n" },
	{ NULL, "root/.docker/config.json",
	  "{\"auths\": {\"r.example.com\": {\"auth\": \"\"}, \"q.example.com\": {\"auth\": \"dXNlcjo=\"}}}\n" },
	{ NULL, "app/lorem.txt",
	  "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Vestibulum dapibus sl.append(x) "
	  "Asia AKIA is a word; key-value store; the session token expired; vault: enabled\n" },
	{ NULL, "app/b64inline.txt", "data:image/png;base64,x%{an:30}AKIA%{AZ09:16}%{an:20}\n" },
	{ NULL, "app/env.sh", "export GITLAB_TOKEN=$CI_JOB_TOKEN\nNPM_TOKEN=${NPM_TOKEN}\n_authToken=${NPM_TOKEN}\n" },
};

static struct secret_engine *engine(const char *config)
{
	struct secret_options o = { .config_path = config };
	struct secret_engine *eng;
	struct berr e = { 0 };
	if (secret_engine_new(&o, &eng, &e) != BOSUN_OK)
		fail_msg("engine: %s", e.msg);
	return eng;
}

static void scan(struct secret_engine *eng, const char *path, const char *text, struct finding_list *l)
{
	struct berr e = { 0 };
	if (secret_scan_buffer(eng, path, 0, (const unsigned char *)text, strlen(text), l, &e) != BOSUN_OK)
		fail_msg("scan %s: %s", path, e.msg);
}

static bool has_rule(const struct finding_list *l, const char *rule)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].rule_id, rule) == 0)
			return true;
	return false;
}

/* The masked match never holds more than 4 + 4 characters of the secret. */
static void assert_masked(const struct finding *f, const char *text)
{
	assert_non_null(f->match);
	size_t shown = 0, n = strlen(f->match);
	for (size_t i = 0; i < n; i++)
		shown += f->match[i] != '*';
	if (shown > 8)
		fail_msg("%s shows %zu characters: %s", f->rule_id, shown, f->match);
	/* a long run of the secret never appears in the message */
	assert_non_null(strstr(f->message, f->match));
	(void)text;
}

static void test_recall_and_false_positives(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	size_t found = 0, planted = 0, fps = 0;
	/* every built-in rule with a regex has a planted secret */
	for (size_t i = 0; i < secret_rule_count(eng); i++) {
		const char *id;
		secret_rule_info(eng, i, &id, NULL, NULL, NULL);
		if (strcmp(id, "env-secret-variable") == 0)
			continue; /* image config only: test_image_config */
		bool planted_rule = false;
		for (size_t k = 0; k < sizeof plants / sizeof *plants && !planted_rule; k++)
			planted_rule = strcmp(plants[k].rule, id) == 0;
		if (!planted_rule)
			fail_msg("rule %s has no planted secret", id);
	}
	for (size_t k = 0; k < sizeof plants / sizeof *plants; k++) {
		char *text = expand(plants[k].tmpl);
		struct finding_list l;
		finding_list_init(&l);
		scan(eng, plants[k].path, text, &l);
		planted++;
		if (has_rule(&l, plants[k].rule))
			found++;
		else
			print_message("MISSED %s in %s:\n%s\n", plants[k].rule, plants[k].path, text);
		for (size_t i = 0; i < l.n; i++) {
			assert_masked(&l.v[i], text);
			assert_int_equal(l.v[i].kind, FINDING_KIND_SECRET);
			assert_string_equal(l.v[i].path, plants[k].path);
			assert_true(l.v[i].line >= 1);
			assert_non_null(l.v[i].remediation);
			if (strcmp(l.v[i].rule_id, plants[k].rule) != 0)
				print_message("  (also %s in %s: %s)\n", l.v[i].rule_id, plants[k].path, l.v[i].message);
		}
		finding_list_free(&l);
		free(text);
	}
	for (size_t k = 0; k < sizeof lookalikes / sizeof *lookalikes; k++) {
		char *text = expand(lookalikes[k].tmpl);
		struct finding_list l;
		finding_list_init(&l);
		scan(eng, lookalikes[k].path, text, &l);
		for (size_t i = 0; i < l.n; i++)
			print_message("FALSE POSITIVE %s in %s line %u: %s\n", l.v[i].rule_id, lookalikes[k].path,
				      l.v[i].line, l.v[i].message);
		fps += l.n;
		finding_list_free(&l);
		free(text);
	}
	print_message("secret corpus: recall %zu/%zu (%.1f%%), false positives %zu over %zu look-alike files, %zu rules\n",
		      found, planted, 100.0 * (double)found / (double)planted, fps,
		      sizeof lookalikes / sizeof *lookalikes, secret_rule_count(eng));
	assert_int_equal(found, planted);
	assert_int_equal(fps, 0);
	assert_true(secret_rule_count(eng) >= 60);
	secret_engine_free(eng);
}


static struct secret_engine *engine_opts(const struct secret_options *o)
{
	struct secret_engine *eng;
	struct berr e = { 0 };
	if (secret_engine_new(o, &eng, &e) != BOSUN_OK)
		fail_msg("engine: %s", e.msg);
	return eng;
}

static size_t count_rule(const struct finding_list *l, const char *rule)
{
	size_t k = 0;
	for (size_t i = 0; i < l->n; i++)
		k += strcmp(l->v[i].rule_id, rule) == 0;
	return k;
}

static const struct finding *find_rule(const struct finding_list *l, const char *rule)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].rule_id, rule) == 0)
			return &l->v[i];
	return NULL;
}

static void test_catalogue(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	static const char *const required[] = { "aws-access-key-id", "aws-secret-access-key", "github-pat",
						"private-key", "env-secret-variable" };
	for (size_t r = 0; r < sizeof required / sizeof *required; r++) {
		bool seen = false;
		for (size_t i = 0; i < secret_rule_count(eng); i++) {
			const char *id;
			secret_rule_info(eng, i, &id, NULL, NULL, NULL);
			seen |= strcmp(id, required[r]) == 0;
		}
		if (!seen)
			fail_msg("no rule %s", required[r]);
	}
	for (size_t i = 0; i < secret_rule_count(eng); i++) {
		const char *id, *cat, *title;
		enum vuln_severity sev;
		secret_rule_info(eng, i, &id, &cat, &title, &sev);
		assert_true(sev >= SEV_LOW && sev <= SEV_CRITICAL);
		assert_true(*cat && *title);
		for (const char *p = id; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || (*p == '-' && p != id && p[1])))
				fail_msg("rule id %s is not lower-kebab", id);
		for (size_t k = 0; k < i; k++) {
			const char *other;
			secret_rule_info(eng, k, &other, NULL, NULL, NULL);
			if (strcmp(id, other) == 0)
				fail_msg("duplicate rule id %s", id);
		}
	}
	secret_engine_free(eng);
}

static void test_masking(void **state)
{
	(void)state;
	char out[64];
	secret_mask("AKIABOSUNTESTFAKE001", 20, out, sizeof out);
	assert_string_equal(out, "AKIA************E001");
	secret_mask("hunter2", 7, out, sizeof out);
	assert_string_equal(out, "*******");
	secret_mask("abcdefghijklmno", 15, out, sizeof out);
	assert_string_equal(out, "***************");
	secret_mask("", 0, out, sizeof out);
	assert_string_equal(out, "");
	/* long secrets: at most 32 stars, so a private key stays one line */
	char longs[3000];
	memset(longs, 'k', sizeof longs);
	memcpy(longs, "MIIE", 4);
	memcpy(longs + sizeof longs - 4, "AB==", 4);
	secret_mask(longs, sizeof longs, out, sizeof out);
	assert_string_equal(out, "MIIE********************************AB==");
	/* control characters and newlines are never shown */
	secret_mask("\nabc\tdefghijklmnopq\x01", 20, out, sizeof out);
	assert_string_equal(out, "*abc************opq*");
	/* a tiny output buffer is still terminated */
	secret_mask("AKIABOSUNTESTFAKE001", 20, out, 5);
	assert_string_equal(out, "AKIA");

	/* a finding's message and match hold the masked form only */
	struct secret_engine *eng = engine(NULL);
	char *text = expand("token=ghp_%{an:36}\n");
	struct finding_list l;
	finding_list_init(&l);
	scan(eng, "app/.env", text, &l);
	assert_int_equal(l.n, 1);
	const char *secret = strstr(text, "ghp_");
	char middle[16];
	memcpy(middle, secret + 4, 8);
	middle[8] = 0;
	assert_null(strstr(l.v[0].message, middle));
	assert_null(strstr(l.v[0].match, middle));
	assert_int_equal(strlen(l.v[0].match), 40);
	assert_memory_equal(l.v[0].match, "ghp_", 4);
	assert_memory_equal(l.v[0].match + 36, secret + 36, 4);
	finding_list_free(&l);
	free(text);
	secret_engine_free(eng);
}

static void test_line_numbers(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	struct finding_list l;
	char *tok = expand("ghp_%{an:36}");
	char text[4096];

	/* first line, last line without a newline, and a line in between */
	snprintf(text, sizeof text, "T=%s\nx\ny\nT=%s\nz\nT=%s", tok, tok, tok);
	finding_list_init(&l);
	scan(eng, "a.env", text, &l);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.v[0].line, 1);
	assert_int_equal(l.v[1].line, 4);
	assert_int_equal(l.v[2].line, 6);
	assert_int_equal(l.v[2].end_line, 6);
	finding_list_free(&l);

	/* CRLF line ends count once */
	snprintf(text, sizeof text, "a\r\nb\r\n\r\nT=%s\r\nc\r\nT=%s\r\n", tok, tok);
	finding_list_init(&l);
	scan(eng, "w.env", text, &l);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].line, 4);
	assert_int_equal(l.v[1].line, 6);
	finding_list_free(&l);

	/* a private key: the BEGIN line, ending where the key ends */
	char *key = expand("x\n-----BEGIN RSA PRIVATE KEY-----\n%{pem:5}-----END RSA PRIVATE KEY-----\n");
	finding_list_init(&l);
	scan(eng, "id_rsa", key, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].line, 2);
	assert_int_equal(l.v[0].end_line, 8);
	finding_list_free(&l);
	free(key);
	free(tok);
	secret_engine_free(eng);
}

static void test_binary_and_size_limits(void **state)
{
	(void)state;
	char *tok = expand("T=ghp_%{an:36}\n");
	size_t tn = strlen(tok);
	struct finding_list l;
	struct berr e = { 0 };
	struct secret_engine *eng = engine(NULL);

	/* a NUL in the first 4 KiB: binary, skipped */
	unsigned char bin[8192];
	memset(bin, 'a', sizeof bin);
	bin[100] = 0;
	memcpy(bin + 5000, tok, tn);
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "bin/tool", 0, bin, sizeof bin, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	/* a NUL only after the head: text */
	bin[100] = 'a';
	bin[6000] = 0;
	assert_int_equal(secret_scan_buffer(eng, "bin/tool", 0, bin, sizeof bin, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 1);
	finding_list_free(&l);
	/* many control bytes and no NUL: binary too */
	for (size_t i = 0; i < 4096; i += 2)
		bin[i] = 0x01;
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "bin/tool", 0, bin, sizeof bin, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	secret_engine_free(eng);

	/* scan_binaries: the same buffer is scanned */
	struct secret_options o = { .scan_binaries = true };
	eng = engine_opts(&o);
	bin[100] = 0;
	assert_int_equal(secret_scan_buffer(eng, "bin/tool", 0, bin, sizeof bin, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 1);
	finding_list_free(&l);
	secret_engine_free(eng);

	/* the size limit: above it, nothing is read */
	o = (struct secret_options){ .max_file_bytes = 1000 };
	eng = engine_opts(&o);
	char big[2000];
	memset(big, ' ', sizeof big);
	memcpy(big, tok, tn);
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "app/big.env", 0, (unsigned char *)big, sizeof big, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	assert_int_equal(secret_scan_buffer(eng, "app/big.env", 0, (unsigned char *)big, 1000, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 1);
	finding_list_free(&l);
	secret_engine_free(eng);
	free(tok);
}

/* 20 MB of one letter without a newline, a token at its end: found within
 * the limit (line 1), skipped above it; neither takes long. */
static void test_huge_line(void **state)
{
	(void)state;
	size_t n = 20u * 1000 * 1000;
	char *tok = expand(" ghp_%{an:36} AKIA%{AZ09:16}\n");
	size_t tn = strlen(tok);
	unsigned char *b = malloc(n + tn);
	assert_non_null(b);
	memset(b, 'A', n);
	memcpy(b + n, tok, tn);
	struct finding_list l;
	struct berr e = { 0 };
	struct secret_options o = { .max_file_bytes = 32u * 1024 * 1024 };
	struct secret_engine *eng = engine_opts(&o);
	finding_list_init(&l);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(secret_scan_buffer(eng, "app/huge.txt", 0, b, n + tn, &l, &e), BOSUN_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("20 MB line: %.3f s\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(count_rule(&l, "github-pat"), 1);
	assert_int_equal(count_rule(&l, "aws-access-key-id"), 1);
	assert_int_equal(l.v[0].line, 1);
	finding_list_free(&l);
	secret_engine_free(eng);

	eng = engine(NULL); /* default limit: 10 MiB */
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "app/huge.txt", 0, b, n + tn, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	/* the same run of letters as a prefix of many candidate tokens */
	memcpy(b, "aws_secret_access_key=", 22);
	assert_int_equal(secret_scan_buffer(eng, "app/huge.txt", 0, b, 9u * 1024 * 1024, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	finding_list_free(&l);
	secret_engine_free(eng);
	free(b);
	free(tok);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	char *tok = expand("ghp_%{an:36}");
	char text[512];
	/* Latin-1, overlong and truncated sequences around the token */
	snprintf(text, sizeof text, "caf\xe9 \xc0\xaf \xed\xa0\x80 \xff\xfe token=%s \xf0\x9f\n\xe2\x82", tok);
	struct finding_list l;
	finding_list_init(&l);
	scan(eng, "app/latin1.conf", text, &l);
	assert_int_equal(count_rule(&l, "github-pat"), 1);
	finding_list_free(&l);
	free(tok);
	secret_engine_free(eng);
}

static void test_skipped_paths(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	char *text = expand("token=ghp_%{an:36}\n");
	static const char *const skipped[] = {
		"usr/share/doc/pkg/README",   "docs/setup.md",
		"usr/lib/python3.11/site-packages/x/tests/key.py", "app/node_modules/pkg/test.js",
		"usr/include/linux/foo.h",    "var/lib/dpkg/status",
		"src/.git/config",            "static/app.min.js",
		"/usr/share/doc/pkg/README",  "/home/u/project/node_modules/x/index.js",
	};
	static const char *const scanned[] = { "root/.aws/credentials", "app/.env", "etc/app/config.yaml",
					       "usr/local/bin/deploy.sh", "opt/app/README.txt",
					       "/home/u/project/.env" };
	for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++) {
		struct finding_list l;
		finding_list_init(&l);
		assert_true(secret_path_skipped(eng, skipped[i]));
		scan(eng, skipped[i], text, &l);
		if (l.n)
			fail_msg("%s should be skipped", skipped[i]);
		finding_list_free(&l);
	}
	for (size_t i = 0; i < sizeof scanned / sizeof *scanned; i++) {
		struct finding_list l;
		finding_list_init(&l);
		assert_false(secret_path_skipped(eng, scanned[i]));
		scan(eng, scanned[i], text, &l);
		if (l.n != 1)
			fail_msg("%s should be scanned", scanned[i]);
		finding_list_free(&l);
	}
	free(text);
	secret_engine_free(eng);
}

static void test_custom_rules(void **state)
{
	(void)state;
	struct secret_engine *eng = engine("tests/data/secret/custom.yaml");
	struct finding_list l;
	char *tok = expand("bosun_token = \"bsn_%{lan:20}\"\njwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ%{url:40}.%{url:43}\n"
			   "token=ghp_%{an:36}\n");

	/* the custom rule, with its own category and severity */
	finding_list_init(&l);
	scan(eng, "app/service.env", tok, &l);
	const struct finding *f = find_rule(&l, "bosun-internal-token");
	assert_non_null(f);
	assert_string_equal(f->category, "Bosun");
	assert_int_equal(f->severity, SEV_HIGH);
	assert_memory_equal(f->match, "bsn_", 4); /* the secret group, not "bosun_token = " */
	assert_int_equal(f->line, 1);
	/* jwt disabled; built-ins still on */
	assert_int_equal(count_rule(&l, "jwt"), 0);
	assert_int_equal(count_rule(&l, "github-pat"), 1);
	finding_list_free(&l);

	/* allow-rule by path */
	finding_list_init(&l);
	scan(eng, "app/fixtures/service.env", tok, &l);
	assert_int_equal(l.n, 0);
	finding_list_free(&l);

	/* allow-rule by regex on the secret */
	finding_list_init(&l);
	scan(eng, "app/a.env", "bosun_token = bsn_tutorialtokenxxx0001\nbosun-token: bsn_tutorialtokenxxx0002\n", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].line, 2);
	finding_list_free(&l);

	/* a rule limited by path, with its own allow-rule */
	finding_list_init(&l);
	scan(eng, "app/notes.txt", "DEPLOYCODE-123456\n", &l);
	assert_int_equal(l.n, 0);
	scan(eng, "app/deploy.sh", "DEPLOYCODE-123456\nDEPLOYCODE-000000\n", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].severity, SEV_LOW);
	assert_string_equal(l.v[0].title, "Deploy code in shell scripts");
	assert_string_equal(l.v[0].category, "Custom");
	finding_list_free(&l);

	/* disable-allow-rules: docs-markup, so README.md is scanned */
	assert_false(secret_path_skipped(eng, "README.md"));
	assert_true(secret_path_skipped(eng, "usr/share/doc/x/README"));
	finding_list_init(&l);
	scan(eng, "README.md", tok, &l);
	assert_int_equal(count_rule(&l, "github-pat"), 1);
	finding_list_free(&l);
	secret_engine_free(eng);

	/* enable-builtin-rules keeps only those */
	eng = engine("tests/data/secret/enable-only.yaml");
	assert_int_equal(secret_rule_count(eng), 2);
	finding_list_init(&l);
	char *two = expand("a=ghp_%{an:36}\nb=glpat-%{url:20}\n");
	scan(eng, "app/x.env", two, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].rule_id, "github-pat");
	finding_list_free(&l);
	free(two);
	secret_engine_free(eng);
	free(tok);
}

static void expect_config_error(const char *file, int code, const char *const *words)
{
	struct secret_options o = { .config_path = file };
	struct secret_engine *eng = (struct secret_engine *)0x1;
	struct berr e = { 0 };
	assert_int_equal(secret_engine_new(&o, &eng, &e), code);
	assert_null(eng);
	for (size_t i = 0; words[i]; i++)
		if (!strstr(e.msg, words[i]))
			fail_msg("%s: error \"%s\" does not name \"%s\"", file, e.msg, words[i]);
	print_message("%s -> %s\n", file, e.msg);
}

static void test_bad_config(void **state)
{
	(void)state;
	expect_config_error("tests/data/secret/bad-regex.yaml", BOSUN_EFORMAT,
			    (const char *[]){ "bad-regex.yaml", "broken-rule", "PCRE2", "missing", NULL });
	expect_config_error("tests/data/secret/bad-group.yaml", BOSUN_EFORMAT,
			    (const char *[]){ "missing-group", "secret", NULL });
	expect_config_error("tests/data/secret/empty-match.yaml", BOSUN_EFORMAT,
			    (const char *[]){ "matches-nothing-at-all", "empty string", NULL });
	expect_config_error("tests/data/secret/bad-severity.yaml", BOSUN_EFORMAT,
			    (const char *[]){ "odd-severity", "EXTREME", NULL });
	expect_config_error("tests/data/secret/unknown-key.yaml", BOSUN_EFORMAT,
			    (const char *[]){ "typo", "secret_group_name", NULL });
	expect_config_error("tests/data/secret/not-yaml.yaml", BOSUN_EFORMAT, (const char *[]){ "not-yaml.yaml", NULL });
	expect_config_error("tests/data/secret/no-such-file.yaml", BOSUN_ENOTFOUND,
			    (const char *[]){ "no-such-file.yaml", "No such file", NULL });
	expect_config_error("tests/data/secret", BOSUN_EIO,
			    (const char *[]){ "tests/data/secret", "not a regular file", NULL });
}

struct thread_arg {
	struct secret_engine *eng;
	const char *text;
	size_t expect;
	int failures;
};

static void *scan_thread(void *p)
{
	struct thread_arg *a = p;
	for (int round = 0; round < 300; round++) {
		struct finding_list l;
		struct berr e = { 0 };
		finding_list_init(&l);
		if (secret_scan_buffer(a->eng, "app/t.env", 1, (const unsigned char *)a->text, strlen(a->text), &l, &e) ||
		    l.n != a->expect)
			a->failures++;
		finding_list_free(&l);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	char *t1 = expand("a=ghp_%{an:36}\nb=AKIA%{AZ09:16}\npassword: '%{pw:14}'\n");
	char *t2 = expand("-----BEGIN EC PRIVATE KEY-----\n%{pem:3}-----END EC PRIVATE KEY-----\nx=xoxb-%{digit:12}-%{digit:12}-%{an:24}\n");
	struct thread_arg a[4] = { { eng, t1, 3, 0 }, { eng, t2, 2, 0 }, { eng, t1, 3, 0 }, { eng, t2, 2, 0 } };
	pthread_t th[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, scan_thread, &a[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	free(t1);
	free(t2);
	secret_engine_free(eng);
}

static void test_content_scanner(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	struct content_scanner cs;
	secret_content_scanner(eng, &cs);
	assert_string_equal(cs.name, "secret");
	char *text = expand("# config\n\nGITHUB_TOKEN=ghp_%{an:36}\n");
	size_t n = strlen(text);
	struct stream_file f = { "app/config/.env", n, 0100644, 2 };
	assert_true(cs.wants(cs.ctx, &f));
	struct stream_file dir = { "app/config", 0, 040755, 2 };
	assert_false(cs.wants(cs.ctx, &dir));
	struct stream_file doc = { "usr/share/doc/x/copyright", n, 0100644, 2 };
	assert_false(cs.wants(cs.ctx, &doc));
	struct stream_file huge = { "app/dump.sql", 11u * 1024 * 1024, 0100644, 2 };
	assert_false(cs.wants(cs.ctx, &huge));

	/* fed in 7-byte pieces, as the walk's chunks would */
	void *st = cs.begin(cs.ctx, &f, (const unsigned char *)text, n);
	assert_non_null(st);
	for (size_t off = 0; off < n; off += 7)
		assert_int_equal(cs.data(st, (const unsigned char *)text + off, n - off < 7 ? n - off : 7), 0);
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	assert_int_equal(cs.end(st, true, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].path, "app/config/.env");
	assert_int_equal(l.v[0].layer, 2);
	assert_int_equal(l.v[0].line, 3);
	assert_string_equal(l.v[0].rule_id, "github-pat");
	finding_list_free(&l);

	/* a binary head: not taken */
	unsigned char elf[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	struct stream_file bin = { "usr/bin/app", sizeof elf, 0100755, 1 };
	assert_null(cs.begin(cs.ctx, &bin, elf, sizeof elf));

	/* a file that grows past the limit (a lying header) is dropped */
	st = cs.begin(cs.ctx, &f, (const unsigned char *)text, n);
	unsigned char chunk[1 << 16];
	memset(chunk, 'x', sizeof chunk);
	int rc = 0;
	for (size_t i = 0; i < 200 && rc == 0; i++)
		rc = cs.data(st, chunk, sizeof chunk);
	assert_int_equal(rc, STREAM_DONE);
	finding_list_init(&l);
	assert_int_equal(cs.end(st, false, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 0);
	/* a file cut short is scanned as far as it went */
	st = cs.begin(cs.ctx, &f, (const unsigned char *)text, n);
	assert_int_equal(cs.data(st, (const unsigned char *)text, n), 0);
	assert_int_equal(cs.end(st, false, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 1);
	finding_list_free(&l);
	free(text);
	secret_engine_free(eng);
}

static void test_image_config(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	char *cfg = expand(
		"{\"architecture\":\"amd64\",\"config\":{\"Env\":["
		"\"PATH=/usr/local/sbin:/usr/local/bin\","
		"\"AWS_ACCESS_KEY_ID=AKIA%{AZ09:16}\","
		"\"AWS_SECRET_ACCESS_KEY=%{an:20}/%{an:19}\","
		"\"DB_PASSWORD=%{pw:12}\","
		"\"API_TOKEN=${API_TOKEN}\","
		"\"REDIS_PASSWORD=\","
		"\"GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\","
		"\"GITHUB_TOKEN=ghp_%{an:36}\","
		"\"NODE_VERSION=18.20.4\"],"
		"\"Labels\":{\"org.opencontainers.image.title\":\"app\",\"com.example.slack\":\"https://hooks.slack.com/services/T%{AZ09:8}/B%{AZ09:10}/%{an:24}\"}},"
		"\"history\":[{\"created_by\":\"debootstrap\"},"
		"{\"created_by\":\"ARG NPM_TOKEN\",\"empty_layer\":true},"
		"{\"created_by\":\"|2 NPM_TOKEN=npm_%{an:36} BUILD_SECRET=%{pw:16} /bin/sh -c npm ci\"},"
		"{\"created_by\":\"/bin/sh -c #(nop)  ENV MYSQL_ROOT_PASSWORD=%{pw:10}\"},"
		"{\"created_by\":\"RUN export PASSWORD=$PASSWORD && make\"}]}");
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	assert_int_equal(secret_scan_image_config(eng, cfg, &l, &e), BOSUN_OK);
	for (size_t i = 0; i < l.n; i++)
		print_message("  %s %s %s\n", l.v[i].location, l.v[i].rule_id, l.v[i].message);
	static const struct {
		const char *location, *rule;
	} want[] = {
		{ "config.Env[1]", "aws-access-key-id" },    { "config.Env[2]", "aws-secret-access-key" },
		{ "config.Env[3]", "env-secret-variable" },  { "config.Env[7]", "github-pat" },
		{ "config.Labels[com.example.slack]", "slack-webhook-url" },
		{ "history[2].created_by", "npm-access-token" }, { "history[2].created_by", "env-secret-variable" },
		{ "history[3].created_by", "env-secret-variable" },
	};
	assert_int_equal(l.n, sizeof want / sizeof *want);
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		bool seen = false;
		for (size_t i = 0; i < l.n; i++)
			seen |= strcmp(l.v[i].location, want[k].location) == 0 && strcmp(l.v[i].rule_id, want[k].rule) == 0;
		if (!seen)
			fail_msg("no %s at %s", want[k].rule, want[k].location);
	}
	for (size_t i = 0; i < l.n; i++) {
		assert_null(l.v[i].path);
		assert_int_equal(l.v[i].layer, -1);
		assert_int_equal(l.v[i].line, 0);
		assert_masked(&l.v[i], cfg);
	}
	finding_list_free(&l);
	free(cfg);

	/* malformed: a clear error, no findings */
	finding_list_init(&l);
	assert_int_equal(secret_scan_image_config(eng, "{\"config\": {\"Env\": [", &l, &e), BOSUN_EFORMAT);
	assert_int_equal(secret_scan_image_config(eng, "[1,2]", &l, &e), BOSUN_EFORMAT);
	assert_int_equal(secret_scan_image_config(eng, "{\"config\": {\"Env\": 7, \"Labels\": []}, \"history\": {}}", &l, &e),
			 BOSUN_OK);
	assert_int_equal(l.n, 0);
	finding_list_free(&l);
	secret_engine_free(eng);
}

/* The debian-layers test image: Env holds the fake AWS key id and secret
 * (truth/debian-layers/secrets.tsv), and layer 1's /root/.aws/credentials
 * holds the same pair. */
static void test_debian_layers_truth(void **state)
{
	(void)state;
	const char *images = getenv("BOSUN_IMAGES") ? getenv("BOSUN_IMAGES") : "/var/tmp/bosun-images";
	char cfgpath[512], tsvpath[512];
	snprintf(cfgpath, sizeof cfgpath, "%s/truth/debian-layers/config.json", images);
	snprintf(tsvpath, sizeof tsvpath, "%s/truth/debian-layers/secrets.tsv", images);
	if (access(cfgpath, R_OK) || access(tsvpath, R_OK)) {
		print_message("no %s (make images): skipped\n", cfgpath);
		skip();
	}
	size_t n;
	char *cfg = (char *)test_read_file(cfgpath, &n);
	char *tsv = (char *)test_read_file(tsvpath, &n);
	char keyid[64] = "", secret[64] = "";
	for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
		char *value = strrchr(line, '\t');
		if (!value)
			continue;
		if (strstr(line, "config:Env AWS_ACCESS_KEY_ID"))
			snprintf(keyid, sizeof keyid, "%s", value + 1);
		if (strstr(line, "config:Env AWS_SECRET_ACCESS_KEY"))
			snprintf(secret, sizeof secret, "%s", value + 1);
	}
	assert_true(*keyid && *secret);
	struct secret_engine *eng = engine(NULL);
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	assert_int_equal(secret_scan_image_config(eng, cfg, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(find_rule(&l, "aws-access-key-id")->location, "config.Env[1]");
	assert_string_equal(find_rule(&l, "aws-secret-access-key")->location, "config.Env[2]");
	finding_list_free(&l);

	char creds[256];
	snprintf(creds, sizeof creds, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", keyid, secret);
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "root/.aws/credentials", 1, (unsigned char *)creds, strlen(creds), &l, &e),
			 BOSUN_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(find_rule(&l, "aws-access-key-id")->line, 2);
	assert_int_equal(find_rule(&l, "aws-secret-access-key")->line, 3);
	assert_int_equal(find_rule(&l, "aws-secret-access-key")->layer, 1);
	finding_list_free(&l);
	free(cfg);
	free(tsv);
	secret_engine_free(eng);
}

/* Inputs built to make a regex engine work: every one finishes, reports
 * at most the per-buffer cap, and fails nothing. */
static void test_hostile_inputs(void **state)
{
	(void)state;
	struct secret_engine *eng = engine(NULL);
	size_t n = 4u * 1024 * 1024;
	unsigned char *b = malloc(n);
	static const char *const units[] = {
		"AKIA", "-----BEGIN RSA PRIVATE KEY-----\n", "password=", "password: '", "eyJ", "ghp_",
		"https://u:", "aws_secret_access_key=AKIAABCDEFGHIJKLMNOP", "\"auth\": \"", "xoxb-1234567890-",
	};
	for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
		size_t m = strlen(units[u]);
		for (size_t i = 0; i < n; i++)
			b[i] = (unsigned char)units[u][i % m];
		struct finding_list l;
		struct berr e = { 0 };
		finding_list_init(&l);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		assert_int_equal(secret_scan_buffer(eng, "app/h.txt", 0, b, n, &l, &e), BOSUN_OK);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		print_message("4 MiB of \"%.12s...\": %zu findings, %.3f s\n", units[u], l.n,
			      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
		assert_true(l.n <= SECRET_MAX_FINDINGS_PER_BUFFER);
		finding_list_free(&l);
	}
	/* a million fake keys: capped */
	char *tok = expand("AKIA%{AZ09:16}\n");
	size_t tn = strlen(tok);
	for (size_t i = 0; i + tn <= n; i += tn)
		memcpy(b + i, tok, tn);
	struct finding_list l;
	struct berr e = { 0 };
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(eng, "app/keys.txt", 0, b, n / tn * tn, &l, &e), BOSUN_OK);
	assert_int_equal(l.n, SECRET_MAX_FINDINGS_PER_BUFFER);
	finding_list_free(&l);
	/* random bytes */
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)rnd(256);
	struct secret_options o = { .scan_binaries = true };
	struct secret_engine *raw = engine_opts(&o);
	finding_list_init(&l);
	assert_int_equal(secret_scan_buffer(raw, "app/random.bin", 0, b, n, &l, &e), BOSUN_OK);
	finding_list_free(&l);
	secret_engine_free(raw);
	free(tok);
	free(b);
	secret_engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue),
		cmocka_unit_test(test_recall_and_false_positives),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_line_numbers),
		cmocka_unit_test(test_binary_and_size_limits),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_skipped_paths),
		cmocka_unit_test(test_custom_rules),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_content_scanner),
		cmocka_unit_test(test_image_config),
		cmocka_unit_test(test_debian_layers_truth),
		cmocka_unit_test(test_hostile_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
