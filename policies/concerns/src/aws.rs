//! The AWS concerns: each row one check, on Terraform, CloudFormation and
//! Ansible.
//!
//! Rows are only ever appended: a row's index is its rules' identity in
//! the packs (`terraform_rule::<3>()`).

use crate::{Concern, Expect, Shape};
use rampart_policy::{Control, Severity};

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
        }),
        cloudformation: Some(Shape {
            id: "CFN-032",
            types: &["AWS::Neptune::DBCluster"],
            path: &["StorageEncrypted"],
            description: "`StorageEncrypted` is not `true` on an `AWS::Neptune::DBCluster` (CloudFormation's default is `false`).",
            remediation: "Set `StorageEncrypted: true` (and `KmsKeyId` for a customer-managed key) when the cluster is created.",
            fix: "set `StorageEncrypted: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-033",
            types: &["AWS::Redshift::Cluster"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::Redshift::Cluster`.",
            remediation: "Set `PubliclyAccessible: false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `PubliclyAccessible: false`",
        }),
        ansible: Some(Shape {
            id: "ANS-016",
            types: &["community.aws.redshift"],
            path: &["publicly_accessible"],
            description: "A `community.aws.redshift` task sets `publicly_accessible: true`.",
            remediation: "Set `publicly_accessible: false` and reach the cluster through the VPC (a VPN, a bastion, PrivateLink).",
            fix: "set `publicly_accessible: false`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-035",
            types: &["AWS::ElastiCache::ReplicationGroup"],
            path: &["TransitEncryptionEnabled"],
            description: "`TransitEncryptionEnabled` is not `true` on an `AWS::ElastiCache::ReplicationGroup`.",
            remediation: "Set `TransitEncryptionEnabled: true` (with `AuthToken` or RBAC user groups) and connect with TLS.",
            fix: "set `TransitEncryptionEnabled: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-036",
            types: &["AWS::SNS::Topic"],
            path: &["KmsMasterKeyId"],
            description: "No `KmsMasterKeyId` on an `AWS::SNS::Topic`: server-side encryption is off.",
            remediation: "Set `KmsMasterKeyId` to a KMS key (`alias/aws/sns` at least, a customer-managed key to control access).",
            fix: "set `KmsMasterKeyId`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-037",
            types: &["AWS::Logs::LogGroup"],
            path: &["KmsKeyId"],
            description: "No `KmsKeyId` on an `AWS::Logs::LogGroup`.",
            remediation: "Set `KmsKeyId` to the ARN of a customer-managed key whose policy lets the CloudWatch Logs service use it.",
            fix: "set `KmsKeyId`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-038",
            types: &["AWS::Kinesis::Stream"],
            path: &["StreamEncryption", "EncryptionType"],
            description: "No `StreamEncryption` with `EncryptionType: KMS` on an `AWS::Kinesis::Stream`.",
            remediation: "Add `StreamEncryption: {EncryptionType: KMS, KeyId: …}` (`alias/aws/kinesis` at least).",
            fix: "add `StreamEncryption` with `EncryptionType: KMS`",
        }),
        ansible: Some(Shape {
            id: "ANS-017",
            types: &["community.aws.kinesis_stream"],
            path: &["encryption_type"],
            description: "A `community.aws.kinesis_stream` task sets `encryption_type: NONE`.",
            remediation: "Set `encryption_state: enabled`, `encryption_type: KMS` and `key_id` (`alias/aws/kinesis` at least).",
            fix: "set `encryption_type: KMS`",
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
        ansible: Some(Shape {
            id: "ANS-018",
            types: &["amazon.aws.rds_instance", "community.aws.rds_instance"],
            path: &["auto_minor_version_upgrade"],
            description: "An `amazon.aws.rds_instance` task sets `auto_minor_version_upgrade: false`.",
            remediation: "Leave `auto_minor_version_upgrade` at `true` and set a `preferred_maintenance_window`.",
            fix: "set `auto_minor_version_upgrade: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-040",
            types: &["AWS::EFS::FileSystem"],
            path: &["Encrypted"],
            description: "`Encrypted` is not `true` on an `AWS::EFS::FileSystem` (CloudFormation's default is `false`).",
            remediation: "Set `Encrypted: true` (and `KmsKeyId` for a customer-managed key) when the file system is created.",
            fix: "set `Encrypted: true`",
        }),
        ansible: Some(Shape {
            id: "ANS-019",
            types: &["community.aws.efs"],
            path: &["encrypt"],
            description: "A `community.aws.efs` task sets `encrypt: false`.",
            remediation: "Set `encrypt: true` (and `kms_key_id` for a customer-managed key) when the file system is created.",
            fix: "set `encrypt: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-041",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["EncryptionAtRestOptions", "Enabled"],
            description: "No `EncryptionAtRestOptions` with `Enabled: true` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Add `EncryptionAtRestOptions: {Enabled: true}` (and `KmsKeyId` for a customer-managed key).",
            fix: "add `EncryptionAtRestOptions` with `Enabled: true`",
        }),
        ansible: Some(Shape {
            id: "ANS-020",
            types: OPENSEARCH_ANSIBLE,
            path: &["encryption_at_rest_options", "enabled"],
            description: "A `community.aws.opensearch` task sets `encryption_at_rest_options.enabled: false`.",
            remediation: "Set `encryption_at_rest_options: {enabled: true}` (and `kms_key_id` for a customer-managed key).",
            fix: "set `encryption_at_rest_options.enabled: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-042",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["NodeToNodeEncryptionOptions", "Enabled"],
            description: "No `NodeToNodeEncryptionOptions` with `Enabled: true` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Add `NodeToNodeEncryptionOptions: {Enabled: true}`.",
            fix: "add `NodeToNodeEncryptionOptions` with `Enabled: true`",
        }),
        ansible: Some(Shape {
            id: "ANS-021",
            types: OPENSEARCH_ANSIBLE,
            path: &["node_to_node_encryption_options", "enabled"],
            description: "A `community.aws.opensearch` task sets `node_to_node_encryption_options.enabled: false`.",
            remediation: "Set `node_to_node_encryption_options: {enabled: true}`.",
            fix: "set `node_to_node_encryption_options.enabled: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-043",
            types: OPENSEARCH_CLOUDFORMATION,
            path: &["DomainEndpointOptions", "EnforceHTTPS"],
            description: "`DomainEndpointOptions` with `EnforceHTTPS: false` on an `AWS::OpenSearchService::Domain` or `AWS::Elasticsearch::Domain`.",
            remediation: "Set `EnforceHTTPS: true` with a current `TLSSecurityPolicy` (`Policy-Min-TLS-1-2-2019-07`).",
            fix: "set `EnforceHTTPS: true`",
        }),
        ansible: Some(Shape {
            id: "ANS-022",
            types: OPENSEARCH_ANSIBLE,
            path: &["domain_endpoint_options", "enforce_https"],
            description: "A `community.aws.opensearch` task sets `domain_endpoint_options.enforce_https: false`.",
            remediation: "Set `enforce_https: true` with a current `tls_security_policy` (`Policy-Min-TLS-1-2-2019-07`).",
            fix: "set `enforce_https: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-044",
            types: &["AWS::SageMaker::NotebookInstance"],
            path: &["DirectInternetAccess"],
            description: "`DirectInternetAccess` is not `Disabled` on an `AWS::SageMaker::NotebookInstance` (the default is `Enabled`).",
            remediation: "Set `DirectInternetAccess: Disabled` with a `SubnetId`, and reach the internet through the VPC's NAT and egress rules.",
            fix: "set `DirectInternetAccess: Disabled`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-045",
            types: &["AWS::SageMaker::NotebookInstance"],
            path: &["RootAccess"],
            description: "`RootAccess` is not `Disabled` on an `AWS::SageMaker::NotebookInstance` (the default is `Enabled`).",
            remediation: "Set `RootAccess: Disabled` and install what the notebook needs in a lifecycle configuration.",
            fix: "set `RootAccess: Disabled`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-046",
            types: &["AWS::DMS::ReplicationInstance"],
            path: &["PubliclyAccessible"],
            description: "`PubliclyAccessible: true` on an `AWS::DMS::ReplicationInstance`.",
            remediation: "Set `PubliclyAccessible: false` and place the instance in private subnets.",
            fix: "set `PubliclyAccessible: false`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-047",
            types: &["AWS::MSK::Cluster"],
            path: &["EncryptionInfo", "EncryptionInTransit", "ClientBroker"],
            description: "`EncryptionInfo.EncryptionInTransit.ClientBroker` is `PLAINTEXT` or `TLS_PLAINTEXT` on an `AWS::MSK::Cluster`.",
            remediation: "Set `ClientBroker: TLS` (the default) and connect clients over TLS.",
            fix: "set `ClientBroker: TLS`",
        }),
        ansible: Some(Shape {
            id: "ANS-023",
            types: &["community.aws.msk_cluster", "community.aws.aws_msk_cluster"],
            path: &["encryption", "in_transit", "client_broker"],
            description: "A `community.aws.msk_cluster` task sets `encryption.in_transit.client_broker` to `PLAINTEXT` or `TLS_PLAINTEXT`.",
            remediation: "Set `client_broker: TLS` (the module's default) and connect clients over TLS.",
            fix: "set `client_broker: TLS`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-048",
            types: &["AWS::CodeBuild::Project"],
            path: &["Environment", "PrivilegedMode"],
            description: "`Environment.PrivilegedMode: true` on an `AWS::CodeBuild::Project`.",
            remediation: "Leave `PrivilegedMode` off; build images with a daemonless builder (kaniko, buildah) or in a separate project.",
            fix: "set `PrivilegedMode: false`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-049",
            types: &["AWS::WorkSpaces::Workspace"],
            path: &["RootVolumeEncryptionEnabled"],
            description: "`RootVolumeEncryptionEnabled` is not `true` on an `AWS::WorkSpaces::Workspace`.",
            remediation: "Set `RootVolumeEncryptionEnabled: true` (and `UserVolumeEncryptionEnabled`, `VolumeEncryptionKey`).",
            fix: "set `RootVolumeEncryptionEnabled: true`",
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
        }),
        cloudformation: Some(Shape {
            id: "CFN-050",
            types: &["AWS::DAX::Cluster"],
            path: &["SSESpecification", "SSEEnabled"],
            description: "No `SSESpecification` with `SSEEnabled: true` on an `AWS::DAX::Cluster`.",
            remediation: "Add `SSESpecification: {SSEEnabled: true}` when the cluster is created.",
            fix: "add `SSESpecification` with `SSEEnabled: true`",
        }),
        ansible: None,
    },
];
