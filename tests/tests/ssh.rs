//! Hosts over SSH against real OpenSSH servers on 127.0.0.1: one host,
//! a fleet from an inventory file (with a dead port), retries and time
//! limits.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::HostStatus;
use rampart_core::diagnostic::DiagnosticKind;
use rampart_core::inventory::host::HostTarget;
use rampart_core::inventory::host::ssh::{SshOptions, SshTarget};
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{ScanOptions, Scanner};
use rampart_tests::sshd::{SshServer, free_port};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

fn ssh_options(server: &SshServer) -> SshOptions {
    SshOptions {
        args: server.client_args(),
        connect_timeout: Duration::from_secs(5),
        host_timeout: Duration::from_secs(60),
        retries: 1,
        backoff: Duration::from_millis(200),
        ..SshOptions::default()
    }
}

fn options(hosts: Vec<HostTarget>, ssh: SshOptions) -> ScanOptions {
    ScanOptions {
        paths: vec![],
        hosts,
        ssh,
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        advisories: None,
        ..ScanOptions::default()
    }
}

fn ids(inventory: &rampart_core::inventory::Inventory, kinds: &[&str]) -> BTreeSet<String> {
    inventory
        .resources()
        .filter(|r| kinds.contains(&r.kind.as_str()))
        .map(|r| format!("{} {}", r.id, r.document))
        .collect()
}

/// The machine scanned over SSH gives the same packages, accounts, groups
/// and sshd settings as scanned directly with `--root /`, and more: the
/// server's effective configuration from `sshd -T`.
#[test]
fn ssh_scan_equals_local_scan_of_the_same_machine() {
    let server = SshServer::start();
    let target = SshTarget::parse(&server.url()).unwrap();
    let remote = Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(vec![HostTarget::Ssh(target.clone())], ssh_options(&server))
    })
    .unwrap()
    .inventory()
    .unwrap();
    let local = Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(vec![HostTarget::Root("/".into())], SshOptions::default())
    })
    .unwrap()
    .inventory()
    .unwrap();
    let kinds = [
        "host.package",
        "host.user",
        "host.group",
        "host.os",
        "host.cron",
    ];
    assert_eq!(ids(&remote, &kinds), ids(&local, &kinds));
    assert!(ids(&remote, &["host.package"]).len() > 50);
    let os = remote.resources().find(|r| r.kind == "host.os").unwrap();
    assert_eq!(os.document["live"], true);
    assert_eq!(os.source, format!("{}/etc/os-release", target.url()));
    let sshd = remote.resources().find(|r| r.kind == "sshd");
    let local_sshd = local.resources().find(|r| r.kind == "sshd");
    assert_eq!(sshd.is_some(), local_sshd.is_some());
    if let (Some(sshd), Some(local_sshd)) = (sshd, local_sshd) {
        assert_eq!(sshd.document["settings"], local_sshd.document["settings"]);
        // Root may run `sshd -T` (the tests run as root in CI).
        assert!(
            sshd.document["effective"]["port"].is_string(),
            "{}",
            sshd.document
        );
    }
    // Kernel values come from the live /proc of the host.
    let sysctl = remote
        .resources()
        .find(|r| r.kind == "host.sysctl")
        .unwrap();
    let forward = std::fs::read_to_string("/proc/sys/net/ipv4/ip_forward").unwrap();
    assert_eq!(
        sysctl.document["values"]["net.ipv4.ip_forward"],
        forward.trim()
    );
    // Sensitive files' modes without their content.
    let shadow = remote
        .resources()
        .find(|r| r.id == "host.file:/etc/shadow")
        .unwrap();
    let local_shadow = local
        .resources()
        .find(|r| r.id == "host.file:/etc/shadow")
        .unwrap();
    assert_eq!(shadow.document["mode"], local_shadow.document["mode"]);
    assert!(remote.diagnostics.is_empty(), "{:?}", remote.diagnostics);
}

