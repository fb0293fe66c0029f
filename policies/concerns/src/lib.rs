//! Concerns: a check that is a value — "attribute P of resource type T,
//! compared with a value, with the provider's default when P is absent" —
//! written once as a row of a table and mapped onto each platform's shape
//! (a Terraform resource's attribute, a CloudFormation resource's
//! property, an Ansible module's argument), so that one row is a rule in
//! every pack that knows the resource, and the rules cannot drift apart.
//!
//! A pack turns row `N` into a rule with [`terraform_rule`],
//! [`cloudformation_rule`] or [`ansible_rule`]: the rule's metadata comes
//! from the row and its
//! check is a function instantiated for `N` (a rule's check is a plain
//! function pointer, so the row is found by a constant, not captured).
//! Checks that need code (policy documents, relations between resources)
//! stay code in their packs.
//!
//! Unknown values never produce a finding: a Terraform `"${…}"` the
//! inventory could not evaluate, a CloudFormation intrinsic function
//! (`{"Ref": …}`, `{"Fn::If": …}`), an Ansible `{{ … }}` template.
//!
//! Ansible is judged on what a task writes only. A task states the
//! changes it makes to a resource that may already exist ("grow the
//! volumes of the cluster"): an argument it leaves out keeps the
//! resource as it is, so the platform's default says nothing about the
//! task. Tasks that delete (`state: absent`) are not judged.

mod aws;
mod azure;
mod google;

pub use aws::AWS;
pub use azure::AZURE;
pub use google::GOOGLE;

/// The tables, by the index the rule functions take (`T`).
const TABLES: [&[Concern]; 3] = [AWS, AZURE, GOOGLE];
const AWS_TABLE: usize = 0;
const AZURE_TABLE: usize = 1;
const GOOGLE_TABLE: usize = 2;
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

/// One concern, on every platform it is mapped to.
#[derive(Debug, Clone, Copy)]
pub struct Concern {
    /// One-line headline, the same on every platform.
    pub title: &'static str,
    /// Severity, by docs/rules/README.md's policy.
    pub severity: Severity,
    /// Why it matters (Markdown).
    pub help: &'static str,
    /// Tags, the same on every platform.
    pub tags: &'static [&'static str],
    /// Compliance controls the concern maps to.
    pub compliance: &'static [Control],
    /// What a finding says after the resource's name:
    /// "`aws_docdb_cluster.docs` stores data unencrypted".
    pub finding: &'static str,
    /// What a compliant value is.
    pub expect: Expect,
    /// The Terraform shape (`aws_docdb_cluster.storage_encrypted`).
    pub terraform: Option<Shape>,
    /// The CloudFormation shape (`AWS::DocDB::DBCluster.StorageEncrypted`).
    pub cloudformation: Option<Shape>,
    /// The Ansible shape (`community.aws.efs: encrypt`).
    pub ansible: Option<Shape>,
}

/// Where a concern lives on one platform, and the texts that name it so.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// The rule id on this platform (`TF-073`).
    pub id: &'static str,
    /// The resource types it applies to; on Ansible the modules, by their
    /// fully qualified names (a task that writes the short name, under a
    /// play's `collections:`, matches too).
    pub types: &'static [&'static str],
    /// The attribute path under the resource's configuration (Terraform's
    /// block body, CloudFormation's `Properties`, the Ansible module's
    /// arguments); a nested block on the way is followed into each of
    /// its instances, each judged on its own.
    pub path: &'static [&'static str],
    /// What the rule checks, in this platform's words.
    pub description: &'static str,
    /// How to fix it, in this platform's words.
    pub remediation: &'static str,
    /// The short fix a finding carries.
    pub fix: &'static str,
    /// When the check applies to only some of the resources of its types,
    /// the test that says so, given the type (Ansible: the module), the
    /// configuration, and the instance of the path's first block being
    /// judged (the configuration itself when the path is one attribute):
    /// a read replica inherits its source's encryption, an asymmetric KMS
    /// key cannot rotate, an ECS task's volume not on EFS has no transit
    /// encryption to set. `None`: every resource.
    pub applies: Option<fn(&str, &Node<'_>, &Node<'_>) -> bool>,
    /// The same check in other scanners on this platform, as `tool:ID`
    /// (`checkov:CKV_AWS_16`, `trivy:AWS-0080`).
    pub equivalents: &'static [&'static str],
}

