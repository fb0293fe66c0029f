//! Format detection never confuses one format for another: a tree with one
//! file of every kind (and look-alikes) yields exactly the expected kinds.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::inventory::{self, WalkOptions};
use std::collections::BTreeMap;

#[test]
fn every_format_is_recognised_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let files: &[(&str, &str)] = &[
        (
            "k8s/pod.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n",
        ),
        ("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n"),
        (
            "stack/docker-compose.prod.yml",
            "services:\n  db:\n    image: postgres:16\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: []\n",
        ),
        (
            "tools/setup/action.yml",
            "name: setup\nruns:\n  using: composite\n  steps: []\n",
        ),
        (".gitlab-ci.yml", "test:\n  script: [make]\n"),
        (
            "cfn/stack.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n",
        ),
        (
            "cfn/sam.json",
            "{\"Resources\": {\"F\": {\"Type\": \"AWS::Serverless::Function\"}}}",
        ),
        (
            "site.yml",
            "- hosts: web\n  tasks:\n    - apt: {name: nginx}\n",
        ),
        (
            "roles/web/tasks/main.yml",
            "- name: x\n  service: {name: nginx, state: started}\n",
        ),
        ("tf/main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n"),
        (
            "tf/json/main.tf.json",
            "{\"resource\": {\"aws_s3_bucket\": {\"j\": {}}}}",
        ),
        (
            "tf/plan.json",
            "{\"format_version\": \"1.2\", \"planned_values\": {\"root_module\": {\"resources\": [{\"address\": \"aws_s3_bucket.p\", \"mode\": \"managed\", \"type\": \"aws_s3_bucket\", \"name\": \"p\", \"values\": {}}]}}}",
        ),
        ("Dockerfile", "FROM alpine:3.20\n"),
        // Lockfiles, several of them YAML or JSON a manifest parser would
        // otherwise read.
        (
            "web/pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n  react@18.2.0:\n    resolution: {integrity: x}\n",
        ),
        (
            "web/yarn.lock",
            "# yarn lockfile v1\n\nlodash@^4.17.20:\n  version \"4.17.21\"\n",
        ),
        (
            "php/composer.lock",
            "{\"packages\": [{\"name\": \"a/b\", \"version\": \"1.0.0\"}]}",
        ),
        (
            "java/pom.xml",
            "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency></dependencies></project>",
        ),
        (
            "go/go.mod",
            "module m\n\nrequire golang.org/x/net v0.23.0\n",
        ),
        (
            "rb/Gemfile.lock",
            "GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n",
        ),
        (
            "dart/pubspec.lock",
            "packages:\n  http:\n    dependency: \"direct main\"\n    source: hosted\n    version: \"1.2.1\"\n",
        ),
        // Look-alikes that are none of these.
        (
            "config/app.yaml",
            "services:\n  cache: {ttl: 60}\nlogging: {level: info}\n",
        ),
        ("data/list.yaml", "- one\n- two\n"),
        (
            "data/tasks.yml",
            "- name: not in a tasks directory\n  apt: {name: x}\n",
        ),
        ("package.json", "{\"name\": \"x\", \"version\": \"1.0.0\"}"),
        ("notes/workflow.yml", "on: push\nsteps: [a]\n"),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let found = inventory::collect(
        &[root.to_owned()],
        &WalkOptions {
            base_dir: root.to_owned(),
            ..WalkOptions::default()
        },
    )
    .unwrap();
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
    let kinds: BTreeMap<&str, Vec<&str>> =
        found.files.iter().fold(BTreeMap::new(), |mut map, f| {
            let mut kinds: Vec<&str> = f.resources.iter().map(|r| r.kind.as_str()).collect();
            kinds.dedup();
            map.insert(f.path.as_str(), kinds);
            map
        });
    let expected: BTreeMap<&str, Vec<&str>> = [
        (".github/workflows/ci.yml", vec!["github-actions"]),
        (".gitlab-ci.yml", vec!["gitlab-ci"]),
        ("Dockerfile", vec!["dockerfile"]),
        ("cfn/sam.json", vec!["cloudformation"]),
        ("cfn/stack.yaml", vec!["cloudformation"]),
        ("compose.yaml", vec!["compose"]),
        ("dart/pubspec.lock", vec!["dependency"]),
        ("go/go.mod", vec!["dependency"]),
        ("java/pom.xml", vec!["dependency"]),
        ("php/composer.lock", vec!["dependency"]),
        ("rb/Gemfile.lock", vec!["dependency"]),
        ("web/pnpm-lock.yaml", vec!["dependency"]),
        ("web/yarn.lock", vec!["dependency"]),
        ("k8s/pod.yaml", vec!["k8s"]),
        ("roles/web/tasks/main.yml", vec!["ansible-task"]),
        ("site.yml", vec!["ansible-play", "ansible-task"]),
        ("stack/docker-compose.prod.yml", vec!["compose"]),
        ("tf/json/main.tf.json", vec!["terraform"]),
        ("tf/main.tf", vec!["terraform"]),
        ("tf/plan.json", vec!["terraform"]),
        ("tools/setup/action.yml", vec!["github-actions"]),
    ]
    .into_iter()
    .collect();
    assert_eq!(kinds, expected);
}
