//! Terraform as projects write it, end to end: variable values from
//! outside the module (`terraform.tfvars`, `*.auto.tfvars(.json)`,
//! `--tf-vars` files and `--tf-var`, in Terraform's precedence, seen by
//! locals and by the rules), and blocks repeated by `count`/`for_each`.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::diagnostic::{DiagnosticKind, Level};
use rampart_core::inventory::tfvars::TerraformVars;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{Report, ScanOptions, Scanner};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A module whose values come from every kind of source.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write(
        "variables.tf",
        "variable \"acl\" {}\n\
         variable \"size\" {\n  type    = number\n  default = 1\n}\n\
         variable \"public\" {\n  type    = bool\n  default = false\n}\n\
         variable \"zones\" {\n  type    = list(string)\n  default = []\n}\n",
    );
    write(
        "main.tf",
        "resource \"aws_s3_bucket\" \"logs\" {\n  acl = var.acl\n}\n\n\
         resource \"example_thing\" \"t\" {\n  size   = var.size\n  public = var.public\n  \
         zones  = var.zones\n  name   = local.name\n}\n\n\
         locals {\n  name = \"logs-${var.acl}\"\n}\n",
    );
    write("terraform.tfvars", "acl  = \"private\"\nsize = 2\n");
    // Lexical order: a.auto.tfvars.json, then b.auto.tfvars.
    write(
        "a.auto.tfvars.json",
        "{\"size\": 3, \"undeclared\": true}\n",
    );
    write("b.auto.tfvars", "acl = \"public-read\"\n");
    dir
}

fn options(base: &Path, vars: TerraformVars, builtin: bool) -> ScanOptions {
    ScanOptions {
        paths: vec![PathBuf::from(".")],
        base_dir: Some(base.to_owned()),
        builtin_packs: builtin,
        advisories: None,
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        terraform_vars: vars,
        ..ScanOptions::default()
    }
}

/// The evaluated `config` of each resource, by its address.
fn configs(base: &Path, vars: TerraformVars) -> (Vec<(String, Value)>, Vec<String>) {
    let inventory = Scanner::new(options(base, vars, false))
        .unwrap()
        .inventory()
        .unwrap();
    let configs = inventory
        .resources()
        .map(|r| {
            let address = format!("{}.{}", r.document["type"], r.document["name"]);
            (address.replace('"', ""), r.document["config"].clone())
        })
        .collect();
    let diagnostics = inventory
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    (configs, diagnostics)
}

fn config<'a>(configs: &'a [(String, Value)], address: &str) -> &'a Value {
    &configs
        .iter()
        .find(|(a, _)| a == address)
        .unwrap_or_else(|| panic!("no {address} in {configs:?}"))
        .1
}

#[test]
fn automatic_files_override_defaults_in_terraforms_order() {
    let dir = project();
    let (configs, diagnostics) = configs(dir.path(), TerraformVars::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    // b.auto.tfvars beats terraform.tfvars; a.auto.tfvars.json beats it
    // for `size`; locals see the set value; an undeclared name is ignored.
    assert_eq!(config(&configs, "aws_s3_bucket.logs")["acl"], "public-read");
    let thing = config(&configs, "example_thing.t");
    assert_eq!(thing["size"], 3);
    assert_eq!(thing["public"], false);
    assert_eq!(thing["name"], "logs-public-read");
}

#[test]
fn user_files_then_values_win_and_are_typed() {
    let dir = project();
    let extra = dir.path().join("prod.tfvars");
    std::fs::write(&extra, "acl = \"authenticated-read\"\nsize = 9\n").unwrap();
    let vars = TerraformVars {
        files: vec![extra],
        values: vec![
            ("size".into(), "7".into()),
            ("public".into(), "true".into()),
            ("zones".into(), "[\"a\", \"b\"]".into()),
        ],
    };
    let (configs, diagnostics) = configs(dir.path(), vars);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        config(&configs, "aws_s3_bucket.logs")["acl"],
        "authenticated-read"
    );
    let thing = config(&configs, "example_thing.t");
    assert_eq!(thing["size"], 7);
    assert_eq!(thing["public"], true);
    assert_eq!(thing["zones"], json!(["a", "b"]));
}

