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
