//! AWS rules (`hashicorp/aws` provider).

use crate::common::*;
use rampart_policy::aws::{Ingress, Statement};
use rampart_policy::helpers::secret_name;
use rampart_policy::{Context, Node, Resource, Severity};

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

pub(crate) fn rds_public(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_db_instance" {
        return;
    }
    let flag = config(resource).get("publicly_accessible");
    if is_true(&flag) {
        cx.report(
            &flag,
            format!("database `{}` is publicly accessible", address(resource)),
        );
    }
}

pub(crate) fn rds_encryption(resource: &Resource, cx: &mut Context<'_>) {
    let applies = match resource_type(resource) {
        "aws_db_instance" => !config(resource).get("replicate_source_db").exists(),
        "aws_rds_cluster" => true,
        _ => false,
    };
    let flag = config(resource).get("storage_encrypted");
    if applies && off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!("database `{}` stores data unencrypted", address(resource)),
        )
        .fix("set `storage_encrypted = true`");
    }
}

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

pub(crate) fn rds_deletion_protection(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "aws_db_instance" | "aws_rds_cluster"
    ) {
        return;
    }
    let flag = config(resource).get("deletion_protection");
    if off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!(
                "database `{}` can be deleted by one apply",
                address(resource)
            ),
        )
        .fix("set `deletion_protection = true`");
    }
}

pub(crate) fn kms_rotation(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_kms_key" {
        return;
    }
    let spec = config(resource).get("customer_master_key_spec");
    let symmetric = spec.as_str().is_none_or(|s| s == "SYMMETRIC_DEFAULT");
    let flag = config(resource).get("enable_key_rotation");
    if symmetric && off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!("key `{}` is never rotated", address(resource)),
        )
        .fix("set `enable_key_rotation = true`");
    }
}

fn trail_flag(resource: &Resource, cx: &mut Context<'_>, flag: &str, message: &str) {
    if resource_type(resource) != "aws_cloudtrail" {
        return;
    }
    let value = config(resource).get(flag);
    if off(&value) {
        cx.report(
            &at(&value, resource),
            format!("trail `{}` {message}", address(resource)),
        )
        .fix(format!("set `{flag} = true`"));
    }
}

pub(crate) fn trail_multi_region(resource: &Resource, cx: &mut Context<'_>) {
    trail_flag(
        resource,
        cx,
        "is_multi_region_trail",
        "records one region only",
    );
}

pub(crate) fn trail_validation(resource: &Resource, cx: &mut Context<'_>) {
    trail_flag(
        resource,
        cx,
        "enable_log_file_validation",
        "does not validate its log files",
    );
}

pub(crate) fn trail_kms(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_cloudtrail" {
        return;
    }
    let key = config(resource).get("kms_key_id");
    if !key.exists() {
        cx.report(
            &at(&key, resource),
            format!(
                "trail `{}` is not encrypted with a KMS key",
                address(resource)
            ),
        );
    }
}

pub(crate) fn ebs_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_ebs_volume" {
        return;
    }
    let flag = config(resource).get("encrypted");
    if off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!("volume `{}` is not encrypted", address(resource)),
        );
    }
}

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

pub(crate) fn dynamodb_pitr(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_dynamodb_table" {
        return;
    }
    let pitr = first(&config(resource).get("point_in_time_recovery"));
    let flag = pitr.get("enabled");
    if off(&flag) {
        cx.report(
            &at(&flag.or(&pitr), resource),
            format!(
                "table `{}` has no point-in-time recovery",
                address(resource)
            ),
        );
    }
}

pub(crate) fn sqs_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_sqs_queue" {
        return;
    }
    let managed = config(resource).get("sqs_managed_sse_enabled");
    if !config(resource).get("kms_master_key_id").exists() && is_false(&managed) {
        cx.report(
            &managed,
            format!("queue `{}` stores messages unencrypted", address(resource)),
        );
    }
}

pub(crate) fn ecr_scan_on_push(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_ecr_repository" {
        return;
    }
    let scanning = first(&config(resource).get("image_scanning_configuration"));
    let flag = scanning.get("scan_on_push");
    if off(&flag) {
        cx.report(
            &at(&flag.or(&scanning), resource),
            format!(
                "repository `{}` does not scan images on push",
                address(resource)
            ),
        );
    }
}

pub(crate) fn ecr_mutable_tags(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "aws_ecr_repository" {
        return;
    }
    let mutability = config(resource).get("image_tag_mutability");
    if mutability.as_str() != Some("IMMUTABLE") && !is_unknown(&mutability) {
        cx.report(
            &at(&mutability, resource),
            format!(
                "repository `{}` lets tags be overwritten",
                address(resource)
            ),
        )
        .fix("set `image_tag_mutability = \"IMMUTABLE\"`");
    }
}

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
