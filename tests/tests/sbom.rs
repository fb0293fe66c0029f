//! `rampart sbom`: CycloneDX 1.6 from the dependency inventory, validated
//! against the CycloneDX schema, with the vulnerabilities the advisory
//! database matched.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure report.

use rampart_core::advisories::AdvisoryOptions;
use rampart_core::report::cyclonedx::{self, SbomOptions};
use rampart_core::{ScanOptions, Scanner};
use rampart_tests::workspace_root;
use serde_json::Value;

/// Resolves the schema's `spdx` and `jsf` references from tests/schemas.
struct LocalSchemas;

impl jsonschema::Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().rsplit('/').next().unwrap_or_default();
        let path = workspace_root().join("tests/schemas/cyclonedx").join(name);
        Ok(serde_json::from_slice(&std::fs::read(&path)?)?)
    }
}

fn validator() -> jsonschema::Validator {
    let path = workspace_root().join("tests/schemas/cyclonedx/bom-1.6.SNAPSHOT.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jsonschema::options()
        .with_retriever(LocalSchemas)
        .build(&schema)
        .unwrap()
}

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "Jinja2==3.1.2\nflask>=2.0\nrequests==2.30.0\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("web")).unwrap();
    std::fs::write(
        dir.path().join("web/package-lock.json"),
        r#"{
  "name": "web",
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "web", "dependencies": {"express": "^4.19.0"}, "devDependencies": {"@types/node": "^20"}},
    "node_modules/express": {"version": "4.19.2"},
    "node_modules/@types/node": {"version": "20.14.2", "dev": true}
  }
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    // The same package in a second lockfile: one component, two occurrences.
    std::fs::create_dir(dir.path().join("tools")).unwrap();
    std::fs::write(
        dir.path().join("tools/requirements.txt"),
        "# tools\nrequests==2.30.0\n",
    )
    .unwrap();
    dir
}

fn sbom(root: &std::path::Path, advisories: Option<AdvisoryOptions>) -> Value {
    let with_db = advisories.is_some();
    let scanner = Scanner::new(ScanOptions {
        paths: vec![root.to_owned()],
        base_dir: Some(root.to_owned()),
        builtin_packs: false,
        advisories,
        ..ScanOptions::default()
    })
    .unwrap();
    let inventory = scanner.inventory().unwrap();
    // The fixture database has PyPI and crates.io only: npm dependencies
    // get a warning, nothing else may go wrong.
    for diagnostic in &inventory.diagnostics {
        assert!(
            diagnostic.message.contains("has no npm advisories"),
            "{diagnostic}"
        );
    }
    assert_eq!(
        inventory.diagnostics.len(),
        usize::from(with_db),
        "{:?}",
        inventory.diagnostics
    );
    cyclonedx::build(
        &inventory,
        &SbomOptions {
            name: Some("shop".into()),
        },
    )
}

#[test]
fn cyclonedx_is_valid_and_lists_every_dependency_once() {
    let dir = tree();
    let bom = sbom(dir.path(), None);
    let errors: Vec<String> = validator()
        .iter_errors(&bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does reject what CycloneDX forbids.
    let mut broken = bom.clone();
    broken["components"][0]["type"] = "nonsense".into();
    assert!(!validator().is_valid(&broken));
    let purls: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:cargo/smallvec@1.6.0",
            "pkg:npm/%40types/node@20.14.2",
            "pkg:npm/express@4.19.2",
            "pkg:pypi/flask",
            "pkg:pypi/jinja2@3.1.2",
            "pkg:pypi/requests@2.30.0",
        ]
    );
    let requests = &bom["components"][5];
    assert_eq!(
        requests["evidence"]["occurrences"],
        serde_json::json!([
            {"location": "requirements.txt", "line": 3},
            {"location": "tools/requirements.txt", "line": 2},
        ])
    );
    assert_eq!(bom["components"][1]["scope"], "optional", "dev dependency");
    assert_eq!(bom["metadata"]["component"]["name"], "shop");
    assert!(bom.get("vulnerabilities").is_none());
}

#[test]
fn vulnerabilities_from_the_database_affect_their_components() {
    let dir = tree();
    let db = tempfile::tempdir().unwrap();
    let source = workspace_root().join("policies/builtin/dependencies/advisories");
    assert!(
        !rampart_core::advisories::update::import(&source, db.path())
            .unwrap()
            .failed()
    );
    let options = AdvisoryOptions {
        db_dir: db.path().to_owned(),
        ..AdvisoryOptions::default()
    };
    let bom = sbom(dir.path(), Some(options.clone()));
    let errors: Vec<String> = validator()
        .iter_errors(&bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let summary: Vec<(String, Vec<String>, String)> = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_owned(),
                v["affects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["ref"].as_str().unwrap().to_owned())
                    .collect(),
                v["ratings"][0]["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "GHSA-TEST-1".to_owned(),
                vec!["pkg:pypi/jinja2@3.1.2".to_owned()],
                "medium".to_owned()
            ),
            (
                "PYSEC-TEST-2".to_owned(),
                vec!["pkg:pypi/requests@2.30.0".to_owned()],
                "high".to_owned()
            ),
            (
                "RUSTSEC-TEST-0001".to_owned(),
                vec!["pkg:cargo/smallvec@1.6.0".to_owned()],
                "critical".to_owned()
            ),
        ]
    );
    let smallvec = &bom["vulnerabilities"][2];
    assert_eq!(smallvec["ratings"][0]["method"], "CVSSv31");
    assert_eq!(smallvec["ratings"][0]["score"], 9.8);
    assert_eq!(smallvec["recommendation"], "Upgrade to 1.6.1");
    // Deterministic: same tree, same bytes (serial number included).
    assert_eq!(bom.to_string(), sbom(dir.path(), Some(options)).to_string());
}