/// What a compliant value is, and what the platform assumes when the
/// attribute is absent (`None`: absent is not judged — the default is
/// safe, or differs between versions and is not guessed).
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    /// A flag that must be `want`.
    Flag { want: bool, default: Option<bool> },
    /// A string that must be `want` (compared without case).
    Equals {
        want: &'static str,
        default: Option<&'static str>,
    },
    /// A value that must be set (a key id, an ARN, a list of log types to
    /// export): absent, an empty string or an empty list fails.
    Set,
    /// A string that must be one of `want` (compared without case): a
    /// minimum TLS version of `1.2` or `1.3`.
    OneOf {
        want: &'static [&'static str],
        default: Option<&'static str>,
    },
    /// A string that must not be one of `bad` (compared without case):
    /// a logging service of `none`.
    NoneOf {
        bad: &'static [&'static str],
        default: Option<&'static str>,
    },
    /// A whole number that must be at least `min`: a backup retention of
    /// 7 days, a password length of 14.
    AtLeast { min: i64, default: Option<i64> },
    /// A list that must hold every one of `want` (compared without case):
    /// the audit log among a cluster's exported logs. `default` is the
    /// list the platform assumes when the attribute is absent.
    Includes {
        want: &'static [&'static str],
        default: Option<&'static [&'static str]>,
    },
    /// A list that must hold none of `bad` (compared without case): FTP
    /// among a file server's protocols, SSLv3 among an origin's.
    Excludes {
        bad: &'static [&'static str],
        default: Option<&'static [&'static str]>,
    },
}

/// Whether `value` is one of `words`, without case.
fn among(words: &[&str], value: &str) -> bool {
    words.iter().any(|word| word.eq_ignore_ascii_case(value))
}

/// The platforms a concern maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Platform {
    Terraform,
    CloudFormation,
    Ansible,
}

impl Concern {
    const fn shape(&self, platform: Platform) -> &Shape {
        let shape = match platform {
            Platform::Terraform => &self.terraform,
            Platform::CloudFormation => &self.cloudformation,
            Platform::Ansible => &self.ansible,
        };
        match shape {
            Some(shape) => shape,
            // Only reached in constant evaluation (a pack listing a rule
            // for a platform the row has no shape on): a compile error,
            // never a panic at scan time.
            None => panic!("the concern has no shape on this platform"),
        }
    }

    const fn rule(
        &'static self,
        platform: Platform,
        kinds: &'static [&'static str],
        check: fn(&Resource, &mut Context<'_>),
    ) -> Rule {
        let shape = self.shape(platform);
        Rule {
            id: shape.id,
            title: self.title,
            description: shape.description,
            severity: self.severity,
            help: self.help,
            help_uri: None,
            remediation: shape.remediation,
            tags: self.tags,
            compliance: self.compliance,
            kinds,
            equivalents: shape.equivalents,
            check,
        }
    }
}

/// Row `N` of [`AWS`] as a rule of the `terraform` pack.
pub const fn terraform_rule<const N: usize>() -> Rule {
    terraform_rule_of::<AWS_TABLE, N>()
}

/// Row `N` of [`AZURE`] as a rule of the `terraform` pack.
pub const fn azure_terraform_rule<const N: usize>() -> Rule {
    terraform_rule_of::<AZURE_TABLE, N>()
}

/// Row `N` of [`GOOGLE`] as a rule of the `terraform` pack.
pub const fn google_terraform_rule<const N: usize>() -> Rule {
    terraform_rule_of::<GOOGLE_TABLE, N>()
}

/// Row `N` of [`AWS`] as a rule of the `cloudformation` pack.
pub const fn cloudformation_rule<const N: usize>() -> Rule {
    AWS[N].rule(
        Platform::CloudFormation,
        &["cloudformation"],
        cloudformation_check::<N>,
    )
}

/// Row `N` of [`AWS`] as a rule of the `ansible` pack.
pub const fn ansible_rule<const N: usize>() -> Rule {
    ansible_rule_of::<AWS_TABLE, N>()
}

/// Row `N` of [`AZURE`] as a rule of the `ansible` pack
/// (`azure.azcollection`).
pub const fn azure_ansible_rule<const N: usize>() -> Rule {
    ansible_rule_of::<AZURE_TABLE, N>()
}

/// Row `N` of [`GOOGLE`] as a rule of the `ansible` pack (`google.cloud`).
pub const fn google_ansible_rule<const N: usize>() -> Rule {
    ansible_rule_of::<GOOGLE_TABLE, N>()
}

