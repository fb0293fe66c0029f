//! The runtime limits and confinement of CIS Docker section 5 that a
//! Compose service sets or leaves out: resource limits, a read-only root
//! filesystem, `no-new-privileges`, ports bound to one interface, mount
//! propagation, the UTS namespace and health checks.
//!
//! A limit that is not written may still come from elsewhere: a service
//! that `extends` another is not judged on what it leaves out (the base
//! service decides), only on what it writes.

use crate::{CIS_DOCKER, KINDS, service};
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

/// Whether the service's omissions say nothing: it `extends` another.
fn inherits(resource: &Resource) -> bool {
    resource.root().get("extends").exists()
}

/// The first of these pointers that is written.
fn first_written<'a>(root: &Node<'a>, pointers: &[&str]) -> Option<Node<'a>> {
    pointers
        .iter()
        .map(|pointer| root.at_pointer(pointer))
        .find(Node::exists)
}

/// A finding for a limit none of `pointers` sets.
fn missing_limit(
    resource: &Resource,
    cx: &mut Context<'_>,
    pointers: &[&str],
    what: &str,
    fix: &str,
) {
    if inherits(resource) {
        return;
    }
    let root = resource.root();
    if first_written(&root, pointers).is_none() {
        cx.report(
            &root,
            format!("service `{}` sets no {what}", service(resource)),
        )
        .fix(fix.to_owned());
    }
}

pub(crate) const COMPOSE_013: Rule = Rule {
    id: "COMPOSE-013",
    title: "No memory limit",
    description: "Without a memory limit one service can take the host's memory and have the \
                  kernel kill the other containers.",
    severity: Severity::Low,
    help: "`mem_limit` or `deploy.resources.limits.memory` sets it.",
    help_uri: None,
    remediation: "Set `deploy.resources.limits.memory` (or `mem_limit`).",
    tags: &["reliability"],
    compliance: &[Control::new(CIS_DOCKER, "5.10")],
    kinds: KINDS,
    equivalents: &[],
    check: memory_limit,
};

fn memory_limit(resource: &Resource, cx: &mut Context<'_>) {
    missing_limit(
        resource,
        cx,
        &["/mem_limit", "/deploy/resources/limits/memory"],
        "memory limit",
        "set `deploy.resources.limits.memory`",
    );
}

pub(crate) const COMPOSE_014: Rule = Rule {
    id: "COMPOSE-014",
    title: "No CPU limit",
    description: "Without a CPU limit or weight one service can starve the others on the host.",
    severity: Severity::Low,
    help: "`cpus`, `cpu_quota`, `cpu_shares` or `deploy.resources.limits.cpus` sets it.",
    help_uri: None,
    remediation: "Set `deploy.resources.limits.cpus` (or `cpus`).",
    tags: &["reliability"],
    compliance: &[Control::new(CIS_DOCKER, "5.11")],
    kinds: KINDS,
    equivalents: &[],
    check: cpu_limit,
};

fn cpu_limit(resource: &Resource, cx: &mut Context<'_>) {
    missing_limit(
        resource,
        cx,
        &[
            "/cpus",
            "/cpu_quota",
            "/cpu_shares",
            "/cpu_count",
            "/cpu_percent",
            "/deploy/resources/limits/cpus",
        ],
        "CPU limit",
        "set `deploy.resources.limits.cpus`",
    );
}

pub(crate) const COMPOSE_015: Rule = Rule {
    id: "COMPOSE-015",
    title: "Root filesystem is writable",
    description: "A writable root filesystem lets an intruder change the service's binaries \
                  and configuration and keep them until the container is recreated.",
    severity: Severity::Low,
    help: "Writable paths the service needs can be `tmpfs` mounts or volumes.",
    help_uri: None,
    remediation: "Set `read_only: true` and mount `tmpfs` where the service writes.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.12")],
    kinds: KINDS,
    equivalents: &[],
    check: writable_root,
};

fn writable_root(resource: &Resource, cx: &mut Context<'_>) {
    let flag = resource.root().get("read_only");
    if flag.as_bool() == Some(false) {
        cx.report(
            &flag,
            format!("service `{}` sets `read_only: false`", service(resource)),
        )
        .fix("set `read_only: true`");
    } else if !flag.exists() && !inherits(resource) {
        cx.report(
            &resource.root(),
            format!(
                "service `{}` does not set `read_only: true`",
                service(resource)
            ),
        )
        .fix("set `read_only: true`");
    }
}

