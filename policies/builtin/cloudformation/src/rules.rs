//! The checks of the `cloudformation` pack, in rule order.

use crate::{CIS_AWS, KINDS};
use rampart_policy::aws;
use rampart_policy::helpers::secret_name;
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

/// The resource's `Type`.
fn type_of(resource: &Resource) -> &str {
    resource.root().get("Type").as_str().unwrap_or("")
}

/// The logical id, from `cloudformation:<LogicalId>`.
fn logical_id(resource: &Resource) -> &str {
    resource
        .id
        .strip_prefix("cloudformation:")
        .unwrap_or(&resource.id)
}

fn properties(resource: &Resource) -> Node<'_> {
    resource.root().get("Properties")
}

/// CloudFormation accepts `true` and `"true"` alike.
fn is_true(node: &Node<'_>) -> bool {
    node.is_true()
        || node
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("true"))
}

fn is_false(node: &Node<'_>) -> bool {
    node.as_bool() == Some(false)
        || node
            .as_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("false"))
}

/// Where to report that `node` is missing or wrong: the node if written,
/// else `Properties`, else the resource.
fn at<'a>(node: &Node<'a>, resource: &'a Resource) -> Node<'a> {
    node.or(&properties(resource)).or(&resource.root())
}

/// The statements of a policy document (`Statement` is an object or a list).
fn statements<'a>(document: &Node<'a>) -> Vec<Node<'a>> {
    let statement = document.get("Statement");
    if statement.is_object() {
        vec![statement]
    } else {
        statement.items().collect()
    }
}

/// Every identity-policy document of an IAM resource.
fn identity_documents(resource: &Resource) -> Vec<Node<'_>> {
    let props = properties(resource);
    match type_of(resource) {
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => vec![props.get("PolicyDocument")],
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => props
            .get("Policies")
            .items()
            .map(|p| p.get("PolicyDocument"))
            .collect(),
        _ => Vec::new(),
    }
}

/// A statement node as AWS reads it (the judging is shared with the
/// Terraform pack: `rampart_policy::aws`).
fn statement_of(node: &Node<'_>) -> aws::Statement {
    node.to_value()
        .map(|value| aws::Statement::from_json(&value))
        .unwrap_or_default()
}

pub(crate) const CFN_001: Rule = Rule {
    id: "CFN-001",
    title: "S3 bucket does not block public access",
    description: "`PublicAccessBlockConfiguration` is missing or leaves one of BlockPublicAcls, BlockPublicPolicy, \
             IgnorePublicAcls, RestrictPublicBuckets off.",
    severity: Severity::High,
    help: "One ACL or policy statement away from a public bucket: the block is the guard rail.",
    help_uri: None,
    remediation: "Set all four `PublicAccessBlockConfiguration` flags to `true`.",
    tags: &["security", "aws"],
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
    if type_of(resource) != "AWS::S3::Bucket" {
        return;
    }
    let block = properties(resource).get("PublicAccessBlockConfiguration");
    if !block.exists() {
        cx.report(
            &at(&block, resource),
            format!(
                "bucket `{}` has no public access block",
                logical_id(resource)
            ),
        )
        .fix("add PublicAccessBlockConfiguration with all four flags true");
        return;
    }
    for flag in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        let value = block.get(flag);
        if !is_true(&value) {
            cx.report(
                &value.or(&block),
                format!("bucket `{}` does not set {flag}", logical_id(resource)),
            );
        }
    }
}

pub(crate) const CFN_002: Rule = Rule {
    id: "CFN-002",
    title: "S3 bucket has a public canned ACL",
    description: "`AccessControl: PublicRead`, `PublicReadWrite` or `AuthenticatedRead`.",
    severity: Severity::High,
    help: "Everyone on the internet (or every AWS account) can list and read the objects; with \
             PublicReadWrite, also write them.",
    help_uri: None,
    remediation: "Remove `AccessControl` (or set `Private`) and serve public content through CloudFront.",
    tags: &["security", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_20", "checkov:CKV_AWS_57", "trivy:AWS-0092"],
    check: s3_public_acl,
};

pub(crate) fn s3_public_acl(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::S3::Bucket" {
        return;
    }
    let acl = properties(resource).get("AccessControl");
    if let Some(value @ ("PublicRead" | "PublicReadWrite" | "AuthenticatedRead")) = acl.as_str() {
        let finding = cx.report(
            &acl,
            format!(
                "bucket `{}` has the canned ACL {value}",
                logical_id(resource)
            ),
        );
        if value == "PublicReadWrite" {
            finding.severity(rampart_policy::Severity::Critical);
        }
    }
}