const fn terraform_rule_of<const T: usize, const N: usize>() -> Rule {
    TABLES[T][N].rule(Platform::Terraform, &["terraform"], terraform_check::<T, N>)
}

const fn ansible_rule_of<const T: usize, const N: usize>() -> Rule {
    TABLES[T][N].rule(Platform::Ansible, &["ansible-task"], ansible_check::<T, N>)
}

fn terraform_check<const T: usize, const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let concern = &TABLES[T][N];
    let root = resource.root();
    if root.get("block").as_str() != Some("resource") {
        return;
    }
    // Every row's check sees every resource: the type is compared before
    // anything is allocated.
    let kind = root.get("type").as_str().unwrap_or("");
    if !concern.shape(Platform::Terraform).types.contains(&kind) {
        return;
    }
    let name = format!("`{kind}.{}`", root.get("name").as_str().unwrap_or("?"));
    judge(
        concern,
        Platform::Terraform,
        resource,
        kind,
        root.get("config"),
        &name,
        cx,
    );
}

fn cloudformation_check<const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    let kind = root.get("Type").as_str().unwrap_or("");
    if !AWS[N].shape(Platform::CloudFormation).types.contains(&kind) {
        return;
    }
    let name = format!(
        "`{}`",
        resource
            .id
            .strip_prefix("cloudformation:")
            .unwrap_or(&resource.id)
    );
    judge(
        &AWS[N],
        Platform::CloudFormation,
        resource,
        kind,
        root.get("Properties"),
        &name,
        cx,
    );
}

fn ansible_check<const T: usize, const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let concern = &TABLES[T][N];
    let root = resource.root();
    let Some(module) = root.get("module").as_str() else {
        return;
    };
    let shape = concern.shape(Platform::Ansible);
    // `amazon.aws.rds_instance`, or `rds_instance` under `collections:`.
    let matches = shape.types.iter().any(|full| {
        full == &module || (!module.contains('.') && full.rsplit('.').next() == Some(module))
    });
    if !matches {
        return;
    }
    let task = root.get("task");
    // The arguments as a mapping under the module key, or under `args:`.
    let args = match root.get("args") {
        args if args.is_object() => args,
        _ => task.get("args"),
    };
    if !args.is_object() {
        return;
    }
    let deletes = args
        .get("state")
        .as_str()
        .is_some_and(|state| state.eq_ignore_ascii_case("absent"));
    if deletes {
        return;
    }
    let name = match task.get("name").as_str() {
        Some(name) => format!("task `{name}`"),
        None => format!("`{module}` task"),
    };
    judge(
        concern,
        Platform::Ansible,
        resource,
        module,
        args,
        &name,
        cx,
    );
}

/// The one check of every concern: find the value, give the benefit of
/// the doubt to what is unknown, apply the default when it is absent.
fn judge(
    concern: &Concern,
    platform: Platform,
    resource: &Resource,
    kind: &str,
    config: Node<'_>,
    name: &str,
    cx: &mut Context<'_>,
) {
    let shape = concern.shape(platform);
    // Where a finding goes when the value is not written: the deepest
    // block or mapping on the path that is; else the resource's first
    // line on Terraform (as every Terraform rule), `Properties` on
    // CloudFormation (as every CloudFormation rule), the arguments on
    // Ansible.
    let written = match platform {
        Platform::Terraform => resource.root(),
        Platform::CloudFormation | Platform::Ansible => config.or(&resource.root()),
    };
    let mut reports = Vec::new();
    let walk = Walk {
        platform,
        written,
        block: config.clone(),
    };
    walk.descend(config.clone(), shape.path, 0, &mut |node, walk| {
        let applies = shape
            .applies
            .is_none_or(|applies| applies(kind, &config, &walk.block));
        if applies && fails(concern.expect, platform, &node) {
            reports.push(node.or(&walk.written));
        }
    });
    for at in reports {
        cx.report(&at, format!("{name} {}", concern.finding))
            .fix(shape.fix);
    }
}

/// Where a walk down a shape's path is.
#[derive(Clone)]
struct Walk<'a> {
    platform: Platform,
    /// The deepest block or mapping written on the way: where a finding
    /// goes when the value is not.
    written: Node<'a>,
    /// The instance of the path's first block being followed (the
    /// configuration itself while on the first step, or when the path is
    /// one attribute): what an `applies` test judges per instance.
    block: Node<'a>,
}

