/* The built-in rule set and the built-in allow-rules.
 *
 * Every rule: a stable lower-kebab id, the provider (category), a title, a
 * severity, a PCRE2 regex, the named group holding the secret when the
 * match carries context, and keywords: literals (case-insensitive) one of
 * which must appear in a file for the rule to run. Hyperscan gets each
 * regex in prefilter form (engine.c), so lookarounds and long repeats are
 * fine; what keeps a rule cheap is a literal in its regex and good
 * keywords.
 *
 * Regex conventions: prefixed tokens start at \b; a token whose alphabet
 * ends in '-' or '=' ends at END_* (a character outside the alphabet, or the
 * end of the buffer) instead of \b. Context rules (`CTX(name)`) require the
 * provider's name in an assignment: `HEROKU_API_KEY = "..."`. */
#include "secret/secret_impl.h"

#define Q "[\"'`]?"
#define ASSIGN Q "[ \\t]*(?::|=>|:=|=)[ \\t]*" Q
/* name, up to 30 more name characters, an assignment */
#define CTX(name) "(?i:" name ")[A-Za-z0-9_.-]{0,30}" ASSIGN
#define END_URL "(?:[^A-Za-z0-9_-]|$)"
#define END_B64 "(?:[^A-Za-z0-9+/=]|$)"
#define KW(...) { __VA_ARGS__ }

#define REF_AWS "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"
#define REF_GITHUB "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/token-expiration-and-revocation"
#define REF_GITLAB "https://docs.gitlab.com/ee/security/token_overview.html"
#define REF_SLACK "https://api.slack.com/authentication/token-types"
#define REF_STRIPE "https://docs.stripe.com/keys"
#define REF_GCP "https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys"
#define REF_DOCKER "https://docs.docker.com/build/building/secrets/"

#define REM_KEY "Replace the key pair, remove the private key from the image and every layer that holds it, and mount it at run time instead."
#define REM_PASSWORD "Change the password, remove it from the file, and read it at run time from a secret store or the environment."

/* A prefixed token: the whole match is the secret. */
#define TOKEN(id_, cat, title_, sev, re, kw) \
	{ .id = id_, .category = cat, .title = title_, .severity = sev, .regex = re, .keywords = kw }

