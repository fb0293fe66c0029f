//! AWS rules (`hashicorp/aws` provider).

use crate::common::*;
use crate::{CIS_AWS, KINDS};
use rampart_policy::aws::{Ingress, Statement};
use rampart_policy::helpers::secret_name;
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

pub(crate) const TF_001: Rule = Rule {
    id: "TF-001",
    title: "S3 bucket has a public canned ACL",
    description: "`acl = \"public-read\"`, `\"public-read-write\"` or `\"authenticated-read\"` on a bucket or `aws_s3_bucket_acl`.",
    severity: Severity::High,
    help: "Everyone (or every AWS account) can list and read the objects; with public-read-write, also write them.",
    help_uri: None,
    remediation: "Remove the ACL (`private`) and serve public content through CloudFront with origin access control.",
    tags: &["aws", "s3"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_20", "checkov:CKV_AWS_57", "trivy:AWS-0092"],
    check: s3_public_acl,
};

pub(crate) fn s3_public_acl(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_s3_bucket" | "aws_s3_bucket_acl"
    ) {
        return;
    }
    let acl = config(resource).get("acl");
    if let Some(value @ ("public-read" | "public-read-write" | "authenticated-read")) = acl.as_str()
    {
        let finding = cx.report(
            &acl,
            format!("`{}` grants the canned ACL {value}", address(resource)),
        );
        if value == "public-read-write" {
            finding.severity(Severity::Critical);
        }
    }
}

pub(crate) const TF_002: Rule = Rule {
    id: "TF-002",
    title: "S3 public access block not fully enabled",
    description: "An `aws_s3_bucket_public_access_block` (or the account-level one) leaves one of its four flags off.",
    severity: Severity::High,
    help: "The block is the guard rail that keeps one bad ACL or policy from making data public.",
    help_uri: None,
    remediation: "Set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and `restrict_public_buckets` to `true`.",
    tags: &["aws", "s3"],
    compliance: &[Control::new(CIS_AWS, "2.1.4")],
    kinds: KINDS,
    equivalents: &[
        "checkov:CKV_AWS_53",
        "checkov:CKV_AWS_54",
        "checkov:CKV_AWS_55",
        "checkov:CKV_AWS_56",
        "trivy:AWS-0086",
        "trivy:AWS-0087",
        "trivy:AWS-0091",
        "trivy:AWS-0093",
    ],
    check: s3_public_access_block,
};

pub(crate) fn s3_public_access_block(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_s3_bucket_public_access_block" | "aws_s3_account_public_access_block"
    ) {
        return;
    }
    for flag in [
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ] {
        let value = config(resource).get(flag);
        if off(&value) {
            cx.report(
                &at(&value, resource),
                format!("`{}` does not set {flag}", address(resource)),
            )
            .fix(format!("set `{flag} = true`"));
        }
    }
}

pub(crate) const TF_003: Rule = Rule {
    id: "TF-003",
    title: "S3 bucket without encryption configuration",
    description: "No inline `server_side_encryption_configuration` and no `aws_s3_bucket_server_side_encryption_configuration` for the bucket in its module (any file of the directory, by reference; or by the literal bucket name in the same file).",
    severity: Severity::Medium,
    help: "With SSE-KMS, reading an object also needs the key: an independent access control and audit trail.",
    help_uri: None,
    remediation: "Add an `aws_s3_bucket_server_side_encryption_configuration` with `sse_algorithm = \"aws:kms\"`.",
    tags: &["aws", "s3", "encryption"],
    compliance: &[Control::new(CIS_AWS, "2.1.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_19", "trivy:AWS-0088"],
    check: s3_encryption,
};

pub(crate) fn s3_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_s3_bucket" {
        return;
    }
    let inline = config(resource).get("server_side_encryption_configuration");
    if inline.exists()
        || has_companion(
            cx,
            resource,
            "aws_s3_bucket_server_side_encryption_configuration",
        )
    {
        return;
    }
    cx.report(
        &resource.root(),
        format!(
            "bucket `{}` has no server-side encryption configuration",
            address(resource)
        ),
    )
    .fix("add an aws_s3_bucket_server_side_encryption_configuration with aws:kms");
}