pub(crate) const CFN_003: Rule = Rule {
    id: "CFN-003",
    title: "S3 bucket without default encryption configured",
    description: "No `BucketEncryption` rule: the bucket relies on the account default (SSE-S3) and no KMS key \
             controls access to the data.",
    severity: Severity::Medium,
    help: "With SSE-KMS, reading an object also needs the key, which is an independent access control and audit trail.",
    help_uri: None,
    remediation: "Add `BucketEncryption` with `SSEAlgorithm: aws:kms` and a customer-managed key.",
    tags: &["encryption", "aws"],
    compliance: &[Control::new(CIS_AWS, "2.1.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_19", "trivy:AWS-0088"],
    check: s3_encryption,
};

pub(crate) fn s3_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::S3::Bucket" {
        return;
    }
    let encryption = properties(resource).get("BucketEncryption");
    if !encryption.exists() {
        cx.report(
            &at(&encryption, resource),
            format!("bucket `{}` has no BucketEncryption", logical_id(resource)),
        );
    }
}

pub(crate) const CFN_004: Rule = Rule {
    id: "CFN-004",
    title: "S3 bucket versioning not enabled",
    description: "`VersioningConfiguration.Status` is not `Enabled`.",
    severity: Severity::Low,
    help: "Without versions an overwrite or delete — by mistake or by ransomware — is final.",
    help_uri: None,
    remediation: "Set `VersioningConfiguration: {Status: Enabled}` (and a lifecycle rule for old versions).",
    tags: &["resilience", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_21", "trivy:AWS-0090"],
    check: s3_versioning,
};

pub(crate) fn s3_versioning(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::S3::Bucket" {
        return;
    }
    let status = properties(resource)
        .get("VersioningConfiguration")
        .get("Status");
    if status.as_str() != Some("Enabled") && (!status.exists() || status.is_string()) {
        cx.report(
            &at(&status, resource),
            format!("bucket `{}` is not versioned", logical_id(resource)),
        );
    }
}

pub(crate) const CFN_005: Rule = Rule {
    id: "CFN-005",
    title: "S3 bucket access logging not enabled",
    description: "No `LoggingConfiguration`: requests to the bucket are not logged.",
    severity: Severity::Low,
    help: "Server access logs are how you learn who read what after an incident.",
    help_uri: None,
    remediation: "Add `LoggingConfiguration` with a `DestinationBucketName`.",
    tags: &["logging", "aws"],
    compliance: &[Control::new(CIS_AWS, "3.4")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_18", "trivy:AWS-0089"],
    check: s3_logging,
};

pub(crate) fn s3_logging(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::S3::Bucket" {
        return;
    }
    let logging = properties(resource).get("LoggingConfiguration");
    if !logging.exists() {
        cx.report(
            &at(&logging, resource),
            format!("bucket `{}` has no access logging", logical_id(resource)),
        );
    }
}

pub(crate) const CFN_006: Rule = Rule {
    id: "CFN-006",
    title: "S3 bucket policy allows anyone",
    description: "A bucket policy statement with `Effect: Allow` and `Principal: \"*\"` (or `AWS: \"*\"`) and no `Condition`.",
    severity: Severity::High,
    help: "Anyone on the internet gets the statement's actions on the bucket.",
    help_uri: None,
    remediation: "Name the principals, or add a condition (`aws:SourceVpce`, `aws:PrincipalOrgID`).",
    tags: &["security", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: s3_policy_public,
};

pub(crate) fn s3_policy_public(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::S3::BucketPolicy" {
        return;
    }
    for statement in statements(&properties(resource).get("PolicyDocument")) {
        if statement_of(&statement).open_to_anyone() {
            cx.report(
                &statement.get("Principal"),
                "the bucket policy allows anyone (Principal \"*\")",
            );
        }
    }
}

