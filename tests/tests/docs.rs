//! The documentation's examples are tested, so they cannot go stale.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::inventory::{self, WalkOptions};
use rampart_tests::workspace_root;

/// The fenced code blocks of a Markdown file with the given info string.
fn blocks<'a>(markdown: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    markdown
        .split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split_once("\n```").map(|(block, _)| block))
        .collect()
}

/// Runs the inventory on a kind page's input block (written to `file`) and
/// compares with its JSON block.
fn check_kind_page(page: &str, input_language: &str, file: &str) -> Vec<rampart_core::Resource> {
    let page = std::fs::read_to_string(workspace_root().join("docs/kinds").join(page)).unwrap();
    let mut input = blocks(&page, input_language);
    let mut json = blocks(&page, "json");
    if input_language == "json" {
        // The input is JSON too: the first block is the input, the second
        // the inventory.
        json = json.split_off(1);
        input.truncate(1);
    }
    assert_eq!((input.len(), json.len()), (1, 1));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, format!("{}\n", input[0])).unwrap();
    let found = inventory::collect(
        &[dir.path().to_owned()],
        &WalkOptions {
            base_dir: dir.path().to_owned(),
            ..WalkOptions::default()
        },
    )
    .unwrap();
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    let resources: Vec<rampart_core::Resource> = found.resources().cloned().collect();
    let mut actual = serde_json::to_value(&resources).unwrap();
    for resource in actual.as_array_mut().unwrap() {
        resource.as_object_mut().unwrap().remove("spans");
    }
    let documented: serde_json::Value = serde_json::from_str(json[0]).unwrap();
    assert_eq!(actual, documented);
    resources
}

#[test]
fn k8s_kind_page_matches_the_inventory() {
    let resources = check_kind_page("k8s.md", "yaml", "example.yaml");
    let span = resources[0]
        .spans
        .get("/spec/jobTemplate/spec/template/spec/hostPID")
        .unwrap();
    assert_eq!(
        (span.start_line, span.start_column, span.end_column),
        (12, 11, 24)
    );
}

#[test]
fn dockerfile_kind_page_matches_the_inventory() {
    let resources = check_kind_page("dockerfile.md", "dockerfile", "Dockerfile");
    let span = resources[0].spans.get("/stages/0/instructions/0").unwrap();
    assert_eq!((span.start_line, span.end_line), (3, 4));
}

/// The region of `pointer` in resource `id`, as (line, column, end column).
fn span_of(resources: &[rampart_core::Resource], id: &str, pointer: &str) -> (u32, u32, u32) {
    let resource = resources.iter().find(|r| r.id == id).unwrap();
    let span = resource.spans.get(pointer).unwrap();
    assert_eq!(span.start_line, span.end_line);
    (span.start_line, span.start_column, span.end_column)
}

#[test]
fn compose_kind_page_matches_the_inventory() {
    let resources = check_kind_page("compose.md", "yaml", "compose.yaml");
    assert_eq!(
        span_of(&resources, "compose:service/web", "/volumes/0"),
        (7, 9, 50)
    );
}

#[test]
fn github_actions_kind_page_matches_the_inventory() {
    let resources = check_kind_page("github-actions.md", "yaml", ".github/workflows/ci.yml");
    let run = span_of(
        &resources,
        "github-actions:workflow/ci.yml",
        "/jobs/test/steps/1/run",
    );
    assert_eq!(run, (10, 9, 23));
}

#[test]
fn gitlab_ci_kind_page_matches_the_inventory() {
    let resources = check_kind_page("gitlab-ci.md", "yaml", ".gitlab-ci.yml");
    assert_eq!(
        span_of(&resources, "gitlab-ci:pipeline", "/unit/image"),
        (6, 3, 21)
    );
}

#[test]
fn cloudformation_kind_page_matches_the_inventory() {
    let resources = check_kind_page("cloudformation.md", "yaml", "storage.yaml");
    let name = span_of(&resources, "cloudformation:Logs", "/Properties/BucketName");
    assert_eq!(name, (6, 7, 48));
}

#[test]
fn ansible_kind_page_matches_the_inventory() {
    let resources = check_kind_page("ansible.md", "yaml", "site.yml");
    assert_eq!(
        span_of(&resources, "ansible:task/1", "/args/mode"),
        (9, 9, 21)
    );
}

#[test]
fn terraform_kind_page_matches_the_inventory() {
    let resources = check_kind_page("terraform.md", "hcl", "main.tf");
    let cidr = span_of(
        &resources,
        "terraform:aws_security_group.admin",
        "/config/ingress/0/cidr_blocks/0",
    );
    assert_eq!(cidr, (11, 20, 31));
}

#[test]
fn dependency_kind_page_matches_the_inventory() {
    let resources = check_kind_page("dependency.md", "json", "package-lock.json");
    let debug = resources
        .iter()
        .find(|r| r.id == "dependency:npm/debug@2.6.9")
        .unwrap();
    assert_eq!(debug.spans.get("").unwrap().start_line, 14);
}