/// Whether a `ports` entry is bound to every host interface; `None` when
/// the entry is decided by a variable.
fn binds_every_interface(entry: &Node<'_>) -> Option<bool> {
    if entry.is_number() {
        return Some(true);
    }
    if let Some(text) = entry.as_str() {
        if text.contains('$') {
            return None;
        }
        let text = text.split('/').next().unwrap_or(text);
        if let Some(rest) = text.strip_prefix('[') {
            let host = rest.split(']').next().unwrap_or("");
            return Some(host == "::" || host.is_empty());
        }
        let parts: Vec<&str> = text.split(':').collect();
        return Some(match parts.as_slice() {
            [host, _, _] => host.is_empty() || *host == "0.0.0.0",
            _ => true,
        });
    }
    if entry.is_object() {
        let host = entry.get("host_ip");
        return match host.as_str() {
            Some(ip) if ip.contains('$') => None,
            Some(ip) => Some(ip == "0.0.0.0" || ip == "::" || ip.is_empty()),
            None => Some(true),
        };
    }
    None
}

pub(crate) const COMPOSE_016: Rule = Rule {
    id: "COMPOSE-016",
    title: "Port published on every host interface",
    description: "A port published without a host address is reachable on every interface of \
                  the host, public ones included, and Docker's rules bypass the host firewall.",
    severity: Severity::Low,
    help: "`\"8080:80\"` binds 0.0.0.0; `\"127.0.0.1:8080:80\"` binds the loopback only.",
    help_uri: None,
    remediation: "Give the address to bind: `\"127.0.0.1:8080:80\"` or `host_ip:` in the long \
                  syntax.",
    tags: &["security", "network"],
    compliance: &[Control::new(CIS_DOCKER, "5.13")],
    kinds: KINDS,
    equivalents: &[],
    check: every_interface,
};

fn every_interface(resource: &Resource, cx: &mut Context<'_>) {
    for entry in resource.root().get("ports").items() {
        if binds_every_interface(&entry) == Some(true) {
            cx.report(
                &entry,
                format!(
                    "service `{}` publishes a port on every host interface",
                    service(resource)
                ),
            )
            .fix("bind it to one address, e.g. `127.0.0.1:`");
        }
    }
}

pub(crate) const COMPOSE_017: Rule = Rule {
    id: "COMPOSE-017",
    title: "Privilege escalation not prevented",
    description: "Without `no-new-privileges`, a process in the container can gain privileges \
                  through setuid binaries and file capabilities.",
    severity: Severity::Low,
    help: "`security_opt: [\"no-new-privileges:true\"]` sets the kernel's no_new_privs flag.",
    help_uri: None,
    remediation: "Add `no-new-privileges:true` to `security_opt`.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.25")],
    kinds: KINDS,
    equivalents: &[],
    check: no_new_privileges,
};

fn no_new_privileges(resource: &Resource, cx: &mut Context<'_>) {
    let options = resource.root().get("security_opt");
    let mut unknown = false;
    let set = options.items().any(|option| {
        let Some(text) = option.as_str() else {
            return false;
        };
        unknown |= text.contains('$');
        let text = text.replace('=', ":").to_ascii_lowercase();
        text == "no-new-privileges" || text == "no-new-privileges:true"
    });
    if set || unknown || (!options.exists() && inherits(resource)) {
        return;
    }
    let at = if options.exists() {
        options
    } else {
        resource.root()
    };
    cx.report(
        &at,
        format!(
            "service `{}` does not set no-new-privileges",
            service(resource)
        ),
    )
    .fix("add `no-new-privileges:true` to `security_opt`");
}

pub(crate) const COMPOSE_018: Rule = Rule {
    id: "COMPOSE-018",
    title: "No PIDs limit",
    description: "Without a PIDs limit a fork bomb in one container exhausts the host's \
                  process table.",
    severity: Severity::Low,
    help: "`pids_limit` or `deploy.resources.limits.pids`; -1 and 0 mean no limit.",
    help_uri: None,
    remediation: "Set `pids_limit` (e.g. 200).",
    tags: &["reliability"],
    compliance: &[Control::new(CIS_DOCKER, "5.28")],
    kinds: KINDS,
    equivalents: &[],
    check: pids_limit,
};