#[test]
fn rampart_yaml_gives_values_under_the_command_line() {
    let dir = project();
    std::fs::create_dir(dir.path().join("env")).unwrap();
    std::fs::write(
        dir.path().join("env/prod.tfvars"),
        "acl = \"authenticated-read\"\nsize = 9\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rampart.yaml"),
        "terraform:\n  vars-files: [env/prod.tfvars]\n  vars:\n    public: true\n    zones: [\"a\"]\n    size: 5\n",
    )
    .unwrap();
    let config = rampart_core::config::Config::load(&dir.path().join("rampart.yaml")).unwrap();
    let scan = |vars: TerraformVars| {
        let options = options(dir.path(), vars, false).with_config(config.clone());
        let inventory = Scanner::new(options).unwrap().inventory().unwrap();
        let find = |address: &str| {
            inventory
                .resources()
                .find(|r| r.id == format!("terraform:{address}"))
                .unwrap()
                .document["config"]
                .clone()
        };
        (find("aws_s3_bucket.logs"), find("example_thing.t"))
    };
    let (bucket, thing) = scan(TerraformVars::default());
    assert_eq!(bucket["acl"], "authenticated-read");
    assert_eq!(thing["size"], 5);
    assert_eq!(thing["public"], true);
    assert_eq!(thing["zones"], json!(["a"]));
    // The command line wins over the file.
    let (_, thing) = scan(TerraformVars {
        values: vec![("size".into(), "8".into())],
        ..TerraformVars::default()
    });
    assert_eq!(thing["size"], 8);
    let errors = rampart_core::config::Config::parse(
        "terraform:\n  vars:\n    x:\n  var-files: []\n",
        "rampart.yaml",
    )
    .unwrap_err();
    assert_eq!(errors.0[0].error.line(), 4, "{errors}");
}

#[test]
fn a_broken_values_file_is_a_diagnostic_and_the_others_still_count() {
    let dir = project();
    std::fs::write(dir.path().join("c.auto.tfvars"), "size = 5\nacl = \n").unwrap();
    let inventory = Scanner::new(options(dir.path(), TerraformVars::default(), false))
        .unwrap()
        .inventory()
        .unwrap();
    let broken: Vec<_> = inventory
        .diagnostics
        .iter()
        .filter(|d| d.path.as_deref() == Some("c.auto.tfvars"))
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", inventory.diagnostics);
    assert_eq!(broken[0].level, Level::Error);
    assert_eq!(broken[0].kind, DiagnosticKind::ParseError);
    assert_eq!(broken[0].region.map(|r| r.start_line), Some(2));
    assert!(broken[0].message.starts_with("invalid variable values: "));
    let bucket = inventory
        .resources()
        .find(|r| r.document["type"] == "aws_s3_bucket")
        .unwrap();
    assert_eq!(bucket.document["config"]["acl"], "public-read");
}

fn rule_lines(report: &Report, rule: &str) -> Vec<(String, u32)> {
    report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule)
        .map(|f| (f.path.clone(), f.region.map_or(0, |r| r.start_line)))
        .collect()
}

#[test]
fn rules_judge_the_value_the_variables_give() {
    let dir = project();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    // The public ACL comes from b.auto.tfvars; the finding is on the line
    // that uses it.
    assert_eq!(rule_lines(&report, "TF-001"), [("main.tf".to_owned(), 2)]);
    let private = TerraformVars {
        values: vec![("acl".into(), "private".into())],
        ..TerraformVars::default()
    };
    let report = Scanner::new(options(dir.path(), private, true))
        .unwrap()
        .scan()
        .unwrap();
    assert!(rule_lines(&report, "TF-001").is_empty());
}

#[test]
fn each_instance_of_a_repeated_block_is_judged_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"acls\" {\n  default = {\n    site = \"public-read\"\n    logs = \"private\"\n  }\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"b\" {\n  for_each = var.acls\n  bucket   = each.key\n  acl      = each.value\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let public: Vec<(&str, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-001")
        .map(|f| (f.resource_id.as_str(), f.region.map_or(0, |r| r.start_line)))
        .collect();
    // Only the instance whose value is public, at the line that sets it.
    assert_eq!(public, [("terraform:aws_s3_bucket_acl.b[\"site\"]", 11)]);
}

