//! The AWS concerns: each row one check, on Terraform, CloudFormation and
//! Ansible.
//!
//! Rows are only ever appended: a row's index is its rules' identity in
//! the packs (`terraform_rule::<3>()`).

use crate::{Concern, Expect, Platform, Shape, flag};
use rampart_policy::{Control, Node, Severity};

const CIS_AWS: &str = "CIS-AWS-Foundations-3.0";

/// An OpenSearch domain, by its current and its legacy (Elasticsearch)
/// resource type: the three OpenSearch rows judge both.
const OPENSEARCH_TERRAFORM: &[&str] = &["aws_opensearch_domain", "aws_elasticsearch_domain"];
const OPENSEARCH_CLOUDFORMATION: &[&str] = &[
    "AWS::OpenSearchService::Domain",
    "AWS::Elasticsearch::Domain",
];

/// The OpenSearch module, by its name since community.aws 4.0.
const OPENSEARCH_ANSIBLE: &[&str] = &["community.aws.opensearch"];

/// The RDS modules, by their names since amazon.aws 5.0 and before it.
const RDS_INSTANCE_ANSIBLE: &[&str] = &["amazon.aws.rds_instance", "community.aws.rds_instance"];
const RDS_ANSIBLE: &[&str] = &[
    "amazon.aws.rds_instance",
    "community.aws.rds_instance",
    "amazon.aws.rds_cluster",
    "community.aws.rds_cluster",
];

/// A read replica inherits its source's encryption.
fn not_a_replica_terraform(_kind: &str, config: &Node<'_>) -> bool {
    !config.get("replicate_source_db").exists()
}

/// A member of an Aurora cluster (`DBClusterIdentifier`) inherits the
/// cluster's encryption and deletion protection.
fn outside_a_cluster_cloudformation(kind: &str, config: &Node<'_>) -> bool {
    kind != "AWS::RDS::DBInstance" || !config.get("DBClusterIdentifier").exists()
}

/// A read replica (`read_replica: true`) inherits its source's encryption.
fn not_a_replica_ansible(_kind: &str, config: &Node<'_>) -> bool {
    flag(&config.get("read_replica"), Platform::Ansible) != Some(true)
}

/// Only symmetric keys rotate: a key spec other than the default (RSA,
/// ECC, HMAC) is not judged; an unknown one neither.
fn symmetric_key(_kind: &str, config: &Node<'_>) -> bool {
    ["customer_master_key_spec", "KeySpec", "key_spec"]
        .iter()
        .map(|key| config.get(key))
        .find(Node::exists)
        .is_none_or(|spec| spec.as_str() == Some("SYMMETRIC_DEFAULT"))
}

