//! Policy authoring in three languages: `rampart policy new`, `policy
//! build` with the real toolchains (cargo, componentize-py,
//! componentize-js), `policy test`, and the example pack written in Rust,
//! Python and JavaScript giving byte-identical reports.
//!
//! The Python and JavaScript toolchains are installed from PyPI and npm into
//! `target/tools` on first use when they are not on `PATH`
//! (`rampart_tests::componentize_py` / `componentize_js`).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_tests::{componentize_js, componentize_py, workspace_root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// rampart with its cache in `cache` and both toolchains named.
fn rampart(args: &[&str], cache: &Path, cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(cwd)
        .env("RAMPART_CACHE_DIR", cache)
        .env("RAMPART_COMPONENTIZE_PY", componentize_py())
        .env("RAMPART_COMPONENTIZE_JS", componentize_js())
        // Packs scaffolded by the tests share one target directory, so the
        // SDK's dependencies are compiled once per test run.
        .env("CARGO_TARGET_DIR", workspace_root().join("target/scaffold"))
        .env_remove("RAMPART_LOG")
        .output()
        .expect("run rampart")
}

fn text(out: &Output) -> String {
    format!(
        "status {}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn build(dir: &Path, cache: &Path) -> Output {
    let out = rampart(&["policy", "build", dir.to_str().unwrap()], cache, dir);
    assert!(
        out.status.success(),
        "build {}: {}",
        dir.display(),
        text(&out)
    );
    out
}

const LANGUAGES: [&str; 3] = ["rust", "python", "js"];

#[test]
fn the_example_pack_gives_identical_reports_in_three_languages() {
    let cache = tempfile::tempdir().unwrap();
    let example = workspace_root().join("policies/examples/pdb");
    let fixtures = example.join("fixtures");
    let mut reports = Vec::new();
    for lang in LANGUAGES {
        let dir = example.join(lang);
        let out = build(&dir, cache.path());
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("pdb-example 0.1.0: 2 rules (EX-PDB-001, EX-PDB-002)"),
            "{lang}: {stdout}"
        );
        assert!(
            stdout.contains("from it (Hit)"),
            "{lang}: the build warms the cache: {stdout}"
        );

        let out = rampart(
            &[
                "policy",
                "test",
                ".",
                "--fixtures",
                fixtures.to_str().unwrap(),
            ],
            cache.path(),
            &dir,
        );
        assert!(out.status.success(), "{lang}: {}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("ok: 4 fixtures of 2 rules checked"),
            "{lang}: {}",
            text(&out)
        );

        let out = rampart(
            &[
                "scan",
                "fixtures",
                "--no-builtin",
                "--policy",
                dir.join("dist/pack.wasm").to_str().unwrap(),
                "--format",
                "json",
            ],
            cache.path(),
            &example,
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{lang}: findings: {}",
            text(&out)
        );
        let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report.as_object_mut().unwrap().remove("tool");
        reports.push((lang, report));
    }
    let (_, rust) = &reports[0];
    let findings = rust["findings"].as_array().unwrap();
    let located: Vec<(String, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["region"]["startLine"].as_u64().unwrap(),
                f["rule_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expect = |path: &str, line: u64, rule: &str| (path.to_owned(), line, rule.to_owned());
    assert_eq!(
        located,
        [
            expect("fixtures/EX-PDB-001/positive.yaml", 8, "EX-PDB-001"),
            expect("fixtures/EX-PDB-001/positive.yaml", 52, "EX-PDB-001"),
            expect("fixtures/EX-PDB-002/positive.yaml", 7, "EX-PDB-002"),
            expect("fixtures/EX-PDB-002/positive.yaml", 17, "EX-PDB-002"),
            expect("fixtures/EX-PDB-002/positive.yaml", 27, "EX-PDB-002"),
            expect("fixtures/EX-PDB-002/positive.yaml", 54, "EX-PDB-002"),
        ]
    );
    assert_eq!(
        findings[5]["message"],
        "PodDisruptionBudget `web` requires 3 available pods but Deployment `web` runs 3 replicas: node drains will hang"
    );
    for (lang, report) in &reports[1..] {
        // Findings, messages, fixes, rule metadata and summary: all equal.
        assert_eq!(report, rust, "{lang} differs from rust");
    }
}

/// `policy new` in `lang`, its unit tests, `policy build`, `policy test`.
fn scaffold_builds_and_passes(
    lang: &str,
    unit_tests: &[&str],
) -> (tempfile::TempDir, PathBuf, tempfile::TempDir) {
    let cache = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "new", "acme", "--lang", lang],
        cache.path(),
        root.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let dir = root.path().join("acme");
    if lang == "rust" {
        // The workspace's lockfile pins the SDK's dependencies to versions
        // already compiled for the workspace.
        std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    }
    let out = Command::new(unit_tests[0])
        .args(&unit_tests[1..])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", workspace_root().join("target/scaffold"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{lang} unit tests: {}", text(&out));

    build(&dir, cache.path());
    let out = rampart(&["policy", "test"], cache.path(), &dir);
    assert!(out.status.success(), "{lang}: {}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok: 2 fixtures of 1 rule checked"),
        "{}",
        text(&out)
    );
    (root, dir, cache)
}

