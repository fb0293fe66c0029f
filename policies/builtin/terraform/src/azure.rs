//! Azure rules (`hashicorp/azurerm` provider).

use crate::common::*;
use crate::{CIS_AZURE, KINDS};
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

pub(crate) const TF_051: Rule = Rule {
    id: "TF-051",
    title: "Storage account accepts HTTP",
    description: "`https_traffic_only_enabled = false`.",
    severity: Severity::High,
    help: "Keys, SAS tokens and data cross the network unencrypted.",
    help_uri: None,
    remediation: "Leave HTTPS-only on.",
    tags: &["azure", "storage", "encryption"],
    compliance: &[Control::new(CIS_AZURE, "3.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_3", "trivy:AZU-0008"],
    check: storage_http,
};

pub(crate) fn storage_http(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_storage_account" {
        return;
    }
    for key in ["https_traffic_only_enabled", "enable_https_traffic_only"] {
        let flag = config(resource).get(key);
        if is_false(&flag) {
            cx.report(
                &flag,
                format!("storage account `{}` accepts plain HTTP", address(resource)),
            );
        }
    }
}

pub(crate) const TF_052: Rule = Rule {
    id: "TF-052",
    title: "Storage account accepts old TLS",
    description: "`min_tls_version` is `TLS1_0` or `TLS1_1`.",
    severity: Severity::Medium,
    help: "Old TLS versions have known weaknesses.",
    help_uri: None,
    remediation: "Set `min_tls_version = \"TLS1_2\"`.",
    tags: &["azure", "storage", "encryption"],
    compliance: &[Control::new(CIS_AZURE, "3.15")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_44", "trivy:AZU-0011"],
    check: storage_tls,
};

pub(crate) fn storage_tls(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_storage_account" {
        return;
    }
    let version = config(resource).get("min_tls_version");
    if matches!(version.as_str(), Some("TLS1_0" | "TLS1_1")) {
        cx.report(
            &version,
            format!(
                "storage account `{}` accepts TLS older than 1.2",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_053: Rule = Rule {
    id: "TF-053",
    title: "Storage account allows public blob access",
    description: "`allow_nested_items_to_be_public = true`.",
    severity: Severity::High,
    help: "Any container can then be made anonymously readable.",
    help_uri: None,
    remediation: "Set `allow_nested_items_to_be_public = false`.",
    tags: &["azure", "storage"],
    compliance: &[Control::new(CIS_AZURE, "3.7")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_190"],
    check: storage_public_blobs,
};

pub(crate) fn storage_public_blobs(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_storage_account" {
        return;
    }
    for key in [
        "allow_nested_items_to_be_public",
        "allow_blob_public_access",
    ] {
        let flag = config(resource).get(key);
        if is_true(&flag) {
            cx.report(
                &flag,
                format!(
                    "storage account `{}` allows public blob access",
                    address(resource)
                ),
            );
        }
    }
}

pub(crate) const TF_054: Rule = Rule {
    id: "TF-054",
    title: "Storage container is public",
    description: "`container_access_type` is `blob` or `container`.",
    severity: Severity::High,
    help: "Anyone can read the blobs, and with `container` list them.",
    help_uri: None,
    remediation: "Set `container_access_type = \"private\"`.",
    tags: &["azure", "storage"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_34", "trivy:AZU-0007"],
    check: container_public,
};

pub(crate) fn container_public(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_storage_container" {
        return;
    }
    let access = config(resource).get("container_access_type");
    if matches!(access.as_str(), Some("blob" | "container")) {
        cx.report(
            &access,
            format!("container `{}` is readable anonymously", address(resource)),
        );
    }
}

/// Inbound Allow rules from the internet, from a standalone rule or a
/// group's `security_rule` blocks.
fn internet_rules(resource: &Resource) -> Vec<Node<'_>> {
    let rules = match resource_type(resource) {
        "azurerm_network_security_rule" => vec![config(resource)],
        "azurerm_network_security_group" => each(&config(resource).get("security_rule")),
        _ => return Vec::new(),
    };
    rules
        .into_iter()
        .filter(|rule| {
            rule.get("direction").as_str() == Some("Inbound")
                && rule.get("access").as_str() == Some("Allow")
                && (anywhere(&rule.get("source_address_prefix")).is_some()
                    || anywhere(&rule.get("source_address_prefixes")).is_some())
        })
        .collect()
}

pub(crate) const TF_055: Rule = Rule {
    id: "TF-055",
    title: "Network security group opens an admin port to the internet",
    description: "An inbound Allow rule from `*`, `Internet` or 0.0.0.0/0 covers port 22 or 3389.",
    severity: Severity::High,
    help: "Admin ports on the internet are scanned within minutes and brute-forced for ever.",
    help_uri: None,
    remediation: "Use Azure Bastion or just-in-time access; allow admin ports from known ranges only.",
    tags: &["azure", "network"],
    compliance: &[
        Control::new(CIS_AZURE, "6.1"),
        Control::new(CIS_AZURE, "6.2"),
    ],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_9", "checkov:CKV_AZURE_10"],
    check: nsg_admin_ports,
};

pub(crate) fn nsg_admin_ports(resource: &Resource, cx: &mut Context<'_>) {
    for rule in internet_rules(resource) {
        let mut ranges: Vec<&str> = rule
            .get("destination_port_range")
            .strings()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        ranges.extend(
            rule.get("destination_port_ranges")
                .strings()
                .into_iter()
                .map(|(p, _)| p),
        );
        for (port, name) in [(22, "SSH"), (3389, "RDP")] {
            if ranges.iter().any(|r| port_in_range(r, port)) {
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
}

pub(crate) const TF_056: Rule = Rule {
    id: "TF-056",
    title: "AKS Kubernetes RBAC disabled",
    description: "`role_based_access_control_enabled = false`.",
    severity: Severity::High,
    help: "Every authenticated user can do anything in the cluster.",
    help_uri: None,
    remediation: "Leave RBAC on.",
    tags: &["azure", "aks"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_5"],
    check: aks_rbac,
};

pub(crate) fn aks_rbac(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_kubernetes_cluster" {
        return;
    }
    let flag = config(resource).get("role_based_access_control_enabled");
    if is_false(&flag) {
        cx.report(
            &flag,
            format!(
                "cluster `{}` has Kubernetes RBAC disabled",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_057: Rule = Rule {
    id: "TF-057",
    title: "AKS API open to every address",
    description: "Not a private cluster and no authorized IP ranges.",
    severity: Severity::Medium,
    help: "The cluster API is reachable from the whole internet.",
    help_uri: None,
    remediation: "Set `api_server_access_profile { authorized_ip_ranges = [...] }` or `private_cluster_enabled = true`.",
    tags: &["azure", "aks", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_6", "trivy:AZU-0041"],
    check: aks_api_open,
};

pub(crate) fn aks_api_open(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_kubernetes_cluster" {
        return;
    }
    let cfg = config(resource);
    if is_true(&cfg.get("private_cluster_enabled")) {
        return;
    }
    let profile = first(&cfg.get("api_server_access_profile"));
    let ranges = profile.get("authorized_ip_ranges");
    let legacy = cfg.get("api_server_authorized_ip_ranges");
    if (!ranges.exists() && !legacy.exists()) || anywhere(&ranges).is_some() {
        cx.report(
            &at(&ranges.or(&profile), resource),
            format!(
                "cluster `{}` serves its API to the whole internet",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_058: Rule = Rule {
    id: "TF-058",
    title: "AKS without network policy",
    description: "`network_profile.network_policy` is not set.",
    severity: Severity::Low,
    help: "Without a policy engine, NetworkPolicy objects are silently ignored: every pod reaches every pod.",
    help_uri: None,
    remediation: "Set `network_policy` to `azure`, `calico` or `cilium`.",
    tags: &["azure", "aks", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_7", "trivy:AZU-0043"],
    check: aks_network_policy,
};

pub(crate) fn aks_network_policy(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_kubernetes_cluster" {
        return;
    }
    let profile = first(&config(resource).get("network_profile"));
    let policy = profile.get("network_policy");
    if !policy.exists() {
        cx.report(
            &at(&policy.or(&profile), resource),
            format!("cluster `{}` enforces no network policy", address(resource)),
        )
        .fix("set `network_profile { network_policy = \"azure\" }` (or calico, cilium)");
    }
}

pub(crate) const TF_059: Rule = Rule {
    id: "TF-059",
    title: "Key Vault purge protection disabled",
    description: "`purge_protection_enabled` is not `true`.",
    severity: Severity::Medium,
    help: "A deleted vault or key can be purged at once, destroying everything it encrypts.",
    help_uri: None,
    remediation: "Set `purge_protection_enabled = true`.",
    tags: &["azure", "keyvault", "resilience"],
    compliance: &[Control::new(CIS_AZURE, "8.5")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_110", "checkov:CKV_AZURE_42"],
    check: key_vault_purge_protection,
};

pub(crate) fn key_vault_purge_protection(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_key_vault" {
        return;
    }
    let flag = config(resource).get("purge_protection_enabled");
    if off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!(
                "key vault `{}` can be purged immediately",
                address(resource)
            ),
        )
        .fix("set `purge_protection_enabled = true`");
    }
}

pub(crate) const TF_060: Rule = Rule {
    id: "TF-060",
    title: "Key Vault reachable from any network",
    description: "Public network access is on and `network_acls.default_action` is not `Deny`.",
    severity: Severity::Medium,
    help: "The vault's endpoint accepts requests from the whole internet.",
    help_uri: None,
    remediation: "Add `network_acls { default_action = \"Deny\" }`, or use a private endpoint.",
    tags: &["azure", "keyvault", "network"],
    compliance: &[Control::new(CIS_AZURE, "8.7")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_109", "trivy:AZU-0013"],
    check: key_vault_public,
};

pub(crate) fn key_vault_public(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_key_vault" {
        return;
    }
    let cfg = config(resource);
    let public = cfg.get("public_network_access_enabled");
    if is_false(&public) {
        return;
    }
    let acls = first(&cfg.get("network_acls"));
    if acls.get("default_action").as_str() != Some("Deny") {
        cx.report(
            &at(&acls.get("default_action").or(&acls), resource),
            format!(
                "key vault `{}` is reachable from any network",
                address(resource)
            ),
        )
        .fix("add `network_acls { default_action = \"Deny\" bypass = \"AzureServices\" }`");
    }
}

pub(crate) const TF_061: Rule = Rule {
    id: "TF-061",
    title: "Key Vault secret or key without expiry",
    description: "`azurerm_key_vault_secret` or `azurerm_key_vault_key` without `expiration_date`.",
    severity: Severity::Low,
    help: "Credentials that never expire are never rotated.",
    help_uri: None,
    remediation: "Set `expiration_date`.",
    tags: &["azure", "keyvault", "secrets"],
    compliance: &[
        Control::new(CIS_AZURE, "8.3"),
        Control::new(CIS_AZURE, "8.4"),
    ],
    kinds: KINDS,
    equivalents: &[
        "checkov:CKV_AZURE_40",
        "checkov:CKV_AZURE_41",
        "trivy:AZU-0014",
        "trivy:AZU-0017",
    ],
    check: key_vault_secret_expiry,
};

pub(crate) fn key_vault_secret_expiry(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "azurerm_key_vault_secret" | "azurerm_key_vault_key"
    ) {
        return;
    }
    if !config(resource).get("expiration_date").exists() {
        cx.report(
            &resource.root(),
            format!("`{}` never expires", address(resource)),
        )
        .fix("set `expiration_date`");
    }
}

pub(crate) const TF_066: Rule = Rule {
    id: "TF-066",
    title: "AKS local accounts enabled",
    description: "`local_account_disabled` is not `true`.",
    severity: Severity::Medium,
    help: "The local admin kubeconfig bypasses Entra ID: no per-user audit, no conditional access, hard to revoke.",
    help_uri: None,
    remediation: "Set `local_account_disabled = true` and use Entra ID with Azure RBAC.",
    tags: &["azure", "aks"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_141"],
    check: aks_local_accounts,
};

pub(crate) fn aks_local_accounts(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_kubernetes_cluster" {
        return;
    }
    let flag = config(resource).get("local_account_disabled");
    if off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!(
                "cluster `{}` keeps its local admin account",
                address(resource)
            ),
        )
        .fix("set `local_account_disabled = true`");
    }
}

pub(crate) const TF_069: Rule = Rule {
    id: "TF-069",
    title: "Storage account reachable from any network",
    description: "`network_rules.default_action` is not `Deny` (or no `network_rules`) and public network access is not disabled.",
    severity: Severity::Medium,
    help: "Keys and SAS tokens work from anywhere on the internet; a leaked one is enough.",
    help_uri: None,
    remediation: "Add `network_rules { default_action = \"Deny\" }` with the allowed networks, or a private endpoint.",
    tags: &["azure", "storage", "network"],
    compliance: &[Control::new(CIS_AZURE, "3.8")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_AZURE_35", "trivy:AZU-0012"],
    check: storage_network_default_allow,
};

pub(crate) fn storage_network_default_allow(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "azurerm_storage_account" {
        return;
    }
    let cfg = config(resource);
    if is_false(&cfg.get("public_network_access_enabled")) {
        return;
    }
    let rules = first(&cfg.get("network_rules"));
    let action = rules.get("default_action");
    if action.as_str() != Some("Deny") && !is_unknown(&action) {
        cx.report(
            &at(&action.or(&rules), resource),
            format!(
                "storage account `{}` accepts connections from any network",
                address(resource)
            ),
        )
        .fix("add `network_rules { default_action = \"Deny\" }`");
    }
}