#[test]
fn blocks_a_dynamic_block_generates_are_judged_at_their_content_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"admin_ports\" {\n  default = [22, 3389]\n}\n\n\
         resource \"aws_security_group\" \"bastion\" {\n  dynamic \"ingress\" {\n    \
         for_each = var.admin_ports\n    content {\n      protocol    = \"tcp\"\n      \
         from_port   = ingress.value\n      to_port     = ingress.value\n      \
         cidr_blocks = [\"0.0.0.0/0\"]\n    }\n  }\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let found: Vec<(u32, String)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-011")
        .map(|f| (f.region.map_or(0, |r| r.start_line), f.message.clone()))
        .collect();
    // One finding per generated rule, at the `content` block (line 8).
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|(line, _)| *line == 8), "{found:?}");
    assert!(found[0].1.contains("port 22") || found[1].1.contains("port 22"));
    assert!(found.iter().any(|(_, m)| m.contains("port 3389")));
}

#[test]
fn companions_count_from_any_file_of_the_module() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("storage");
    std::fs::create_dir(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n}\n\n\
         resource \"aws_s3_bucket\" \"bare\" {\n  bucket = \"acme-bare\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        module.join("versioning.tf"),
        "resource \"aws_s3_bucket_versioning\" \"logs\" {\n  bucket = aws_s3_bucket.logs.id\n  \
         versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n",
    )
    .unwrap();
    // A bucket of another module with a same-named companion is no help.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("versioning.tf"),
        "resource \"aws_s3_bucket_versioning\" \"bare\" {\n  bucket = aws_s3_bucket.bare.id\n  \
         versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let unversioned: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-004")
        .map(|f| f.resource_id.as_str())
        .collect();
    assert_eq!(unversioned, ["terraform:aws_s3_bucket.bare"]);
}

#[test]
fn local_modules_are_followed_with_the_callers_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("modules/bucket");
    std::fs::create_dir_all(&module).unwrap();
    std::fs::write(
        module.join("main.tf"),
        "variable \"acl\" {\n  default = \"private\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = \"b\"\n  acl    = var.acl\n}\n\n\
         module \"loop\" {\n  source = \"../../\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "locals {\n  open = \"public-read\"\n}\n\n\
         module \"site\" {\n  source = \"./modules/bucket\"\n  acl    = local.open\n}\n\n\
         module \"logs\" {\n  source = \"./modules/bucket\"\n}\n\n\
         module \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"5.0.0\"\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let public: Vec<(&str, &str, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-001")
        .map(|f| {
            (
                f.resource_id.as_str(),
                f.path.as_str(),
                f.region.map_or(0, |r| r.start_line),
            )
        })
        .collect();
    // Only the call that passes a public ACL, at the module's line; the
    // module directory is not also scanned as a root with its default.
    assert_eq!(
        public,
        [(
            "terraform:module.site.aws_s3_bucket_acl.this",
            "modules/bucket/main.tf",
            7
        )]
    );
    let acls = report
        .findings
        .iter()
        .filter(|f| f.resource_id.ends_with("aws_s3_bucket_acl.this"))
        .map(|f| f.resource_id.as_str())
        .collect::<std::collections::BTreeSet<_>>();
    assert!(acls.iter().all(|id| id.contains("module.")), "{acls:?}");
    let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    // The module calling the root back is a cycle, reported at the call;
    // a registry module is a note.
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("warning: modules/bucket/main.tf:10:")
                && m.contains("calls itself")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("note: main.tf:14:")
            && m.contains(
                "`vpc` (source `terraform-aws-modules/vpc/aws`) is not in the scanned tree"
            )),
        "{messages:?}"
    );
}

#[test]
fn module_calls_with_for_each_and_count_are_one_instance_each() {
    let dir = tempfile::tempdir().unwrap();
    for module in ["modules/bucket", "modules/unused"] {
        std::fs::create_dir_all(dir.path().join(module)).unwrap();
    }
    std::fs::write(
        dir.path().join("modules/bucket/main.tf"),
        "variable \"acl\" {}\n\n\
         resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = \"b\"\n  acl    = var.acl\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("modules/unused/main.tf"),
        "resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = \"b\"\n  acl    = \"public-read\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"sites\" {\n  source   = \"./modules/bucket\"\n  for_each = { docs = \"public-read\", app = \"private\" }\n  acl      = each.value\n}\n\n\
         module \"mirror\" {\n  source = \"./modules/bucket\"\n  count  = 2\n  acl    = count.index == 1 ? \"public-read-write\" : \"private\"\n}\n\n\
         module \"off\" {\n  source = \"./modules/unused\"\n  count  = 0\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let public: Vec<(&str, &str, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-001")
        .map(|f| {
            (
                f.resource_id.as_str(),
                f.path.as_str(),
                f.region.map_or(0, |r| r.start_line),
            )
        })
        .collect();
    // One instance per element and per index, each with its own
    // arguments; the module behind `count = 0` has no resources and is
    // not scanned as a root either.
    assert_eq!(
        public,
        [
            (
                "terraform:module.sites[\"docs\"].aws_s3_bucket_acl.this",
                "modules/bucket/main.tf",
                5
            ),
            (
                "terraform:module.mirror[1].aws_s3_bucket_acl.this",
                "modules/bucket/main.tf",
                5
            ),
        ]
    );
}

