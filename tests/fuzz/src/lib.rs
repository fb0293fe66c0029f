//! Fuzz harnesses: what the targets in `fuzz/` run on each input, and
//! what `tests/fuzz/tests/corpus.rs` replays over the committed corpus on
//! the stable toolchain.
//!
//! Each harness feeds bytes to one of rampart's readers of untrusted input
//! the way a scan does — through a real file in a scratch directory where
//! the scan reads files, so the walk, the one reading function and the
//! parsers run as in production — and then checks what must hold for any
//! input, beyond "no panic":
//!
//! - every region a resource or diagnostic points at lies inside the file
//!   (a line past the end is a finding GitHub code scanning rejects);
//! - the same input gives the same inventory, byte for byte;
//! - version orderings are total orders (the advisory index binary-searches
//!   them);
//! - the streamed SARIF merge writes the same bytes as the in-memory one.
//!
//! A violated property panics, which is what libFuzzer reports as a crash.

use rampart_core::Resource;
use rampart_core::advisories::osv::{Advisory, OsvRecord};
use rampart_core::advisories::version::Scheme;
use rampart_core::baseline::Baseline;
use rampart_core::config::Config;
use rampart_core::diagnostic::Diagnostic;
use rampart_core::inventory::host::fs::RootFs;
use rampart_core::inventory::{self, Inventory, WalkOptions};
use rampart_core::report::sarif_merge;
use rampart_core::resource::Region;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A harness: runs one input, panics when a property is violated.
pub type Harness = fn(&[u8]);

/// The harnesses, by the name of their fuzz target and corpus directory.
pub const TARGETS: &[(&str, Harness)] = &[
    ("project_file", project_file),
    ("lockfile", lockfile),
    ("host_image", host_image),
    ("rampart_config", rampart_config),
    ("osv_record", osv_record),
    ("version_order", version_order),
    ("sarif_merge", sarif_merge),
    ("baseline", baseline),
];

/// Names a configuration file can have; the first input byte picks one, so
/// one corpus covers every detector (a workflow, a chart, a plan …).
const PROJECT_FILES: &[&str] = &[
    "deploy.yaml",
    "k8s/pod.json",
    "Dockerfile",
    "main.tf",
    "main.tf.json",
    "plan.json",
    ".github/workflows/ci.yml",
    ".github/actions/setup/action.yml",
    ".gitlab-ci.yml",
    "docker-compose.yml",
    "template.yaml",
    "playbook.yml",
    "roles/web/tasks/main.yml",
    ".gitignore",
    "rampart.yaml",
];

/// Lockfile names, picked the same way.
const LOCKFILES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "requirements.txt",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
    "Pipfile.lock",
    "go.mod",
    "Gemfile.lock",
    "composer.lock",
    "pom.xml",
    "gradle.lockfile",
    "packages.lock.json",
    "pubspec.lock",
    "mix.lock",
];

/// The host files one input is split into (at each `\n%%\n`), in order.
const HOST_FILES: &[&str] = &[
    "etc/passwd",
    "etc/shadow",
    "etc/group",
    "etc/ssh/sshd_config",
    "etc/ssh/sshd_config.d/10-extra.conf",
    "etc/sysctl.conf",
    "etc/fstab",
    "etc/os-release",
    "var/lib/dpkg/status",
    "lib/apk/db/installed",
    "etc/crontab",
    "etc/cron.d/job",
    "etc/systemd/system/app.service",
    "etc/sudoers",
    "etc/login.defs",
    "etc/inetd.conf",
];

/// A scratch directory of this process, emptied before each input.
fn scratch(name: &str) -> PathBuf {
    static ROOT: OnceLock<tempfile::TempDir> = OnceLock::new();
    let root = ROOT.get_or_init(|| tempfile::tempdir().expect("a scratch directory"));
    let dir = root.path().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch directory");
    dir
}

fn write(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a scratch subdirectory");
    }
    std::fs::write(path, bytes).expect("a scratch file");
}

/// A configuration file of the format its first byte picks.
pub fn project_file(data: &[u8]) {
    one_file(data, PROJECT_FILES);
}

/// A lockfile of the format its first byte picks.
pub fn lockfile(data: &[u8]) {
    one_file(data, LOCKFILES);
}

