//! Google Cloud rules (`hashicorp/google` provider).

use crate::common::*;
use crate::{CIS_GCP, KINDS};
use rampart_policy::{Context, Control, Resource, Rule, Severity};

pub(crate) const TF_037: Rule = Rule {
    id: "TF-037",
    title: "Cloud Storage bucket is public",
    description: "A bucket IAM member or binding grants `allUsers` or `allAuthenticatedUsers`.",
    severity: Severity::High,
    help: "Anyone on the internet (or with any Google account) can read the bucket.",
    help_uri: None,
    remediation: "Grant specific principals; serve public content through a CDN.",
    tags: &["gcp", "storage"],
    compliance: &[Control::new(CIS_GCP, "5.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_28", "trivy:GCP-0001"],
    check: gcs_public,
};

pub(crate) fn gcs_public(resource: &Resource, cx: &mut Context<'_>) {
    let members = match resource_type(resource) {
        "google_storage_bucket_iam_member" => config(resource).get("member"),
        "google_storage_bucket_iam_binding" => config(resource).get("members"),
        _ => return,
    };
    for (member, node) in members.strings() {
        if member == "allUsers" || member == "allAuthenticatedUsers" {
            cx.report(
                &node,
                format!("`{}` grants access to {member}", address(resource)),
            );
        }
    }
}

pub(crate) const TF_038: Rule = Rule {
    id: "TF-038",
    title: "Cloud Storage bucket without uniform access",
    description: "`uniform_bucket_level_access` is not `true`.",
    severity: Severity::Medium,
    help: "Per-object ACLs make access impossible to review from IAM alone.",
    help_uri: None,
    remediation: "Set `uniform_bucket_level_access = true`.",
    tags: &["gcp", "storage"],
    compliance: &[Control::new(CIS_GCP, "5.2")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_29", "trivy:GCP-0002"],
    check: gcs_uniform_access,
};

pub(crate) fn gcs_uniform_access(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_storage_bucket" {
        return;
    }
    let flag = config(resource).get("uniform_bucket_level_access");
    if off(&flag) {
        cx.report(
            &at(&flag, resource),
            format!("bucket `{}` allows per-object ACLs", address(resource)),
        )
        .fix("set `uniform_bucket_level_access = true`");
    }
}

pub(crate) const TF_039: Rule = Rule {
    id: "TF-039",
    title: "Firewall opens an admin port to the internet",
    description: "An ingress rule from 0.0.0.0/0 allows TCP 22 (SSH) or 3389 (RDP).",
    severity: Severity::High,
    help: "Admin ports on the internet are scanned within minutes and brute-forced for ever.",
    help_uri: None,
    remediation: "Allow admin ports from IAP (35.235.240.0/20) or a VPN range only.",
    tags: &["gcp", "network"],
    compliance: &[Control::new(CIS_GCP, "3.6"), Control::new(CIS_GCP, "3.7")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_2", "checkov:CKV_GCP_3", "trivy:GCP-0027"],
    check: firewall_admin_ports,
};

pub(crate) fn firewall_admin_ports(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_compute_firewall" {
        return;
    }
    let cfg = config(resource);
    if cfg
        .get("direction")
        .as_str()
        .is_some_and(|d| d != "INGRESS")
        || anywhere(&cfg.get("source_ranges")).is_none()
    {
        return;
    }
    for allow in each(&cfg.get("allow")) {
        let protocol = allow.get("protocol").as_str().unwrap_or("");
        if !matches!(protocol, "tcp" | "all") {
            continue;
        }
        let ports: Vec<&str> = allow
            .get("ports")
            .strings()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        for (port, name) in [(22, "SSH"), (3389, "RDP")] {
            if ports.is_empty() || ports.iter().any(|p| port_in_range(p, port)) {
                cx.report(
                    &allow,
                    format!(
                        "`{}` allows the internet to port {port} ({name})",
                        address(resource)
                    ),
                );
            }
        }
    }
}

pub(crate) const TF_040: Rule = Rule {
    id: "TF-040",
    title: "Compute instance with an external IP",
    description: "A `network_interface` has an `access_config`.",
    severity: Severity::Medium,
    help: "The instance is directly reachable from the internet.",
    help_uri: None,
    remediation: "Remove `access_config`; use Cloud NAT and IAP.",
    tags: &["gcp", "compute", "network"],
    compliance: &[Control::new(CIS_GCP, "4.9")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_40", "trivy:GCP-0031"],
    check: instance_public_ip,
};

pub(crate) fn instance_public_ip(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_compute_instance" | "google_compute_instance_template"
    ) {
        return;
    }
    for interface in each(&config(resource).get("network_interface")) {
        if let Some(access) = each(&interface.get("access_config")).into_iter().next() {
            cx.report(
                &access,
                format!(
                    "instance `{}` has an external IP address",
                    address(resource)
                ),
            );
        }
    }
}

fn metadata_flag<'a>(
    resource: &'a Resource,
    key: &'a str,
) -> Option<(bool, rampart_policy::Node<'a>)> {
    let value = config(resource).get("metadata").get(key);
    value.exists().then(|| (is_true(&value), value))
}