/// Moves the expect marker of `rule` in the positive fixture one line down:
/// `policy test` must fail and show both sides of the difference.
fn break_a_fixture_and_see_the_diff(dir: &Path, cache: &Path) {
    let path = dir.join("fixtures/ACME-001/positive.yaml");
    let fixture = std::fs::read_to_string(&path).unwrap();
    let broken = fixture
        .replace(
            "image: nginx:latest  # expect: ACME-001",
            "image: nginx:latest",
        )
        .replace(
            "image: registry.example.com/shop/metrics:1.4.2",
            "image: registry.example.com/shop/metrics:1.4.2  # expect: ACME-001",
        );
    assert_ne!(broken, fixture);
    std::fs::write(&path, broken).unwrap();
    let out = rampart(&["policy", "test"], cache, dir);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("- not reported: [24]"), "{stdout}");
    assert!(stdout.contains("+ not expected: [22]"), "{stdout}");
    std::fs::write(&path, fixture).unwrap();
}

/// Inserts `lines` after `anchor` in the pack's `rules_file` (a log line
/// and a statement that throws), rebuilds, and scans the fixtures with
/// `-v`: the scan must be incomplete (exit 2). Returns all it printed.
fn make_the_rule_throw(
    dir: &Path,
    cache: &Path,
    rules_file: &str,
    anchor: &str,
    lines: &str,
) -> String {
    let path = dir.join(rules_file);
    let rules = std::fs::read_to_string(&path).unwrap();
    let failing = rules.replace(anchor, &format!("{anchor}{lines}"));
    assert_ne!(failing, rules);
    std::fs::write(&path, failing).unwrap();
    build(dir, cache);
    let args = [
        "-v",
        "scan",
        "fixtures",
        "--no-builtin",
        "--policy",
        "dist/pack.wasm",
    ];
    let out = rampart(&args, cache, dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    text(&out)
}

#[test]
fn a_new_python_pack_builds_tests_and_reports_exceptions_with_their_traceback() {
    let python = ["python3", "-m", "unittest", "--quiet"];
    let (_root, dir, cache) = scaffold_builds_and_passes("python", &python);
    break_a_fixture_and_see_the_diff(&dir, cache.path());

    // A syntax error fails the build with Python's own message and line,
    // and leaves no component.
    let rules = std::fs::read_to_string(dir.join("rules.py")).unwrap();
    std::fs::write(dir.join("rules.py"), format!("{rules}\ndef broken(:\n")).unwrap();
    let out = rampart(&["policy", "build"], cache.path(), &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let all = text(&out);
    assert!(
        all.contains("SyntaxError: invalid syntax (rules.py, line "),
        "{all}"
    );
    assert!(!all.contains("Stack backtrace"), "{all}");
    std::fs::write(dir.join("rules.py"), rules).unwrap();

    // An exception in a rule is the pack's error for that file, with the
    // rule's file and line; the scan says it is incomplete.
    let all = make_the_rule_throw(
        &dir,
        cache.path(),
        "rules.py",
        "    spec = pod_spec(resource)\n",
        "    print(\"checking\", resource.id)\n    {}[\"missing\"]\n",
    );
    assert!(
        all.contains("pack error: Traceback (most recent call last):"),
        "{all}"
    );
    assert!(all.contains("File \"rules.py\", line "), "{all}");
    assert!(all.contains("in unpinned_image"), "{all}");
    assert!(all.contains("KeyError: 'missing'"), "{all}");
    // print() reached rampart's log, not a trap.
    assert!(all.contains("checking k8s:Deployment/shop/web"), "{all}");
}

#[test]
fn a_new_javascript_pack_builds_tests_and_reports_exceptions() {
    let (_root, dir, cache) = scaffold_builds_and_passes("js", &["node", "--test"]);
    break_a_fixture_and_see_the_diff(&dir, cache.path());

    let all = make_the_rule_throw(
        &dir,
        cache.path(),
        "rules.js",
        "    const spec = podSpec(resource);\n",
        "    console.log(\"checking\", resource.id);\n    null.missing;\n",
    );
    assert!(all.contains("pack error: TypeError"), "{all}");
    assert!(all.contains("rules.js:"), "{all}");
    assert!(all.contains("checking k8s:Deployment/shop/web"), "{all}");
}

#[test]
fn a_new_rust_pack_builds_and_a_pack_that_reads_files_is_refused() {
    let (_root, dir, cache) = scaffold_builds_and_passes("rust", &["cargo", "test", "--quiet"]);
    break_a_fixture_and_see_the_diff(&dir, cache.path());

    // std::fs makes the component import wasi:filesystem: the build must
    // fail, name the import, and leave no component behind.
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    let reading = lib.replace(
        "    let spec = pod_spec(resource);\n",
        "    let spec = pod_spec(resource);\n    let _ = std::fs::read(\"/etc/passwd\");\n",
    );
    assert_ne!(reading, lib);
    std::fs::write(dir.join("src/lib.rs"), reading).unwrap();
    let out = rampart(&["policy", "build"], cache.path(), &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let all = text(&out);
    assert!(all.contains("wasi:filesystem/"), "{all}");
    assert!(all.contains("refuses (removed)"), "{all}");
    assert!(!dir.join("dist/pack.wasm").exists());
}

#[test]
fn policy_build_outside_a_pack_and_without_a_toolchain_says_what_to_do() {
    let cache = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let out = rampart(&["policy", "build"], cache.path(), empty.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out)
            .contains("has no Cargo.toml, rules.py or rules.js (`rampart policy new` makes one)"),
        "{}",
        text(&out)
    );

    let root = tempfile::tempdir().unwrap();
    let out = rampart(
        &["policy", "new", "acme", "--lang", "python"],
        cache.path(),
        root.path(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = rampart(
        &["policy", "build", "--tool", "/nonexistent/componentize-py"],
        cache.path(),
        &root.path().join("acme"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("pip install componentize-py==0.25.1"),
        "{}",
        text(&out)
    );

    let out = rampart(
        &["policy", "new", "acme", "--lang", "python"],
        cache.path(),
        root.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("already exists and is not empty"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_python_and_javascript_sdks_pass_their_own_unit_tests() {
    for (dir, program) in [
        (
            "policies/sdk-python",
            &["python3", "-m", "unittest", "--quiet"][..],
        ),
        ("policies/sdk-js", &["node", "--test"][..]),
    ] {
        let out = Command::new(program[0])
            .args(&program[1..])
            .current_dir(workspace_root().join(dir))
            .output()
            .unwrap();
        assert!(out.status.success(), "{dir}: {}", text(&out));
        let all = text(&out);
        assert!(
            all.contains("OK") || all.contains("# fail 0"),
            "{dir}: {all}"
        );
    }
}

/// The guides name the toolchain releases the SDKs are tested with.
#[test]
fn the_guides_name_the_tested_toolchains() {
    use rampart_authoring::{COMPONENTIZE_JS_VERSION, COMPONENTIZE_PY_VERSION};
    let docs = workspace_root().join("docs/authoring");
    let read = |page: &str| std::fs::read_to_string(docs.join(page)).unwrap();
    let python = format!("componentize-py=={COMPONENTIZE_PY_VERSION}");
    let js = format!("@bytecodealliance/componentize-js@{COMPONENTIZE_JS_VERSION}");
    assert!(read("python.md").contains(&python), "python.md: {python}");
    assert!(read("javascript.md").contains(&js), "javascript.md: {js}");
    for page in ["rust.md", "python.md", "javascript.md"] {
        assert!(
            read("README.md").contains(&format!("]({page})")),
            "README.md links {page}"
        );
    }
}

/// A detector declared with a rule, in each language, reaches the host:
/// `policy inspect` of the built component lists it (rampart:policy 0.1.1).
#[test]
fn detectors_declared_in_each_language_reach_the_host() {
    let cache = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let pattern = r"\b(?P<secret>acme_[a-z0-9]{8})\b";
    for lang in LANGUAGES {
        let name = format!("acme{lang}");
        let out = rampart(
            &["policy", "new", &name, "--lang", lang],
            cache.path(),
            root.path(),
        );
        assert!(out.status.success(), "{}", text(&out));
        let dir = root.path().join(&name);
        let rule = format!("{}-001", name.to_uppercase());
        let (file, from, to) = match lang {
            "rust" => {
                std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
                (
                    "src/lib.rs",
                    "rampart_policy::export_pack!(PACK);".to_owned(),
                    format!(
                        "rampart_policy::export_pack!(PACK, &[rampart_policy::Detector {{ rule: \"{rule}\", keywords: &[\"acme_\"], pattern: r\"{pattern}\" }}]);"
                    ),
                )
            }
            "python" => (
                "rules.py",
                "    kinds=[\"k8s\"],".to_owned(),
                format!(
                    "    kinds=[\"k8s\"],\n    detectors=[Detector(r\"{pattern}\", (\"acme_\",))],"
                ),
            ),
            _ => (
                "rules.js",
                "    kinds: [\"k8s\"],".to_owned(),
                format!(
                    "    kinds: [\"k8s\"],\n    detectors: [{{ keywords: [\"acme_\"], pattern: String.raw`{pattern}` }}],"
                ),
            ),
        };
        let path = dir.join(file);
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(source.contains(&from), "{lang}: {from} not in {file}");
        let mut source = source.replacen(&from, &to, 1);
        if lang == "python" {
            source = source.replacen(
                "from rampart_policy import Pack, Severity",
                "from rampart_policy import Detector, Pack, Severity",
                1,
            );
        }
        std::fs::write(&path, source).unwrap();
        build(&dir, cache.path());
        let out = rampart(
            &["policy", "inspect", "--format", "json", "dist/pack.wasm"],
            cache.path(),
            &dir,
        );
        assert!(out.status.success(), "{lang}: {}", text(&out));
        let inspected: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            inspected["detectors"],
            serde_json::json!([{"rule_id": rule, "keywords": ["acme_"], "pattern": pattern}]),
            "{lang}: {}",
            text(&out)
        );
        assert!(
            inspected["exports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e == "rampart:policy/detectors@0.1.1"),
            "{lang}: {}",
            inspected["exports"]
        );
    }
}