#[test]
fn module_instances_that_multiply_stop_at_the_limit_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for module in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(module)).unwrap();
    }
    // 1,000 instances of `a`, each making 1,000 of `b`: a million module
    // instances if followed.
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"a\" {\n  source = \"./a\"\n  count  = 1000\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a/main.tf"),
        "module \"b\" {\n  source = \"../b\"\n  count  = 1000\n}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("b/main.tf"), "variable \"v\" {}\n").unwrap();
    let (_, diagnostics) = configs(dir.path(), TerraformVars::default());
    let over: Vec<&String> = diagnostics
        .iter()
        .filter(|d| d.contains("more than 10000 module instances"))
        .collect();
    assert_eq!(over.len(), 1, "{diagnostics:?}");
    assert!(over[0].starts_with("warning: a/main.tf:1:"), "{over:?}");
}

#[test]
fn findings_name_the_module_call_and_the_file_that_set_the_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("modules/bucket")).unwrap();
    std::fs::write(
        dir.path().join("modules/bucket/main.tf"),
        "variable \"acl\" {}\n\n\
         resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = \"b\"\n  acl    = var.acl\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"site_acl\" {}\n\n\
         module \"site\" {\n  source = \"./modules/bucket\"\n  acl    = var.site_acl\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("terraform.tfvars"),
        "\nsite_acl = \"public-read\"\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule_id == "TF-001")
        .unwrap();
    assert_eq!(
        (finding.path.as_str(), finding.region.map(|r| r.start_line)),
        ("modules/bucket/main.tf", Some(5))
    );
    let related: Vec<(Option<&str>, Option<u32>, &str)> = finding
        .related
        .iter()
        .map(|r| {
            (
                r.path.as_deref(),
                r.region.map(|r| r.start_line),
                r.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            (Some("main.tf"), Some(3), "module.site called"),
            (Some("main.tf"), Some(5), "var.acl set by module.site"),
            (Some("terraform.tfvars"), Some(2), "var.site_acl set"),
        ]
    );
    assert!(
        finding.message.ends_with(
            " (module.site called at main.tf:3; var.acl set by module.site at main.tf:5; \
             var.site_acl set at terraform.tfvars:2)"
        ),
        "{}",
        finding.message
    );
    // In SARIF: relatedLocations, valid against the schema.
    let sarif = rampart_core::report::sarif::render(&report, &Default::default());
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            rampart_tests::workspace_root().join("tests/schemas/sarif-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&sarif));
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "TF-001")
        .unwrap();
    assert_eq!(
        result["relatedLocations"][2],
        json!({
            "id": 2,
            "message": {"text": "var.site_acl set"},
            "physicalLocation": {
                "artifactLocation": {"uri": "terraform.tfvars", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 25}
            }
        })
    );
    // A value from the command line is named, with no file.
    let vars = TerraformVars {
        values: vec![("site_acl".into(), "public-read-write".into())],
        ..TerraformVars::default()
    };
    let report = Scanner::new(options(dir.path(), vars, true))
        .unwrap()
        .scan()
        .unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.rule_id == "TF-001")
        .unwrap();
    assert!(
        finding.message.ends_with("; var.site_acl set by --tf-var)"),
        "{}",
        finding.message
    );
}