fn one_file(data: &[u8], names: &[&str]) {
    let Some((&pick, content)) = data.split_first() else {
        return;
    };
    let name = names[usize::from(pick) % names.len()];
    let dir = scratch("project");
    write(&dir, name, content);
    // Two Terraform files make a module: locals may refer across them.
    if name == "main.tf" {
        write(&dir, "locals.tf", content);
    }
    let first = scan(&dir);
    let second = scan(&dir);
    assert_eq!(
        serde_json::to_string(&first).ok(),
        serde_json::to_string(&second).ok(),
        "the same file gave two inventories"
    );
    let lines = line_counts(&dir, &first);
    for file in &first.files {
        for resource in &file.resources {
            check_resource(resource, &lines);
        }
    }
    check_diagnostics(&first.diagnostics, &lines);
}

fn scan(dir: &Path) -> Inventory {
    let options = WalkOptions {
        base_dir: dir.to_owned(),
        max_file_size: 1 << 20,
        keep_sources: true,
        ..WalkOptions::default()
    };
    inventory::collect(&[dir.to_owned()], &options).expect("valid walk options")
}

/// Lines of each file shown in `inventory`, by display path.
fn line_counts(dir: &Path, inventory: &Inventory) -> Vec<(String, usize)> {
    let mut paths: Vec<&str> = inventory.files.iter().map(|f| f.path.as_str()).collect();
    paths.extend(
        inventory
            .diagnostics
            .iter()
            .filter_map(|d| d.path.as_deref()),
    );
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read(dir.join(path)).unwrap_or_default();
            (path.to_owned(), count_lines(&text))
        })
        .collect()
}

fn count_lines(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count() + 1
}

fn check_resource(resource: &Resource, lines: &[(String, usize)]) {
    let file = |pointer: &str| -> &str {
        resource
            .span_files
            .iter()
            .filter(|(prefix, _)| pointer.starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len())
            .map_or(resource.source.as_str(), |(_, file)| file.as_str())
    };
    let spans = serde_json::to_value(&resource.spans).unwrap_or_default();
    let Some(spans) = spans.as_object() else {
        return;
    };
    for (pointer, region) in spans {
        let Ok(region) = serde_json::from_value::<Region>(region.clone()) else {
            panic!("span {pointer:?} of {} is not a region", resource.id);
        };
        let path = file(pointer);
        check_region(
            &region,
            path,
            lines,
            &format!("span {pointer:?} of {}", resource.id),
        );
    }
}

fn check_diagnostics(diagnostics: &[Diagnostic], lines: &[(String, usize)]) {
    for diagnostic in diagnostics {
        assert!(
            !diagnostic.message.is_empty(),
            "an empty diagnostic: {diagnostic:?}"
        );
        if let (Some(path), Some(region)) = (&diagnostic.path, &diagnostic.region) {
            check_region(region, path, lines, &diagnostic.message);
        }
    }
}

fn check_region(region: &Region, path: &str, lines: &[(String, usize)], what: &str) {
    assert!(region.start_line >= 1, "{what}: line 0");
    assert!(
        (region.start_line, region.start_column) <= (region.end_line, region.end_column),
        "{what}: ends before it starts ({region:?})"
    );
    if let Some((_, count)) = lines.iter().find(|(p, _)| p == path) {
        assert!(
            region.start_line as usize <= *count,
            "{what}: line {} of a {count}-line file {path}",
            region.start_line
        );
    }
}

/// A root filesystem whose host files are the input's parts.
pub fn host_image(data: &[u8]) {
    let dir = scratch("image");
    let mut parts = split(data, b"\n%%\n");
    for name in HOST_FILES {
        write(&dir, name, parts.next().unwrap_or_default());
    }
    let Ok(fs) = RootFs::new(&dir) else {
        return;
    };
    let first = inventory::host::collect(&fs, "image", "img");
    let second = inventory::host::collect(&fs, "image", "img");
    assert_eq!(
        serde_json::to_string(&first.resources).ok(),
        serde_json::to_string(&second.resources).ok(),
        "the same image gave two inventories"
    );
    let lines: Vec<(String, usize)> = HOST_FILES
        .iter()
        .map(|name| {
            let text = std::fs::read(dir.join(name)).unwrap_or_default();
            (format!("img/{name}"), count_lines(&text))
        })
        .collect();
    for resource in &first.resources {
        check_resource(resource, &lines);
    }
    check_diagnostics(&first.diagnostics, &lines);
}