fn pids_limit(resource: &Resource, cx: &mut Context<'_>) {
    let root = resource.root();
    match first_written(&root, &["/pids_limit", "/deploy/resources/limits/pids"]) {
        Some(limit) if limit.as_i64().is_some_and(|n| n <= 0) => {
            cx.report(
                &limit,
                format!(
                    "service `{}` sets an unlimited PIDs limit",
                    service(resource)
                ),
            )
            .fix("set a positive `pids_limit`");
        }
        Some(_) => {}
        None => missing_limit(
            resource,
            cx,
            &["/pids_limit", "/deploy/resources/limits/pids"],
            "PIDs limit",
            "set `pids_limit`",
        ),
    }
}

pub(crate) const COMPOSE_019: Rule = Rule {
    id: "COMPOSE-019",
    title: "Mount propagation shared with the host",
    description: "A bind mount with `shared` or `rshared` propagation lets mounts made in the \
                  container appear on the host, and the host's in the container.",
    severity: Severity::Medium,
    help: "The default, `rprivate`, keeps the mount namespaces apart.",
    help_uri: None,
    remediation: "Remove the propagation option (or use `rslave` if the service must see the \
                  host's new mounts).",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.19")],
    kinds: KINDS,
    equivalents: &[],
    check: shared_propagation,
};

fn shared_propagation(resource: &Resource, cx: &mut Context<'_>) {
    for volume in resource.root().get("volumes").items() {
        let propagation = match volume.as_str() {
            Some(text) => text
                .split(':')
                .skip(2)
                .flat_map(|options| options.split(','))
                .find(|option| *option == "shared" || *option == "rshared")
                .map(str::to_owned),
            None => volume
                .get("bind")
                .get("propagation")
                .as_str()
                .filter(|mode| *mode == "shared" || *mode == "rshared")
                .map(str::to_owned),
        };
        if let Some(mode) = propagation {
            cx.report(
                &volume,
                format!(
                    "service `{}` mounts with `{mode}` propagation",
                    service(resource)
                ),
            );
        }
    }
}

pub(crate) const COMPOSE_020: Rule = Rule {
    id: "COMPOSE-020",
    title: "Host UTS namespace shared",
    description: "`uts: host` lets the container change the host's hostname and domain name.",
    severity: Severity::Medium,
    help: "The UTS namespace isolates the hostname.",
    help_uri: None,
    remediation: "Remove `uts: host`.",
    tags: &["security"],
    compliance: &[Control::new(CIS_DOCKER, "5.20")],
    kinds: KINDS,
    equivalents: &[],
    check: host_uts,
};

fn host_uts(resource: &Resource, cx: &mut Context<'_>) {
    let mode = resource.root().get("uts");
    if mode.as_str() == Some("host") {
        cx.report(
            &mode,
            format!(
                "service `{}` shares the host's UTS namespace",
                service(resource)
            ),
        );
    }
}

pub(crate) const COMPOSE_021: Rule = Rule {
    id: "COMPOSE-021",
    title: "Health check disabled",
    description: "The service turns off its image's health check, so Docker cannot tell a \
                  hung container from a healthy one.",
    severity: Severity::Low,
    help: "`healthcheck: {disable: true}` or `test: [\"NONE\"]` turns it off.",
    help_uri: None,
    remediation: "Remove `disable: true` / `NONE`, or define a `healthcheck.test`.",
    tags: &["reliability"],
    compliance: &[Control::new(CIS_DOCKER, "5.26")],
    kinds: KINDS,
    equivalents: &[],
    check: healthcheck_disabled,
};

fn healthcheck_disabled(resource: &Resource, cx: &mut Context<'_>) {
    let check = resource.root().get("healthcheck");
    let disable = check.get("disable");
    let test = check.get("test");
    let none = test.as_str() == Some("NONE") || test.at(0).as_str() == Some("NONE");
    if disable.is_true() {
        cx.report(
            &disable,
            format!("service `{}` disables its health check", service(resource)),
        );
    } else if none {
        cx.report(
            &test,
            format!("service `{}` disables its health check", service(resource)),
        );
    }
}