impl<'a> Walk<'a> {
    /// Follows `path` from `node`, which is at `step` of the shape's path,
    /// and gives `visit` each value it leads to. A nested block is
    /// followed into every one of its instances, so a second
    /// `ebs_block_device` or CloudFront origin is judged as the first is;
    /// a block written with no instance leads to one absent value.
    /// Unknown values on the way end the walk: they are not judged.
    fn descend(
        &self,
        node: Node<'a>,
        path: &[&'static str],
        step: usize,
        visit: &mut dyn FnMut(Node<'a>, &Walk<'a>),
    ) {
        let Some((key, rest)) = path.split_first() else {
            visit(node, self);
            return;
        };
        if unknown(&node, self.platform) {
            return;
        }
        // A list of blocks gives each instance; anything else (one block,
        // a mapping, or an empty list's missing first instance) is the
        // one instance.
        let mut instances = node.items().peekable();
        let one = if instances.peek().is_none() {
            Some(first(&node))
        } else {
            None
        };
        for instance in one.into_iter().chain(instances) {
            if unknown(&instance, self.platform) {
                continue;
            }
            let mut walk = self.clone();
            if step > 0 {
                if instance.exists() {
                    walk.written = instance.clone();
                }
                if step == 1 {
                    walk.block = instance.clone();
                }
            }
            walk.descend(instance.get(key), rest, step + 1, visit);
        }
    }
}

/// Whether a value (absent when `node` does not exist) fails the
/// expectation: absent is judged by the platform's default, except on
/// Ansible, where what a task leaves out it leaves as it is; unknown
/// values never fail.
fn fails(expect: Expect, platform: Platform, node: &Node<'_>) -> bool {
    if !node.exists() || node.is_null() {
        if platform == Platform::Ansible {
            return false;
        }
        return match expect {
            Expect::Flag { want, default } => default.is_some_and(|d| d != want),
            Expect::Equals { want, default } => {
                default.is_some_and(|d| !d.eq_ignore_ascii_case(want))
            }
            Expect::Set => true,
            Expect::OneOf { want, default } => default.is_some_and(|d| !among(want, d)),
            Expect::NoneOf { bad, default } => default.is_some_and(|d| among(bad, d)),
            Expect::AtLeast { min, default } => default.is_some_and(|d| d < min),
            Expect::Includes { want, default } => {
                default.is_some_and(|d| want.iter().any(|w| !among(d, w)))
            }
            Expect::Excludes { bad, default } => {
                default.is_some_and(|d| d.iter().any(|v| among(bad, v)))
            }
        };
    }
    if unknown(node, platform) {
        return false;
    }
    match expect {
        Expect::Flag { want, .. } => flag(node, platform).is_some_and(|value| value != want),
        Expect::Equals { want, .. } => node
            .as_str()
            .is_some_and(|value| !value.eq_ignore_ascii_case(want)),
        Expect::Set => {
            node.as_str().is_some_and(|value| value.trim().is_empty())
                || (node.is_array() && node.items().next().is_none())
        }
        Expect::OneOf { want, .. } => text(node).is_some_and(|value| !among(want, &value)),
        Expect::NoneOf { bad, .. } => text(node).is_some_and(|value| among(bad, &value)),
        Expect::AtLeast { min, .. } => number(node).is_some_and(|value| value < min),
        Expect::Includes { want, .. } => list(node, platform).is_some_and(|values| {
            // An unknown entry may be the one wanted: not judged.
            !values.iter().any(Option::is_none)
                && want
                    .iter()
                    .any(|w| !values.iter().flatten().any(|v| v.eq_ignore_ascii_case(w)))
        }),
        Expect::Excludes { bad, .. } => list(node, platform)
            .is_some_and(|values| values.iter().flatten().any(|v| among(bad, v))),
    }
}

/// The entries of a list value, `None` for an entry that is not known: a
/// list, or a comma-separated string (Ansible turns one into a list
/// argument, and Azure writes `bypass` so). An entry written as a
/// one-member mapping counts as that member's value (`{Type: audit}`,
/// CloudFormation's shape for EKS log types). Anything else is not a
/// list and is not judged.
fn list<'a>(node: &Node<'a>, platform: Platform) -> Option<Vec<Option<&'a str>>> {
    if let Some(text) = node.as_str() {
        return Some(
            text.split(',')
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(Some)
                .collect(),
        );
    }
    if !node.is_array() {
        return None;
    }
    let entry = |item: Node<'a>| {
        // `{"Ref": …}` is one member too, and unknown.
        if unknown(&item, platform) {
            return None;
        }
        let mut members = item.entries();
        let value = match (members.next(), members.next()) {
            (Some((_, member)), None) => member,
            _ => item,
        };
        value.as_str().filter(|_| !unknown(&value, platform))
    };
    Some(node.items().map(entry).collect())
}

