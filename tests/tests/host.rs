//! Host scans against real root filesystems: a Debian 12 image made by
//! debootstrap, and the machine running the tests (`--root /`).

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_core::inventory::host::HostTarget;
use rampart_core::policy::{CacheMode, EngineOptions};
use rampart_core::{ScanOptions, Scanner};
use rampart_tests::debian_rootfs;
use std::collections::BTreeSet;

/// The inventory of the image at `root`, without policies.
fn inventory_of(root: &std::path::Path) -> rampart_core::inventory::Inventory {
    Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(root)
    })
    .unwrap()
    .inventory()
    .unwrap()
}

/// The names of the `host.user` resources, in inventory order.
fn user_names(inventory: &rampart_core::inventory::Inventory) -> Vec<&str> {
    inventory
        .resources()
        .filter(|r| r.kind == "host.user")
        .map(|r| r.document["name"].as_str().unwrap())
        .collect()
}

fn options(root: &std::path::Path) -> ScanOptions {
    ScanOptions {
        paths: vec![],
        hosts: vec![HostTarget::Root(root.to_owned())],
        engine: EngineOptions {
            cache: CacheMode::Disabled,
            ..EngineOptions::default()
        },
        advisories: None,
        ..ScanOptions::default()
    }
}

/// The dpkg inventory is exactly what dpkg itself lists for the image:
/// same packages, same versions (`dpkg-query -W`, whose names carry the
/// architecture for `Multi-Arch: same` packages).
#[test]
fn dpkg_inventory_equals_dpkg_query() {
    let root = debian_rootfs();
    let output = std::process::Command::new("dpkg-query")
        .arg(format!(
            "--admindir={}",
            root.join("var/lib/dpkg").display()
        ))
        .arg("-W")
        .output()
        .unwrap();
    assert!(output.status.success());
    let expected: BTreeSet<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(expected.len() > 50, "{} packages", expected.len());
    let inventory = Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(&root)
    })
    .unwrap()
    .inventory()
    .unwrap();
    let packages: Vec<_> = inventory
        .resources()
        .filter(|r| r.kind == "host.package")
        .collect();
    let actual: BTreeSet<String> = packages
        .iter()
        .map(|r| {
            let d = &r.document;
            let name = d["name"].as_str().unwrap();
            let qualified = if d["multi_arch"] == "same" {
                format!("{name}:{}", d["architecture"].as_str().unwrap())
            } else {
                name.to_owned()
            };
            format!("{qualified}\t{}", d["version"].as_str().unwrap())
        })
        .collect();
    assert_eq!(packages.len(), expected.len(), "one resource per package");
    assert_eq!(actual, expected);
    // Each is a dependency too, in the Debian 12 ecosystem, matched by
    // source package.
    let libc = inventory
        .resources()
        .find(|r| r.kind == "dependency" && r.document["name"] == "libc6")
        .unwrap();
    assert_eq!(libc.document["ecosystem"], "Debian:12");
    assert_eq!(libc.document["advisory_name"], "glibc");
    assert!(
        libc.document["purl"]
            .as_str()
            .unwrap()
            .starts_with("pkg:deb/debian/libc6@")
    );
    assert!(
        inventory.diagnostics.is_empty(),
        "{:?}",
        inventory.diagnostics
    );
}

/// A full scan of the image: its identity, accounts and files are read
/// inside the image, findings carry the image's paths, password hashes
/// appear nowhere in the output.
#[test]
fn scan_of_a_debian_image() {
    let root = debian_rootfs();
    let scanner = Scanner::new(options(&root)).unwrap();
    let inventory = scanner.inventory().unwrap();
    let os = inventory.resources().find(|r| r.kind == "host.os").unwrap();
    assert_eq!(os.document["id"], "debian");
    assert_eq!(os.document["version_id"], "12");
    assert_eq!(os.document["live"], false);
    let root_user = inventory
        .resources()
        .find(|r| r.id == "host.user:root")
        .unwrap();
    assert_eq!(root_user.document["uid"], 0);
    assert_eq!(root_user.spans.get("").unwrap().start_line, 1);
    let shadow = root_user.locate("/shadow");
    assert!(shadow.0.ends_with("/etc/shadow"), "{shadow:?}");
    // Hashes never leave the image (debootstrap locks root with `*`).
    let json = serde_json::to_string(&inventory).unwrap();
    let hash = std::fs::read_to_string(root.join("etc/shadow")).unwrap();
    for field in hash.lines().filter_map(|l| l.split(':').nth(1)) {
        if field.len() > 2 {
            assert!(!json.contains(field), "a password field leaked: {field}");
        }
    }
    let report = scanner.scan().unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.stats.hosts.len(), 1);
    let rules: BTreeSet<&str> = report.findings.iter().map(|f| f.rule_id.as_str()).collect();
    // A minbase image has no separate /tmp and no network hardening.
    for rule in ["HOST-080", "HOST-024", "HOST-026"] {
        assert!(rules.contains(rule), "{rule} not in {rules:?}");
    }
    // The setuid programs debootstrap installs are all expected ones.
    assert!(!rules.contains("HOST-072"), "{rules:?}");
    assert!(!rules.contains("HOST-040"));
    let shown = root.display().to_string();
    assert!(
        report.findings.iter().all(
            |f| f.path.starts_with(shown.trim_start_matches('/')) || f.path.starts_with(&shown)
        ),
        "paths are inside the image: {:?}",
        report.findings.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
}