#[test]
fn module_outputs_carry_values_and_companions_to_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("modules/bucket")).unwrap();
    std::fs::write(
        dir.path().join("modules/bucket/main.tf"),
        "variable \"name\" {}\n\
         variable \"acl\" {\n  default = \"private\"\n}\n\n\
         resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"acme-${var.name}\"\n}\n\n\
         output \"id\" {\n  value = aws_s3_bucket.this.id\n}\n\n\
         output \"acl\" {\n  value = var.acl\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "module \"logs\" {\n  source = \"./modules/bucket\"\n  name   = \"logs\"\n  acl    = \"public-read\"\n}\n\n\
         module \"data\" {\n  source = \"./modules/bucket\"\n  name   = \"data\"\n}\n\n\
         resource \"aws_s3_bucket_versioning\" \"logs\" {\n  bucket = module.logs.id\n  \
         versioning_configuration {\n    status = \"Enabled\"\n  }\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"mirror\" {\n  bucket = \"mirror\"\n  acl    = module.logs.acl\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"copy\" {\n  bucket = module.data.id\n  acl    = module.data.acl\n}\n",
    )
    .unwrap();
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let found = |rule: &str| -> Vec<(String, u32)> {
        report
            .findings
            .iter()
            .filter(|f| f.rule_id == rule)
            .map(|f| (f.resource_id.clone(), f.region.map_or(0, |r| r.start_line)))
            .collect()
    };
    // The versioning in the root reaches module.logs' bucket through the
    // output; module.data's bucket has none.
    assert_eq!(
        found("TF-004"),
        [("terraform:module.data.aws_s3_bucket.this".to_owned(), 6)]
    );
    // A known output is a value: the public ACL module.logs was given
    // comes back out, at the line that reads it; module.data's default
    // is private.
    assert_eq!(
        found("TF-001"),
        [("terraform:aws_s3_bucket_acl.mirror".to_owned(), 21)]
    );
    let (configs, _) = configs(dir.path(), TerraformVars::default());
    // An output of an apply-time attribute stays unknown.
    assert_eq!(
        config(&configs, "aws_s3_bucket_acl.copy")["bucket"],
        "${module.data.id}"
    );
}

#[test]
fn modules_installed_by_terraform_init_are_followed_through_modules_json() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},
            {"Key":"site","Source":"registry.terraform.io/acme/bucket/aws","Version":"1.0.0","Dir":".terraform/modules/site"},
            {"Key":"site.inner","Source":"registry.terraform.io/acme/inner/aws","Version":"2.0.0","Dir":".terraform/modules/site.inner"}]}"#,
    );
    write(
        ".terraform/modules/site/main.tf",
        "variable \"acl\" {\n  default = \"public-read-write\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = \"b\"\n  acl    = var.acl\n}\n\n\
         module \"inner\" {\n  source = \"acme/inner/aws\"\n  acl    = var.acl\n}\n",
    );
    write(
        ".terraform/modules/site.inner/main.tf",
        "variable \"acl\" {\n  default = \"public-read-write\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"inner\" {\n  bucket = \"c\"\n  acl    = var.acl\n}\n",
    );
    write(
        "main.tf",
        "module \"site\" {\n  source  = \"acme/bucket/aws\"\n  version = \"1.0.0\"\n  acl     = \"public-read\"\n}\n\n\
         module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}\n",
    );
    let scan = || {
        Scanner::new(options(dir.path(), TerraformVars::default(), true))
            .unwrap()
            .scan()
            .unwrap()
    };
    let public = |report: &Report| -> Vec<(String, String, u32)> {
        report
            .findings
            .iter()
            .filter(|f| f.rule_id == "TF-001")
            .map(|f| {
                (
                    f.resource_id.clone(),
                    f.path.clone(),
                    f.region.map_or(0, |r| r.start_line),
                )
            })
            .collect()
    };
    let report = scan();
    // Each installed module once per call, with the caller's value; not
    // also as a root with its public default.
    assert_eq!(
        public(&report),
        [
            (
                "terraform:module.site.module.inner.aws_s3_bucket_acl.inner".to_owned(),
                ".terraform/modules/site.inner/main.tf".to_owned(),
                7
            ),
            (
                "terraform:module.site.aws_s3_bucket_acl.this".to_owned(),
                ".terraform/modules/site/main.tf".to_owned(),
                7
            ),
        ]
    );
    let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("note: main.tf:7:")
            && m.contains("`vpc` (source `terraform-aws-modules/vpc/aws`) is not in the scanned tree (nor installed")),
        "{messages:?}"
    );
    // Ignored, the installed modules are named in the note.
    write(".ignore", ".terraform/\n");
    let report = scan();
    assert!(public(&report).is_empty());
    let messages: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("note: main.tf:1:")
            && m.contains(
                "is installed in .terraform/modules/site, which the scan does not include"
            )),
        "{messages:?}"
    );
}

