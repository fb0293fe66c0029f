//! The AWS concerns: each row one check, on Terraform and CloudFormation.
//!
//! Rows are only ever appended: a row's index is its rules' identity in
//! the packs (`terraform_rule::<3>()`).

use crate::{Concern, Expect, Shape};
use rampart_policy::Severity;

/// Every AWS concern, in the order the packs list them.
pub const AWS: &[Concern] = &[
    // 0
    Concern {
        title: "DocumentDB cluster storage not encrypted",
        severity: Severity::High,
        help: "The cluster's volumes, backups and snapshots hold the data in the clear, and encryption cannot be turned on for an existing cluster.",
        tags: &["aws", "documentdb", "encryption"],
        compliance: &[],
        finding: "stores data unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-073",
            types: &["aws_docdb_cluster"],
            path: &["storage_encrypted"],
            description: "`storage_encrypted` is not `true` on an `aws_docdb_cluster` (the provider's default is `false`).",
            remediation: "Set `storage_encrypted = true` (and `kms_key_id` for a customer-managed key) when the cluster is created.",
            fix: "set `storage_encrypted = true`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-031",
            types: &["AWS::DocDB::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::DocDB::DBCluster` (CloudFormation's default is `false`).",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key) when the cluster is created.",
            fix: "set `StorageEncrypted: true`",
        }),
    },
    // 1
    Concern {
        title: "Neptune cluster storage not encrypted",
        severity: Severity::High,
        help: "The graph's volumes and snapshots hold the data in the clear, and encryption cannot be turned on for an existing cluster.",
        tags: &["aws", "neptune", "encryption"],
        compliance: &[],
        finding: "stores data unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-074",
            types: &["aws_neptune_cluster"],
            path: &["storage_encrypted"],
            description: "`storage_encrypted` is not `true` on an `aws_neptune_cluster` (the provider's default is `false`).",
            remediation: "Set `storage_encrypted = true` (and `kms_key_arn` for a customer-managed key) when the cluster is created.",
            fix: "set `storage_encrypted = true`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-032",
            types: &["AWS::Neptune::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::Neptune::DBCluster` (CloudFormation's default is `false`).",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key) when the cluster is created.",
            fix: "set `StorageEncrypted: true`",
        }),
    },
    // 2
    Concern {
        title: "Redshift cluster publicly accessible",
        severity: Severity::High,
        help: "The cluster gets a public address: the warehouse's endpoint is reachable from the internet wherever its security groups let traffic in.",
        tags: &["aws", "redshift", "network"],
        compliance: &[],
        finding: "is reachable from the internet",
        // The default changed between provider versions: only a written
        // `true` is judged.
        expect: Expect::Flag {
            want: false,
            default: None,
        },
        terraform: Some(Shape {
            id: "TF-075",
            types: &["aws_redshift_cluster"],
            path: &["publicly_accessible"],
            description: "`publicly_accessible = true` on an `aws_redshift_cluster`.",
            remediation: "Set `publicly_accessible = false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `publicly_accessible = false`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-033",
            types: &["AWS::Redshift::Cluster"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::Redshift::Cluster`.",
            remediation: "Set `PubliclyAccessible: false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `PubliclyAccessible: false`",
        }),
    },
    // 3
    Concern {
        title: "ElastiCache replication group not encrypted at rest",
        severity: Severity::Medium,
        help: "Cached data swapped to disk, and backups, are stored in the clear; caches often hold sessions and tokens.",
        tags: &["aws", "elasticache", "encryption"],
        compliance: &[],
        finding: "stores cached data unencrypted at rest",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-076",
            types: &["aws_elasticache_replication_group"],
            path: &["at_rest_encryption_enabled"],
            description: "`at_rest_encryption_enabled` is not `true` on an `aws_elasticache_replication_group`.",
            remediation: "Set `at_rest_encryption_enabled = true` (and `kms_key_id` for a customer-managed key); it can only be set when the group is created.",
            fix: "set `at_rest_encryption_enabled = true`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-034",
            types: &["AWS::ElastiCache::ReplicationGroup"],
            path: &["AtRestEncryptionEnabled"],
            description: "`AtRestEncryptionEnabled` is not `true` on an `AWS::ElastiCache::ReplicationGroup`.",
            remediation: "Set `AtRestEncryptionEnabled: true` (and `KmsKeyId` for a customer-managed key); it can only be set when the group is created.",
            fix: "set `AtRestEncryptionEnabled: true`",
        }),
    },
    // 4
    Concern {
        title: "ElastiCache replication group not encrypted in transit",
        severity: Severity::Medium,
        help: "Clients and replicas talk to the cache in plain text: anyone on the network path reads the cached sessions and tokens.",
        tags: &["aws", "elasticache", "encryption", "tls"],
        compliance: &[],
        finding: "accepts plain-text connections",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-077",
            types: &["aws_elasticache_replication_group"],
            path: &["transit_encryption_enabled"],
            description: "`transit_encryption_enabled` is not `true` on an `aws_elasticache_replication_group`.",
            remediation: "Set `transit_encryption_enabled = true` (with `auth_token` or RBAC user groups) and connect with TLS.",
            fix: "set `transit_encryption_enabled = true`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-035",
            types: &["AWS::ElastiCache::ReplicationGroup"],
            path: &["TransitEncryptionEnabled"],
            description: "`TransitEncryptionEnabled` is not `true` on an `AWS::ElastiCache::ReplicationGroup`.",
            remediation: "Set `TransitEncryptionEnabled: true` (with `AuthToken` or RBAC user groups) and connect with TLS.",
            fix: "set `TransitEncryptionEnabled: true`",
        }),
    },
    // 5
    Concern {
        title: "SNS topic not encrypted with KMS",
        severity: Severity::Medium,
        help: "Messages wait in the topic unencrypted; alerts and events often carry identifiers, addresses and payload data.",
        tags: &["aws", "sns", "encryption"],
        compliance: &[],
        finding: "stores messages without server-side encryption",
        expect: Expect::Set,
        terraform: Some(Shape {
            id: "TF-078",
            types: &["aws_sns_topic"],
            path: &["kms_master_key_id"],
            description: "No `kms_master_key_id` on an `aws_sns_topic`: server-side encryption is off.",
            remediation: "Set `kms_master_key_id` to a KMS key (`alias/aws/sns` at least, a customer-managed key to control access).",
            fix: "set `kms_master_key_id`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-036",
            types: &["AWS::SNS::Topic"],
            path: &["KmsMasterKeyId"],
            description: "No `KmsMasterKeyId` on an `AWS::SNS::Topic`: server-side encryption is off.",
            remediation: "Set `KmsMasterKeyId` to a KMS key (`alias/aws/sns` at least, a customer-managed key to control access).",
            fix: "set `KmsMasterKeyId`",
        }),
    },
    // 6
    Concern {
        title: "CloudWatch log group not encrypted with a KMS key",
        severity: Severity::Low,
        help: "Logs are encrypted with a key AWS holds for the service: anyone allowed to read the group reads them, and access cannot be revoked by disabling a key.",
        tags: &["aws", "cloudwatch", "logging", "encryption"],
        compliance: &[],
        finding: "is not encrypted with a KMS key",
        expect: Expect::Set,
        terraform: Some(Shape {
            id: "TF-079",
            types: &["aws_cloudwatch_log_group"],
            path: &["kms_key_id"],
            description: "No `kms_key_id` on an `aws_cloudwatch_log_group`.",
            remediation: "Set `kms_key_id` to the ARN of a customer-managed key whose policy lets the CloudWatch Logs service use it.",
            fix: "set `kms_key_id`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-037",
            types: &["AWS::Logs::LogGroup"],
            path: &["KmsKeyId"],
            description: "No `KmsKeyId` on an `AWS::Logs::LogGroup`.",
            remediation: "Set `KmsKeyId` to the ARN of a customer-managed key whose policy lets the CloudWatch Logs service use it.",
            fix: "set `KmsKeyId`",
        }),
    },
    // 7
    Concern {
        title: "Kinesis stream not encrypted",
        severity: Severity::Medium,
        help: "Records are stored in the stream's shards in the clear for the whole retention period.",
        tags: &["aws", "kinesis", "encryption"],
        compliance: &[],
        finding: "stores records unencrypted",
        expect: Expect::Equals {
            want: "KMS",
            default: Some("NONE"),
        },
        terraform: Some(Shape {
            id: "TF-080",
            types: &["aws_kinesis_stream"],
            path: &["encryption_type"],
            description: "`encryption_type` is not `\"KMS\"` on an `aws_kinesis_stream` (the provider's default is `\"NONE\"`).",
            remediation: "Set `encryption_type = \"KMS\"` and `kms_key_id` (`alias/aws/kinesis` at least).",
            fix: "set `encryption_type = \"KMS\"`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-038",
            types: &["AWS::Kinesis::Stream"],
            path: &["StreamEncryption", "EncryptionType"],
            description: "No `StreamEncryption` with `EncryptionType: KMS` on an `AWS::Kinesis::Stream`.",
            remediation: "Add `StreamEncryption: {EncryptionType: KMS, KeyId: …}` (`alias/aws/kinesis` at least).",
            fix: "add `StreamEncryption` with `EncryptionType: KMS`",
        }),
    },
    // 8
    Concern {
        title: "RDS automatic minor version upgrades disabled",
        severity: Severity::Low,
        help: "Minor versions carry the engine's security fixes; with upgrades off, the instance keeps known vulnerabilities until someone upgrades it by hand.",
        tags: &["aws", "rds", "patching"],
        compliance: &[],
        finding: "does not take minor engine upgrades",
        // The default is `true`: only a written `false` is judged.
        expect: Expect::Flag {
            want: true,
            default: Some(true),
        },
        terraform: Some(Shape {
            id: "TF-081",
            types: &["aws_db_instance", "aws_rds_cluster_instance"],
            path: &["auto_minor_version_upgrade"],
            description: "`auto_minor_version_upgrade = false` on an `aws_db_instance` or `aws_rds_cluster_instance`.",
            remediation: "Leave `auto_minor_version_upgrade` at `true` and set a `maintenance_window`.",
            fix: "set `auto_minor_version_upgrade = true`",
        }),
        cloudformation: Some(Shape {
            id: "CFN-039",
            types: &["AWS::RDS::DBInstance"],
            path: &["AutoMinorVersionUpgrade"],
            description: "`AutoMinorVersionUpgrade: false` on an `AWS::RDS::DBInstance`.",
            remediation: "Leave `AutoMinorVersionUpgrade` at `true` and set a `PreferredMaintenanceWindow`.",
            fix: "set `AutoMinorVersionUpgrade: true`",
        }),
    },
];
