//! Built-in pack `cloudformation`: AWS resources declared in CloudFormation
//! and SAM templates that are public, unencrypted, unlogged or over-privileged.
//!
//! Rules read `cloudformation` resources (`docs/kinds/cloudformation.md`):
//! one entry of `Resources` each (`Type`, `Properties` …), with intrinsic
//! functions in long form. A value given by a function (`{"Ref": …}`) is
//! unknown to a rule: rules never guess it, so they neither pass nor flag
//! on it unless the property's absence is itself the problem. Fixtures live
//! in `fixtures/<RULE-ID>/{positive,negative}.yaml`.

mod rules;

use rampart_policy::{Control, Pack, Rule, Severity};
use rules::*;

const CIS_AWS: &str = "CIS-AWS-Foundations-3.0";
const KINDS: &[&str] = &["cloudformation"];

macro_rules! rule {
    ($id:literal, $severity:ident, $title:literal, $description:literal, $help:literal,
     $remediation:literal, [$($tag:literal),*], [$($control:literal),*], $check:ident) => {
        Rule {
            id: $id,
            title: $title,
            description: $description,
            severity: Severity::$severity,
            help: $help,
            help_uri: None,
            remediation: $remediation,
            tags: &[$($tag),*],
            compliance: &[$(Control::new(CIS_AWS, $control)),*],
            kinds: KINDS,
            check: $check,
        }
    };
}

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "cloudformation",
    version: env!("CARGO_PKG_VERSION"),
    description: "AWS CloudFormation and SAM: public exposure, encryption at rest and in transit, \
                  logging and least privilege for S3, IAM, EC2, RDS, KMS, CloudTrail, EKS, Lambda \
                  and friends.",
    rules: &[
        rule!(
            "CFN-001",
            High,
            "S3 bucket does not block public access",
            "`PublicAccessBlockConfiguration` is missing or leaves one of BlockPublicAcls, BlockPublicPolicy, \
             IgnorePublicAcls, RestrictPublicBuckets off.",
            "One ACL or policy statement away from a public bucket: the block is the guard rail.",
            "Set all four `PublicAccessBlockConfiguration` flags to `true`.",
            ["security", "aws"],
            ["2.1.4"],
            s3_public_access_block
        ),
        rule!(
            "CFN-002",
            High,
            "S3 bucket has a public canned ACL",
            "`AccessControl: PublicRead`, `PublicReadWrite` or `AuthenticatedRead`.",
            "Everyone on the internet (or every AWS account) can list and read the objects; with \
             PublicReadWrite, also write them.",
            "Remove `AccessControl` (or set `Private`) and serve public content through CloudFront.",
            ["security", "aws"],
            [],
            s3_public_acl
        ),
        rule!(
            "CFN-003",
            Medium,
            "S3 bucket without default encryption configured",
            "No `BucketEncryption` rule: the bucket relies on the account default (SSE-S3) and no KMS key \
             controls access to the data.",
            "With SSE-KMS, reading an object also needs the key, which is an independent access control and audit trail.",
            "Add `BucketEncryption` with `SSEAlgorithm: aws:kms` and a customer-managed key.",
            ["encryption", "aws"],
            ["2.1.1"],
            s3_encryption
        ),
        rule!(
            "CFN-004",
            Low,
            "S3 bucket versioning not enabled",
            "`VersioningConfiguration.Status` is not `Enabled`.",
            "Without versions an overwrite or delete — by mistake or by ransomware — is final.",
            "Set `VersioningConfiguration: {Status: Enabled}` (and a lifecycle rule for old versions).",
            ["resilience", "aws"],
            [],
            s3_versioning
        ),
        rule!(
            "CFN-005",
            Low,
            "S3 bucket access logging not enabled",
            "No `LoggingConfiguration`: requests to the bucket are not logged.",
            "Server access logs are how you learn who read what after an incident.",
            "Add `LoggingConfiguration` with a `DestinationBucketName`.",
            ["logging", "aws"],
            ["3.4"],
            s3_logging
        ),
        rule!(
            "CFN-006",
            High,
            "S3 bucket policy allows anyone",
            "A bucket policy statement with `Effect: Allow` and `Principal: \"*\"` (or `AWS: \"*\"`) and no `Condition`.",
            "Anyone on the internet gets the statement's actions on the bucket.",
            "Name the principals, or add a condition (`aws:SourceVpce`, `aws:PrincipalOrgID`).",
            ["security", "aws"],
            [],
            s3_policy_public
        ),
        rule!(
            "CFN-007",
            High,
            "IAM policy grants full administrative access",
            "A statement allows `Action: \"*\"` on `Resource: \"*\"`.",
            "Whoever holds it can do anything in the account, including creating new administrators.",
            "Grant the actions and resources the principal needs; keep admin access to break-glass roles.",
            ["security", "iam", "aws"],
            ["1.16"],
            iam_admin
        ),
        rule!(
            "CFN-008",
            Medium,
            "IAM policy grants every action of a service",
            "A statement allows a service wildcard such as `s3:*` or `iam:*`.",
            "Service wildcards include destructive and privilege-escalating actions (`iam:*` is admin).",
            "List the actions needed (`s3:GetObject`, `s3:PutObject` …).",
            ["security", "iam", "aws"],
            [],
            iam_service_wildcard
        ),
        rule!(
            "CFN-009",
            Critical,
            "IAM role can be assumed by anyone",
            "The role's trust policy allows `Principal: \"*\"` (or `AWS: \"*\"`) to assume it without a condition.",
            "Any AWS account in the world can take the role and its permissions.",
            "Trust specific accounts, roles or services; add `sts:ExternalId` for third parties.",
            ["security", "iam", "aws"],
            [],
            iam_trust_anyone
        ),
        rule!(
            "CFN-010",
            Low,
            "IAM policy attached directly to a user",
            "An `AWS::IAM::User` has `Policies` or `ManagedPolicyArns`.",
            "Permissions on users are hard to review and to revoke; groups and roles keep them in one place.",
            "Attach policies to a group or role and make the user a member.",
            ["iam", "aws"],
            ["1.15"],
            iam_user_policies
        ),
        rule!(
            "CFN-011",
            High,
            "Security group opens an admin port to the internet",
            "An ingress rule allows 0.0.0.0/0 or ::/0 to port 22 (SSH) or 3389 (RDP).",
            "Admin ports on the internet are scanned within minutes and brute-forced for ever.",
            "Allow the admin port only from a bastion, VPN or corporate range; prefer SSM Session Manager.",
            ["security", "network", "aws"],
            ["5.2", "5.3"],
            sg_admin_ports
        ),
        rule!(
            "CFN-012",
            High,
            "Security group opens every port to the internet",
            "An ingress rule allows 0.0.0.0/0 or ::/0 on all protocols (`-1`) or all ports (0–65535).",
            "Every service on the instances, including ones never meant to be reachable, is exposed.",
            "Allow only the ports the service listens on.",
            ["security", "network", "aws"],
            ["5.2"],
            sg_all_ports
        ),
        rule!(
            "CFN-013",
            High,
            "RDS instance publicly accessible",
            "`PubliclyAccessible: true` gives the database a public DNS name and address.",
            "Databases belong in private subnets; a public one is a password away from a breach.",
            "Set `PubliclyAccessible: false` and reach the database through the VPC.",
            ["security", "network", "aws"],
            ["2.3.3"],
            rds_public
        ),
        rule!(
            "CFN-014",
            High,
            "RDS storage not encrypted",
            "`StorageEncrypted` is not `true` on a DB instance (outside an Aurora cluster) or a DB cluster.",
            "Snapshots and disks hold the data in the clear; encryption cannot be turned on later without a copy.",
            "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key).",
            ["encryption", "aws"],
            ["2.3.1"],
            rds_encryption
        ),
        rule!(
            "CFN-015",
            Medium,
            "RDS automated backups disabled",
            "`BackupRetentionPeriod: 0` turns automated backups and point-in-time recovery off.",
            "A dropped table or a corrupted volume cannot be undone.",
            "Keep `BackupRetentionPeriod` at 7 days or more.",
            ["resilience", "aws"],
            [],
            rds_backups
        ),
        rule!(
            "CFN-016",
            Medium,
            "KMS key rotation disabled",
            "A symmetric `AWS::KMS::Key` without `EnableKeyRotation: true`.",
            "Rotation limits how much data one key version protects and is required by most standards.",
            "Set `EnableKeyRotation: true`.",
            ["encryption", "aws"],
            ["3.6"],
            kms_rotation
        ),
        rule!(
            "CFN-017",
            Medium,
            "CloudTrail trail not multi-region",
            "`IsMultiRegionTrail` is not `true`.",
            "Activity in other regions — where attackers like to start instances — goes unrecorded.",
            "Set `IsMultiRegionTrail: true`.",
            ["logging", "aws"],
            ["3.1"],
            trail_multi_region
        ),
        rule!(
            "CFN-018",
            Medium,
            "CloudTrail log file validation disabled",
            "`EnableLogFileValidation` is not `true`.",
            "Without digest files, deleted or edited log files cannot be detected.",
            "Set `EnableLogFileValidation: true`.",
            ["logging", "aws"],
            ["3.2"],
            trail_validation
        ),
        rule!(
            "CFN-019",
            Medium,
            "CloudTrail logs not encrypted with KMS",
            "No `KMSKeyId` on the trail.",
            "With SSE-KMS, reading the audit log needs the key as well as the bucket.",
            "Set `KMSKeyId` to a customer-managed key.",
            ["logging", "encryption", "aws"],
            ["3.5"],
            trail_kms
        ),
        rule!(
            "CFN-020",
            Medium,
            "EKS API endpoint open to the internet",
            "`ResourcesVpcConfig.EndpointPublicAccess` is on (the default) with no `PublicAccessCidrs` or with 0.0.0.0/0.",
            "The Kubernetes API is then one credential leak away from anyone.",
            "Set `EndpointPrivateAccess: true` and `EndpointPublicAccess: false`, or restrict `PublicAccessCidrs`.",
            ["security", "network", "kubernetes", "aws"],
            [],
            eks_public_endpoint
        ),
        rule!(
            "CFN-021",
            Low,
            "EKS control-plane audit logging disabled",
            "`Logging.ClusterLogging.EnabledTypes` does not include `api` and `audit`.",
            "Without audit logs there is no record of who changed what in the cluster.",
            "Enable at least the `api`, `audit` and `authenticator` log types.",
            ["logging", "kubernetes", "aws"],
            [],
            eks_logging
        ),
        rule!(
            "CFN-022",
            High,
            "Secret in Lambda environment variables",
            "A function's environment variable whose name says it holds a secret has a literal value.",
            "The value is in the template, the stack, the console and every `GetFunctionConfiguration` call.",
            "Read it at runtime from Secrets Manager or SSM Parameter Store (SecureString).",
            ["security", "secrets", "aws"],
            [],
            lambda_secret_env
        ),
        rule!(
            "CFN-023",
            High,
            "Lambda function URL without authentication",
            "A function URL with `AuthType: NONE`.",
            "Anyone who finds the URL can invoke the function, and pay for it.",
            "Use `AuthType: AWS_IAM`, or put API Gateway with an authorizer in front.",
            ["security", "aws"],
            [],
            lambda_url_public
        ),
        rule!(
            "CFN-024",
            Medium,
            "EBS volume not encrypted",
            "An `AWS::EC2::Volume`, or an instance's block device mapping, without `Encrypted: true`.",
            "Snapshots of unencrypted volumes can be shared and copied in the clear.",
            "Set `Encrypted: true` (or enable EBS encryption by default for the account).",
            ["encryption", "aws"],
            ["2.2.1"],
            ebs_encryption
        ),
        rule!(
            "CFN-025",
            Medium,
            "Load balancer listener uses plain HTTP",
            "An `AWS::ElasticLoadBalancingV2::Listener` on `Protocol: HTTP` that does not redirect to HTTPS.",
            "Credentials and session cookies cross the network unencrypted.",
            "Listen on HTTPS with a certificate; make the HTTP listener a redirect.",
            ["encryption", "network", "aws"],
            [],
            alb_http
        ),
        rule!(
            "CFN-026",
            Low,
            "DynamoDB point-in-time recovery disabled",
            "`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` is not `true`.",
            "A bad write or delete cannot be rolled back to the second before it.",
            "Enable point-in-time recovery.",
            ["resilience", "aws"],
            [],
            dynamodb_pitr
        ),
        rule!(
            "CFN-027",
            Low,
            "SQS queue not encrypted",
            "No `KmsMasterKeyId` and `SqsManagedSseEnabled: false`.",
            "Messages are stored unencrypted.",
            "Set `KmsMasterKeyId` (or leave SQS-managed encryption on).",
            ["encryption", "aws"],
            [],
            sqs_encryption
        ),
        rule!(
            "CFN-028",
            Low,
            "ECR repository does not scan images on push",
            "`ImageScanningConfiguration.ScanOnPush` is not `true`.",
            "Known-vulnerable images are pushed and deployed without anyone being told.",
            "Set `ImageScanningConfiguration: {ScanOnPush: true}` (or use registry-level enhanced scanning).",
            ["supply-chain", "aws"],
            [],
            ecr_scan_on_push
        ),
        rule!(
            "CFN-029",
            Low,
            "ECR image tags are mutable",
            "`ImageTagMutability` is not `IMMUTABLE`.",
            "A pushed tag can be overwritten: `app:1.4.2` may not be the image that was tested.",
            "Set `ImageTagMutability: IMMUTABLE`.",
            ["supply-chain", "aws"],
            [],
            ecr_mutable_tags
        ),
        rule!(
            "CFN-030",
            Medium,
            "Launch template allows IMDSv1",
            "`LaunchTemplateData.MetadataOptions.HttpTokens` is not `required`.",
            "IMDSv1 answers any request that reaches it: an SSRF bug hands out the instance role's credentials.",
            "Set `MetadataOptions: {HttpTokens: required}`.",
            ["security", "aws"],
            ["5.6"],
            imds_v1
        ),
    ],
};

rampart_policy::export_pack!(PACK);