const struct secret_rule_def secret_builtin_rules[] = {
	/* ---- AWS ---- */
	{ .id = "aws-access-key-id", .category = "AWS", .title = "AWS Access Key ID", .severity = SEV_CRITICAL,
	  .regex = "\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b",
	  .keywords = KW("AKIA", "ASIA", "ABIA", "ACCA", "A3T"), .reference = REF_AWS },
	{ .id = "aws-secret-access-key", .category = "AWS", .title = "AWS Secret Access Key", .severity = SEV_CRITICAL,
	  .regex = "(?i:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)" ASSIGN
		   "(?<secret>[A-Za-z0-9/+]{40})" END_B64,
	  .secret_group = "secret",
	  .keywords = KW("secret_access_key", "secretaccesskey", "secret-access-key", "secret.access.key",
			 "aws_secret", "aws-secret", "awssecret", "aws.secret"),
	  .check = CHECK_AWS_SECRET, .near_rule = "aws-access-key-id",
	  .near_regex = "(?<![A-Za-z0-9/+=])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])", .near_bytes = 320,
	  .reference = REF_AWS },
	{ .id = "aws-session-token", .category = "AWS", .title = "AWS Session Token", .severity = SEV_HIGH,
	  .regex = "(?i:aws[_.-]?session[_.-]?token|x-amz-security-token)" ASSIGN "(?<secret>[A-Za-z0-9/+=]{100,})",
	  .secret_group = "secret",
	  .keywords = KW("session_token", "sessiontoken", "session-token", "security-token"),
	  .check = CHECK_ENTROPY, .min_entropy = 4.0, .flags = RULE_ALLOW_RUNS, .reference = REF_AWS },
	TOKEN("aws-mws-auth-token", "AWS", "Amazon MWS Auth Token", SEV_HIGH,
	      "\\bamzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b", KW("amzn.mws.")),
	TOKEN("aws-bedrock-api-key", "AWS", "Amazon Bedrock API Key", SEV_HIGH,
	      "\\bABSK[A-Za-z0-9+/]{109,}={0,2}", KW("ABSK")),

	/* ---- Google Cloud ---- */
	{ .id = "gcp-service-account", .category = "GCP", .title = "GCP Service Account Key", .severity = SEV_CRITICAL,
	  .regex = "\"type\"\\s*:\\s*\"service_account\"[\\s\\S]{0,2000}?\"private_key\"\\s*:\\s*\""
		   "(?<secret>-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----[^\"]{64,8192}?)\"",
	  .secret_group = "secret", .keywords = KW("service_account"), .check = CHECK_PEM_BODY,
	  .flags = RULE_ALLOW_RUNS, .reference = REF_GCP, .remediation = REM_KEY },
	TOKEN("gcp-api-key", "GCP", "Google API Key", SEV_HIGH, "\\bAIza[0-9A-Za-z_-]{35}" END_URL, KW("AIza")),
	TOKEN("gcp-oauth-client-secret", "GCP", "Google OAuth Client Secret", SEV_HIGH,
	      "\\bGOCSPX-[0-9A-Za-z_-]{28}" END_URL, KW("GOCSPX-")),
	TOKEN("google-oauth-access-token", "GCP", "Google OAuth Access Token", SEV_HIGH,
	      "\\bya29\\.[0-9A-Za-z_-]{30,}", KW("ya29.")),

	/* ---- Azure ---- */
	{ .id = "azure-storage-connection-string", .category = "Azure", .title = "Azure Storage Connection String",
	  .severity = SEV_CRITICAL,
	  .regex = "(?:DefaultEndpointsProtocol=https?;)?AccountName=[^;\\s\"']{1,64};AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)",
	  .secret_group = "secret", .keywords = KW("AccountKey=") },
	{ .id = "azure-storage-account-key", .category = "Azure", .title = "Azure Storage Account Key", .severity = SEV_CRITICAL,
	  .regex = CTX("azure[_.-]?storage[_.-]?(?:account[_.-]?)?(?:access[_.-]?)?key|storage[_.-]?account[_.-]?key")
		   "(?<secret>[A-Za-z0-9+/]{86}==)",
	  .secret_group = "secret",
	  .keywords = KW("azure_storage", "azure-storage", "azurestorage", "storage_account", "storageaccount",
			 "storage-account", "azure.storage", "storage.account") },
	{ .id = "azure-ad-client-secret", .category = "Azure", .title = "Azure AD Client Secret", .severity = SEV_HIGH,
	  .regex = "(?:^|[\\s\"'=:>(,])(?<secret>[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)",
	  .secret_group = "secret", .keywords = KW("Q~") },
	{ .id = "azure-devops-pat", .category = "Azure", .title = "Azure DevOps Personal Access Token", .severity = SEV_HIGH,
	  .regex = CTX("azure[_.-]?devops|azdo") "(?<secret>[a-z2-7]{52})\\b", .secret_group = "secret",
	  .keywords = KW("azure_devops", "azure-devops", "azuredevops", "azdo", "azure.devops") },

	/* ---- GitHub ---- */
	{ .id = "github-pat", .category = "GitHub", .title = "GitHub Personal Access Token", .severity = SEV_CRITICAL,
	  .regex = "\\bghp_[0-9A-Za-z]{36}\\b", .keywords = KW("ghp_"), .reference = REF_GITHUB },
	{ .id = "github-oauth-token", .category = "GitHub", .title = "GitHub OAuth Access Token", .severity = SEV_CRITICAL,
	  .regex = "\\bgho_[0-9A-Za-z]{36}\\b", .keywords = KW("gho_"), .reference = REF_GITHUB },
	{ .id = "github-app-user-token", .category = "GitHub", .title = "GitHub App User-to-Server Token",
	  .severity = SEV_CRITICAL, .regex = "\\bghu_[0-9A-Za-z]{36}\\b", .keywords = KW("ghu_"), .reference = REF_GITHUB },
	{ .id = "github-app-installation-token", .category = "GitHub", .title = "GitHub App Installation Token",
	  .severity = SEV_CRITICAL, .regex = "\\bghs_[0-9A-Za-z]{36}\\b", .keywords = KW("ghs_"), .reference = REF_GITHUB },
	{ .id = "github-refresh-token", .category = "GitHub", .title = "GitHub Refresh Token", .severity = SEV_CRITICAL,
	  .regex = "\\bghr_[0-9A-Za-z]{36}\\b", .keywords = KW("ghr_"), .reference = REF_GITHUB },
	{ .id = "github-fine-grained-pat", .category = "GitHub", .title = "GitHub Fine-Grained Personal Access Token",
	  .severity = SEV_CRITICAL, .regex = "\\bgithub_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}\\b",
	  .keywords = KW("github_pat_"), .reference = REF_GITHUB },

	/* ---- GitLab ---- */
	{ .id = "gitlab-pat", .category = "GitLab", .title = "GitLab Personal Access Token", .severity = SEV_CRITICAL,
	  .regex = "\\bglpat-[0-9A-Za-z_-]{20,}", .keywords = KW("glpat-"), .reference = REF_GITLAB },
	{ .id = "gitlab-runner-registration-token", .category = "GitLab", .title = "GitLab Runner Registration Token",
	  .severity = SEV_HIGH, .regex = "\\bGR1348941[0-9A-Za-z_-]{20,}", .keywords = KW("GR1348941"),
	  .reference = REF_GITLAB },
	{ .id = "gitlab-runner-auth-token", .category = "GitLab", .title = "GitLab Runner Authentication Token",
	  .severity = SEV_HIGH, .regex = "\\bglrt-[0-9A-Za-z_-]{20,}", .keywords = KW("glrt-"), .reference = REF_GITLAB },
	{ .id = "gitlab-pipeline-trigger-token", .category = "GitLab", .title = "GitLab Pipeline Trigger Token",
	  .severity = SEV_HIGH, .regex = "\\bglptt-[0-9a-f]{40}\\b", .keywords = KW("glptt-"), .reference = REF_GITLAB },
	{ .id = "gitlab-deploy-token", .category = "GitLab", .title = "GitLab Deploy Token", .severity = SEV_HIGH,
	  .regex = "\\bgldt-[0-9A-Za-z_-]{20,}", .keywords = KW("gldt-"), .reference = REF_GITLAB },
	{ .id = "gitlab-feed-token", .category = "GitLab", .title = "GitLab Feed Token", .severity = SEV_MEDIUM,
	  .regex = "\\bglft-[0-9A-Za-z_-]{20,}", .keywords = KW("glft-"), .reference = REF_GITLAB },
	{ .id = "gitlab-oauth-app-secret", .category = "GitLab", .title = "GitLab OAuth Application Secret",
	  .severity = SEV_HIGH, .regex = "\\bgloas-[0-9a-f]{64}\\b", .keywords = KW("gloas-"), .reference = REF_GITLAB },
	{ .id = "gitlab-cicd-job-token", .category = "GitLab", .title = "GitLab CI/CD Job Token", .severity = SEV_MEDIUM,
	  .regex = "\\bglcbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_-]{20}" END_URL, .keywords = KW("glcbt-"),
	  .reference = REF_GITLAB },

	/* ---- Slack ---- */
	{ .id = "slack-bot-token", .category = "Slack", .title = "Slack Bot Token", .severity = SEV_HIGH,
	  .regex = "\\bxoxb-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z]{24,34}\\b", .keywords = KW("xoxb-"),
	  .reference = REF_SLACK },
	{ .id = "slack-user-token", .category = "Slack", .title = "Slack User Token", .severity = SEV_HIGH,
	  .regex = "\\bxox[pe](?:-[0-9]{10,13}){3}-[0-9A-Za-z]{28,34}\\b", .keywords = KW("xoxp-", "xoxe-"),
	  .reference = REF_SLACK },
	{ .id = "slack-app-token", .category = "Slack", .title = "Slack App-Level Token", .severity = SEV_HIGH,
	  .regex = "\\bxapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,13}-[a-z0-9]{64}\\b", .keywords = KW("xapp-"),
	  .reference = REF_SLACK },
	{ .id = "slack-legacy-token", .category = "Slack", .title = "Slack Legacy Token", .severity = SEV_HIGH,
	  .regex = "\\bxox[ar]-(?:[0-9]-)?[0-9A-Za-z]{8,48}\\b|\\bxox[os]-[0-9]+-[0-9]+-[0-9]+-[0-9a-fA-F]+\\b",
	  .keywords = KW("xoxa-", "xoxr-", "xoxo-", "xoxs-"), .reference = REF_SLACK },
	{ .id = "slack-config-token", .category = "Slack", .title = "Slack Configuration Token", .severity = SEV_HIGH,
	  .regex = "\\bxoxe\\.xox[bp]-[0-9]-[A-Z0-9]{163,166}\\b", .keywords = KW("xoxe.xox"), .reference = REF_SLACK },
	{ .id = "slack-webhook-url", .category = "Slack", .title = "Slack Webhook URL", .severity = SEV_HIGH,
	  .regex = "hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{6,12}/[A-Z0-9]{6,12}/(?<secret>[A-Za-z0-9]{20,})",
	  .secret_group = "secret", .keywords = KW("hooks.slack.com"), .reference = REF_SLACK },

	/* ---- payments ---- */
	{ .id = "stripe-secret-key", .category = "Stripe", .title = "Stripe Live Secret Key", .severity = SEV_CRITICAL,
	  .regex = "\\bsk_live_[0-9A-Za-z]{24,99}\\b", .keywords = KW("sk_live_"), .reference = REF_STRIPE },
	{ .id = "stripe-restricted-key", .category = "Stripe", .title = "Stripe Live Restricted Key", .severity = SEV_HIGH,
	  .regex = "\\brk_live_[0-9A-Za-z]{24,99}\\b", .keywords = KW("rk_live_"), .reference = REF_STRIPE },
	{ .id = "stripe-webhook-secret", .category = "Stripe", .title = "Stripe Webhook Signing Secret",
	  .severity = SEV_MEDIUM, .regex = "\\bwhsec_[0-9A-Za-z]{32,}\\b", .keywords = KW("whsec_"),
	  .reference = REF_STRIPE },
	TOKEN("square-access-token", "Square", "Square Access Token", SEV_HIGH,
	      "\\b(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22})" END_URL, KW("EAAA", "sq0atp-")),
	TOKEN("square-oauth-secret", "Square", "Square OAuth Secret", SEV_HIGH, "\\bsq0csp-[A-Za-z0-9_-]{43}" END_URL,
	      KW("sq0csp-")),
	TOKEN("braintree-access-token", "PayPal", "PayPal Braintree Access Token", SEV_CRITICAL,
	      "access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}\\b", KW("access_token$production$")),

	/* ---- messaging and e-mail ---- */
	TOKEN("twilio-api-key", "Twilio", "Twilio API Key", SEV_HIGH, "\\bSK[0-9a-f]{32}\\b", KW("twilio")),
	{ .id = "twilio-auth-token", .category = "Twilio", .title = "Twilio Auth Token", .severity = SEV_HIGH,
	  .regex = CTX("twilio[_.-]?auth[_.-]?token") "(?<secret>[0-9a-f]{32})\\b", .secret_group = "secret",
	  .keywords = KW("twilio") },
	TOKEN("sendgrid-api-key", "SendGrid", "SendGrid API Key", SEV_HIGH,
	      "\\bSG\\.[0-9A-Za-z_-]{22}\\.[0-9A-Za-z_-]{43}" END_URL, KW("SG.")),
	TOKEN("mailgun-api-key", "Mailgun", "Mailgun API Key", SEV_HIGH, "\\bkey-[0-9a-z]{32}\\b", KW("mailgun")),
	TOKEN("mailchimp-api-key", "Mailchimp", "Mailchimp API Key", SEV_HIGH, "\\b[0-9a-f]{32}-us[0-9]{1,2}\\b",
	      KW("-us")),
	TOKEN("telegram-bot-token", "Telegram", "Telegram Bot Token", SEV_HIGH,
	      "\\b[0-9]{8,10}:AA[0-9A-Za-z_-]{33}" END_URL, KW(":AA")),
	{ .id = "discord-bot-token", .category = "Discord", .title = "Discord Bot Token", .severity = SEV_HIGH,
	  .regex = CTX("discord") "(?<secret>[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38})" END_URL,
	  .secret_group = "secret", .keywords = KW("discord") },
	{ .id = "discord-webhook-url", .category = "Discord", .title = "Discord Webhook URL", .severity = SEV_MEDIUM,
	  .regex = "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/(?<secret>[A-Za-z0-9_-]{60,68})",
	  .secret_group = "secret", .keywords = KW("discord") },

	/* ---- package registries ---- */
	TOKEN("npm-access-token", "npm", "npm Access Token", SEV_CRITICAL, "\\bnpm_[0-9A-Za-z]{36}\\b", KW("npm_")),
	{ .id = "npmrc-auth-token", .category = "npm", .title = "npm Registry Credential in .npmrc",
	  .severity = SEV_HIGH,
	  .regex = "_auth(?:Token)?[ \\t]*=[ \\t]*(?<secret>(?!npm_)[^\\s\"'$]{16,})", .secret_group = "secret",
	  .keywords = KW("_auth"), .check = CHECK_ENTROPY, .min_entropy = 3.0 },
	TOKEN("pypi-upload-token", "PyPI", "PyPI Upload Token", SEV_CRITICAL,
	      "\\bpypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[0-9A-Za-z_-]{50,}",
	      KW("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw")),
	TOKEN("rubygems-api-key", "RubyGems", "RubyGems API Key", SEV_HIGH, "\\brubygems_[0-9a-f]{48}\\b",
	      KW("rubygems_")),
	{ .id = "docker-config-auth", .category = "Docker", .title = "Docker Registry Credentials", .severity = SEV_HIGH,
	  .regex = "\"auth\"\\s*:\\s*\"(?<secret>[A-Za-z0-9+/]{4,}={0,2})\"", .secret_group = "secret",
	  .keywords = KW("\"auth\""), .check = CHECK_BASIC_AUTH, .reference = REF_DOCKER },

	/* ---- HashiCorp ---- */
	TOKEN("hashicorp-vault-service-token", "HashiCorp", "HashiCorp Vault Service Token", SEV_CRITICAL,
	      "\\bhvs\\.[0-9A-Za-z_-]{24,}", KW("hvs.")),
	TOKEN("hashicorp-vault-batch-token", "HashiCorp", "HashiCorp Vault Batch Token", SEV_HIGH,
	      "\\bhvb\\.[0-9A-Za-z_-]{24,}", KW("hvb.")),
	{ .id = "hashicorp-vault-legacy-token", .category = "HashiCorp", .title = "HashiCorp Vault Token (legacy)",
	  .severity = SEV_HIGH, .regex = CTX("vault[_.-]?token|x-vault-token") "(?<secret>s\\.[0-9A-Za-z]{24})\\b",
	  .secret_group = "secret", .keywords = KW("vault") },
	TOKEN("terraform-cloud-token", "HashiCorp", "Terraform Cloud API Token", SEV_HIGH,
	      "\\b[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}" END_URL, KW("atlasv1")),

	/* ---- commerce and PaaS ---- */
	TOKEN("shopify-access-token", "Shopify", "Shopify Access Token", SEV_HIGH, "\\bshpat_[a-fA-F0-9]{32}\\b",
	      KW("shpat_")),
	TOKEN("shopify-custom-app-token", "Shopify", "Shopify Custom App Access Token", SEV_HIGH,
	      "\\bshpca_[a-fA-F0-9]{32}\\b", KW("shpca_")),
	TOKEN("shopify-private-app-token", "Shopify", "Shopify Private App Access Token", SEV_HIGH,
	      "\\bshppa_[a-fA-F0-9]{32}\\b", KW("shppa_")),
	TOKEN("shopify-shared-secret", "Shopify", "Shopify Shared Secret", SEV_HIGH, "\\bshpss_[a-fA-F0-9]{32}\\b",
	      KW("shpss_")),
	{ .id = "heroku-api-key", .category = "Heroku", .title = "Heroku API Key", .severity = SEV_HIGH,
	  .regex = CTX("heroku")
		   "(?<secret>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\\b",
	  .secret_group = "secret", .keywords = KW("heroku") },
	TOKEN("heroku-api-key-v2", "Heroku", "Heroku Platform API Key", SEV_HIGH, "\\bHRKU-AA[0-9A-Za-z_-]{58}" END_URL,
	      KW("HRKU-")),
	TOKEN("databricks-api-token", "Databricks", "Databricks API Token", SEV_HIGH,
	      "\\bdapi[0-9a-f]{32}(?:-[0-9]+)?\\b", KW("dapi")),
	TOKEN("digitalocean-pat", "DigitalOcean", "DigitalOcean Personal Access Token", SEV_HIGH,
	      "\\bdop_v1_[0-9a-f]{64}\\b", KW("dop_v1_")),
	TOKEN("digitalocean-oauth-token", "DigitalOcean", "DigitalOcean OAuth Token", SEV_HIGH,
	      "\\bdoo_v1_[0-9a-f]{64}\\b", KW("doo_v1_")),
	TOKEN("digitalocean-refresh-token", "DigitalOcean", "DigitalOcean Refresh Token", SEV_HIGH,
	      "\\bdor_v1_[0-9a-f]{64}\\b", KW("dor_v1_")),
	TOKEN("netlify-pat", "Netlify", "Netlify Personal Access Token", SEV_HIGH, "\\bnfp_[A-Za-z0-9]{36}\\b",
	      KW("nfp_")),
	{ .id = "netlify-token", .category = "Netlify", .title = "Netlify Access Token", .severity = SEV_HIGH,
	  .regex = CTX("netlify") "(?<secret>[A-Za-z0-9_-]{40,46})" END_URL, .secret_group = "secret",
	  .keywords = KW("netlify"), .check = CHECK_ENTROPY, .min_entropy = 3.5 },
	{ .id = "fastly-api-token", .category = "Fastly", .title = "Fastly API Token", .severity = SEV_HIGH,
	  .regex = CTX("fastly") "(?<secret>[A-Za-z0-9_-]{32})" END_URL, .secret_group = "secret",
	  .keywords = KW("fastly"), .check = CHECK_ENTROPY, .min_entropy = 3.5 },
	{ .id = "cloudflare-api-token", .category = "Cloudflare", .title = "Cloudflare API Token", .severity = SEV_HIGH,
	  .regex = CTX("cloudflare[_.-]?(?:api[_.-]?)?(?:token|key)|cf[_.-]?api[_.-]?(?:token|key)")
		   "(?<secret>[A-Za-z0-9_-]{37,40})" END_URL,
	  .secret_group = "secret", .keywords = KW("cloudflare", "cf_api", "cf-api", "cfapi", "cf.api"),
	  .check = CHECK_ENTROPY, .min_entropy = 3.5 },
	TOKEN("cloudflare-origin-ca-key", "Cloudflare", "Cloudflare Origin CA Key", SEV_HIGH,
	      "\\bv1\\.0-[a-f0-9]{24}-[a-f0-9]{146}\\b", KW("v1.0-")),
	TOKEN("pulumi-access-token", "Pulumi", "Pulumi Access Token", SEV_HIGH, "\\bpul-[0-9a-f]{40}\\b", KW("pul-")),
	TOKEN("doppler-token", "Doppler", "Doppler Token", SEV_HIGH,
	      "\\bdp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}\\b",
	      KW("dp.pt.", "dp.st.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit.")),
	TOKEN("postman-api-key", "Postman", "Postman API Key", SEV_HIGH, "\\bPMAK-[0-9a-f]{24}-[0-9a-f]{34}\\b",
	      KW("PMAK-")),
	TOKEN("planetscale-token", "PlanetScale", "PlanetScale Token or Password", SEV_HIGH,
	      "\\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.=-]{32,64}\\b", KW("pscale_")),
	TOKEN("supabase-access-token", "Supabase", "Supabase Access Token", SEV_HIGH, "\\bsbp_[a-f0-9]{40}\\b",
	      KW("sbp_")),
	TOKEN("flyio-access-token", "Fly.io", "Fly.io Access Token", SEV_HIGH, "\\bfo1_[A-Za-z0-9_-]{43}" END_URL,
	      KW("fo1_")),

	/* ---- SaaS APIs ---- */
	TOKEN("atlassian-api-token", "Atlassian", "Atlassian API Token", SEV_HIGH, "\\bATATT3[A-Za-z0-9_=-]{180,}",
	      KW("ATATT3")),
	{ .id = "okta-api-token", .category = "Okta", .title = "Okta API Token", .severity = SEV_HIGH,
	  .regex = CTX("okta") "(?<secret>00[0-9A-Za-z_-]{40})" END_URL, .secret_group = "secret",
	  .keywords = KW("okta") },
	TOKEN("linear-api-key", "Linear", "Linear API Key", SEV_HIGH, "\\blin_api_[0-9A-Za-z]{40}\\b", KW("lin_api_")),
	TOKEN("openai-api-key", "OpenAI", "OpenAI API Key", SEV_CRITICAL,
	      "\\bsk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}", KW("T3BlbkFJ")),
	TOKEN("anthropic-api-key", "Anthropic", "Anthropic API Key", SEV_CRITICAL,
	      "\\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA" END_URL, KW("sk-ant-")),
	TOKEN("huggingface-token", "HuggingFace", "Hugging Face Access Token", SEV_HIGH, "\\bhf_[A-Za-z]{34}\\b",
	      KW("hf_")),
	TOKEN("grafana-api-key", "Grafana", "Grafana API Key", SEV_HIGH, "\\beyJrIjoi[A-Za-z0-9+/]{70,}={0,2}",
	      KW("eyJrIjoi")),
	TOKEN("grafana-cloud-token", "Grafana", "Grafana Cloud Token", SEV_HIGH, "\\bglc_[A-Za-z0-9+/]{32,}={0,2}",
	      KW("glc_")),
	TOKEN("grafana-service-account-token", "Grafana", "Grafana Service Account Token", SEV_HIGH,
	      "\\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\\b", KW("glsa_")),
	TOKEN("newrelic-user-api-key", "New Relic", "New Relic User API Key", SEV_HIGH, "\\bNRAK-[A-Z0-9]{27}\\b",
	      KW("NRAK-")),
	TOKEN("newrelic-insert-key", "New Relic", "New Relic Insert Key", SEV_HIGH, "\\bNRII-[A-Za-z0-9_-]{32}" END_URL,
	      KW("NRII-")),
	TOKEN("newrelic-browser-api-key", "New Relic", "New Relic Browser API Key", SEV_MEDIUM,
	      "\\bNRJS-[a-f0-9]{19}\\b", KW("NRJS-")),
	{ .id = "datadog-api-key", .category = "Datadog", .title = "Datadog API Key", .severity = SEV_HIGH,
	  .regex = CTX("datadog[_.-]?api[_.-]?key|dd[_.-]?api[_.-]?key") "(?<secret>[0-9a-f]{32})\\b",
	  .secret_group = "secret", .keywords = KW("datadog", "dd_api", "dd-api", "ddapi", "dd.api") },
	{ .id = "datadog-app-key", .category = "Datadog", .title = "Datadog Application Key", .severity = SEV_HIGH,
	  .regex = CTX("datadog[_.-]?app(?:lication)?[_.-]?key|dd[_.-]?app(?:lication)?[_.-]?key")
		   "(?<secret>[0-9a-f]{40})\\b",
	  .secret_group = "secret", .keywords = KW("datadog", "dd_app", "dd-app", "ddapp", "dd.app") },
	TOKEN("sentry-org-token", "Sentry", "Sentry Organization Token", SEV_HIGH, "\\bsntrys_eyJ[A-Za-z0-9+/=_-]{60,}",
	      KW("sntrys_")),
	TOKEN("sentry-user-token", "Sentry", "Sentry User Auth Token", SEV_HIGH, "\\bsntryu_[a-f0-9]{64}\\b",
	      KW("sntryu_")),
	TOKEN("dropbox-api-token", "Dropbox", "Dropbox API Token", SEV_HIGH, "\\bsl\\.(?:u\\.)?[A-Za-z0-9_-]{130,}",
	      KW("sl.")),
	{ .id = "asana-pat", .category = "Asana", .title = "Asana Personal Access Token", .severity = SEV_HIGH,
	  .regex = CTX("asana") "(?<secret>[0-9]/[0-9]{10,20}(?:/[0-9]{10,20})?:[0-9a-f]{32})\\b",
	  .secret_group = "secret", .keywords = KW("asana") },
	TOKEN("alibaba-access-key-id", "Alibaba", "Alibaba Cloud AccessKey ID", SEV_HIGH, "\\bLTAI[0-9A-Za-z]{12,20}\\b",
	      KW("LTAI")),
	{ .id = "alibaba-secret-key", .category = "Alibaba", .title = "Alibaba Cloud AccessKey Secret",
	  .severity = SEV_HIGH, .regex = CTX("alibaba|aliyun|alicloud") "(?<secret>[A-Za-z0-9]{30})\\b",
	  .secret_group = "secret", .keywords = KW("alibaba", "aliyun", "alicloud"), .check = CHECK_ENTROPY,
	  .min_entropy = 3.5 },
	TOKEN("tencent-secret-id", "Tencent", "Tencent Cloud SecretId", SEV_HIGH, "\\bAKID[0-9A-Za-z]{32}\\b",
	      KW("AKID")),
	TOKEN("dynatrace-api-token", "Dynatrace", "Dynatrace API Token", SEV_HIGH,
	      "\\bdt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}\\b", KW("dt0c01.")),
	TOKEN("mapbox-secret-token", "Mapbox", "Mapbox Secret Token", SEV_HIGH,
	      "\\bsk\\.eyJ1Ijoi[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}", KW("sk.eyJ1Ijoi")),
	TOKEN("facebook-access-token", "Facebook", "Facebook Access Token", SEV_HIGH, "\\bEAACEdEose0cBA[0-9A-Za-z]{20,}",
	      KW("EAACEdEose0cBA")),
	{ .id = "jwt", .category = "JWT", .title = "JSON Web Token", .severity = SEV_MEDIUM,
	  .regex = "\\beyJ[0-9A-Za-z_-]{10,}\\.eyJ[0-9A-Za-z_-]{10,}\\.[0-9A-Za-z_-]{10,}", .keywords = KW("eyJ"),
	  .check = CHECK_JWT },

	/* ---- keys ---- */
	{ .id = "private-key", .category = "PrivateKey", .title = "Private Key", .severity = SEV_CRITICAL,
	  .regex = "-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----"
		   "(?<secret>[A-Za-z0-9+/=\\s:,.()\\\\-]{32,16384}?)-----END[ A-Z0-9]{0,40}PRIVATE KEY",
	  .secret_group = "secret", .keywords = KW("PRIVATE KEY"), .check = CHECK_PEM_BODY,
	  .flags = RULE_ALLOW_RUNS | RULE_GENERIC,
	  .remediation = REM_KEY },
	{ .id = "putty-private-key", .category = "PrivateKey", .title = "PuTTY Private Key", .severity = SEV_CRITICAL,
	  .regex = "PuTTY-User-Key-File-[23]:[^\\n]*\\n[\\s\\S]{0,4000}?Private-Lines:[ \\t]*[0-9]+\\r?\\n"
		   "(?<secret>[A-Za-z0-9+/=\\s]{32,16384}?)Private-MAC",
	  .secret_group = "secret", .keywords = KW("PuTTY-User-Key-File"), .check = CHECK_PEM_BODY,
	  .flags = RULE_ALLOW_RUNS, .remediation = REM_KEY },
	TOKEN("age-secret-key", "age", "age Secret Key", SEV_CRITICAL,
	      "\\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}\\b", KW("AGE-SECRET-KEY-1")),
	{ .id = "kubernetes-client-key-data", .category = "Kubernetes", .title = "Kubernetes Client Key in kubeconfig",
	  .severity = SEV_CRITICAL, .regex = "client-key-data:[ \\t]*[\"']?(?<secret>LS0tLS1CRUdJTi[A-Za-z0-9+/=]{50,})",
	  .secret_group = "secret", .keywords = KW("client-key-data"), .flags = RULE_ALLOW_RUNS, .remediation = REM_KEY },

	/* ---- passwords ---- */
	{ .id = "generic-password", .category = "Generic", .title = "Password in Configuration", .severity = SEV_MEDIUM,
	  .regex = "(?i:password|passwd|passphrase)[\"'`]?[ \\t]*(?::|=>|:=|=)[ \\t]*"
		   "(?:\"(?<secret>[^\"\\r\\n]{1,128})\"|'(?<secret>[^'\\r\\n]{1,128})'|(?<secret>[^\\s\"'`,;<>]{1,128}))",
	  .secret_group = "secret", .keywords = KW("password", "passwd", "passphrase"), .flags = RULE_GENERIC,
	  .check = CHECK_PASSWORD,
	  .min_entropy = 2.5, .remediation = REM_PASSWORD },
	{ .id = "url-credentials", .category = "Generic", .title = "Password in URL", .severity = SEV_MEDIUM,
	  .regex = "\\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\\s:@/\"'<>]+:(?<secret>[^\\s:@/\"'<>]+)@[A-Za-z0-9.-]+",
	  .secret_group = "secret", .keywords = KW("://"), .flags = RULE_GENERIC, .check = CHECK_PASSWORD,
	  .min_entropy = 2.5,
	  .remediation = REM_PASSWORD },
	{ .id = "http-basic-auth", .category = "Generic", .title = "HTTP Basic Authorization Header",
	  .severity = SEV_MEDIUM,
	  .regex = "(?i:authorization)[\"']?[ \\t]*[:=][ \\t]*[\"']?(?i:basic)[ \\t]+(?<secret>[A-Za-z0-9+/]{6,}={0,2})",
	  .secret_group = "secret", .keywords = KW("basic"), .flags = RULE_GENERIC, .check = CHECK_BASIC_AUTH },
	{ .id = SECRET_ENV_RULE_ID, .category = "Generic", .title = "Secret in Environment Variable or Build Argument",
	  .severity = SEV_HIGH, .flags = RULE_CONFIG_ONLY, .check = CHECK_PASSWORD,
	  .remediation = "Do not bake secrets into ENV or ARG: pass them at run time, or use BuildKit secret mounts "
			 "(RUN --mount=type=secret) during the build.",
	  .reference = REF_DOCKER },
};
const size_t secret_builtin_rule_count = sizeof secret_builtin_rules / sizeof *secret_builtin_rules;