pub(crate) const TF_004: Rule = Rule {
    id: "TF-004",
    title: "S3 bucket versioning not enabled",
    description: "Versioning is off, suspended, or not configured for the bucket in its module (any file of the directory, by reference; or by the literal bucket name in the same file).",
    severity: Severity::Low,
    help: "Without versions an overwrite or delete — by mistake or by ransomware — is final.",
    help_uri: None,
    remediation: "Add an `aws_s3_bucket_versioning` with `status = \"Enabled\"`.",
    tags: &["aws", "s3", "resilience"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_21", "trivy:AWS-0090"],
    check: s3_versioning,
};

pub(crate) fn s3_versioning(resource: &Resource, cx: &mut Context<'_>) {
    match resource_type(resource) {
        "aws_s3_bucket" => {
            let inline = first(&config(resource).get("versioning"));
            let enabled = inline.get("enabled");
            if inline.exists() {
                if is_false(&enabled) || !enabled.exists() {
                    cx.report(
                        &at(&enabled.or(&inline), resource),
                        format!("bucket `{}` is not versioned", address(resource)),
                    );
                }
            } else if !has_companion(cx, resource, "aws_s3_bucket_versioning") {
                cx.report(
                    &resource.root(),
                    format!("bucket `{}` is not versioned", address(resource)),
                );
            }
        }
        "aws_s3_bucket_versioning" => {
            let status = first(&config(resource).get("versioning_configuration")).get("status");
            if matches!(status.as_str(), Some("Disabled" | "Suspended")) {
                cx.report(
                    &status,
                    format!("`{}` turns versioning off", address(resource)),
                );
            }
        }
        _ => {}
    }
}

/// Literal policy documents of IAM and bucket-policy resources, with the
/// node to report at.
fn policies(resource: &Resource) -> Vec<(Vec<Statement>, Node<'_>)> {
    let attribute = match resource_type(resource) {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy"
        | "aws_s3_bucket_policy" => "policy",
        _ => {
            if data_type(resource) == "aws_iam_policy_document" {
                return document_statements(resource)
                    .into_iter()
                    .map(|(statement, node)| (vec![statement], node))
                    .collect();
            }
            return Vec::new();
        }
    };
    let node = config(resource).get(attribute);
    json_policy(&node)
        .map(|s| vec![(s, node)])
        .unwrap_or_default()
}

pub(crate) const TF_005: Rule = Rule {
    id: "TF-005",
    title: "S3 bucket policy allows anyone",
    description: "A literal bucket policy has an `Allow` statement for `Principal: \"*\"` without a `Condition`.",
    severity: Severity::High,
    help: "Anyone on the internet gets the statement's actions on the bucket.",
    help_uri: None,
    remediation: "Name the principals, or add a condition (`aws:SourceVpce`, `aws:PrincipalOrgID`).",
    tags: &["aws", "s3"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: s3_policy_public,
};

pub(crate) fn s3_policy_public(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_s3_bucket_policy" {
        return;
    }
    for (statements, node) in policies(resource) {
        if statements.iter().any(Statement::open_to_anyone) {
            cx.report(
                &node,
                format!("`{}` allows anyone (Principal \"*\")", address(resource)),
            );
        }
    }
}

pub(crate) const TF_006: Rule = Rule {
    id: "TF-006",
    title: "IAM policy grants full administrative access",
    description: "A policy (literal JSON or `aws_iam_policy_document`) allows `*` actions on `*` resources.",
    severity: Severity::High,
    help: "Whoever holds it can do anything in the account, including creating new administrators.",
    help_uri: None,
    remediation: "Grant the actions and resources the principal needs; keep admin access to break-glass roles.",
    tags: &["aws", "iam"],
    compliance: &[Control::new(CIS_AWS, "1.16")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_1", "checkov:CKV_AWS_62"],
    check: iam_admin,
};

pub(crate) fn iam_admin(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) == "aws_s3_bucket_policy" {
        return;
    }
    for (statements, node) in policies(resource) {
        if statements.iter().any(Statement::grants_everything) {
            cx.report(
                &node,
                format!(
                    "`{}` allows every action on every resource",
                    address(resource)
                ),
            );
        }
    }
}

pub(crate) const TF_007: Rule = Rule {
    id: "TF-007",
    title: "IAM policy grants every action of a service",
    description: "A policy allows a service wildcard such as `s3:*` or `iam:*`.",
    severity: Severity::Medium,
    help: "Service wildcards include destructive and privilege-escalating actions (`iam:*` is admin).",
    help_uri: None,
    remediation: "List the actions needed.",
    tags: &["aws", "iam"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: iam_service_wildcard,
};

pub(crate) fn iam_service_wildcard(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) == "aws_s3_bucket_policy" {
        return;
    }
    for (statements, node) in policies(resource) {
        let wildcards: Vec<&str> = statements
            .iter()
            .flat_map(Statement::service_wildcards)
            .collect();
        if let Some(first) = wildcards.first() {
            cx.report(&node, format!("`{}` allows `{first}`", address(resource)));
        }
    }
}

pub(crate) const TF_008: Rule = Rule {
    id: "TF-008",
    title: "IAM role can be assumed by anyone",
    description: "The role's literal `assume_role_policy` allows `Principal: \"*\"` without a condition.",
    severity: Severity::Critical,
    help: "Any AWS account in the world can take the role and its permissions.",
    help_uri: None,
    remediation: "Trust specific accounts, roles or services; require `sts:ExternalId` for third parties.",
    tags: &["aws", "iam"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_60"],
    check: iam_trust_anyone,
};

pub(crate) fn iam_trust_anyone(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_iam_role" {
        return;
    }
    let node = config(resource).get("assume_role_policy");
    if let Some(statements) = json_policy(&node)
        && statements.iter().any(Statement::open_to_anyone)
    {
        cx.report(
            &node,
            format!(
                "role `{}` can be assumed by any AWS principal",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_009: Rule = Rule {
    id: "TF-009",
    title: "IAM policy attached directly to a user",
    description: "`aws_iam_user_policy`, `aws_iam_user_policy_attachment`, or a policy attachment with `users`.",
    severity: Severity::Low,
    help: "Permissions on users are hard to review and revoke; groups and roles keep them in one place.",
    help_uri: None,
    remediation: "Attach policies to groups or roles.",
    tags: &["aws", "iam"],
    compliance: &[Control::new(CIS_AWS, "1.15")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_40"],
    check: iam_user_policies,
};

pub(crate) fn iam_user_policies(resource: &Resource, cx: &mut Context<'_>) {
    match resource_type(resource) {
        "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
            cx.report(
                &resource.root(),
                format!(
                    "`{}` attaches a policy directly to a user",
                    address(resource)
                ),
            );
        }
        "aws_iam_policy_attachment" => {
            let users = config(resource).get("users");
            if users.items().next().is_some() {
                cx.report(
                    &users,
                    format!(
                        "`{}` attaches a policy directly to users",
                        address(resource)
                    ),
                );
            }
        }
        _ => {}
    }
}

pub(crate) const TF_010: Rule = Rule {
    id: "TF-010",
    title: "IAM access key managed by Terraform",
    description: "An `aws_iam_access_key` resource.",
    severity: Severity::Medium,
    help: "The secret key is stored in the Terraform state in plain text, and long-lived keys leak.",
    help_uri: None,
    remediation: "Use roles, IAM Identity Center or OIDC federation instead of user keys.",
    tags: &["aws", "iam", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: iam_access_key,
};

pub(crate) fn iam_access_key(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) == "aws_iam_access_key" {
        cx.report(
            &resource.root(),
            format!(
                "`{}` creates a long-lived access key (its secret lands in the state)",
                address(resource)
            ),
        )
        .fix("use roles, SSO or OIDC federation instead of user access keys");
    }
}

/// Ingress rules with a world-open source, each with its node. A port the
/// configuration leaves out is the provider's default: every port.
fn open_ingress(resource: &Resource) -> Vec<(Node<'_>, Ingress)> {
    let mut rules: Vec<Node<'_>> = Vec::new();
    match resource_type(resource) {
        "aws_security_group" => rules.extend(each(&config(resource).get("ingress"))),
        "aws_security_group_rule" if config(resource).get("type").as_str() == Some("ingress") => {
            rules.push(config(resource));
        }
        "aws_vpc_security_group_ingress_rule" => rules.push(config(resource)),
        _ => {}
    }
    rules
        .into_iter()
        .filter_map(|rule| {
            let open = anywhere(&rule.get("cidr_blocks"))
                .or_else(|| anywhere(&rule.get("ipv6_cidr_blocks")))
                .or_else(|| anywhere(&rule.get("cidr_ipv4")))
                .or_else(|| anywhere(&rule.get("cidr_ipv6")));
            open?;
            let protocol = rule
                .get("protocol")
                .as_str()
                .map(str::to_owned)
                .or_else(|| rule.get("ip_protocol").as_str().map(str::to_owned))
                .or_else(|| number(&rule.get("protocol")).map(|n| n.to_string()))
                .unwrap_or_default();
            let from = number(&rule.get("from_port")).unwrap_or(0);
            let to = number(&rule.get("to_port")).unwrap_or(65535);
            Some((
                rule,
                Ingress {
                    protocol,
                    ports: Some((from, to)),
                },
            ))
        })
        .collect()
}

pub(crate) const TF_011: Rule = Rule {
    id: "TF-011",
    title: "Security group opens an admin port to the internet",
    description: "An ingress rule allows 0.0.0.0/0 or ::/0 to port 22 (SSH) or 3389 (RDP).",
    severity: Severity::High,
    help: "Admin ports on the internet are scanned within minutes and brute-forced for ever.",
    help_uri: None,
    remediation: "Allow admin ports only from a bastion or VPN range, or use SSM Session Manager.",
    tags: &["aws", "network"],
    compliance: &[Control::new(CIS_AWS, "5.2"), Control::new(CIS_AWS, "5.3")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_24", "checkov:CKV_AWS_25", "trivy:AWS-0107"],
    check: sg_admin_ports,
};

pub(crate) fn sg_admin_ports(resource: &Resource, cx: &mut Context<'_>) {
    for (rule, ingress) in open_ingress(resource) {
        if ingress.all_traffic() {
            continue; // TF-012
        }
        for (port, name) in ingress.admin_ports() {
            cx.report(
                &rule,
                format!(
                    "`{}` allows the internet to port {port} ({name})",
                    address(resource)
                ),
            );
        }
    }
}

pub(crate) const TF_012: Rule = Rule {
    id: "TF-012",
    title: "Security group opens every port to the internet",
    description: "An ingress rule allows 0.0.0.0/0 or ::/0 on all protocols or all ports.",
    severity: Severity::High,
    help: "Every service on the instances, including ones never meant to be reachable, is exposed.",
    help_uri: None,
    remediation: "Allow only the ports the service listens on.",
    tags: &["aws", "network"],
    compliance: &[Control::new(CIS_AWS, "5.2")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_277"],
    check: sg_all_ports,
};

pub(crate) fn sg_all_ports(resource: &Resource, cx: &mut Context<'_>) {
    for (rule, ingress) in open_ingress(resource) {
        if ingress.all_traffic() {
            cx.report(
                &rule,
                format!("`{}` allows the internet on every port", address(resource)),
            );
        }
    }
}

pub(crate) const TF_013: Rule = Rule {
    id: "TF-013",
    title: "Default security group allows traffic",
    description: "`aws_default_security_group` declares ingress or egress rules.",
    severity: Severity::Low,
    help: "Resources land in the default group when nobody chose one; it should allow nothing.",
    help_uri: None,
    remediation: "Declare the default security group with no rules.",
    tags: &["aws", "network"],
    compliance: &[Control::new(CIS_AWS, "5.4")],
    kinds: KINDS,
    equivalents: &["checkov:CKV2_AWS_12"],
    check: default_sg_rules,
};

pub(crate) fn default_sg_rules(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_default_security_group" {
        return;
    }
    for key in ["ingress", "egress"] {
        if let Some(rule) = each(&config(resource).get(key)).into_iter().next() {
            cx.report(
                &rule,
                format!("the default security group allows {key} traffic"),
            );
        }
    }
}

pub(crate) const TF_016: Rule = Rule {
    id: "TF-016",
    title: "RDS automated backups disabled",
    description: "`backup_retention_period = 0`.",
    severity: Severity::Medium,
    help: "Point-in-time recovery is off: a dropped table cannot be undone.",
    help_uri: None,
    remediation: "Keep `backup_retention_period` at 7 days or more.",
    tags: &["aws", "rds", "resilience"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_133", "trivy:AWS-0077"],
    check: rds_backups,
};

pub(crate) fn rds_backups(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_db_instance" | "aws_rds_cluster"
    ) {
        return;
    }
    let retention = config(resource).get("backup_retention_period");
    if number(&retention) == Some(0) {
        cx.report(
            &retention,
            format!(
                "database `{}` keeps no automated backups",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_023: Rule = Rule {
    id: "TF-023",
    title: "EC2 instance disk not encrypted",
    description: "A root or EBS block device of an instance or launch template without `encrypted = true`.",
    severity: Severity::Medium,
    help: "Snapshots and detached volumes hold the data in the clear.",
    help_uri: None,
    remediation: "Set `encrypted = true` on every block device.",
    tags: &["aws", "ec2", "encryption"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["trivy:AWS-0131"],
    check: instance_disk_encryption,
};

pub(crate) fn instance_disk_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_instance" | "aws_launch_template"
    ) {
        return;
    }
    let devices: Vec<Node<'_>> = if resource_type(resource) == "aws_instance" {
        let mut all = each(&config(resource).get("root_block_device"));
        all.extend(each(&config(resource).get("ebs_block_device")));
        all
    } else {
        each(&config(resource).get("block_device_mappings"))
            .iter()
            .flat_map(|m| each(&m.get("ebs")))
            .collect()
    };
    for device in devices {
        let flag = device.get("encrypted");
        if off(&flag) {
            cx.report(
                &flag.or(&device),
                format!("`{}` has an unencrypted EBS volume", address(resource)),
            );
        }
    }
}

pub(crate) const TF_024: Rule = Rule {
    id: "TF-024",
    title: "EC2 instance allows IMDSv1",
    description: "`metadata_options.http_tokens` is not `\"required\"`.",
    severity: Severity::Medium,
    help: "IMDSv1 answers any request that reaches it: an SSRF bug hands out the instance role's credentials.",
    help_uri: None,
    remediation: "Set `metadata_options { http_tokens = \"required\" }`.",
    tags: &["aws", "ec2"],
    compliance: &[Control::new(CIS_AWS, "5.6")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_79", "trivy:AWS-0028", "trivy:AWS-0130"],
    check: imds_v1,
};

pub(crate) fn imds_v1(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_instance" | "aws_launch_template"
    ) {
        return;
    }
    let options = first(&config(resource).get("metadata_options"));
    let tokens = options.get("http_tokens");
    if options.get("http_endpoint").as_str() == Some("disabled")
        || tokens.as_str() == Some("required")
        || is_unknown(&tokens)
    {
        return;
    }
    cx.report(
        &at(&tokens.or(&options), resource),
        format!("`{}` allows IMDSv1 (tokens optional)", address(resource)),
    )
    .fix("set `metadata_options { http_tokens = \"required\" }`");
}

pub(crate) const TF_025: Rule = Rule {
    id: "TF-025",
    title: "EC2 instance with a public IP",
    description: "`associate_public_ip_address = true`.",
    severity: Severity::Low,
    help: "The instance is directly reachable; reach it through a load balancer or bastion instead.",
    help_uri: None,
    remediation: "Remove the public address.",
    tags: &["aws", "ec2", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_88"],
    check: instance_public_ip,
};

pub(crate) fn instance_public_ip(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_instance" {
        return;
    }
    let flag = config(resource).get("associate_public_ip_address");
    if is_true(&flag) {
        cx.report(
            &flag,
            format!("instance `{}` gets a public IP address", address(resource)),
        );
    }
}

pub(crate) const TF_026: Rule = Rule {
    id: "TF-026",
    title: "EKS API endpoint open to the internet",
    description: "`vpc_config.endpoint_public_access` is on (the default) with no `public_access_cidrs` or with 0.0.0.0/0.",
    severity: Severity::Medium,
    help: "The Kubernetes API is then one leaked credential away from anyone.",
    help_uri: None,
    remediation: "Use the private endpoint, or restrict `public_access_cidrs`.",
    tags: &["aws", "eks", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[
        "checkov:CKV_AWS_38",
        "checkov:CKV_AWS_39",
        "trivy:AWS-0040",
        "trivy:AWS-0041",
    ],
    check: eks_public_endpoint,
};

pub(crate) fn eks_public_endpoint(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_eks_cluster" {
        return;
    }
    let vpc = first(&config(resource).get("vpc_config"));
    let public = vpc.get("endpoint_public_access");
    if is_false(&public) || is_unknown(&public) {
        return;
    }
    let cidrs = vpc.get("public_access_cidrs");
    if !cidrs.exists() || anywhere(&cidrs).is_some() {
        cx.report(
            &at(&public.or(&vpc), resource),
            format!(
                "cluster `{}` serves its API to the whole internet",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_027: Rule = Rule {
    id: "TF-027",
    title: "EKS control-plane audit logging disabled",
    description: "`enabled_cluster_log_types` lacks `api` or `audit`.",
    severity: Severity::Low,
    help: "Without audit logs there is no record of who changed what in the cluster.",
    help_uri: None,
    remediation: "Enable `api`, `audit` and `authenticator`.",
    tags: &["aws", "eks", "logging"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_37", "trivy:AWS-0038"],
    check: eks_logging,
};

pub(crate) fn eks_logging(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_eks_cluster" {
        return;
    }
    let types = config(resource).get("enabled_cluster_log_types");
    if is_unknown(&types) {
        return;
    }
    let enabled: Vec<&str> = types.strings().into_iter().map(|(t, _)| t).collect();
    let missing: Vec<&str> = ["api", "audit"]
        .into_iter()
        .filter(|t| !enabled.contains(t))
        .collect();
    if !missing.is_empty() {
        cx.report(
            &at(&types, resource),
            format!(
                "cluster `{}` does not log {}",
                address(resource),
                missing.join(", ")
            ),
        );
    }
}

pub(crate) const TF_028: Rule = Rule {
    id: "TF-028",
    title: "EKS secrets not encrypted with KMS",
    description: "No `encryption_config` for `secrets`.",
    severity: Severity::Medium,
    help: "Kubernetes secrets are then protected by etcd's disk encryption only.",
    help_uri: None,
    remediation: "Add `encryption_config` with a KMS key.",
    tags: &["aws", "eks", "encryption"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_58", "trivy:AWS-0039"],
    check: eks_secrets_encryption,
};

pub(crate) fn eks_secrets_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_eks_cluster" {
        return;
    }
    if !config(resource).get("encryption_config").exists() {
        cx.report(
            &resource.root(),
            format!(
                "cluster `{}` does not encrypt Kubernetes secrets with KMS",
                address(resource)
            ),
        )
        .fix("add `encryption_config { resources = [\"secrets\"] provider { key_arn = … } }`");
    }
}

pub(crate) const TF_029: Rule = Rule {
    id: "TF-029",
    title: "Secret in Lambda environment variables",
    description: "A function's environment variable named like a secret has a literal value.",
    severity: Severity::High,
    help: "The value is in the code, the state and every `GetFunctionConfiguration` call.",
    help_uri: None,
    remediation: "Read it at runtime from Secrets Manager or SSM Parameter Store.",
    tags: &["aws", "lambda", "secrets"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_45"],
    check: lambda_secret_env,
};

pub(crate) fn lambda_secret_env(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_lambda_function" {
        return;
    }
    for environment in each(&config(resource).get("environment")) {
        for (name, value) in environment.get("variables").entries() {
            if secret_name(name)
                && value
                    .as_str()
                    .is_some_and(|v| !v.is_empty() && !v.contains("${"))
            {
                cx.report(
                    &value,
                    format!(
                        "function `{}` sets {name} to a literal value",
                        address(resource)
                    ),
                );
            }
        }
    }
}

pub(crate) const TF_030: Rule = Rule {
    id: "TF-030",
    title: "Lambda function URL without authentication",
    description: "`aws_lambda_function_url` with `authorization_type = \"NONE\"`.",
    severity: Severity::High,
    help: "Anyone who finds the URL can invoke the function, and run up the bill.",
    help_uri: None,
    remediation: "Use `AWS_IAM`, or put API Gateway with an authorizer in front.",
    tags: &["aws", "lambda"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_258"],
    check: lambda_url_public,
};

pub(crate) fn lambda_url_public(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_lambda_function_url" {
        return;
    }
    let auth = config(resource).get("authorization_type");
    if auth.as_str() == Some("NONE") {
        cx.report(
            &auth,
            format!(
                "`{}` exposes the function without authentication",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_031: Rule = Rule {
    id: "TF-031",
    title: "Load balancer listener uses plain HTTP",
    description: "A listener on `HTTP` that does not redirect to HTTPS.",
    severity: Severity::Medium,
    help: "Credentials and session cookies cross the network unencrypted.",
    help_uri: None,
    remediation: "Listen on HTTPS; make the HTTP listener a redirect.",
    tags: &["aws", "network", "encryption"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_2", "trivy:AWS-0054"],
    check: lb_http,
};

pub(crate) fn lb_http(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_lb_listener" | "aws_alb_listener"
    ) {
        return;
    }
    let protocol = config(resource).get("protocol");
    if protocol.as_str() != Some("HTTP") {
        return;
    }
    let redirects = each(&config(resource).get("default_action"))
        .iter()
        .any(|action| {
            action.get("type").as_str() == Some("redirect")
                && first(&action.get("redirect")).get("protocol").as_str() == Some("HTTPS")
        });
    if !redirects {
        cx.report(
            &protocol,
            format!("listener `{}` serves plain HTTP", address(resource)),
        );
    }
}

pub(crate) const TF_032: Rule = Rule {
    id: "TF-032",
    title: "Load balancer accepts TLS 1.0/1.1",
    description: "`ssl_policy` allows TLS versions before 1.2.",
    severity: Severity::Medium,
    help: "Old TLS versions have known weaknesses and fail most compliance standards.",
    help_uri: None,
    remediation: "Use `ELBSecurityPolicy-TLS13-1-2-2021-06`.",
    tags: &["aws", "network", "encryption"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_103", "trivy:AWS-0047"],
    check: lb_tls_policy,
};

pub(crate) fn lb_tls_policy(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_lb_listener" | "aws_alb_listener"
    ) {
        return;
    }
    let policy = config(resource).get("ssl_policy");
    if let Some(name) = policy.as_str()
        && (name == "ELBSecurityPolicy-2016-08"
            || name.contains("TLS-1-0")
            || name.contains("TLS-1-1")
            || name == "ELBSecurityPolicy-2015-05")
    {
        cx.report(
            &policy,
            format!(
                "listener `{}` accepts TLS 1.0/1.1 ({name})",
                address(resource)
            ),
        )
        .fix("use ELBSecurityPolicy-TLS13-1-2-2021-06");
    }
}

pub(crate) const TF_063: Rule = Rule {
    id: "TF-063",
    title: "S3 bucket access logging not enabled",
    description: "No inline `logging` block and no `aws_s3_bucket_logging` for the bucket in its module (any file of the directory, by reference; or by the literal bucket name in the same file).",
    severity: Severity::Low,
    help: "Server access logs are how you learn who read what after an incident.",
    help_uri: None,
    remediation: "Add an `aws_s3_bucket_logging` with a target bucket.",
    tags: &["aws", "s3", "logging"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_18", "trivy:AWS-0089"],
    check: s3_logging,
};

pub(crate) fn s3_logging(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_s3_bucket" {
        return;
    }
    if config(resource).get("logging").exists()
        || has_companion(cx, resource, "aws_s3_bucket_logging")
    {
        return;
    }
    cx.report(
        &resource.root(),
        format!("bucket `{}` has no access logging", address(resource)),
    )
    .fix("add an aws_s3_bucket_logging");
}

pub(crate) const TF_064: Rule = Rule {
    id: "TF-064",
    title: "S3 bucket without a public access block",
    description: "No `aws_s3_bucket_public_access_block` for the bucket in its module (any file of the directory, by reference; or by the literal bucket name in the same file).",
    severity: Severity::Medium,
    help: "Without the block, one ACL or policy change makes the bucket public.",
    help_uri: None,
    remediation: "Add an `aws_s3_bucket_public_access_block` with all four flags `true`.",
    tags: &["aws", "s3"],
    compliance: &[Control::new(CIS_AWS, "2.1.4")],
    kinds: KINDS,
    equivalents: &["checkov:CKV2_AWS_6", "trivy:AWS-0094"],
    check: s3_missing_public_access_block,
};

pub(crate) fn s3_missing_public_access_block(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_s3_bucket"
        || has_companion(cx, resource, "aws_s3_bucket_public_access_block")
    {
        return;
    }
    cx.report(
        &resource.root(),
        format!("bucket `{}` has no public access block", address(resource)),
    )
    .fix("add an aws_s3_bucket_public_access_block with all four flags true");
}