#[test]
fn rule_pages_are_current() {
    use rampart_core::policy::{CacheMode, EngineOptions, PolicyEngine};
    let engine = PolicyEngine::new(EngineOptions {
        cache: CacheMode::Disabled,
        ..EngineOptions::default()
    })
    .unwrap();
    let root = workspace_root().join("docs/rules");
    let mut stale = Vec::new();
    for pack in engine.load_builtins().unwrap() {
        for page in rampart_core::report::rule_docs::pack_pages(pack.metadata()) {
            let current = std::fs::read_to_string(root.join(&page.path)).unwrap_or_default();
            if current != page.content {
                stale.push(page.path);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (run `cargo run -p rampart -- policy docs`): {stale:?}"
    );
}

/// docs/kinds/host.md: the example image's files, inventoried as a host,
/// give the documented resources (the kinds the page shows).
#[test]
fn host_kind_page_matches_the_inventory() {
    use rampart_core::inventory::host::HostTarget;
    use rampart_core::{ScanOptions, Scanner};
    let page = std::fs::read_to_string(workspace_root().join("docs/kinds/host.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("image");
    for (language, path) in [
        ("os-release", "etc/os-release"),
        ("passwd", "etc/passwd"),
        ("shadow", "etc/shadow"),
        ("sshd_config", "etc/ssh/sshd_config"),
    ] {
        let block = blocks(&page, language);
        assert_eq!(block.len(), 1, "one {language} block");
        let file = image.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, format!("{}\n", block[0])).unwrap();
    }
    let inventory = Scanner::new(ScanOptions {
        paths: vec![],
        hosts: vec![HostTarget::Root(image)],
        base_dir: Some(dir.path().to_owned()),
        builtin_packs: false,
        advisories: None,
        ..ScanOptions::default()
    })
    .unwrap()
    .inventory()
    .unwrap();
    assert!(
        inventory.diagnostics.is_empty(),
        "{:?}",
        inventory.diagnostics
    );
    let shown: Vec<&rampart_core::Resource> = inventory
        .resources()
        .filter(|r| ["host.os", "host.user", "sshd"].contains(&r.kind.as_str()))
        .collect();
    let mut actual = serde_json::to_value(&shown).unwrap();
    for resource in actual.as_array_mut().unwrap() {
        let object = resource.as_object_mut().unwrap();
        object.remove("spans");
        object.remove("span_files");
    }
    let documented: serde_json::Value = serde_json::from_str(blocks(&page, "json")[0]).unwrap();
    assert_eq!(actual, documented);
    // The documented spans: PermitRootLogin on line 2, root's shadow entry
    // on line 1 of etc/shadow.
    let sshd = shown.iter().find(|r| r.kind == "sshd").unwrap();
    assert_eq!(
        sshd.locate("/settings/permitrootlogin")
            .1
            .unwrap()
            .start_line,
        2
    );
    let root = shown.iter().find(|r| r.id == "host.user:root").unwrap();
    assert_eq!(
        root.locate("/shadow"),
        (
            "image/etc/shadow",
            Some(rampart_core::resource::Region::line(1, 1, 26))
        )
    );
}

/// docs/kinds/text.md: the example file, searched with the page's
/// detector, gives the documented resource, the value at its exact
/// region.
#[test]
fn text_kind_page_matches_the_inventory() {
    let page = std::fs::read_to_string(workspace_root().join("docs/kinds/text.md")).unwrap();
    let input = blocks(&page, "env");
    let json = blocks(&page, "json");
    assert_eq!((input.len(), json.len()), (1, 1));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/.env"), format!("{}\n", input[0])).unwrap();
    let detector = rampart_core::rule::Detector::new(
        "ACME-001".to_owned(),
        vec!["acme_".to_owned()],
        regex::bytes::Regex::new(r"\b(?P<secret>acme_[a-z0-9]{8})\b").unwrap(),
    );
    let found = inventory::collect(
        &[dir.path().to_owned()],
        &WalkOptions {
            base_dir: dir.path().to_owned(),
            text: Some(std::sync::Arc::new(inventory::text::TextMatcher::new(
                vec![detector],
            ))),
            ..WalkOptions::default()
        },
    )
    .unwrap();
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    let resources: Vec<rampart_core::Resource> = found.resources().cloned().collect();
    let mut actual = serde_json::to_value(&resources).unwrap();
    for resource in actual.as_array_mut().unwrap() {
        resource.as_object_mut().unwrap().remove("spans");
    }
    let documented: serde_json::Value = serde_json::from_str(json[0]).unwrap();
    assert_eq!(actual, documented);
    let span = resources[0].spans.get("/candidates/0/secret").unwrap();
    assert_eq!(
        (span.start_line, span.start_column, span.end_column),
        (3, 11, 24)
    );
    assert!(page.contains(&rampart_core::inventory::text::redacted("acme_0a1b2c3d")));
}