/* Skipped unless a rule file disables them (`disable-allow-rules:`). Paths
 * are normalized (no leading "/"). The path rules keep the scan on files an
 * image's owner wrote: documentation, package metadata, third-party
 * packages (whose test keys are not the owner's secrets) and bulky
 * generated files. */
const struct secret_allow_def secret_builtin_allows[] = {
	{ "aws-docs-example-keys", "AWS documentation example keys (AKIAIOSFODNN7EXAMPLE)", NULL,
	  "^(?:A[KS]IA[A-Z0-9]{9}EXAMPLE|[A-Za-z0-9/+]{30}EXAMPLEKEY)$" },
	{ "docs-markup", "Markdown and other documentation markup", "\\.(?:md|markdown|mdx|mkd|rst|adoc|asciidoc)$",
	  NULL },
	{ "usr-share-docs", "Documentation, manuals, locales, time zones under usr/share",
	  "^usr/(?:local/)?share/(?:doc|man|info|locale|i18n|zoneinfo|licenses|common-licenses|help|gtk-doc|javadoc|"
	  "mime|icons|fonts|misc|terminfo|X11|lintian|bug|menu|pixmaps|applications)/",
	  NULL },
	{ "system-headers", "C headers", "^usr/(?:local/)?include/", NULL },
	{ "distro-language-packages", "Language libraries packaged by the distribution",
	  "^usr/share/(?:nodejs|javascript|java|php|python3?|ruby|rubygems-integration|perl5?)/", NULL },
	{ "os-package-metadata", "Package manager databases and caches",
	  "^(?:var/lib/(?:dpkg|apt|rpm|apk|yum|dnf)|lib/apk/db|var/cache|usr/share/(?:dpkg|apt)|usr/lib/sysimage/rpm)/", NULL },
	{ "ca-certificates", "Certificate bundles (public certificates, not keys)",
	  "^(?:etc/ssl/certs|usr/share/ca-certificates|etc/pki/(?:ca-trust|tls/certs)|etc/ca-certificates)/", NULL },
	{ "python-packages", "Installed Python packages and the standard library",
	  "(?:^|/)(?:site-packages|dist-packages)/|^usr/(?:local/)?lib/python[0-9.]+/", NULL },
	{ "node-modules", "Installed npm packages", "(?:^|/)node_modules/", NULL },
	{ "go-toolchain", "Go toolchain sources and module cache",
	  "^usr/(?:local/go|lib/go(?:-[0-9.]+)?)/|(?:^|/)go/pkg/mod/", NULL },
	{ "ruby-gems", "Installed Ruby gems", "(?:^|/)gems/[^/]+/gems/|^usr/(?:local/)?(?:lib|share)/ruby/", NULL },
	{ "vendored-deps", "Vendored third-party dependencies", "(?:^|/)vendor/", NULL },
	{ "git-internals", "Git object store", "(?:^|/)\\.git/", NULL },
	{ "minified-assets", "Minified assets and source maps", "\\.min\\.(?:js|css)$|\\.(?:js|css)\\.map$", NULL },
	{ "binary-extensions", "Images, fonts, archives and compiled files",
	  "\\.(?:png|jpe?g|gif|ico|bmp|webp|tiff?|woff2?|ttf|otf|eot|pdf|zip|gz|tgz|bz2|xz|zst|7z|jar|war|ear|whl|"
	  "so(?:\\.[0-9.]+)?|a|o|pyc|pyo|class|dll|exe|mo|gmo|mp3|mp4|ogg|wav)$",
	  NULL },
};
const size_t secret_builtin_allow_count = sizeof secret_builtin_allows / sizeof *secret_builtin_allows;