/// `--root /`: the running system, with live kernel values.
#[test]
fn scan_of_the_live_system() {
    let inventory = Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(std::path::Path::new("/"))
    })
    .unwrap()
    .inventory()
    .unwrap();
    let os = inventory.resources().find(|r| r.kind == "host.os").unwrap();
    assert_eq!(os.document["live"], true);
    assert!(os.document["kernel"].is_string(), "{}", os.document);
    assert_eq!(os.source, "/etc/os-release");
    let sysctl = inventory
        .resources()
        .find(|r| r.kind == "host.sysctl")
        .unwrap();
    let forward = sysctl.document["values"]["net.ipv4.ip_forward"].as_str();
    let expected = std::fs::read_to_string("/proc/sys/net/ipv4/ip_forward").unwrap();
    assert_eq!(forward, Some(expected.trim()));
    assert!(inventory.resources().any(|r| r.kind == "host.user"));
}

/// An image whose files point outside it (absolute symlinks, `..`) is
/// still read inside it.
#[test]
fn image_symlinks_never_reach_the_scanning_machine() {
    let image = tempfile::tempdir().unwrap();
    let etc = image.path().join("etc");
    std::fs::create_dir_all(&etc).unwrap();
    std::fs::write(
        image.path().join("passwd.real"),
        "root:x:0:0:root:/root:/bin/sh\n",
    )
    .unwrap();
    // On the scanning machine /etc/passwd has many accounts; in the image
    // `/etc/passwd -> /passwd.real` has one.
    std::os::unix::fs::symlink("/passwd.real", etc.join("passwd")).unwrap();
    std::os::unix::fs::symlink("/etc/shadow", etc.join("shadow")).unwrap();
    std::os::unix::fs::symlink("../../../../../../etc/group", etc.join("group")).unwrap();
    let inventory = inventory_of(image.path());
    assert_eq!(user_names(&inventory), ["root"]);
    assert!(!inventory.resources().any(|r| r.kind == "host.group"));
    // Inside the image `/etc/shadow -> /etc/shadow` (and the `..` one) are
    // links to themselves: a loop reported per file, not the machine's
    // own shadow file read.
    let problems: Vec<(&str, &str)> = inventory
        .diagnostics
        .iter()
        .map(|d| (d.path.as_deref().unwrap_or(""), d.message.as_str()))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    for (path, message) in problems {
        assert!(
            path.ends_with("/etc/group") || path.ends_with("/etc/shadow"),
            "{path}"
        );
        assert!(
            message.contains("too many levels of symbolic links"),
            "{message}"
        );
    }
}

#[test]
fn a_missing_root_is_an_error() {
    let error = Scanner::new(options(std::path::Path::new("/nonexistent/rootfs")))
        .unwrap()
        .scan()
        .unwrap_err();
    assert!(error.to_string().contains("/nonexistent/rootfs"), "{error}");
}

/// OS packages are matched like lockfiles, by source package and version,
/// and only against their own release: a Debian 12 advisory for glibc is
/// reported on every binary package built from it (at its entry in the
/// dpkg database), a Debian 11 one is not.
#[test]
fn os_packages_are_matched_against_their_release() {
    let root = debian_rootfs();
    let exports = tempfile::tempdir().unwrap();
    let debian = exports.path().join("Debian");
    std::fs::create_dir_all(&debian).unwrap();
    let record = |id: &str, release: &str, events: &str| {
        format!(
            r#"{{"id":"{id}","modified":"2026-01-01T00:00:00Z","summary":"test advisory","affected":[{{"package":{{"ecosystem":"{release}","name":"glibc"}},"ranges":[{{"type":"ECOSYSTEM","events":{events}}}]}}]}}"#
        )
    };
    std::fs::write(
        debian.join("DEBIAN-TEST-12.json"),
        record(
            "DEBIAN-TEST-12",
            "Debian:12",
            r#"[{"introduced":"0"},{"fixed":"9.99-1"}]"#,
        ),
    )
    .unwrap();
    std::fs::write(
        debian.join("DEBIAN-TEST-11.json"),
        record("DEBIAN-TEST-11", "Debian:11", r#"[{"introduced":"0"}]"#),
    )
    .unwrap();
    let db = tempfile::tempdir().unwrap();
    let imported = rampart_core::advisories::update::import(exports.path(), db.path()).unwrap();
    assert!(!imported.failed(), "{imported:?}");
    let report = Scanner::new(ScanOptions {
        advisories: Some(rampart_core::advisories::AdvisoryOptions {
            db_dir: db.path().to_owned(),
            ..Default::default()
        }),
        ..options(&root)
    })
    .unwrap()
    .scan()
    .unwrap();
    let vulnerable: Vec<&rampart_core::Finding> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == "DEP-001")
        .collect();
    let packages: BTreeSet<&str> = vulnerable
        .iter()
        .map(|f| {
            f.resource_id
                .split('/')
                .nth(1)
                .unwrap()
                .split(':')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        packages,
        BTreeSet::from(["libc-bin", "libc6"]),
        "{vulnerable:#?}"
    );
    assert!(
        vulnerable
            .iter()
            .all(|f| f.message.contains("DEBIAN-TEST-12"))
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.message.contains("DEBIAN-TEST-11"))
    );
    // At the package's entry in the dpkg database.
    let status = std::fs::read_to_string(root.join("var/lib/dpkg/status")).unwrap();
    let libc6 = vulnerable
        .iter()
        .find(|f| f.resource_id.contains("/libc6"))
        .unwrap();
    let line = status.lines().position(|l| l == "Package: libc6").unwrap() as u32 + 1;
    assert!(
        libc6.path.ends_with("var/lib/dpkg/status"),
        "{}",
        libc6.path
    );
    assert_eq!(libc6.region.unwrap().start_line, line);
}