#[test]
fn file_functions_read_inside_the_scanned_tree_only() {
    let top = tempfile::tempdir().unwrap();
    let dir = top.path().join("scan");
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    std::fs::write(top.path().join("secret.txt"), "CANARY-outside").unwrap();
    write("policy.json", "{\"Statement\": []}\n");
    write("modules/app/policy.json", "{\"Version\": \"2012-10-17\"}\n");
    write("modules/app/user.tpl", "hello ${name} on ${ports[0]}");
    write(
        "modules/app/loop.tpl",
        "${templatefile(\"modules/app/loop.tpl\", {})}",
    );
    std::os::unix::fs::symlink(top.path().join("secret.txt"), dir.join("link.txt")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe"))
        .status()
        .unwrap();
    assert!(made.success());
    write(
        "main.tf",
        "module \"app\" {\n  source = \"./modules/app\"\n  name   = \"web\"\n}\n\n\
         resource \"x\" \"root\" {\n  policy  = file(\"policy.json\")\n  where   = path.module\n  \
         outside = file(\"../secret.txt\")\n  link    = file(\"link.txt\")\n  fifo    = file(\"pipe\")\n  \
         abs     = file(\"/etc/hostname\")\n  exists  = fileexists(\"policy.json\")\n  \
         missing = fileexists(\"nope.json\")\n}\n",
    );
    write(
        "modules/app/main.tf",
        "variable \"name\" {}\n\n\
         resource \"x\" \"app\" {\n  where    = path.module\n  policy   = file(\"${path.module}/policy.json\")\n  \
         rendered = templatefile(\"${path.module}/user.tpl\", { name = var.name, ports = [22] })\n  \
         loop     = templatefile(\"${path.module}/loop.tpl\", {})\n}\n",
    );
    let (configs, _) = configs(&dir, TerraformVars::default());
    let root = config(&configs, "x.root");
    assert_eq!(root["policy"], "{\"Statement\": []}\n");
    assert_eq!(root["where"], ".");
    assert_eq!(root["exists"], true);
    // Outside the tree, through a link, a FIFO, an absolute path, or a
    // file that is not there: never read, never guessed.
    for key in ["outside", "link", "fifo", "abs", "missing"] {
        let value = root[key].as_str().unwrap();
        assert!(value.starts_with("${file"), "{key}: {value}");
    }
    let app = config(&configs, "x.app");
    assert_eq!(app["where"], "modules/app");
    assert_eq!(app["policy"], "{\"Version\": \"2012-10-17\"}\n");
    assert_eq!(app["rendered"], "hello web on 22");
    assert!(
        app["loop"].as_str().unwrap().starts_with("${templatefile("),
        "{}",
        app["loop"]
    );
    let all = serde_json::to_string(&configs).unwrap();
    assert!(!all.contains("CANARY"), "{all}");
}

#[test]
fn undeclared_variables_and_locals_are_warnings_at_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "variable \"known\" {\n  default = \"private\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"b\" {\n  bucket = local.gone\n  acl    = var.nope\n  \
         other  = var.known\n}\n",
    )
    .unwrap();
    let (configs, diagnostics) = configs(dir.path(), TerraformVars::default());
    assert_eq!(
        diagnostics,
        [
            "warning: main.tf:6:12: `local.gone`: no `locals` block defines it, so its value is unknown",
            "warning: main.tf:7:12: `var.nope`: no `variable` block declares it, so its value is unknown",
        ]
    );
    let acl = config(&configs, "aws_s3_bucket_acl.b");
    assert_eq!(acl["acl"], "${var.nope}");
    assert_eq!(acl["other"], "private");
}

