//! Small helpers several packs need: image references and secret-looking
//! names. Shared here so that every pack judges them the same way.

/// An image reference split into `(name, tag, digest)`.
///
/// A colon after the last `/` starts the tag; before it, it is a registry
/// port.
///
/// ```
/// use rampart_policy::helpers::parse_image;
/// assert_eq!(parse_image("nginx"), ("nginx", None, None));
/// assert_eq!(parse_image("registry:5000/app:2@sha256:ab"), ("registry:5000/app", Some("2"), Some("sha256:ab")));
/// ```
pub fn parse_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// Whether an image reference follows `latest` (no tag, or the `latest`
/// tag, and no digest).
pub fn follows_latest(image: &str) -> bool {
    let (_, tag, digest) = parse_image(image);
    digest.is_none() && tag.is_none_or(|t| t == "latest")
}

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

/// Whether a variable name says it holds a secret (`DB_PASSWORD`,
/// `stripe_api_key`, `GITHUB_TOKEN` …).
///
/// ```
/// assert!(rampart_policy::helpers::secret_name("db_password"));
/// assert!(!rampart_policy::helpers::secret_name("LOG_LEVEL"));
/// ```
pub fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
}

/// Programs that run a script read from standard input.
const SCRIPT_RUNNERS: &[&str] = &[
    "sh", "bash", "zsh", "ash", "dash", "python", "python3", "perl", "ruby",
];

/// Whether a shell script downloads something (curl, wget) and pipes it
/// into an interpreter (`curl -fsSL https://x | sudo bash`): remote code
/// run unverified. Every pack that sees shell commands judges it this way.
///
/// ```
/// use rampart_policy::helpers::pipes_download_to_shell;
/// assert!(pipes_download_to_shell("set -e\ncurl -fsSL https://get.example.dev | sudo bash -s -- --yes"));
/// assert!(pipes_download_to_shell("wget -qO- https://x/install.sh | /bin/sh"));
/// assert!(!pipes_download_to_shell("curl -s https://api.example.com/status | jq .status"));
/// assert!(!pipes_download_to_shell("curl -o install.sh https://x && sh install.sh"));
/// ```
pub fn pipes_download_to_shell(script: &str) -> bool {
    script
        .split(['\n', ';'])
        .flat_map(|line| line.split("&&"))
        .any(|pipeline| {
            let stages: Vec<&str> = pipeline.split('|').map(str::trim).collect();
            let Some(fetch) = stages.iter().position(|s| {
                s.starts_with("curl ")
                    || s.starts_with("wget ")
                    || s.contains(" curl ")
                    || s.contains(" wget ")
            }) else {
                return false;
            };
            stages[fetch + 1..].iter().any(|s| {
                let program = s
                    .split_whitespace()
                    .find(|w| *w != "sudo" && !w.starts_with('-'))
                    .unwrap_or("");
                SCRIPT_RUNNERS.contains(&program.rsplit('/').next().unwrap_or(""))
            })
        })
}

/// Environment variables that turn certificate checks off for a runtime
/// or a tool, each with the values that do (empty: any non-empty value —
/// the program only asks whether the variable is set).
pub const UNVERIFIED_TLS_VARIABLES: &[(&str, &[&str])] = &[
    ("NODE_TLS_REJECT_UNAUTHORIZED", &["0"]),
    ("PYTHONHTTPSVERIFY", &["0"]),
    ("NPM_CONFIG_STRICT_SSL", &["false", "0"]),
    ("GIT_SSL_NO_VERIFY", &[]),
    ("PIP_TRUSTED_HOST", &[]),
];

/// Whether setting the environment variable `name` to `value` turns
/// certificate checks off ([`UNVERIFIED_TLS_VARIABLES`]). Every pack that
/// sees environment variables (Dockerfile `ENV`, workflow `env:`, pipeline
/// `variables:`) judges them this way. A value taken from elsewhere (`$X`,
/// `${{ … }}`) is not judged.
///
/// ```
/// use rampart_policy::helpers::disables_certificate_checks;
/// assert!(disables_certificate_checks("NODE_TLS_REJECT_UNAUTHORIZED", "0"));
/// assert!(!disables_certificate_checks("NODE_TLS_REJECT_UNAUTHORIZED", "1"));
/// assert!(disables_certificate_checks("NPM_CONFIG_STRICT_SSL", "FALSE"));
/// assert!(disables_certificate_checks("GIT_SSL_NO_VERIFY", "anything"));
/// assert!(!disables_certificate_checks("GIT_SSL_NO_VERIFY", ""));
/// assert!(!disables_certificate_checks("PYTHONHTTPSVERIFY", "${VERIFY}"));
/// assert!(!disables_certificate_checks("LOG_LEVEL", "0"));
/// ```
pub fn disables_certificate_checks(name: &str, value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    if value.is_empty() || value.contains('$') {
        return false;
    }
    UNVERIFIED_TLS_VARIABLES
        .iter()
        .find(|(variable, _)| *variable == name)
        .is_some_and(|(_, bad)| bad.is_empty() || bad.iter().any(|b| b.eq_ignore_ascii_case(value)))
}