/// An rpm-based image: the database (made here by Debian's rpm tools: a
/// package built with rpmbuild, registered with `rpm -i --justdb`) is read
/// with `rpm --dbpath` inside the image.
#[test]
fn rpm_database_of_an_image() {
    rampart_tests::ensure_tool("rpmbuild", "rpm");
    let work = tempfile::tempdir().unwrap();
    let top = work.path().join("top");
    std::fs::write(
        work.path().join("t.spec"),
        "Name: rampart-test\nVersion: 1.2.3\nRelease: 4.el9\nEpoch: 2\nSummary: test\nLicense: MIT\nBuildArch: noarch\n%description\ntest\n%files\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let status = std::process::Command::new(args[0])
            .args(&args[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}");
    };
    let define = format!("_topdir {}", top.display());
    run(&[
        "rpmbuild",
        "-bb",
        "--define",
        &define,
        work.path().join("t.spec").to_str().unwrap(),
    ]);
    let image = work.path().join("image");
    let db = image.join("var/lib/rpm");
    std::fs::create_dir_all(&db).unwrap();
    std::fs::create_dir_all(image.join("etc")).unwrap();
    std::fs::write(
        image.join("etc/os-release"),
        "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n",
    )
    .unwrap();
    run(&["rpm", "--dbpath", db.to_str().unwrap(), "--initdb"]);
    let package = top.join("RPMS/noarch/rampart-test-1.2.3-4.el9.noarch.rpm");
    run(&[
        "rpm",
        "--dbpath",
        db.to_str().unwrap(),
        "-i",
        "--justdb",
        "--nodeps",
        "--noscripts",
        package.to_str().unwrap(),
    ]);
    let inventory = Scanner::new(ScanOptions {
        builtin_packs: false,
        ..options(&image)
    })
    .unwrap()
    .inventory()
    .unwrap();
    assert!(
        inventory.diagnostics.is_empty(),
        "{:?}",
        inventory.diagnostics
    );
    let package = inventory
        .resources()
        .find(|r| r.kind == "host.package")
        .unwrap();
    assert_eq!(package.document["manager"], "rpm");
    assert_eq!(package.document["name"], "rampart-test");
    assert_eq!(package.document["version"], "2:1.2.3-4.el9");
    assert_eq!(package.document["architecture"], "noarch");
    let dependency = inventory
        .resources()
        .find(|r| r.kind == "dependency")
        .unwrap();
    assert_eq!(dependency.document["ecosystem"], "Rocky Linux:9");
    assert_eq!(
        dependency.document["purl"],
        "pkg:rpm/rocky/rampart-test@1.2.3-4.el9?arch=noarch&epoch=2&distro=rocky-9.3"
    );
}

/// Damaged account files: binary garbage gives one diagnostic per file,
/// the valid records are still read, the scan goes on.
#[test]
fn damaged_account_files() {
    let image = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(image.path().join("etc")).unwrap();
    let mut passwd = b"root:x:0:0:root:/root:/bin/sh\n".to_vec();
    for i in 0..5000u32 {
        passwd.extend(i.to_le_bytes().repeat(7));
        passwd.push(b'\n');
    }
    std::fs::write(image.path().join("etc/passwd"), &passwd).unwrap();
    std::fs::write(image.path().join("etc/group"), [0xff, 0xfe, 0x00, b'\n']).unwrap();
    let inventory = inventory_of(image.path());
    assert_eq!(user_names(&inventory), ["root"]);
    let messages: Vec<&str> = inventory
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    // (Some of the garbage bytes are newlines: more lines than records.)
    assert!(
        messages.iter().any(|m| m.starts_with("/etc/passwd: ")
            && m.contains("line(s) that are not records")
            && m.ends_with("the first at line 2")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("/etc/group: 1 line(s)")),
        "{messages:?}"
    );
}
