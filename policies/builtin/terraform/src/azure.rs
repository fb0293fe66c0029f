//! Azure rules (`hashicorp/azurerm` provider).

use crate::common::*;
use rampart_policy::{Context, Node, Resource};

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