#[test]
fn outputs_reach_the_callers_locals_and_the_calls_that_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    // A naming module, as cloudposse's null-label: its outputs are known.
    write(
        "modules/label/main.tf",
        "variable \"name\" {}\nvariable \"stage\" {}\n\n\
         locals {\n  id = \"${var.stage}-${var.name}\"\n}\n\n\
         output \"id\" {\n  value = local.id\n}\n\n\
         output \"acl\" {\n  value = var.stage == \"prod\" ? \"private\" : \"public-read\"\n}\n",
    );
    write(
        "modules/bucket/main.tf",
        "variable \"name\" {}\nvariable \"acl\" {}\n\n\
         resource \"aws_s3_bucket_acl\" \"this\" {\n  bucket = var.name\n  acl    = var.acl\n}\n",
    );
    // The bucket call comes first in the file but reads the label's
    // outputs, directly and through a local.
    write(
        "main.tf",
        "module \"bucket\" {\n  source = \"./modules/bucket\"\n  name   = module.label.id\n  acl    = local.acl\n}\n\n\
         locals {\n  acl = module.label.acl\n}\n\n\
         module \"label\" {\n  source = \"./modules/label\"\n  name   = \"app\"\n  stage  = \"dev\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"root\" {\n  bucket = \"r\"\n  acl    = local.acl\n}\n",
    );
    let report = Scanner::new(options(dir.path(), TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let public: Vec<(&str, u32)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-001")
        .map(|f| (f.resource_id.as_str(), f.region.map_or(0, |r| r.start_line)))
        .collect();
    assert_eq!(
        public,
        [
            ("terraform:aws_s3_bucket_acl.root", 19),
            ("terraform:module.bucket.aws_s3_bucket_acl.this", 6),
        ]
    );
    let (configs, diagnostics) = configs(dir.path(), TerraformVars::default());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        config(&configs, "aws_s3_bucket_acl.this")["bucket"],
        "dev-app"
    );
}

#[test]
fn the_example_project_is_evaluated_as_terraform_would() {
    let root = rampart_tests::workspace_root().join("examples/terraform-project");
    let report = Scanner::new(options(&root, TerraformVars::default(), true))
        .unwrap()
        .scan()
        .unwrap();
    let found: std::collections::BTreeSet<(String, String, u32)> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule_id.clone(),
                f.resource_id.clone(),
                f.region.map_or(0, |r| r.start_line),
            )
        })
        .collect();
    let has = |rule: &str, resource: &str, line: u32| {
        found.contains(&(rule.to_owned(), resource.to_owned(), line))
    };
    // The public ACL comes from terraform.tfvars through a module call.
    assert!(
        has("TF-001", "terraform:module.site.aws_s3_bucket_acl.this", 13),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(rule, id, _)| rule == "TF-001" && id.contains("module.logs"))
    );
    // Both admin ports of the dynamic block, at its content block.
    let ssh_rdp = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "TF-011" && f.region.map(|r| r.start_line) == Some(20))
        .count();
    assert_eq!(ssh_rdp, 2, "{found:?}");
    // for_each over a tfvars map: only the public, unencrypted instance.
    assert!(has(
        "TF-014",
        "terraform:aws_db_instance.db[\"reports\"]",
        33
    ));
    assert!(has(
        "TF-015",
        "terraform:aws_db_instance.db[\"reports\"]",
        34
    ));
    assert!(
        !found
            .iter()
            .any(|(rule, id, _)| (rule == "TF-014" || rule == "TF-015") && id.contains("billing"))
    );
    // jsonencode(concat(…, var.extra_actions)) with "*" from ops.auto.tfvars.
    assert!(has("TF-006", "terraform:aws_iam_policy.ops", 39));
    // The audit bucket's versioning lives in another file, the site
    // bucket's in the root, through the module's output.
    let unversioned: Vec<&str> = found
        .iter()
        .filter(|(rule, _, _)| rule == "TF-004")
        .map(|(_, id, _)| id.as_str())
        .collect();
    assert_eq!(
        unversioned,
        [
            "terraform:module.logs.aws_s3_bucket.this",
            "terraform:module.regional[\"eu\"].aws_s3_bucket.this",
            "terraform:module.regional[\"us\"].aws_s3_bucket.this",
        ]
    );
    // One instance per region; only the US one is public, and its
    // finding names the call and the argument that made it so.
    assert!(has(
        "TF-001",
        "terraform:module.regional[\"us\"].aws_s3_bucket_acl.this",
        13
    ));
    assert!(
        !found
            .iter()
            .any(|(_, id, _)| id.contains("regional[\"eu\"].aws_s3_bucket_acl"))
    );
    let us = report
        .findings
        .iter()
        .find(|f| f.rule_id == "TF-001" && f.resource_id.contains("regional"))
        .unwrap();
    assert_eq!(
        us.related
            .iter()
            .map(|r| (r.path.as_deref(), r.region.map(|r| r.start_line)))
            .collect::<Vec<_>>(),
        [
            (Some("regional.tf"), Some(2)),
            (Some("regional.tf"), Some(6))
        ]
    );
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
}

