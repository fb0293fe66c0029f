//! The checks of the `cloudformation` pack, in rule order.

use rampart_policy::aws;
use rampart_policy::helpers::secret_name;
use rampart_policy::{Context, Node, Resource};

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

pub(crate) fn rds_public(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::RDS::DBInstance" {
        return;
    }
    let flag = properties(resource).get("PubliclyAccessible");
    if is_true(&flag) {
        cx.report(
            &flag,
            format!("database `{}` is publicly accessible", logical_id(resource)),
        );
    }
}

pub(crate) fn rds_encryption(resource: &Resource, cx: &mut Context<'_>) {
    let props = properties(resource);
    let applies = match type_of(resource) {
        // Members of an Aurora cluster inherit the cluster's setting.
        "AWS::RDS::DBInstance" => !props.get("DBClusterIdentifier").exists(),
        "AWS::RDS::DBCluster" => true,
        _ => false,
    };
    let flag = props.get("StorageEncrypted");
    if applies && !is_true(&flag) && (is_false(&flag) || !flag.exists()) {
        cx.report(
            &at(&flag, resource),
            format!(
                "database `{}` stores data unencrypted",
                logical_id(resource)
            ),
        )
        .fix("set `StorageEncrypted: true`");
    }
}

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

pub(crate) fn kms_rotation(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::KMS::Key" {
        return;
    }
    let props = properties(resource);
    let symmetric = props
        .get("KeySpec")
        .as_str()
        .is_none_or(|s| s == "SYMMETRIC_DEFAULT");
    let rotation = props.get("EnableKeyRotation");
    if symmetric && !is_true(&rotation) && (is_false(&rotation) || !rotation.exists()) {
        cx.report(
            &at(&rotation, resource),
            format!("key `{}` is never rotated", logical_id(resource)),
        )
        .fix("set `EnableKeyRotation: true`");
    }
}

/// A trail flag that must be `true`; a function-given value is not judged.
fn trail_flag(resource: &Resource, cx: &mut Context<'_>, flag: &str, message: &str) {
    if type_of(resource) != "AWS::CloudTrail::Trail" {
        return;
    }
    let value = properties(resource).get(flag);
    if is_false(&value) || !value.exists() {
        cx.report(
            &at(&value, resource),
            format!("trail `{}` {message}", logical_id(resource)),
        )
        .fix(format!("set `{flag}: true`"));
    }
}

pub(crate) fn trail_multi_region(resource: &Resource, cx: &mut Context<'_>) {
    trail_flag(
        resource,
        cx,
        "IsMultiRegionTrail",
        "records one region only",
    );
}

pub(crate) fn trail_validation(resource: &Resource, cx: &mut Context<'_>) {
    trail_flag(
        resource,
        cx,
        "EnableLogFileValidation",
        "does not validate its log files",
    );
}

pub(crate) fn trail_kms(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::CloudTrail::Trail" {
        return;
    }
    let key = properties(resource).get("KMSKeyId");
    if !key.exists() {
        cx.report(
            &at(&key, resource),
            format!(
                "trail `{}` is not encrypted with a KMS key",
                logical_id(resource)
            ),
        );
    }
}

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

pub(crate) fn dynamodb_pitr(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::DynamoDB::Table" {
        return;
    }
    let flag = properties(resource)
        .get("PointInTimeRecoverySpecification")
        .get("PointInTimeRecoveryEnabled");
    if is_false(&flag) || !flag.exists() {
        cx.report(
            &at(&flag, resource),
            format!(
                "table `{}` has no point-in-time recovery",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) fn sqs_encryption(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::SQS::Queue" {
        return;
    }
    let props = properties(resource);
    let managed = props.get("SqsManagedSseEnabled");
    if !props.get("KmsMasterKeyId").exists() && is_false(&managed) {
        cx.report(
            &managed,
            format!(
                "queue `{}` stores messages unencrypted",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) fn ecr_scan_on_push(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::ECR::Repository" {
        return;
    }
    let flag = properties(resource)
        .get("ImageScanningConfiguration")
        .get("ScanOnPush");
    if is_false(&flag) || !flag.exists() {
        cx.report(
            &at(&flag, resource),
            format!(
                "repository `{}` does not scan images on push",
                logical_id(resource)
            ),
        );
    }
}

pub(crate) fn ecr_mutable_tags(resource: &Resource, cx: &mut Context<'_>) {
    if type_of(resource) != "AWS::ECR::Repository" {
        return;
    }
    let mutability = properties(resource).get("ImageTagMutability");
    if mutability.as_str() != Some("IMMUTABLE") && (!mutability.exists() || mutability.is_string())
    {
        cx.report(
            &at(&mutability, resource),
            format!(
                "repository `{}` lets tags be overwritten",
                logical_id(resource)
            ),
        )
        .fix("set `ImageTagMutability: IMMUTABLE`");
    }
}

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