/// A fleet from an INI inventory: three servers and a dead port, scanned
/// concurrently; each live host's findings are reported under its own
/// URL, the dead one is an error diagnostic, and every host is named.
#[test]
fn fleet_from_an_inventory_with_an_unreachable_host() {
    let servers: Vec<SshServer> = (0..3).map(|_| SshServer::start()).collect();
    let dead = free_port();
    let mut ini = String::from("[web]\n");
    for (i, server) in servers.iter().enumerate() {
        ini.push_str(&format!(
            "web{i} ansible_host=127.0.0.1 ansible_port={} ansible_user={}\n",
            server.port, server.user
        ));
    }
    ini.push_str(&format!(
        "\n[db]\ndb0 ansible_host=127.0.0.1 ansible_port={dead}\n"
    ));
    let targets = rampart_core::inventory::host::fleet::parse("hosts.ini", &ini).unwrap();
    // All servers accept the same client options; the key differs per
    // server, so offer all three.
    let mut args = vec!["-F".to_owned(), "/dev/null".to_owned()];
    for server in &servers {
        args.push("-o".to_owned());
        args.push(format!("IdentityFile={}", server.identity().display()));
    }
    for option in [
        "StrictHostKeyChecking=no",
        "UserKnownHostsFile=/dev/null",
        "LogLevel=ERROR",
    ] {
        args.push("-o".to_owned());
        args.push(option.to_owned());
    }
    let started = Instant::now();
    let report = Scanner::new(ScanOptions {
        host_concurrency: 4,
        ..options(
            targets.into_iter().map(HostTarget::Ssh).collect(),
            SshOptions {
                args,
                connect_timeout: Duration::from_secs(5),
                retries: 1,
                backoff: Duration::from_millis(100),
                ..SshOptions::default()
            },
        )
    })
    .unwrap()
    .scan()
    .unwrap();
    let elapsed = started.elapsed();
    let hosts: Vec<(&str, HostStatus)> = report
        .stats
        .hosts
        .iter()
        .map(|h| (h.name.as_str(), h.status))
        .collect();
    assert_eq!(
        hosts,
        [
            ("web0", HostStatus::Scanned),
            ("web1", HostStatus::Scanned),
            ("web2", HostStatus::Scanned),
            ("db0", HostStatus::Unreachable),
        ]
    );
    let errors: Vec<_> = report.diagnostics_of(DiagnosticKind::Host).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path.as_deref(), Some("db0"));
    assert!(
        errors[0].message.contains("after 2 attempts"),
        "{}",
        errors[0].message
    );
    assert_eq!(report.exit_code(rampart_core::Severity::Critical), 2);
    for server in &servers {
        let prefix = format!("ssh://{}@127.0.0.1:{}/", server.user, server.port);
        assert!(
            report.findings.iter().any(|f| f.path.starts_with(&prefix)),
            "no finding under {prefix}"
        );
    }
    eprintln!("fleet of 3 live hosts + 1 dead port, 4 at once: {elapsed:?}");
}

/// A server that accepts TCP connections but never speaks SSH: the host's
/// time limit ends the attempt, and the scan goes on.
#[test]
fn a_silent_host_times_out() {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let target = SshTarget::parse(&format!("ssh://nobody@127.0.0.1:{port}")).unwrap();
    let started = Instant::now();
    let report = Scanner::new(options(
        vec![HostTarget::Ssh(target)],
        SshOptions {
            args: vec!["-F".to_owned(), "/dev/null".to_owned()],
            connect_timeout: Duration::from_secs(1),
            host_timeout: Duration::from_secs(3),
            retries: 5,
            backoff: Duration::from_millis(100),
            ..SshOptions::default()
        },
    ))
    .unwrap()
    .scan()
    .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
    assert_eq!(report.stats.hosts[0].status, HostStatus::Unreachable);
    let message = &report
        .diagnostics_of(DiagnosticKind::Host)
        .next()
        .unwrap()
        .message;
    assert!(message.contains("host not scanned"), "{message}");
}

/// A rejected key is not retried: authentication failures do not get
/// better.
#[test]
fn authentication_failure_is_reported_at_once() {
    let server = SshServer::start();
    let target =
        SshTarget::parse(&format!("ssh://{}@127.0.0.1:{}", server.user, server.port)).unwrap();
    let stranger = tempfile::tempdir().unwrap();
    let key = stranger.path().join("id");
    assert!(
        std::process::Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(&key)
            .status()
            .unwrap()
            .success()
    );
    let report = Scanner::new(options(
        vec![HostTarget::Ssh(target)],
        SshOptions {
            args: vec![
                "-F".into(),
                "/dev/null".into(),
                "-o".into(),
                format!("IdentityFile={}", key.display()),
                "-o".into(),
                "IdentitiesOnly=yes".into(),
                "-o".into(),
                "StrictHostKeyChecking=no".into(),
                "-o".into(),
                "UserKnownHostsFile=/dev/null".into(),
            ],
            retries: 3,
            backoff: Duration::from_secs(2),
            ..SshOptions::default()
        },
    ))
    .unwrap()
    .scan()
    .unwrap();
    let message = &report
        .diagnostics_of(DiagnosticKind::Host)
        .next()
        .unwrap()
        .message;
    assert!(message.contains("Permission denied"), "{message}");
    assert!(!message.contains("attempts"), "not retried: {message}");
}