/// A queue with its own KMS key is encrypted whatever the SQS-managed flag.
fn without_a_kms_key(_kind: &str, config: &Node<'_>) -> bool {
    !config.get("kms_master_key_id").exists() && !config.get("KmsMasterKeyId").exists()
}

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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-031",
            types: &["AWS::DocDB::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::DocDB::DBCluster` (CloudFormation's default is `false`).",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key) when the cluster is created.",
            fix: "set `StorageEncrypted: true`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-032",
            types: &["AWS::Neptune::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::Neptune::DBCluster` (CloudFormation's default is `false`).",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key) when the cluster is created.",
            fix: "set `StorageEncrypted: true`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-033",
            types: &["AWS::Redshift::Cluster"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::Redshift::Cluster`.",
            remediation: "Set `PubliclyAccessible: false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `PubliclyAccessible: false`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-016",
            types: &["community.aws.redshift"],
            path: &["publicly_accessible"],
            description: "A `community.aws.redshift` task sets `publicly_accessible: true`.",
            remediation: "Set `publicly_accessible: false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `publicly_accessible: false`",
            applies: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-034",
            types: &["AWS::ElastiCache::ReplicationGroup"],
            path: &["AtRestEncryptionEnabled"],
            description: "`AtRestEncryptionEnabled` is not `true` on an `AWS::ElastiCache::ReplicationGroup`.",
            remediation: "Set `AtRestEncryptionEnabled: true` (and `KmsKeyId` for a customer-managed key); it can only be set when the group is created.",
            fix: "set `AtRestEncryptionEnabled: true`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-035",
            types: &["AWS::ElastiCache::ReplicationGroup"],
            path: &["TransitEncryptionEnabled"],
            description: "`TransitEncryptionEnabled` is not `true` on an `AWS::ElastiCache::ReplicationGroup`.",
            remediation: "Set `TransitEncryptionEnabled: true` (with `AuthToken` or RBAC user groups) and connect with TLS.",
            fix: "set `TransitEncryptionEnabled: true`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-036",
            types: &["AWS::SNS::Topic"],
            path: &["KmsMasterKeyId"],
            description: "No `KmsMasterKeyId` on an `AWS::SNS::Topic`: server-side encryption is off.",
            remediation: "Set `KmsMasterKeyId` to a KMS key (`alias/aws/sns` at least, a customer-managed key to control access).",
            fix: "set `KmsMasterKeyId`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-037",
            types: &["AWS::Logs::LogGroup"],
            path: &["KmsKeyId"],
            description: "No `KmsKeyId` on an `AWS::Logs::LogGroup`.",
            remediation: "Set `KmsKeyId` to the ARN of a customer-managed key whose policy lets the CloudWatch Logs service use it.",
            fix: "set `KmsKeyId`",
            applies: None,
        }),
        ansible: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-038",
            types: &["AWS::Kinesis::Stream"],
            path: &["StreamEncryption", "EncryptionType"],
            description: "No `StreamEncryption` with `EncryptionType: KMS` on an `AWS::Kinesis::Stream`.",
            remediation: "Add `StreamEncryption: {EncryptionType: KMS, KeyId: …}` (`alias/aws/kinesis` at least).",
            fix: "add `StreamEncryption` with `EncryptionType: KMS`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-017",
            types: &["community.aws.kinesis_stream"],
            path: &["encryption_type"],
            description: "A `community.aws.kinesis_stream` task sets `encryption_type: NONE`.",
            remediation: "Set `encryption_state: enabled`, `encryption_type: KMS` and `key_id` (`alias/aws/kinesis` at least).",
            fix: "set `encryption_type: KMS`",
            applies: None,
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
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-039",
            types: &["AWS::RDS::DBInstance"],
            path: &["AutoMinorVersionUpgrade"],
            description: "`AutoMinorVersionUpgrade: false` on an `AWS::RDS::DBInstance`.",
            remediation: "Leave `AutoMinorVersionUpgrade` at `true` and set a `PreferredMaintenanceWindow`.",
            fix: "set `AutoMinorVersionUpgrade: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-018",
            types: &["amazon.aws.rds_instance", "community.aws.rds_instance"],
            path: &["auto_minor_version_upgrade"],
            description: "An `amazon.aws.rds_instance` task sets `auto_minor_version_upgrade: false`.",
            remediation: "Leave `auto_minor_version_upgrade` at `true` and set a `preferred_maintenance_window`.",
            fix: "set `auto_minor_version_upgrade: true`",
            applies: None,
        }),
    },
    // 9
    Concern {
        title: "EFS file system not encrypted",
        severity: Severity::High,
        help: "Files and their backups are stored in the clear, and an existing file system cannot be encrypted: the data has to be copied to a new one.",
        tags: &["aws", "efs", "encryption"],
        compliance: &[Control::new(CIS_AWS, "2.4.1")],
        finding: "stores files unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-082",
            types: &["aws_efs_file_system"],
            path: &["encrypted"],
            description: "`encrypted` is not `true` on an `aws_efs_file_system` (the provider's default is `false`).",
            remediation: "Set `encrypted = true` (and `kms_key_id` for a customer-managed key) when the file system is created.",
            fix: "set `encrypted = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-040",
            types: &["AWS::EFS::FileSystem"],
            path: &["Encrypted"],
            description: "`Encrypted` is not `true` on an `AWS::EFS::FileSystem` (CloudFormation's default is `false`).",
            remediation: "Set `Encrypted: true` (and `KmsKeyId` for a customer-managed key) when the file system is created.",
            fix: "set `Encrypted: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-019",
            types: &["community.aws.efs"],
            path: &["encrypt"],
            description: "A `community.aws.efs` task sets `encrypt: false`.",
            remediation: "Set `encrypt: true` (and `kms_key_id` for a customer-managed key) when the file system is created.",
            fix: "set `encrypt: true`",
            applies: None,
        }),
    },
    // 10
    Concern {
        title: "OpenSearch domain not encrypted at rest",
        severity: Severity::High,
        help: "Indices, logs and automated snapshots are stored in the clear; encryption at rest cannot be turned off again once on, but must be asked for.",
        tags: &["aws", "opensearch", "encryption"],
        compliance: &[],
        finding: "stores indices unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-083",
            types: OPENSEARCH_TERRAFORM,
            path: &["encrypt_at_rest", "enabled"],
            description: "No `encrypt_at_rest { enabled = true }` on an `aws_opensearch_domain` or `aws_elasticsearch_domain`.",
            remediation: "Add `encrypt_at_rest { enabled = true }` (and `kms_key_id` for a customer-managed key).",
            fix: "add `encrypt_at_rest { enabled = true }`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-041",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["EncryptionAtRestOptions", "Enabled"],
            description: "No `EncryptionAtRestOptions` with `Enabled: true` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Add `EncryptionAtRestOptions: {Enabled: true}` (and `KmsKeyId` for a customer-managed key).",
            fix: "add `EncryptionAtRestOptions` with `Enabled: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-020",
            types: OPENSEARCH_ANSIBLE,
            path: &["encryption_at_rest_options", "enabled"],
            description: "A `community.aws.opensearch` task sets `encryption_at_rest_options.enabled: false`.",
            remediation: "Set `encryption_at_rest_options: {enabled: true}` (and `kms_key_id` for a customer-managed key).",
            fix: "set `encryption_at_rest_options.enabled: true`",
            applies: None,
        }),
    },
    // 11
    Concern {
        title: "OpenSearch node-to-node encryption disabled",
        severity: Severity::Medium,
        help: "Nodes of the domain exchange documents and queries in plain text inside the VPC.",
        tags: &["aws", "opensearch", "encryption", "tls"],
        compliance: &[],
        finding: "sends data between its nodes unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-084",
            types: OPENSEARCH_TERRAFORM,
            path: &["node_to_node_encryption", "enabled"],
            description: "No `node_to_node_encryption { enabled = true }` on an `aws_opensearch_domain` or `aws_elasticsearch_domain`.",
            remediation: "Add `node_to_node_encryption { enabled = true }`.",
            fix: "add `node_to_node_encryption { enabled = true }`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-042",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["NodeToNodeEncryptionOptions", "Enabled"],
            description: "No `NodeToNodeEncryptionOptions` with `Enabled: true` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Add `NodeToNodeEncryptionOptions: {Enabled: true}`.",
            fix: "add `NodeToNodeEncryptionOptions` with `Enabled: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-021",
            types: OPENSEARCH_ANSIBLE,
            path: &["node_to_node_encryption_options", "enabled"],
            description: "A `community.aws.opensearch` task sets `node_to_node_encryption_options.enabled: false`.",
            remediation: "Set `node_to_node_encryption_options: {enabled: true}`.",
            fix: "set `node_to_node_encryption_options.enabled: true`",
            applies: None,
        }),
    },
    // 12
    Concern {
        title: "OpenSearch domain accepts plain HTTP",
        severity: Severity::Medium,
        help: "Clients may send credentials, documents and queries to the domain's endpoint without TLS.",
        tags: &["aws", "opensearch", "tls"],
        compliance: &[],
        finding: "accepts plain-HTTP requests",
        // The defaults differ between the platforms and provider versions:
        // only a written `false` is judged.
        expect: Expect::Flag {
            want: true,
            default: None,
        },
        terraform: Some(Shape {
            id: "TF-085",
            types: OPENSEARCH_TERRAFORM,
            path: &["domain_endpoint_options", "enforce_https"],
            description: "`domain_endpoint_options { enforce_https = false }` on an `aws_opensearch_domain` or `aws_elasticsearch_domain`.",
            remediation: "Set `enforce_https = true` with a current `tls_security_policy` (`Policy-Min-TLS-1-2-2019-07`).",
            fix: "set `enforce_https = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-043",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["DomainEndpointOptions", "EnforceHTTPS"],
            description: "`DomainEndpointOptions` with `EnforceHTTPS: false` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Set `EnforceHTTPS: true` with a current `TLSSecurityPolicy` (`Policy-Min-TLS-1-2-2019-07`).",
            fix: "set `EnforceHTTPS: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-022",
            types: OPENSEARCH_ANSIBLE,
            path: &["domain_endpoint_options", "enforce_https"],
            description: "A `community.aws.opensearch` task sets `domain_endpoint_options.enforce_https: false`.",
            remediation: "Set `enforce_https: true` with a current `tls_security_policy` (`Policy-Min-TLS-1-2-2019-07`).",
            fix: "set `enforce_https: true`",
            applies: None,
        }),
    },
    // 13
    Concern {
        title: "SageMaker notebook instance has direct internet access",
        severity: Severity::Medium,
        help: "The notebook reaches the internet through SageMaker's own network, around the VPC's egress controls: data can leave, and code can be fetched, unseen.",
        tags: &["aws", "sagemaker", "network"],
        compliance: &[],
        finding: "has direct internet access",
        expect: Expect::Equals {
            want: "Disabled",
            default: Some("Enabled"),
        },
        terraform: Some(Shape {
            id: "TF-086",
            types: &["aws_sagemaker_notebook_instance"],
            path: &["direct_internet_access"],
            description: "`direct_internet_access` is not `\"Disabled\"` on an `aws_sagemaker_notebook_instance` (the default is `\"Enabled\"`).",
            remediation: "Set `direct_internet_access = \"Disabled\"` with a `subnet_id`, and reach the internet through the VPC's NAT and egress rules.",
            fix: "set `direct_internet_access = \"Disabled\"`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-044",
            types: &["AWS::SageMaker::NotebookInstance"],
            path: &["DirectInternetAccess"],
            description: "`DirectInternetAccess` is not `Disabled` on an `AWS::SageMaker::NotebookInstance` (the default is `Enabled`).",
            remediation: "Set `DirectInternetAccess: Disabled` with a `SubnetId`, and reach the internet through the VPC's NAT and egress rules.",
            fix: "set `DirectInternetAccess: Disabled`",
            applies: None,
        }),
        ansible: None,
    },
    // 14
    Concern {
        title: "SageMaker notebook users have root access",
        severity: Severity::Low,
        help: "Every notebook user can change the instance's software and configuration, lifecycle safeguards included.",
        tags: &["aws", "sagemaker", "privilege"],
        compliance: &[],
        finding: "gives its users root access",
        expect: Expect::Equals {
            want: "Disabled",
            default: Some("Enabled"),
        },
        terraform: Some(Shape {
            id: "TF-087",
            types: &["aws_sagemaker_notebook_instance"],
            path: &["root_access"],
            description: "`root_access` is not `\"Disabled\"` on an `aws_sagemaker_notebook_instance` (the default is `\"Enabled\"`).",
            remediation: "Set `root_access = \"Disabled\"` and install what the notebook needs in a lifecycle configuration.",
            fix: "set `root_access = \"Disabled\"`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-045",
            types: &["AWS::SageMaker::NotebookInstance"],
            path: &["RootAccess"],
            description: "`RootAccess` is not `Disabled` on an `AWS::SageMaker::NotebookInstance` (the default is `Enabled`).",
            remediation: "Set `RootAccess: Disabled` and install what the notebook needs in a lifecycle configuration.",
            fix: "set `RootAccess: Disabled`",
            applies: None,
        }),
        ansible: None,
    },
    // 15
    Concern {
        title: "DMS replication instance publicly accessible",
        severity: Severity::High,
        help: "The replication instance, which holds credentials to the source and target databases, gets a public address.",
        tags: &["aws", "dms", "network"],
        compliance: &[],
        finding: "is reachable from the internet",
        // Absent, AWS decides by the subnet group: only a written `true`
        // is judged.
        expect: Expect::Flag {
            want: false,
            default: None,
        },
        terraform: Some(Shape {
            id: "TF-088",
            types: &["aws_dms_replication_instance"],
            path: &["publicly_accessible"],
            description: "`publicly_accessible = true` on an `aws_dms_replication_instance`.",
            remediation: "Set `publicly_accessible = false` and place the instance in private subnets.",
            fix: "set `publicly_accessible = false`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-046",
            types: &["AWS::DMS::ReplicationInstance"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::DMS::ReplicationInstance`.",
            remediation: "Set `PubliclyAccessible: false` and place the instance in private subnets.",
            fix: "set `PubliclyAccessible: false`",
            applies: None,
        }),
        ansible: None,
    },
    // 16
    Concern {
        title: "MSK cluster accepts plain-text client connections",
        severity: Severity::Medium,
        help: "Producers and consumers may send records to the brokers without TLS.",
        tags: &["aws", "msk", "kafka", "tls"],
        compliance: &[],
        finding: "accepts plain-text client connections",
        expect: Expect::Equals {
            want: "TLS",
            default: Some("TLS"),
        },
        terraform: Some(Shape {
            id: "TF-089",
            types: &["aws_msk_cluster"],
            path: &["encryption_info", "encryption_in_transit", "client_broker"],
            description: "`encryption_info { encryption_in_transit { client_broker } }` is `\"PLAINTEXT\"` or `\"TLS_PLAINTEXT\"` on an `aws_msk_cluster`.",
            remediation: "Set `client_broker = \"TLS\"` (the default) and connect clients over TLS.",
            fix: "set `client_broker = \"TLS\"`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-047",
            types: &["AWS::MSK::Cluster"],
            path: &["EncryptionInfo", "EncryptionInTransit", "ClientBroker"],
            description: "`EncryptionInfo.EncryptionInTransit.ClientBroker` is `PLAINTEXT` or `TLS_PLAINTEXT` on an `AWS::MSK::Cluster`.",
            remediation: "Set `ClientBroker: TLS` (the default) and connect clients over TLS.",
            fix: "set `ClientBroker: TLS`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-023",
            types: &["community.aws.msk_cluster", "community.aws.aws_msk_cluster"],
            path: &["encryption", "in_transit", "client_broker"],
            description: "A `community.aws.msk_cluster` task sets `encryption.in_transit.client_broker` to `PLAINTEXT` or `TLS_PLAINTEXT`.",
            remediation: "Set `client_broker: TLS` (the module's default) and connect clients over TLS.",
            fix: "set `client_broker: TLS`",
            applies: None,
        }),
    },
    // 17
    Concern {
        title: "CodeBuild project runs builds in privileged mode",
        severity: Severity::Medium,
        help: "A privileged build container can control the Docker daemon of its host: any build step, including a dependency's install script, gets root over the build environment.",
        tags: &["aws", "codebuild", "privilege", "ci"],
        compliance: &[],
        finding: "runs builds in privileged mode",
        expect: Expect::Flag {
            want: false,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-090",
            types: &["aws_codebuild_project"],
            path: &["environment", "privileged_mode"],
            description: "`environment { privileged_mode = true }` on an `aws_codebuild_project`.",
            remediation: "Leave `privileged_mode` off; build images with a daemonless builder (kaniko, buildah) or in a separate project.",
            fix: "set `privileged_mode = false`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-048",
            types: &["AWS::CodeBuild::Project"],
            path: &["Environment", "PrivilegedMode"],
            description: "`Environment.PrivilegedMode: true` on an `AWS::CodeBuild::Project`.",
            remediation: "Leave `PrivilegedMode` off; build images with a daemonless builder (kaniko, buildah) or in a separate project.",
            fix: "set `PrivilegedMode: false`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-024",
            types: &[
                "community.aws.codebuild_project",
                "community.aws.aws_codebuild",
            ],
            path: &["environment", "privileged_mode"],
            description: "A `community.aws.codebuild_project` task sets `environment.privileged_mode: true`.",
            remediation: "Leave `privileged_mode` off; build images with a daemonless builder (kaniko, buildah) or in a separate project.",
            fix: "set `privileged_mode: false`",
            applies: None,
        }),
    },
    // 18
    Concern {
        title: "WorkSpaces root volume not encrypted",
        severity: Severity::Medium,
        help: "The desktop's system volume, with cached credentials and documents, is stored in the clear.",
        tags: &["aws", "workspaces", "encryption"],
        compliance: &[],
        finding: "has an unencrypted root volume",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-091",
            types: &["aws_workspaces_workspace"],
            path: &["root_volume_encryption_enabled"],
            description: "`root_volume_encryption_enabled` is not `true` on an `aws_workspaces_workspace`.",
            remediation: "Set `root_volume_encryption_enabled = true` (and `user_volume_encryption_enabled`, `volume_encryption_key`).",
            fix: "set `root_volume_encryption_enabled = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-049",
            types: &["AWS::WorkSpaces::Workspace"],
            path: &["RootVolumeEncryptionEnabled"],
            description: "`RootVolumeEncryptionEnabled` is not `true` on an `AWS::WorkSpaces::Workspace`.",
            remediation: "Set `RootVolumeEncryptionEnabled: true` (and `UserVolumeEncryptionEnabled`, `VolumeEncryptionKey`).",
            fix: "set `RootVolumeEncryptionEnabled: true`",
            applies: None,
        }),
        ansible: None,
    },
    // 19
    Concern {
        title: "DAX cluster not encrypted at rest",
        severity: Severity::Medium,
        help: "The cache in front of DynamoDB stores items in the clear on its nodes.",
        tags: &["aws", "dax", "dynamodb", "encryption"],
        compliance: &[],
        finding: "stores cached items unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-092",
            types: &["aws_dax_cluster"],
            path: &["server_side_encryption", "enabled"],
            description: "No `server_side_encryption { enabled = true }` on an `aws_dax_cluster`.",
            remediation: "Add `server_side_encryption { enabled = true }` when the cluster is created.",
            fix: "add `server_side_encryption { enabled = true }`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-050",
            types: &["AWS::DAX::Cluster"],
            path: &["SSESpecification", "SSEEnabled"],
            description: "No `SSESpecification` with `SSEEnabled: true` on an `AWS::DAX::Cluster`.",
            remediation: "Add `SSESpecification: {SSEEnabled: true}` when the cluster is created.",
            fix: "add `SSESpecification` with `SSEEnabled: true`",
            applies: None,
        }),
        ansible: None,
    },
    // 20
    // Migrated from code: TF-014, CFN-013.
    // The default depends on the subnet group: only a written `true` is
    // judged.
    Concern {
        title: "RDS instance publicly accessible",
        severity: Severity::High,
        help: "Databases belong in private subnets; a public one gets an address on the internet and is a password away from a breach.",
        tags: &["aws", "rds", "network"],
        compliance: &[Control::new(CIS_AWS, "2.3.3")],
        finding: "is publicly accessible",
        expect: Expect::Flag {
            want: false,
            default: None,
        },
        terraform: Some(Shape {
            id: "TF-014",
            types: &["aws_db_instance"],
            path: &["publicly_accessible"],
            description: "`publicly_accessible = true` on an `aws_db_instance`.",
            remediation: "Set `publicly_accessible = false` and reach the database through the VPC.",
            fix: "set `publicly_accessible = false`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-013",
            types: &["AWS::RDS::DBInstance"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::RDS::DBInstance`: the database gets a public DNS name and address.",
            remediation: "Set `PubliclyAccessible: false` and reach the database through the VPC.",
            fix: "set `PubliclyAccessible: false`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-025",
            types: RDS_INSTANCE_ANSIBLE,
            path: &["publicly_accessible"],
            description: "An `amazon.aws.rds_instance` task sets `publicly_accessible: true`.",
            remediation: "Set `publicly_accessible: false` and reach the database through the VPC.",
            fix: "set `publicly_accessible: false`",
            applies: None,
        }),
    },
    // 21
    // Migrated from code: TF-015, CFN-014.
    Concern {
        title: "RDS storage not encrypted",
        severity: Severity::High,
        help: "Disks and snapshots hold the data in the clear, and encryption cannot be turned on in place later: the data has to be copied to a new instance.",
        tags: &["aws", "rds", "encryption"],
        compliance: &[Control::new(CIS_AWS, "2.3.1")],
        finding: "stores data unencrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-015",
            types: &["aws_db_instance", "aws_rds_cluster"],
            path: &["storage_encrypted"],
            description: "`storage_encrypted` is not `true` on an `aws_db_instance` (other than a read replica, which inherits its source's) or an `aws_rds_cluster` (the provider's default is `false`).",
            remediation: "Set `storage_encrypted = true` (and `kms_key_id` for a customer-managed key).",
            fix: "set `storage_encrypted = true`",
            applies: Some(not_a_replica_terraform),
        }),
        cloudformation: Some(Shape {
            id: "CFN-014",
            types: &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::RDS::DBInstance` (outside an Aurora cluster, whose members inherit the cluster's) or an `AWS::RDS::DBCluster`.",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key).",
            fix: "set `StorageEncrypted: true`",
            applies: Some(outside_a_cluster_cloudformation),
        }),
        ansible: Some(Shape {
            id: "ANS-026",
            types: RDS_ANSIBLE,
            path: &["storage_encrypted"],
            description: "An `amazon.aws.rds_instance` or `amazon.aws.rds_cluster` task sets `storage_encrypted: false`.",
            remediation: "Set `storage_encrypted: true` (and `kms_key_id` for a customer-managed key) when the database is created.",
            fix: "set `storage_encrypted: true`",
            applies: Some(not_a_replica_ansible),
        }),
    },
    // 22
    // Migrated from code: TF-018, CFN-016.
    Concern {
        title: "KMS key rotation disabled",
        severity: Severity::Medium,
        help: "Rotation limits how much data one key version protects, and is required by most standards.",
        tags: &["aws", "kms", "encryption"],
        compliance: &[Control::new(CIS_AWS, "3.6")],
        finding: "is never rotated",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-018",
            types: &["aws_kms_key"],
            path: &["enable_key_rotation"],
            description: "A symmetric `aws_kms_key` without `enable_key_rotation = true`.",
            remediation: "Set `enable_key_rotation = true`.",
            fix: "set `enable_key_rotation = true`",
            applies: Some(symmetric_key),
        }),
        cloudformation: Some(Shape {
            id: "CFN-016",
            types: &["AWS::KMS::Key"],
            path: &["EnableKeyRotation"],
            description: "A symmetric `AWS::KMS::Key` without `EnableKeyRotation: true`.",
            remediation: "Set `EnableKeyRotation: true`.",
            fix: "set `EnableKeyRotation: true`",
            applies: Some(symmetric_key),
        }),
        ansible: Some(Shape {
            id: "ANS-027",
            types: &[
                "amazon.aws.kms_key",
                "amazon.aws.aws_kms",
                "community.aws.aws_kms",
            ],
            path: &["enable_key_rotation"],
            description: "An `amazon.aws.kms_key` task sets `enable_key_rotation: false` on a symmetric key.",
            remediation: "Set `enable_key_rotation: true`.",
            fix: "set `enable_key_rotation: true`",
            applies: Some(symmetric_key),
        }),
    },
    // 23
    // Migrated from code: TF-019, CFN-017.
    Concern {
        title: "CloudTrail trail not multi-region",
        severity: Severity::Medium,
        help: "Activity in other regions — where attackers like to start instances — goes unrecorded.",
        tags: &["aws", "cloudtrail", "logging"],
        compliance: &[Control::new(CIS_AWS, "3.1")],
        finding: "records one region only",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-019",
            types: &["aws_cloudtrail"],
            path: &["is_multi_region_trail"],
            description: "`is_multi_region_trail` is not `true` on an `aws_cloudtrail` (the provider's default is `false`).",
            remediation: "Set `is_multi_region_trail = true`.",
            fix: "set `is_multi_region_trail = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-017",
            types: &["AWS::CloudTrail::Trail"],
            path: &["IsMultiRegionTrail"],
            description: "`IsMultiRegionTrail` is not `true` on an `AWS::CloudTrail::Trail`.",
            remediation: "Set `IsMultiRegionTrail: true`.",
            fix: "set `IsMultiRegionTrail: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-028",
            types: &["amazon.aws.cloudtrail", "community.aws.cloudtrail"],
            path: &["is_multi_region_trail"],
            description: "An `amazon.aws.cloudtrail` task sets `is_multi_region_trail: false`.",
            remediation: "Set `is_multi_region_trail: true`.",
            fix: "set `is_multi_region_trail: true`",
            applies: None,
        }),
    },
    // 24
    // Migrated from code: TF-020, CFN-018.
    Concern {
        title: "CloudTrail log file validation disabled",
        severity: Severity::Medium,
        help: "Without digest files, deleted or edited log files cannot be detected.",
        tags: &["aws", "cloudtrail", "logging"],
        compliance: &[Control::new(CIS_AWS, "3.2")],
        finding: "does not validate its log files",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-020",
            types: &["aws_cloudtrail"],
            path: &["enable_log_file_validation"],
            description: "`enable_log_file_validation` is not `true` on an `aws_cloudtrail` (the provider's default is `false`).",
            remediation: "Set `enable_log_file_validation = true`.",
            fix: "set `enable_log_file_validation = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-018",
            types: &["AWS::CloudTrail::Trail"],
            path: &["EnableLogFileValidation"],
            description: "`EnableLogFileValidation` is not `true` on an `AWS::CloudTrail::Trail`.",
            remediation: "Set `EnableLogFileValidation: true`.",
            fix: "set `EnableLogFileValidation: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-029",
            types: &["amazon.aws.cloudtrail", "community.aws.cloudtrail"],
            path: &["enable_log_file_validation"],
            description: "An `amazon.aws.cloudtrail` task sets `enable_log_file_validation: false`.",
            remediation: "Set `enable_log_file_validation: true`.",
            fix: "set `enable_log_file_validation: true`",
            applies: None,
        }),
    },
    // 25
    // Migrated from code: TF-021, CFN-019.
    Concern {
        title: "CloudTrail logs not encrypted with KMS",
        severity: Severity::Medium,
        help: "With SSE-KMS, reading the audit log needs the key as well as the bucket.",
        tags: &["aws", "cloudtrail", "logging", "encryption"],
        compliance: &[Control::new(CIS_AWS, "3.5")],
        finding: "is not encrypted with a KMS key",
        expect: Expect::Set,
        terraform: Some(Shape {
            id: "TF-021",
            types: &["aws_cloudtrail"],
            path: &["kms_key_id"],
            description: "No `kms_key_id` on an `aws_cloudtrail`.",
            remediation: "Set `kms_key_id` to a customer-managed key.",
            fix: "set `kms_key_id`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-019",
            types: &["AWS::CloudTrail::Trail"],
            path: &["KMSKeyId"],
            description: "No `KMSKeyId` on an `AWS::CloudTrail::Trail`.",
            remediation: "Set `KMSKeyId` to a customer-managed key.",
            fix: "set `KMSKeyId`",
            applies: None,
        }),
        ansible: None,
    },
    // 26
    // Migrated from code: TF-022. CloudFormation's CFN-024 stays code: it
    // also reads instances' and launch templates' block device mappings.
    Concern {
        title: "EBS volume not encrypted",
        severity: Severity::Medium,
        help: "Snapshots of unencrypted volumes can be shared and copied in the clear.",
        tags: &["aws", "ec2", "encryption"],
        compliance: &[Control::new(CIS_AWS, "2.2.1")],
        finding: "is not encrypted",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-022",
            types: &["aws_ebs_volume"],
            path: &["encrypted"],
            description: "`encrypted` is not `true` on an `aws_ebs_volume` (the provider's default is `false`).",
            remediation: "Set `encrypted = true`, or turn on EBS encryption by default for the account.",
            fix: "set `encrypted = true`",
            applies: None,
        }),
        cloudformation: None,
        ansible: Some(Shape {
            id: "ANS-030",
            types: &["amazon.aws.ec2_vol"],
            path: &["encrypted"],
            description: "An `amazon.aws.ec2_vol` task sets `encrypted: false`.",
            remediation: "Set `encrypted: true` (and `kms_key_id` for a customer-managed key), or turn on EBS encryption by default for the account.",
            fix: "set `encrypted: true`",
            applies: None,
        }),
    },
    // 27
    // Migrated from code: TF-033, CFN-026.
    Concern {
        title: "DynamoDB point-in-time recovery disabled",
        severity: Severity::Low,
        help: "A bad write or delete cannot be rolled back to the second before it.",
        tags: &["aws", "dynamodb", "resilience"],
        compliance: &[],
        finding: "has no point-in-time recovery",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-033",
            types: &["aws_dynamodb_table"],
            path: &["point_in_time_recovery", "enabled"],
            description: "No `point_in_time_recovery { enabled = true }` on an `aws_dynamodb_table`.",
            remediation: "Add `point_in_time_recovery { enabled = true }`.",
            fix: "add `point_in_time_recovery { enabled = true }`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-026",
            types: &["AWS::DynamoDB::Table"],
            path: &[
                "PointInTimeRecoverySpecification",
                "PointInTimeRecoveryEnabled",
            ],
            description: "`PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` is not `true` on an `AWS::DynamoDB::Table`.",
            remediation: "Add `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}`.",
            fix: "set `PointInTimeRecoveryEnabled: true`",
            applies: None,
        }),
        ansible: None,
    },
    // 28
    // Migrated from code: TF-034, CFN-027. SQS-managed encryption is on
    // by default: only a written `false` without a KMS key is judged.
    Concern {
        title: "SQS queue not encrypted",
        severity: Severity::Low,
        help: "Messages are stored unencrypted.",
        tags: &["aws", "sqs", "encryption"],
        compliance: &[],
        finding: "stores messages unencrypted",
        expect: Expect::Flag {
            want: true,
            default: None,
        },
        terraform: Some(Shape {
            id: "TF-034",
            types: &["aws_sqs_queue"],
            path: &["sqs_managed_sse_enabled"],
            description: "`sqs_managed_sse_enabled = false` and no `kms_master_key_id` on an `aws_sqs_queue`.",
            remediation: "Set `kms_master_key_id`, or leave SQS-managed encryption on.",
            fix: "remove `sqs_managed_sse_enabled = false`, or set `kms_master_key_id`",
            applies: Some(without_a_kms_key),
        }),
        cloudformation: Some(Shape {
            id: "CFN-027",
            types: &["AWS::SQS::Queue"],
            path: &["SqsManagedSseEnabled"],
            description: "`SqsManagedSseEnabled: false` and no `KmsMasterKeyId` on an `AWS::SQS::Queue`.",
            remediation: "Set `KmsMasterKeyId`, or leave SQS-managed encryption on.",
            fix: "remove `SqsManagedSseEnabled: false`, or set `KmsMasterKeyId`",
            applies: Some(without_a_kms_key),
        }),
        ansible: None,
    },
    // 29
    // Migrated from code: TF-035, CFN-028.
    Concern {
        title: "ECR repository does not scan images on push",
        severity: Severity::Low,
        help: "Known-vulnerable images are pushed and deployed without anyone being told.",
        tags: &["aws", "ecr", "supply-chain"],
        compliance: &[],
        finding: "does not scan images on push",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-035",
            types: &["aws_ecr_repository"],
            path: &["image_scanning_configuration", "scan_on_push"],
            description: "`image_scanning_configuration { scan_on_push }` is not `true` on an `aws_ecr_repository`.",
            remediation: "Set `scan_on_push = true`, or use registry-level enhanced scanning.",
            fix: "set `scan_on_push = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-028",
            types: &["AWS::ECR::Repository"],
            path: &["ImageScanningConfiguration", "ScanOnPush"],
            description: "`ImageScanningConfiguration.ScanOnPush` is not `true` on an `AWS::ECR::Repository`.",
            remediation: "Set `ImageScanningConfiguration: {ScanOnPush: true}`, or use registry-level enhanced scanning.",
            fix: "set `ScanOnPush: true`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-031",
            types: &["community.aws.ecs_ecr"],
            path: &["scan_on_push"],
            description: "A `community.aws.ecs_ecr` task sets `scan_on_push: false`.",
            remediation: "Set `scan_on_push: true`, or use registry-level enhanced scanning.",
            fix: "set `scan_on_push: true`",
            applies: None,
        }),
    },
    // 30
    // Migrated from code: TF-036, CFN-029.
    Concern {
        title: "ECR image tags are mutable",
        severity: Severity::Low,
        help: "A pushed tag can be overwritten: `app:1.4.2` may not be the image that was tested.",
        tags: &["aws", "ecr", "supply-chain"],
        compliance: &[],
        finding: "lets tags be overwritten",
        expect: Expect::Equals {
            want: "IMMUTABLE",
            default: Some("MUTABLE"),
        },
        terraform: Some(Shape {
            id: "TF-036",
            types: &["aws_ecr_repository"],
            path: &["image_tag_mutability"],
            description: "`image_tag_mutability` is not `\"IMMUTABLE\"` on an `aws_ecr_repository` (the provider's default is `\"MUTABLE\"`).",
            remediation: "Set `image_tag_mutability = \"IMMUTABLE\"`.",
            fix: "set `image_tag_mutability = \"IMMUTABLE\"`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-029",
            types: &["AWS::ECR::Repository"],
            path: &["ImageTagMutability"],
            description: "`ImageTagMutability` is not `IMMUTABLE` on an `AWS::ECR::Repository`.",
            remediation: "Set `ImageTagMutability: IMMUTABLE`.",
            fix: "set `ImageTagMutability: IMMUTABLE`",
            applies: None,
        }),
        ansible: Some(Shape {
            id: "ANS-032",
            types: &["community.aws.ecs_ecr"],
            path: &["image_tag_mutability"],
            description: "A `community.aws.ecs_ecr` task sets `image_tag_mutability: mutable`.",
            remediation: "Set `image_tag_mutability: immutable`.",
            fix: "set `image_tag_mutability: immutable`",
            applies: None,
        }),
    },
    // 31
    // Migrated from code: TF-017.
    Concern {
        title: "RDS deletion protection off",
        severity: Severity::Low,
        help: "One mistaken destroy, rename or stack deletion deletes the database.",
        tags: &["aws", "rds", "resilience"],
        compliance: &[],
        finding: "can be deleted by one apply",
        expect: Expect::Flag {
            want: true,
            default: Some(false),
        },
        terraform: Some(Shape {
            id: "TF-017",
            types: &["aws_db_instance", "aws_rds_cluster"],
            path: &["deletion_protection"],
            description: "`deletion_protection` is not `true` on an `aws_db_instance` or `aws_rds_cluster` (the provider's default is `false`).",
            remediation: "Set `deletion_protection = true`.",
            fix: "set `deletion_protection = true`",
            applies: None,
        }),
        cloudformation: Some(Shape {
            id: "CFN-051",
            types: &["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"],
            path: &["DeletionProtection"],
            description: "`DeletionProtection` is not `true` on an `AWS::RDS::DBInstance` (outside an Aurora cluster, whose members are protected by the cluster's) or an `AWS::RDS::DBCluster`.",
            remediation: "Set `DeletionProtection: true` (and a `DeletionPolicy: Snapshot`).",
            fix: "set `DeletionProtection: true`",
            applies: Some(outside_a_cluster_cloudformation),
        }),
        ansible: Some(Shape {
            id: "ANS-033",
            types: RDS_ANSIBLE,
            path: &["deletion_protection"],
            description: "An `amazon.aws.rds_instance` or `amazon.aws.rds_cluster` task sets `deletion_protection: false`.",
            remediation: "Set `deletion_protection: true`.",
            fix: "set `deletion_protection: true`",
            applies: None,
        }),
    },
];
