//! Google Cloud rules (`hashicorp/google` provider).

use crate::common::*;
use rampart_policy::{Context, Resource};

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