pub(crate) const TF_041: Rule = Rule {
    id: "TF-041",
    title: "Interactive serial console enabled",
    description: "`metadata.serial-port-enable = true`.",
    severity: Severity::Medium,
    help: "The serial console accepts connections from any IP address and bypasses firewall rules.",
    help_uri: None,
    remediation: "Remove `serial-port-enable`.",
    tags: &["gcp", "compute"],
    compliance: &[Control::new(CIS_GCP, "4.5")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_35", "trivy:GCP-0032"],
    check: serial_port,
};

pub(crate) fn serial_port(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_compute_instance" | "google_compute_instance_template"
    ) {
        return;
    }
    if let Some((true, node)) = metadata_flag(resource, "serial-port-enable") {
        cx.report(
            &node,
            format!(
                "instance `{}` enables the interactive serial console",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_042: Rule = Rule {
    id: "TF-042",
    title: "Default service account with full API access",
    description: "An instance runs as the Compute Engine default service account with the `cloud-platform` scope.",
    severity: Severity::High,
    help: "The default account is Editor on the project: any process on the VM can change almost anything.",
    help_uri: None,
    remediation: "Use a dedicated service account with only the roles it needs.",
    tags: &["gcp", "compute", "iam"],
    compliance: &[Control::new(CIS_GCP, "4.2")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_30", "checkov:CKV_GCP_31", "trivy:GCP-0044"],
    check: default_service_account,
};

pub(crate) fn default_service_account(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_compute_instance" | "google_compute_instance_template"
    ) {
        return;
    }
    for account in each(&config(resource).get("service_account")) {
        let email = account.get("email");
        let default = !email.exists()
            || email
                .as_str()
                .is_some_and(|e| e.ends_with("-compute@developer.gserviceaccount.com"));
        let full = account
            .get("scopes")
            .strings()
            .iter()
            .any(|(s, _)| *s == "cloud-platform" || s.ends_with("/auth/cloud-platform"));
        if default && full {
            cx.report(
                &account,
                format!(
                    "instance `{}` runs as the default service account with full API access",
                    address(resource)
                ),
            );
        }
    }
}

pub(crate) const TF_043: Rule = Rule {
    id: "TF-043",
    title: "Project-wide SSH keys accepted",
    description: "`metadata.block-project-ssh-keys` is not `true`.",
    severity: Severity::Low,
    help: "One project-wide key opens every instance.",
    help_uri: None,
    remediation: "Set `block-project-ssh-keys = true`, or use OS Login.",
    tags: &["gcp", "compute"],
    compliance: &[Control::new(CIS_GCP, "4.3")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_32", "trivy:GCP-0030"],
    check: project_ssh_keys,
};

pub(crate) fn project_ssh_keys(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_compute_instance" | "google_compute_instance_template"
    ) {
        return;
    }
    match metadata_flag(resource, "block-project-ssh-keys") {
        Some((true, _)) => {}
        Some((false, node)) => {
            cx.report(
                &node,
                format!(
                    "instance `{}` accepts project-wide SSH keys",
                    address(resource)
                ),
            );
        }
        None => {
            let metadata = config(resource).get("metadata");
            cx.report(
                &at(&metadata, resource),
                format!(
                    "instance `{}` accepts project-wide SSH keys",
                    address(resource)
                ),
            )
            .fix("set `metadata = { block-project-ssh-keys = true }` or use OS Login");
        }
    }
}

pub(crate) const TF_044: Rule = Rule {
    id: "TF-044",
    title: "Shielded VM Secure Boot off",
    description: "`shielded_instance_config.enable_secure_boot` is not `true`.",
    severity: Severity::Low,
    help: "Secure Boot keeps unsigned boot-level malware (rootkits) from loading.",
    help_uri: None,
    remediation: "Set `enable_secure_boot = true`.",
    tags: &["gcp", "compute"],
    compliance: &[Control::new(CIS_GCP, "4.8")],
    kinds: KINDS,
    equivalents: &["trivy:GCP-0067"],
    check: shielded_vm,
};

pub(crate) fn shielded_vm(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_compute_instance" {
        return;
    }
    let shielded = first(&config(resource).get("shielded_instance_config"));
    let secure_boot = shielded.get("enable_secure_boot");
    if off(&secure_boot) {
        cx.report(
            &at(&secure_boot.or(&shielded), resource),
            format!("instance `{}` does not use Secure Boot", address(resource)),
        );
    }
}

pub(crate) const TF_045: Rule = Rule {
    id: "TF-045",
    title: "GKE legacy ABAC enabled",
    description: "`enable_legacy_abac = true`.",
    severity: Severity::High,
    help: "ABAC grants broad, static permissions that RBAC cannot take back.",
    help_uri: None,
    remediation: "Remove `enable_legacy_abac`; use RBAC.",
    tags: &["gcp", "gke"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_7", "trivy:GCP-0062"],
    check: gke_legacy_abac,
};

pub(crate) fn gke_legacy_abac(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_container_cluster" {
        return;
    }
    let flag = config(resource).get("enable_legacy_abac");
    if is_true(&flag) {
        cx.report(
            &flag,
            format!("cluster `{}` enables legacy ABAC", address(resource)),
        );
    }
}

pub(crate) const TF_046: Rule = Rule {
    id: "TF-046",
    title: "GKE API open to every address",
    description: "No `master_authorized_networks_config`.",
    severity: Severity::Medium,
    help: "The cluster API is reachable from the whole internet.",
    help_uri: None,
    remediation: "Add `master_authorized_networks_config`, or use a private endpoint.",
    tags: &["gcp", "gke", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_20", "trivy:GCP-0061"],
    check: gke_authorized_networks,
};

pub(crate) fn gke_authorized_networks(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_container_cluster" {
        return;
    }
    if !config(resource)
        .get("master_authorized_networks_config")
        .exists()
    {
        cx.report(
            &resource.root(),
            format!(
                "cluster `{}` accepts API connections from any address",
                address(resource)
            ),
        )
        .fix("add `master_authorized_networks_config` with your ranges, or a private endpoint");
    }
}

pub(crate) const TF_047: Rule = Rule {
    id: "TF-047",
    title: "GKE issues a client certificate",
    description: "`master_auth.client_certificate_config.issue_client_certificate = true`.",
    severity: Severity::Medium,
    help: "The certificate is a static admin credential that cannot be revoked.",
    help_uri: None,
    remediation: "Do not issue client certificates; use Google identities.",
    tags: &["gcp", "gke"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_13", "trivy:GCP-0064"],
    check: gke_client_certificate,
};

pub(crate) fn gke_client_certificate(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_container_cluster" {
        return;
    }
    for auth in each(&config(resource).get("master_auth")) {
        for certificate in each(&auth.get("client_certificate_config")) {
            let flag = certificate.get("issue_client_certificate");
            if is_true(&flag) {
                cx.report(
                    &flag,
                    format!(
                        "cluster `{}` issues a client certificate",
                        address(resource)
                    ),
                );
            }
        }
    }
}

pub(crate) const TF_048: Rule = Rule {
    id: "TF-048",
    title: "Basic role granted",
    description: "`roles/owner` or `roles/editor` granted at project, folder or organisation level.",
    severity: Severity::Medium,
    help: "Basic roles grant thousands of permissions across every service.",
    help_uri: None,
    remediation: "Grant predefined or custom roles.",
    tags: &["gcp", "iam"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_117"],
    check: primitive_roles,
};

pub(crate) fn primitive_roles(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_project_iam_member"
            | "google_project_iam_binding"
            | "google_organization_iam_member"
            | "google_folder_iam_member"
    ) {
        return;
    }
    let role = config(resource).get("role");
    if let Some(name @ ("roles/owner" | "roles/editor")) = role.as_str() {
        cx.report(
            &role,
            format!("`{}` grants the basic role {name}", address(resource)),
        );
    }
}

pub(crate) const TF_049: Rule = Rule {
    id: "TF-049",
    title: "Cloud SQL open to the internet",
    description: "An authorized network of `0.0.0.0/0`.",
    severity: Severity::High,
    help: "The database accepts connections from the whole internet.",
    help_uri: None,
    remediation: "Use private IP or the Cloud SQL Auth Proxy.",
    tags: &["gcp", "sql", "network"],
    compliance: &[Control::new(CIS_GCP, "6.5")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_11", "trivy:GCP-0017"],
    check: sql_open_network,
};

pub(crate) fn sql_open_network(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_sql_database_instance" {
        return;
    }
    for settings in each(&config(resource).get("settings")) {
        for ip in each(&settings.get("ip_configuration")) {
            for network in each(&ip.get("authorized_networks")) {
                let value = network.get("value");
                if anywhere(&value).is_some() {
                    cx.report(
                        &value,
                        format!(
                            "database `{}` accepts connections from the whole internet",
                            address(resource)
                        ),
                    );
                }
            }
        }
    }
}

pub(crate) const TF_050: Rule = Rule {
    id: "TF-050",
    title: "Cloud SQL accepts unencrypted connections",
    description: "`ip_configuration` neither requires SSL nor sets an encrypted-only `ssl_mode`.",
    severity: Severity::Medium,
    help: "Credentials and data cross the network in the clear.",
    help_uri: None,
    remediation: "Set `ssl_mode = \"ENCRYPTED_ONLY\"`.",
    tags: &["gcp", "sql", "encryption"],
    compliance: &[Control::new(CIS_GCP, "6.4")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_6", "trivy:GCP-0015"],
    check: sql_ssl,
};

pub(crate) fn sql_ssl(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_sql_database_instance" {
        return;
    }
    for settings in each(&config(resource).get("settings")) {
        let ip = first(&settings.get("ip_configuration"));
        let mode = ip.get("ssl_mode");
        let required = is_true(&ip.get("require_ssl"))
            || mode
                .as_str()
                .is_some_and(|m| m != "ALLOW_UNENCRYPTED_AND_ENCRYPTED")
            || is_unknown(&mode);
        if !required {
            let at_node = mode.or(&ip.get("require_ssl")).or(&ip).or(&settings);
            cx.report(
                &at_node,
                format!(
                    "database `{}` accepts unencrypted connections",
                    address(resource)
                ),
            )
            .fix("set `ssl_mode = \"ENCRYPTED_ONLY\"`");
        }
    }
}

pub(crate) const TF_065: Rule = Rule {
    id: "TF-065",
    title: "Cloud SQL automated backups disabled",
    description: "`settings.backup_configuration.enabled` is not `true`.",
    severity: Severity::Medium,
    help: "Without backups a dropped table or a bad migration cannot be undone.",
    help_uri: None,
    remediation: "Set `backup_configuration { enabled = true }` (and point-in-time recovery).",
    tags: &["gcp", "sql", "resilience"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_14", "trivy:GCP-0024"],
    check: sql_backups,
};

pub(crate) fn sql_backups(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_sql_database_instance" {
        return;
    }
    for settings in each(&config(resource).get("settings")) {
        let backup = first(&settings.get("backup_configuration"));
        let enabled = backup.get("enabled");
        if off(&enabled) {
            cx.report(
                &enabled.or(&backup).or(&settings),
                format!("database `{}` has no automated backups", address(resource)),
            )
            .fix("set `backup_configuration { enabled = true }`");
        }
    }
}

pub(crate) const TF_067: Rule = Rule {
    id: "TF-067",
    title: "GKE nodes have public IP addresses",
    description: "`private_cluster_config.enable_private_nodes` is not `true`.",
    severity: Severity::Medium,
    help: "Every node is reachable from the internet; any exposed node port is exposed to the world.",
    help_uri: None,
    remediation: "Set `private_cluster_config { enable_private_nodes = true }` and use Cloud NAT.",
    tags: &["gcp", "gke", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["trivy:GCP-0059"],
    check: gke_private_nodes,
};

pub(crate) fn gke_private_nodes(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_container_cluster" {
        return;
    }
    let private = first(&config(resource).get("private_cluster_config"));
    let flag = private.get("enable_private_nodes");
    if off(&flag) {
        cx.report(
            &at(&flag.or(&private), resource),
            format!(
                "cluster `{}` gives its nodes public IP addresses",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_068: Rule = Rule {
    id: "TF-068",
    title: "Cloud Storage public access prevention not enforced",
    description: "`public_access_prevention` is not `enforced`.",
    severity: Severity::Low,
    help: "Without it, one IAM binding to allUsers makes the bucket public.",
    help_uri: None,
    remediation: "Set `public_access_prevention = \"enforced\"`.",
    tags: &["gcp", "storage"],
    compliance: &[Control::new(CIS_GCP, "5.1")],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_114"],
    check: gcs_public_access_prevention,
};

pub(crate) fn gcs_public_access_prevention(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_storage_bucket" {
        return;
    }
    let prevention = config(resource).get("public_access_prevention");
    if prevention.as_str() != Some("enforced") && !is_unknown(&prevention) {
        cx.report(
            &at(&prevention, resource),
            format!(
                "bucket `{}` does not enforce public access prevention",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_070: Rule = Rule {
    id: "TF-070",
    title: "GKE network policy not enforced",
    description: "Neither `network_policy { enabled = true }` nor Dataplane V2 (`datapath_provider = \"ADVANCED_DATAPATH\"`).",
    severity: Severity::Medium,
    help: "NetworkPolicy objects are silently ignored: every pod can reach every pod.",
    help_uri: None,
    remediation: "Enable Dataplane V2 or `network_policy { enabled = true }`.",
    tags: &["gcp", "gke", "network"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["checkov:CKV_GCP_12", "trivy:GCP-0056"],
    check: gke_network_policy,
};

pub(crate) fn gke_network_policy(resource: &Resource, cx: &mut Context<'_>) {
    if resource_type(resource) != "google_container_cluster" {
        return;
    }
    let cfg = config(resource);
    if cfg.get("datapath_provider").as_str() == Some("ADVANCED_DATAPATH") {
        return;
    }
    let policy = first(&cfg.get("network_policy"));
    let enabled = policy.get("enabled");
    if off(&enabled) {
        cx.report(
            &at(&enabled.or(&policy), resource),
            format!(
                "cluster `{}` does not enforce network policies",
                address(resource)
            ),
        );
    }
}

pub(crate) const TF_071: Rule = Rule {
    id: "TF-071",
    title: "GKE nodes run as the default service account",
    description: "A cluster or node pool without `node_config.service_account`, or with the Compute Engine default account.",
    severity: Severity::Medium,
    help: "The default account is Editor on the project: a compromised node can change almost anything.",
    help_uri: None,
    remediation: "Give nodes a dedicated least-privilege service account.",
    tags: &["gcp", "gke", "iam"],
    compliance: &[],
    kinds: KINDS,
    equivalents: &["trivy:GCP-0050"],
    check: gke_default_node_service_account,
};

pub(crate) fn gke_default_node_service_account(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_container_cluster" | "google_container_node_pool"
    ) {
        return;
    }
    // A cluster whose default pool is removed runs no nodes of its own.
    if is_true(&config(resource).get("remove_default_node_pool")) {
        return;
    }
    let node_config = first(&config(resource).get("node_config"));
    let account = node_config.get("service_account");
    let default = !account.exists()
        || account.as_str().is_some_and(|a| {
            a == "default" || a.ends_with("-compute@developer.gserviceaccount.com")
        });
    if default {
        cx.report(
            &at(&account.or(&node_config), resource),
            format!(
                "`{}` runs nodes as the default service account",
                address(resource)
            ),
        )
        .fix("set `node_config { service_account = google_service_account.nodes.email }`");
    }
}

pub(crate) const TF_072: Rule = Rule {
    id: "TF-072",
    title: "OS Login turned off for an instance",
    description: "`metadata.enable-oslogin` is `false` (or `FALSE`).",
    severity: Severity::Medium,
    help: "Without OS Login, SSH access is managed by keys in metadata instead of IAM: no central revocation or audit.",
    help_uri: None,
    remediation: "Remove the override, or set `enable-oslogin = \"TRUE\"`.",
    tags: &["gcp", "compute"],
    compliance: &[Control::new(CIS_GCP, "4.4")],
    kinds: KINDS,
    equivalents: &[],
    check: os_login_disabled,
};

pub(crate) fn os_login_disabled(resource: &Resource, cx: &mut Context<'_>) {
    if !matches!(
        resource_type(resource),
        "google_compute_instance" | "google_compute_instance_template"
    ) {
        return;
    }
    let flag = config(resource).get("metadata").get("enable-oslogin");
    let off = flag.as_bool() == Some(false)
        || flag
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case("false"));
    if off {
        cx.report(
            &flag,
            format!("instance `{}` turns OS Login off", address(resource)),
        );
    }
}
