//! Built-in pack `dependencies`: locked packages with known vulnerabilities,
//! packages their maintainers flagged (unmaintained, unsound), and
//! requirements that cannot be checked because no version is pinned.
//!
//! Rules read `dependency` resources (`docs/kinds/dependency.md`). The
//! advisories are facts the host added from its OSV database before
//! evaluation; this pack only decides what is a finding and how bad.
//! Fixtures live in `fixtures/<RULE-ID>/{positive,negative}/<lockfile>`;
//! the advisories they match are in `advisories/<ecosystem>/*.json`.

use rampart_policy::{Context, Node, Pack, Resource, Rule, Severity};

const KINDS: &[&str] = &["dependency"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "dependencies",
    version: env!("CARGO_PKG_VERSION"),
    description: "Dependencies from lockfiles: known vulnerabilities (OSV), packages flagged \
                  unmaintained or unsound, and requirements without a pinned version.",
    rules: &[DEP_001, DEP_002, DEP_003],
};

rampart_policy::export_pack!(PACK);

fn severity_of(advisory: &Node<'_>) -> Severity {
    match advisory.get("severity").as_str() {
        Some("critical") => Severity::Critical,
        Some("high") => Severity::High,
        Some("low") => Severity::Low,
        Some("info") => Severity::Info,
        _ => Severity::Medium,
    }
}

fn fixed_versions<'a>(advisory: &Node<'a>) -> Vec<&'a str> {
    advisory
        .get("fixed")
        .items()
        .filter_map(|v| v.as_str())
        .collect()
}

fn describe(resource: &Resource, advisory: &Node<'_>) -> (String, Option<String>) {
    let root = resource.root();
    let name = root.get("name").as_str().unwrap_or("?");
    let version = root.get("version").as_str().unwrap_or("?");
    let id = advisory.get("id").as_str().unwrap_or("?");
    let aliases: Vec<&str> = advisory
        .get("aliases")
        .items()
        .filter_map(|a| a.as_str())
        .collect();
    let summary = advisory.get("summary").as_str().unwrap_or("");
    let fixed = fixed_versions(advisory);
    let ids = if aliases.is_empty() {
        id.to_owned()
    } else {
        format!("{id} ({})", aliases.join(", "))
    };
    let mut message = format!("{name} {version}: {ids}: {summary}");
    if let Some(score) = advisory.get("score").as_f64() {
        message.push_str(&format!(" [CVSS {score:.1}]"));
    }
    let fix = if fixed.is_empty() {
        message.push_str("; no fixed version is published");
        None
    } else {
        message.push_str(&format!("; fixed in {}", fixed.join(", ")));
        Some(format!("upgrade {name} to {}", fixed[0]))
    };
    (message, fix)
}

pub(crate) const DEP_001: Rule = Rule {
    id: "DEP-001",
    title: "Dependency with a known vulnerability",
    description: "The locked version of a package is affected by a published advisory (OSV: GitHub, RustSec, PyPA, Go …). One finding per vulnerability; records that are aliases of each other count once.",
    severity: Severity::High,
    help: "The finding's severity is the advisory's: its CVSS base score (v2, v3 or v4) rated per FIRST, else the database's own rating (GitHub's `severity`), else medium. The message names every id of the vulnerability and the versions that fix it.",
    help_uri: Some("https://osv.dev/"),
    remediation: "Upgrade the package to a fixed version (update the lockfile), or remove it. If no fix exists, assess whether the vulnerable code is reachable and suppress with a justification.",
    tags: &["security", "vulnerability", "supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: vulnerable,
};

fn vulnerable(resource: &Resource, cx: &mut Context<'_>) {
    let advisories = resource.root().get("advisories");
    for advisory in advisories.items() {
        if advisory.get("informational").as_str().is_some() {
            continue;
        }
        let (message, fix) = describe(resource, &advisory);
        let finding = cx
            .report(&advisory, message)
            .severity(severity_of(&advisory));
        if let Some(fix) = fix {
            finding.fix(fix);
        }
    }
}

pub(crate) const DEP_002: Rule = Rule {
    id: "DEP-002",
    title: "Dependency flagged unmaintained or unsound",
    description: "An informational advisory (RustSec `unmaintained`, `unsound`, `notice`) covers the locked version.",
    severity: Severity::Low,
    help: "Not a vulnerability by itself: an unmaintained package will not get fixes when one is found; an unsound one can cause undefined behaviour from safe code.",
    help_uri: Some("https://rustsec.org/"),
    remediation: "Move to the maintained alternative the advisory names, or to a version outside the advisory.",
    tags: &["supply-chain", "maintenance"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: informational,
};

fn informational(resource: &Resource, cx: &mut Context<'_>) {
    let advisories = resource.root().get("advisories");
    for advisory in advisories.items() {
        let Some(kind) = advisory.get("informational").as_str() else {
            continue;
        };
        let (message, fix) = describe(resource, &advisory);
        let severity = if kind == "unsound" {
            Severity::Medium
        } else {
            Severity::Low
        };
        let finding = cx
            .report(&advisory, format!("{kind}: {message}"))
            .severity(severity);
        if let Some(fix) = fix {
            finding.fix(fix);
        }
    }
}

pub(crate) const DEP_003: Rule = Rule {
    id: "DEP-003",
    title: "Requirement without a pinned version",
    description: "A requirement such as `flask>=2.0` in a requirements file: the installed version is decided at install time.",
    severity: Severity::Low,
    help: "An unpinned requirement cannot be checked against advisories, and two installs of the same file can differ — a new release (or a compromised one) is picked up silently.",
    help_uri: Some("https://pip.pypa.io/en/stable/topics/repeatable-installs/"),
    remediation: "Pin exact versions (`flask==3.0.3`), ideally with hashes: generate the file with `pip-compile --generate-hashes` or `uv pip compile`.",
    tags: &["supply-chain"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: unpinned,
};

fn unpinned(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    if root.get("ecosystem").as_str() == Some("PyPI") && root.get("version").is_null() {
        let name = root.get("name").as_str().unwrap_or("?");
        let requirement = root.get("requirement").as_str().unwrap_or(name);
        cx.report(
            &root,
            format!("`{requirement}` is not pinned to one version"),
        )
        .fix(format!("pin it: `{name}==<version>`"));
    }
}