pub(crate) const CFN_007: Rule = Rule {
    id: "CFN-007",
    title: "IAM policy grants full administrative access",
    description: "A statement allows `Action: \"*\"` on `Resource: \"*\"`.",
    severity: Severity::High,
    help: "Whoever holds it can do anything in the account, including creating new administrators.",
    help_uri: None,
    remediation: "Grant the actions and resources the principal needs; keep admin access to break-glass roles.",
    tags: &["security", "iam", "aws"],
    compliance: &[Control::new(CIS_AWS, "1.16")],
    kinds: KINDS,
    equivalents: &[],
    check: iam_admin,
};

pub(crate) fn iam_admin(resource: &Resource, cx: &mut Context<'_>) {
    for document in identity_documents(resource) {
        for statement in statements(&document) {
            if statement_of(&statement).grants_everything() {
                cx.report(
                    &statement.get("Action"),
                    format!(
                        "`{}` allows every action on every resource",
                        logical_id(resource)
                    ),
                );
            }
        }
    }
}

pub(crate) const CFN_008: Rule = Rule {
    id: "CFN-008",
    title: "IAM policy grants every action of a service",
    description: "A statement allows a service wildcard such as `s3:*` or `iam:*`.",
    severity: Severity::Medium,
    help: "Service wildcards include destructive and privilege-escalating actions (`iam:*` is admin).",
    help_uri: None,
    remediation: "List the actions needed (`s3:GetObject`, `s3:PutObject` …).",
    tags: &["security", "iam", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: iam_service_wildcard,
};

pub(crate) fn iam_service_wildcard(resource: &Resource, cx: &mut Context<'_>) {
    for document in identity_documents(resource) {
        for statement in statements(&document) {
            if !statement_of(&statement).allow {
                continue;
            }
            for (action, node) in statement.get("Action").strings() {
                if aws::is_service_wildcard(action) {
                    cx.report(
                        &node,
                        format!("`{}` allows `{action}`", logical_id(resource)),
                    );
                }
            }
        }
    }
}

pub(crate) const CFN_009: Rule = Rule {
    id: "CFN-009",
    title: "IAM role can be assumed by anyone",
    description: "The role's trust policy allows `Principal: \"*\"` (or `AWS: \"*\"`) to assume it without a condition.",
    severity: Severity::Critical,
    help: "Any AWS account in the world can take the role and its permissions.",
    help_uri: None,
    remediation: "Trust specific accounts, roles or services; add `sts:ExternalId` for third parties.",
    tags: &["security", "iam", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_60"],
    check: iam_trust_anyone,
};

pub(crate) fn iam_trust_anyone(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::IAM::Role" {
        return;
    }
    for statement in statements(&properties(resource).get("AssumeRolePolicyDocument")) {
        if statement_of(&statement).open_to_anyone() {
            cx.report(
                &statement.get("Principal"),
                format!(
                    "role `{}` can be assumed by any AWS principal",
                    logical_id(resource)
                ),
            );
        }
    }
}

pub(crate) const CFN_010: Rule = Rule {
    id: "CFN-010",
    title: "IAM policy attached directly to a user",
    description: "An `AWS::IAM::User` has `Policies` or `ManagedPolicyArns`.",
    severity: Severity::Low,
    help: "Permissions on users are hard to review and to revoke; groups and roles keep them in one place.",
    help_uri: None,
    remediation: "Attach policies to a group or role and make the user a member.",
    tags: &["iam", "aws"],
    compliance: &[Control::new(CIS_AWS, "1.15")],
    kinds: KINDS,
    equivalents: &[],
    check: iam_user_policies,
};

pub(crate) fn iam_user_policies(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::IAM::User" {
        return;
    }
    for key in ["Policies", "ManagedPolicyArns"] {
        let node = properties(resource).get(key);
        if node.items().next().is_some() {
            cx.report(
                &node,
                format!(
                    "user `{}` has policies attached directly ({key})",
                    logical_id(resource)
                ),
            );
        }
    }
}

/// The ingress rules of a security group or a standalone ingress resource.
fn ingress_rules(resource: &Resource) -> Vec<Node<'_>> {
    let props = properties(resource);
    match type_of(resource) {
        "AWS::EC2::SecurityGroup" => props.get("SecurityGroupIngress").items().collect(),
        "AWS::EC2::SecurityGroupIngress" => vec![props],
        _ => Vec::new(),
    }
}