/// A string, or a number as written in its shortest form (`1.2`, not
/// `"1.2"`, in HCL).
fn text(node: &Node<'_>) -> Option<String> {
    if let Some(text) = node.as_str() {
        return Some(text.to_owned());
    }
    if let Some(number) = node.as_i64() {
        return Some(number.to_string());
    }
    node.as_f64().map(|number| number.to_string())
}

/// A whole number, or one written as a string (`"7"`: CloudFormation
/// parameters and Ansible arguments are often quoted). Anything else is
/// not a number and is not judged.
fn number(node: &Node<'_>) -> Option<i64> {
    node.as_i64()
        .or_else(|| node.as_str().and_then(|text| text.trim().parse().ok()))
}

/// A nested block's first instance, or the node itself.
pub(crate) fn first<'a>(node: &Node<'a>) -> Node<'a> {
    if node.is_array() {
        node.at(0)
    } else {
        node.clone()
    }
}

/// A flag as the platform writes it: `true`, `"true"`, `"True"`; on
/// Ansible also YAML 1.1's `yes`/`no`/`on`/`off`, which arrive as strings.
pub(crate) fn flag(node: &Node<'_>, platform: Platform) -> Option<bool> {
    if let Some(value) = node.as_bool() {
        return Some(value);
    }
    if platform == Platform::Ansible
        && let Some(number) = node.as_i64()
    {
        return Some(number != 0);
    }
    let text = node.as_str()?;
    let (yes, no): (&[&str], &[&str]) = match platform {
        Platform::Ansible => (
            &["true", "yes", "on", "y", "1"],
            &["false", "no", "off", "n", "0"],
        ),
        Platform::Terraform | Platform::CloudFormation => (&["true"], &["false"]),
    };
    if yes.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(true)
    } else if no.iter().any(|word| text.eq_ignore_ascii_case(word)) {
        Some(false)
    } else {
        None
    }
}

/// A value only the platform knows at deploy time.
fn unknown(node: &Node<'_>, platform: Platform) -> bool {
    match platform {
        Platform::Terraform => node.as_str().is_some_and(|s| s.contains("${")),
        // Intrinsic functions are objects (`{"Ref": …}`) in the long form
        // the inventory gives.
        Platform::CloudFormation => {
            let mut entries = node.entries();
            let intrinsic = match (entries.next(), entries.next()) {
                (Some((key, _)), None) => key == "Ref" || key.starts_with("Fn::"),
                _ => false,
            };
            intrinsic || node.as_str().is_some_and(|s| s.contains("${"))
        }
        // A Jinja template, or a vaulted value.
        Platform::Ansible => node.as_str().is_some_and(|s| {
            s.contains("{{") || s.contains("{%") || s.starts_with("$ANSIBLE_VAULT")
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row is a rule on both platforms, under an id of the
    /// platform's pack, never reused, with something to look at.
    #[test]
    fn rows_are_well_formed() {
        let mut ids = std::collections::BTreeSet::new();
        for (index, concern) in TABLES.iter().flat_map(|table| table.iter()).enumerate() {
            for (prefix, shape) in [
                ("TF-", &concern.terraform),
                ("CFN-", &concern.cloudformation),
                ("ANS-", &concern.ansible),
            ] {
                let Some(shape) = shape else { continue };
                assert!(shape.id.starts_with(prefix), "row {index}: {}", shape.id);
                assert!(ids.insert(shape.id), "row {index}: {} twice", shape.id);
                assert!(
                    !shape.types.is_empty() && !shape.path.is_empty(),
                    "row {index}"
                );
                assert!(
                    !shape.description.is_empty()
                        && !shape.remediation.is_empty()
                        && !shape.fix.is_empty(),
                    "row {index}: {} lacks a text",
                    shape.id
                );
            }
            assert!(
                !concern.title.is_empty()
                    && !concern.help.is_empty()
                    && !concern.finding.is_empty()
            );
        }
    }
}