#[test]
fn values_of_the_wrong_type_and_refused_calls_are_warnings_at_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "modules/db/main.tf",
        "variable \"port\" {\n  type = number\n}\n\n\
         variable \"replicas\" {\n  type    = number\n  default = \"two\"\n}\n\n\
         variable \"rule\" {\n  type = object({ cidr = string, tls = optional(bool, true) })\n}\n\n\
         resource \"aws_db_instance\" \"db\" {\n  port     = var.port\n  replicas = var.replicas\n  \
         tls      = var.rule.tls\n  name     = lenght(\"db\")\n  zone     = lookup([\"a\"], \"b\")\n  \
         safe     = try(lookup([\"a\"], \"b\"), \"fallback\")\n  upper    = upper(\"ok\")\n}\n\n\
         output \"name\" {\n  value = lenght(\"db\")\n}\n",
    );
    // Called twice: once well, once with a port that is no number.
    write(
        "main.tf",
        "module \"good\" {\n  source = \"./modules/db\"\n  port   = \"5432\"\n  rule   = { cidr = \"10.0.0.0/8\" }\n}\n\n\
         module \"bad\" {\n  source = \"./modules/db\"\n  port   = \"fivefourthreetwo\"\n  rule   = { tls = false }\n}\n\n\
         variable \"count_of\" {\n  type = number\n}\n\n\
         variable \"flag\" {\n  type = bool\n}\n\n\
         resource \"example_thing\" \"t\" {\n  n    = var.count_of\n  flag = var.flag\n}\n",
    );
    // A JSON values file names its line and column too.
    write("terraform.tfvars.json", "{\n  \"count_of\": [1]\n}\n");
    let vars = TerraformVars {
        files: Vec::new(),
        values: vec![("flag".into(), "yes".into())],
    };
    let (configs, diagnostics) = configs(dir.path(), vars);
    assert_eq!(
        diagnostics,
        [
            "warning: main.tf:9:1: variable `port` is of type number, and the value set by module.bad does not convert to it: the string \"fivefourthreetwo\" is not a number; Terraform refuses it, and the variable stays unknown",
            "warning: main.tf:10:1: variable `rule` is of type object({…}), and the value set by module.bad does not convert to it: attribute `cidr` is required; Terraform refuses it, and the variable stays unknown",
            "warning: main.tf:17:1: variable `flag` is of type bool, and the value set by --tf-var does not convert to it: the string \"yes\" is not a bool; Terraform refuses it, and the variable stays unknown",
            "warning: modules/db/main.tf:7:13: variable `replicas` is of type number, and its default does not convert to it: the string \"two\" is not a number; Terraform refuses it, and the variable stays unknown",
            "warning: modules/db/main.tf:18:14: Terraform has no function `lenght` (did you mean `length`?): Terraform refuses this call, and its value stays unknown",
            "warning: modules/db/main.tf:19:14: argument 1 of `lookup` must be a map or object, not a list: Terraform refuses this call, and its value stays unknown",
            "warning: modules/db/main.tf:25:11: Terraform has no function `lenght` (did you mean `length`?): Terraform refuses this call, and its value stays unknown",
            "warning: terraform.tfvars.json:2:3: variable `count_of` is of type number, and the value set does not convert to it: a list is not a number; Terraform refuses it, and the variable stays unknown",
        ]
    );
    let good = config(&configs, "aws_db_instance.db");
    assert_eq!(good["port"], 5432, "converted to the declared number");
    assert_eq!(good["tls"], true, "the optional attribute's default");
    assert_eq!(good["replicas"], "${var.replicas}");
    assert_eq!(good["name"], "${lenght(\"db\")}");
    assert_eq!(good["safe"], "fallback");
    assert_eq!(good["upper"], "OK");
    // The other call's port and rule are unknown, not guessed.
    let ports: Vec<&Value> = configs
        .iter()
        .filter(|(address, _)| address == "aws_db_instance.db")
        .map(|(_, config)| &config["port"])
        .collect();
    assert_eq!(ports, [&json!(5432), &json!("${var.port}")]);
    let thing = config(&configs, "example_thing.t");
    assert_eq!(thing["n"], "${var.count_of}");
    assert_eq!(thing["flag"], "${var.flag}");
}