fn open_to_world(rule: &Node<'_>) -> Option<String> {
    ["CidrIp", "CidrIpv6"]
        .into_iter()
        .filter_map(|key| rule.get(key).as_str())
        .find(|cidr| aws::is_world(cidr))
        .map(str::to_owned)
}

/// A rule as AWS reads it; ports that are not literals are not judged.
fn ingress_of(rule: &Node<'_>) -> aws::Ingress {
    let protocol = rule.get("IpProtocol");
    let port = |key: &str| {
        let node = rule.get(key);
        node.as_i64()
            .or_else(|| node.as_str().and_then(|s| s.parse().ok()))
    };
    aws::Ingress {
        protocol: protocol
            .as_str()
            .map(str::to_owned)
            .or_else(|| protocol.as_i64().map(|n| n.to_string()))
            .unwrap_or_default(),
        ports: port("FromPort").zip(port("ToPort")),
    }
}

pub(crate) const CFN_011: Rule = Rule {
    id: "CFN-011",
    title: "Security group opens an admin port to the internet",
    description: "An ingress rule allows 0.0.0.0/0 or ::/0 to port 22 (SSH) or 3389 (RDP).",
    severity: Severity::High,
    help: "Admin ports on the internet are scanned within minutes and brute-forced for ever.",
    help_uri: None,
    remediation: "Allow the admin port only from a bastion, VPN or corporate range; prefer SSM Session Manager.",
    tags: &["security", "network", "aws"],
    compliance: &[Control::new(CIS_AWS, "5.2"), Control::new(CIS_AWS, "5.3")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_24", "checkov:CKV_AWS_25", "trivy:AWS-0107"],
    check: sg_admin_ports,
};

pub(crate) fn sg_admin_ports(resource: &Resource, cx: &mut Context<'_>) {
    for rule in ingress_rules(resource) {
        let Some(cidr) = open_to_world(&rule) else {
            continue;
        };
        let ingress = ingress_of(&rule);
        if ingress.all_traffic() {
            continue; // CFN-012
        }
        for (port, name) in ingress.admin_ports() {
            cx.report(
                &rule,
                format!(
                    "`{}` allows {cidr} to port {port} ({name})",
                    logical_id(resource)
                ),
            );
        }
    }
}

pub(crate) const CFN_012: Rule = Rule {
    id: "CFN-012",
    title: "Security group opens every port to the internet",
    description: "An ingress rule allows 0.0.0.0/0 or ::/0 on all protocols (`-1`) or all ports (0–65535).",
    severity: Severity::High,
    help: "Every service on the instances, including ones never meant to be reachable, is exposed.",
    help_uri: None,
    remediation: "Allow only the ports the service listens on.",
    tags: &["security", "network", "aws"],
    compliance: &[Control::new(CIS_AWS, "5.2")],
    kinds: KINDS,
    equivalents: &[],
    check: sg_all_ports,
};

pub(crate) fn sg_all_ports(resource: &Resource, cx: &mut Context<'_>) {
    for rule in ingress_rules(resource) {
        if let Some(cidr) = open_to_world(&rule)
            && ingress_of(&rule).all_traffic()
        {
            cx.report(
                &rule,
                format!("`{}` allows {cidr} on every port", logical_id(resource)),
            );
        }
    }
}

pub(crate) const CFN_015: Rule = Rule {
    id: "CFN-015",
    title: "RDS automated backups disabled",
    description: "`BackupRetentionPeriod: 0` turns automated backups and point-in-time recovery off.",
    severity: Severity::Medium,
    help: "A dropped table or a corrupted volume cannot be undone.",
    help_uri: None,
    remediation: "Keep `BackupRetentionPeriod` at 7 days or more.",
    tags: &["resilience", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["trivy:AWS-0077"],
    check: rds_backups,
};

pub(crate) fn rds_backups(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        type_of(resource),
        "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster"
    ) {
        return;
    }
    let retention = properties(resource).get("BackupRetentionPeriod");
    let zero = retention.as_i64() == Some(0) || retention.as_str() == Some("0");
    if zero {
        cx.report(
            &retention,
            format!(
                "database `{}` keeps no automated backups",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) const CFN_020: Rule = Rule {
    id: "CFN-020",
    title: "EKS API endpoint open to the internet",
    description: "`ResourcesVpcConfig.EndpointPublicAccess` is on (the default) with no `PublicAccessCidrs` or with 0.0.0.0/0.",
    severity: Severity::Medium,
    help: "The Kubernetes API is then one credential leak away from anyone.",
    help_uri: None,
    remediation: "Set `EndpointPrivateAccess: true` and `EndpointPublicAccess: false`, or restrict `PublicAccessCidrs`.",
    tags: &["security", "network", "kubernetes", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: eks_public_endpoint,
};

pub(crate) fn eks_public_endpoint(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::EKS::Cluster" {
        return;
    }
    let config = properties(resource).get("ResourcesVpcConfig");
    let public = config.get("EndpointPublicAccess");
    if is_false(&public) {
        return;
    }
    let cidrs = config.get("PublicAccessCidrs").strings();
    let open = cidrs.is_empty() || cidrs.iter().any(|(c, _)| *c == "0.0.0.0/0");
    if open && (is_true(&public) || !public.exists()) {
        cx.report(
            &at(&public.or(&config), resource),
            format!(
                "cluster `{}` serves its API to the whole internet",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) const CFN_021: Rule = Rule {
    id: "CFN-021",
    title: "EKS control-plane audit logging disabled",
    description: "`Logging.ClusterLogging.EnabledTypes` does not include `api` and `audit`.",
    severity: Severity::Low,
    help: "Without audit logs there is no record of who changed what in the cluster.",
    help_uri: None,
    remediation: "Enable at least the `api`, `audit` and `authenticator` log types.",
    tags: &["logging", "kubernetes", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: eks_logging,
};

pub(crate) fn eks_logging(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::EKS::Cluster" {
        return;
    }
    let types = properties(resource)
        .get("Logging")
        .get("ClusterLogging")
        .get("EnabledTypes");
    let enabled: Vec<String> = types
        .items()
        .filter_map(|t| t.get("Type").as_str().or(t.as_str()).map(str::to_owned))
        .collect();
    let missing: Vec<&str> = ["api", "audit"]
        .into_iter()
        .filter(|t| !enabled.iter().any(|e| e == t))
        .collect();
    if !missing.is_empty() {
        cx.report(
            &at(&types, resource),
            format!(
                "cluster `{}` does not log {}",
                logical_id(resource),
                missing.join(", ")
            ),
        );
    }
}

pub(crate) const CFN_022: Rule = Rule {
    id: "CFN-022",
    title: "Secret in Lambda environment variables",
    description: "A function's environment variable whose name says it holds a secret has a literal value.",
    severity: Severity::High,
    help: "The value is in the template, the stack, the console and every `GetFunctionConfiguration` call.",
    help_uri: None,
    remediation: "Read it at runtime from Secrets Manager or SSM Parameter Store (SecureString).",
    tags: &["security", "secrets", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &[],
    check: lambda_secret_env,
};

pub(crate) fn lambda_secret_env(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        type_of(resource),
        "AWS::Lambda::Function" | "AWS::Serverless::Function"
    ) {
        return;
    }
    for (name, value) in properties(resource)
        .get("Environment")
        .get("Variables")
        .entries()
    {
        if secret_name(name) && value.as_str().is_some_and(|v| !v.is_empty()) {
            cx.report(
                &value,
                format!(
                    "function `{}` sets {name} to a literal value",
                    logical_id(resource)
                ),
            )
            .fix("read it from Secrets Manager or SSM Parameter Store at runtime");
        }
    }
}

pub(crate) const CFN_023: Rule = Rule {
    id: "CFN-023",
    title: "Lambda function URL without authentication",
    description: "A function URL with `AuthType: NONE`.",
    severity: Severity::High,
    help: "Anyone who finds the URL can invoke the function, and pay for it.",
    help_uri: None,
    remediation: "Use `AuthType: AWS_IAM`, or put API Gateway with an authorizer in front.",
    tags: &["security", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_258"],
    check: lambda_url_public,
};

pub(crate) fn lambda_url_public(resource: &Resource, cx: &mut Context<'_>) {
    let auth = match type_of(resource) {
        "AWS::Lambda::Url" => properties(resource).get("AuthType"),
        "AWS::Serverless::Function" => properties(resource)
            .get("FunctionUrlConfig")
            .get("AuthType"),
        _ => return,
    };
    if auth.as_str() == Some("NONE") {
        cx.report(
            &auth,
            format!(
                "`{}` exposes a function URL without authentication",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) const CFN_024: Rule = Rule {
    id: "CFN-024",
    title: "EBS volume not encrypted",
    description: "An `AWS::EC2::Volume`, or an instance's block device mapping, without `Encrypted: true`.",
    severity: Severity::Medium,
    help: "Snapshots of unencrypted volumes can be shared and copied in the clear.",
    help_uri: None,
    remediation: "Set `Encrypted: true` (or enable EBS encryption by default for the account).",
    tags: &["encryption", "aws"],
    compliance: &[Control::new(CIS_AWS, "2.2.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_3", "trivy:AWS-0026", "trivy:AWS-0131"],
    check: ebs_encryption,
};

pub(crate) fn ebs_encryption(resource: &Resource, cx: &mut Context<'_>) {
    let props = properties(resource);
    match type_of(resource) {
        "AWS::EC2::Volume" => {
            let flag = props.get("Encrypted");
            if is_false(&flag) || !flag.exists() {
                cx.report(
                    &at(&flag, resource),
                    format!("volume `{}` is not encrypted", logical_id(resource)),
                );
            }
        }
        "AWS::EC2::Instance" | "AWS::EC2::LaunchTemplate" => {
            let mappings = if type_of(resource) == "AWS::EC2::Instance" {
                props.get("BlockDeviceMappings")
            } else {
                props.get("LaunchTemplateData").get("BlockDeviceMappings")
            };
            for mapping in mappings.items() {
                let ebs = mapping.get("Ebs");
                if !ebs.exists() {
                    continue;
                }
                let flag = ebs.get("Encrypted");
                if is_false(&flag) || !flag.exists() {
                    cx.report(
                        &flag.or(&ebs),
                        format!(
                            "`{}` attaches an unencrypted EBS volume",
                            logical_id(resource)
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

pub(crate) const CFN_025: Rule = Rule {
    id: "CFN-025",
    title: "Load balancer listener uses plain HTTP",
    description: "An `AWS::ElasticLoadBalancingV2::Listener` on `Protocol: HTTP` that does not redirect to HTTPS.",
    severity: Severity::Medium,
    help: "Credentials and session cookies cross the network unencrypted.",
    help_uri: None,
    remediation: "Listen on HTTPS with a certificate; make the HTTP listener a redirect.",
    tags: &["encryption", "network", "aws"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_2", "trivy:AWS-0054"],
    check: alb_http,
};

pub(crate) fn alb_http(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::ElasticLoadBalancingV2::Listener" {
        return;
    }
    let props = properties(resource);
    let protocol = props.get("Protocol");
    if protocol.as_str() != Some("HTTP") {
        return;
    }
    let redirects = props.get("DefaultActions").items().any(|a| {
        a.get("Type").as_str() == Some("redirect")
            && a.get("RedirectConfig").get("Protocol").as_str() == Some("HTTPS")
    });
    if !redirects {
        cx.report(
            &protocol,
            format!("listener `{}` serves plain HTTP", logical_id(resource)),
        )
        .fix("listen on HTTPS, or redirect HTTP to HTTPS");
    }
}

pub(crate) const CFN_030: Rule = Rule {
    id: "CFN-030",
    title: "Launch template allows IMDSv1",
    description: "`LaunchTemplateData.MetadataOptions.HttpTokens` is not `required`.",
    severity: Severity::Medium,
    help: "IMDSv1 answers any request that reaches it: an SSRF bug hands out the instance role's credentials.",
    help_uri: None,
    remediation: "Set `MetadataOptions: {HttpTokens: required}`.",
    tags: &["security", "aws"],
    compliance: &[Control::new(CIS_AWS, "5.6")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AWS_79", "trivy:AWS-0130"],
    check: imds_v1,
};

pub(crate) fn imds_v1(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::EC2::LaunchTemplate" {
        return;
    }
    let options = properties(resource)
        .get("LaunchTemplateData")
        .get("MetadataOptions");
    let tokens = options.get("HttpTokens");
    let disabled = options.get("HttpEndpoint").as_str() == Some("disabled");
    if !disabled && tokens.as_str() != Some("required") && (!tokens.exists() || tokens.is_string())
    {
        cx.report(
            &at(&tokens.or(&options), resource),
            format!("launch template `{}` allows IMDSv1", logical_id(resource)),
        )
        .fix("set `MetadataOptions: {HttpTokens: required}`");
    }
}