fn split<'a>(data: &'a [u8], separator: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let current = rest?;
        match current
            .windows(separator.len())
            .position(|w| w == separator)
        {
            Some(at) => {
                rest = Some(&current[at + separator.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// A `rampart.yaml`: parsed, and its settings applied to no findings
/// (expiry dates are compared).
pub fn rampart_config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text, "rampart.yaml") {
        Ok(config) => {
            let mut findings = Vec::new();
            let _ = config.apply(&mut findings, rampart_core::config::today());
        }
        Err(errors) => {
            let count = count_lines(data);
            for error in errors.0.iter().map(|e| &e.error) {
                assert!(!error.message.is_empty());
                assert!(
                    error.line() as usize <= count,
                    "config error at line {} of a {count}-line file: {}",
                    error.line(),
                    error.message
                );
            }
        }
    }
}

/// An OSV record: converted, then evaluated against versions taken from
/// its own ranges (the interesting ones).
pub fn osv_record(data: &[u8]) {
    let Ok(record) = serde_json::from_slice::<OsvRecord>(data) else {
        return;
    };
    let probes: Vec<String> = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .map(|value| {
            let mut found = Vec::new();
            collect_strings(&value, &mut found);
            found
        })
        .unwrap_or_default();
    let Some(advisory) = Advisory::from_osv(record) else {
        return;
    };
    let names: Vec<String> = advisory
        .affected
        .iter()
        .map(|a| a.name.clone())
        .take(4)
        .collect();
    for name in &names {
        for version in probes.iter().take(32) {
            let _ = advisory.evaluate(name, version);
        }
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// Three versions of the scheme the first byte picks: their ordering must
/// be a total order.
pub fn version_order(data: &[u8]) {
    const SCHEMES: &[Scheme] = &[
        Scheme::Semver,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::RubyGems,
        Scheme::Maven,
        Scheme::NuGet,
        Scheme::Debian,
        Scheme::Alpine,
        Scheme::Rpm,
        Scheme::Composer,
    ];
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let scheme = SCHEMES[usize::from(pick) % SCHEMES.len()];
    let versions: Vec<_> = text
        .split('\n')
        .take(3)
        .filter_map(|v| scheme.parse(v).ok())
        .collect();
    for a in &versions {
        assert_eq!(
            a.cmp(a),
            Ordering::Equal,
            "{scheme:?}: {a:?} is not equal to itself"
        );
        for b in &versions {
            assert_eq!(
                a.cmp(b),
                b.cmp(a).reverse(),
                "{scheme:?}: {a:?} and {b:?} compare both ways"
            );
            for c in &versions {
                if a <= b && b <= c {
                    assert!(
                        a <= c,
                        "{scheme:?}: {a:?} <= {b:?} <= {c:?} but not {a:?} <= {c:?}"
                    );
                }
            }
        }
    }
}

/// Two SARIF logs merged: the streamed merge (what `rampart sarif merge`
/// runs) must write exactly what the in-memory merge renders.
pub fn sarif_merge(data: &[u8]) {
    let mut parts = split(data, b"\n%%\n");
    let a = parts.next().unwrap_or_default();
    let b = parts.next().unwrap_or_default();
    let dir = scratch("sarif");
    write(&dir, "a.sarif", a);
    write(&dir, "b.sarif", b);
    let mut streamed = Vec::new();
    let streamed =
        sarif_merge::merge_files(&[dir.join("a.sarif"), dir.join("b.sarif")], &mut streamed)
            .map(|()| streamed);
    let parsed = (serde_json::from_slice(a), serde_json::from_slice(b));
    let (Ok(a), Ok(b)) = parsed else {
        assert!(
            streamed.is_err(),
            "the streamed merge accepted a log that is not JSON"
        );
        return;
    };
    let names = |n: &str| dir.join(n).display().to_string();
    let in_memory = sarif_merge::merge(vec![(names("a.sarif"), a), (names("b.sarif"), b)]);
    match (streamed, in_memory) {
        (Ok(streamed), Ok(value)) => {
            let mut rendered = serde_json::to_string_pretty(&value).expect("a JSON value");
            rendered.push('\n');
            assert!(
                streamed == rendered.as_bytes(),
                "the streamed merge wrote other bytes than the in-memory merge"
            );
        }
        (Err(_), Err(_)) => {}
        (streamed, in_memory) => panic!(
            "the merges disagree: streamed {:?}, in memory {:?}",
            streamed.map(|_| ()),
            in_memory.map(|_| ())
        ),
    }
}

/// A baseline file.
pub fn baseline(data: &[u8]) {
    let dir = scratch("baseline");
    write(&dir, "baseline.json", data);
    if let Ok(baseline) = Baseline::load(&dir.join("baseline.json")) {
        let again: Baseline =
            serde_json::from_str(&baseline.to_json()).expect("a baseline reads back");
        assert_eq!(again, baseline, "a baseline does not survive writing");
    }
}
