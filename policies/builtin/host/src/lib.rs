//! Built-in pack `host`: hardening of Linux hosts in the spirit of the CIS
//! Debian Linux 12 Benchmark (v1.1.0), each rule mapped to its section.
//!
//! Rules read the `host.*` and `sshd` resources of one host
//! (`docs/kinds/host.md`); a rule that needs several of them (duplicate
//! UIDs, "is /tmp a mount at all") looks at the whole batch. Most rules are
//! rows of a table — an sshd keyword and the values that fail, a kernel
//! parameter and the values that pass — checked by one function per table.
//! Fixtures are small root filesystems in
//! `fixtures/<RULE-ID>/{positive,negative}/`, with the expected findings
//! in `expected.txt` and file modes in `modes.txt`.

mod tables;

use rampart_policy::{Context, Control, Node, Pack, Resource, Rule, Severity};
use std::collections::BTreeMap;
use tables::{FILE_RULES, PACKAGE_RULES, SERVICE_RULES, SSHD_RULES, SYSCTL_RULES};

/// The framework every `compliance` entry names.
pub const CIS: &str = "CIS-Debian-Linux-12-1.1";

pub(crate) const SSHD: &[&str] = &["sshd"];
const USERS: &[&str] = &["host.user"];
const GROUPS: &[&str] = &["host.group"];
const MOUNTS: &[&str] = &["host.mounts"];

/// The pack, exported as the component's `rampart:policy/pack`.
pub static PACK: Pack = Pack {
    name: "host",
    version: env!("CARGO_PKG_VERSION"),
    description: "Linux host hardening in the spirit of the CIS Debian Linux benchmarks: sshd, \
                  kernel network and process parameters, accounts, permissions of sensitive \
                  files, setuid and world-writable files, mount options, unwanted services and \
                  packages.",
    rules: RULES,
};

rampart_policy::export_pack!(PACK);

static RULES: &[Rule] = &[
    tables::sshd_rule(&SSHD_RULES[0]),
    tables::sshd_rule(&SSHD_RULES[1]),
    tables::sshd_rule(&SSHD_RULES[2]),
    tables::sshd_rule(&SSHD_RULES[3]),
    tables::sshd_rule(&SSHD_RULES[4]),
    tables::sshd_rule(&SSHD_RULES[5]),
    tables::sshd_rule(&SSHD_RULES[6]),
    tables::sshd_rule(&SSHD_RULES[7]),
    tables::sshd_rule(&SSHD_RULES[8]),
    tables::sshd_rule(&SSHD_RULES[9]),
    tables::sshd_rule(&SSHD_RULES[10]),
    tables::sshd_rule(&SSHD_RULES[11]),
    tables::sshd_rule(&SSHD_RULES[12]),
    tables::sshd_rule(&SSHD_RULES[13]),
    tables::sshd_rule(&SSHD_RULES[14]),
    tables::sshd_rule(&SSHD_RULES[15]),
    tables::sysctl_rule(&SYSCTL_RULES[0]),
    tables::sysctl_rule(&SYSCTL_RULES[1]),
    tables::sysctl_rule(&SYSCTL_RULES[2]),
    tables::sysctl_rule(&SYSCTL_RULES[3]),
    tables::sysctl_rule(&SYSCTL_RULES[4]),
    tables::sysctl_rule(&SYSCTL_RULES[5]),
    tables::sysctl_rule(&SYSCTL_RULES[6]),
    tables::sysctl_rule(&SYSCTL_RULES[7]),
    tables::sysctl_rule(&SYSCTL_RULES[8]),
    tables::sysctl_rule(&SYSCTL_RULES[9]),
    tables::sysctl_rule(&SYSCTL_RULES[10]),
    tables::sysctl_rule(&SYSCTL_RULES[11]),
    tables::sysctl_rule(&SYSCTL_RULES[12]),
    tables::sysctl_rule(&SYSCTL_RULES[13]),
    tables::sysctl_rule(&SYSCTL_RULES[14]),
    HOST_040,
    HOST_041,
    HOST_042,
    HOST_043,
    HOST_044,
    HOST_045,
    HOST_046,
    HOST_047,
    HOST_048,
    HOST_049,
    tables::file_rule(&FILE_RULES[0]),
    tables::file_rule(&FILE_RULES[1]),
    tables::file_rule(&FILE_RULES[2]),
    tables::file_rule(&FILE_RULES[3]),
    tables::file_rule(&FILE_RULES[4]),
    tables::file_rule(&FILE_RULES[5]),
    tables::file_rule(&FILE_RULES[6]),
    tables::file_rule(&FILE_RULES[7]),
    tables::file_rule(&FILE_RULES[8]),
    tables::file_rule(&FILE_RULES[9]),
    tables::file_rule(&FILE_RULES[10]),
    HOST_070,
    HOST_071,
    HOST_072,
    HOST_080,
    HOST_081,
    HOST_082,
    tables::service_rule(&SERVICE_RULES[0]),
    tables::service_rule(&SERVICE_RULES[1]),
    tables::service_rule(&SERVICE_RULES[2]),
    tables::service_rule(&SERVICE_RULES[3]),
    tables::service_rule(&SERVICE_RULES[4]),
    tables::service_rule(&SERVICE_RULES[5]),
    tables::service_rule(&SERVICE_RULES[6]),
    tables::package_rule(&PACKAGE_RULES[0]),
    tables::package_rule(&PACKAGE_RULES[1]),
    tables::package_rule(&PACKAGE_RULES[2]),
];

pub(crate) const HOST_040: Rule = Rule {
    id: "HOST-040",
    title: "Account other than root has UID 0",
    description: "Any account with UID 0 is root, whatever its name: a second one is a \
                      backdoor or a mistake, and its logins are not attributed to root.",
    severity: Severity::High,
    help: "The kernel only knows UID 0; `toor`, `admin` or a leftover account with UID 0 \
               has every privilege of root.",
    remediation: "Give the account a unique non-zero UID (`usermod -u`), or remove it.",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "5.4.2.1")],
    kinds: USERS,
    check: uid_zero,
    ..Rule::DEFAULT
};

fn uid_zero(resource: &Resource, cx: &mut Context<'_>) {
    let user = resource.root();
    if user.get("uid").as_i64() == Some(0) && user.get("name").as_str() != Some("root") {
        cx.report(
            &user,
            format!(
                "`{}` has UID 0: it is root",
                user.get("name").as_str().unwrap_or("")
            ),
        );
    }
}

pub(crate) const HOST_041: Rule = Rule {
    id: "HOST-041",
    title: "Password hash outside /etc/shadow",
    description: "The account's password field in /etc/passwd is not `x`: its hash (or an \
                      empty password) is readable by every local user.",
    severity: Severity::High,
    help: "/etc/passwd is world-readable by design; hashes belong in /etc/shadow (mode \
               0640), where offline cracking needs root.",
    remediation: "Run `pwconv` to move the hashes into /etc/shadow.",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.1")],
    kinds: USERS,
    check: not_shadowed,
    ..Rule::DEFAULT
};

fn not_shadowed(resource: &Resource, cx: &mut Context<'_>) {
    let user = resource.root();
    if user.get("shadowed").as_bool() == Some(false) {
        let what = if user.get("passwd_field_empty").is_true() {
            "has an empty password field in /etc/passwd (no password)"
        } else {
            "keeps its password hash in /etc/passwd, readable by every user"
        };
        cx.report(&user, format!("`{}` {what}", name(&user)))
            .severity(if user.get("passwd_field_empty").is_true() {
                Severity::Critical
            } else {
                Severity::High
            });
    }
}

pub(crate) const HOST_042: Rule = Rule {
    id: "HOST-042",
    title: "Account with an empty password",
    description: "The account's password in /etc/shadow is empty: anyone can log in as it \
                      where the service allows empty passwords.",
    severity: Severity::Critical,
    help: "An empty shadow field means no password at all, unlike `!` or `*` (locked).",
    remediation: "Lock the account (`passwd -l NAME`) or set a password.",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.2")],
    kinds: USERS,
    check: empty_password,
    ..Rule::DEFAULT
};

fn empty_password(resource: &Resource, cx: &mut Context<'_>) {
    let shadow = resource.root().get("shadow");
    if shadow.get("password").as_str() == Some("empty") {
        let user = resource.root();
        cx.report(
            &shadow,
            format!("`{}` has an empty password in /etc/shadow", name(&user)),
        )
        .fix(format!("passwd -l {}", name(&user)));
    }
}

/// The fields whose repeats are findings: (kind, field).
const UNIQUE_FIELDS: &[(&str, &str)] = &[
    ("host.user", "uid"),
    ("host.user", "name"),
    ("host.group", "gid"),
];

/// The first resource of the batch with each value of a
/// [`UNIQUE_FIELDS`] field: (kind, field, value as JSON) → its index.
/// Made once per host; looking back through the batch for every account
/// made 20,000 users run into the policy timeout.
fn first_with_value(batch: &[Resource]) -> BTreeMap<(String, &'static str, String), usize> {
    let mut first = BTreeMap::new();
    for (i, resource) in batch.iter().enumerate() {
        for (kind, field) in UNIQUE_FIELDS {
            if resource.kind != *kind {
                continue;
            }
            if let Some(value) = resource.root().get(field).to_value()
                && !value.is_null()
            {
                first
                    .entry((resource.kind.clone(), *field, value.to_string()))
                    .or_insert(i);
            }
        }
    }
    first
}

/// The first resource of `kind` in the batch with the same value at
/// `field`, when it is not this one (so only the second and later of a
/// duplicate are reported).
fn earlier_with_same<'a>(
    cx: &Context<'a>,
    resource: &Resource,
    kind: &str,
    field: &'static str,
) -> Option<&'a Resource> {
    let value = resource.root().get(field).to_value()?;
    if value.is_null() {
        return None;
    }
    let index = cx.batch_memo(first_with_value);
    let first = &cx.batch()[*index.get(&(kind.to_owned(), field, value.to_string()))?];
    (first.id != resource.id).then_some(first)
}

/// Whether the host has groups at all (an image without /etc/group).
fn has_groups(batch: &[Resource]) -> bool {
    batch.iter().any(|r| r.kind == "host.group")
}

pub(crate) const HOST_043: Rule = Rule {
    id: "HOST-043",
    title: "Duplicate UID",
    description: "Two accounts share a UID: they own each other's files and their actions \
                      cannot be told apart.",
    severity: Severity::Medium,
    help: "Files carry only the UID; every account with it is their owner.",
    remediation: "Give each account a unique UID and fix the ownership of its files.",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.5")],
    kinds: USERS,
    check: duplicate_uid,
    ..Rule::DEFAULT
};

fn duplicate_uid(resource: &Resource, cx: &mut Context<'_>) {
    if let Some(first) = earlier_with_same(cx, resource, "host.user", "uid") {
        let user = resource.root();
        cx.report(
            &user,
            format!(
                "`{}` has UID {}, like `{}`",
                name(&user),
                user.get("uid").as_i64().unwrap_or(-1),
                first.root().get("name").as_str().unwrap_or("")
            ),
        );
    }
}

pub(crate) const HOST_044: Rule = Rule {
    id: "HOST-044",
    title: "Duplicate user name",
    description: "Two lines of /etc/passwd have the same name: which one applies depends on \
                      the tool reading the file.",
    severity: Severity::Medium,
    help: "Name lookups return the first entry; UID lookups may return the other.",
    remediation: "Remove or rename one of the entries.",
    tags: &["accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.7")],
    kinds: USERS,
    check: duplicate_user_name,
    ..Rule::DEFAULT
};

fn duplicate_user_name(resource: &Resource, cx: &mut Context<'_>) {
    if earlier_with_same(cx, resource, "host.user", "name").is_some() {
        let user = resource.root();
        cx.report(
            &user,
            format!("`{}` appears more than once in /etc/passwd", name(&user)),
        );
    }
}

pub(crate) const HOST_048: Rule = Rule {
    id: "HOST-048",
    title: "Duplicate GID",
    description: "Two groups share a GID: membership of one is membership of the other.",
    severity: Severity::Medium,
    help: "Files carry only the GID.",
    remediation: "Give each group a unique GID and fix the group of its files.",
    tags: &["accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.6")],
    kinds: GROUPS,
    check: duplicate_gid,
    ..Rule::DEFAULT
};

fn duplicate_gid(resource: &Resource, cx: &mut Context<'_>) {
    if let Some(first) = earlier_with_same(cx, resource, "host.group", "gid") {
        let group = resource.root();
        cx.report(
            &group,
            format!(
                "group `{}` has GID {}, like `{}`",
                name(&group),
                group.get("gid").as_i64().unwrap_or(-1),
                first.root().get("name").as_str().unwrap_or("")
            ),
        );
    }
}

pub(crate) const HOST_045: Rule = Rule {
    id: "HOST-045",
    title: "Primary group missing from /etc/group",
    description: "The account's GID names no group in /etc/group.",
    severity: Severity::Low,
    help: "Files created by the account get a group nobody can be identified with; a group \
               later created with that GID gains them.",
    remediation: "Create the group, or change the account's GID to an existing group.",
    tags: &["accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.3")],
    kinds: USERS,
    check: missing_primary_group,
    ..Rule::DEFAULT
};

fn missing_primary_group(resource: &Resource, cx: &mut Context<'_>) {
    let user = resource.root();
    let Some(gid) = user.get("gid").as_i64() else {
        return;
    };
    if *cx.batch_memo(has_groups) && user.get("group").is_null() {
        cx.report(
            &user.get("gid"),
            format!(
                "`{}` has primary GID {gid}, which no group has",
                name(&user)
            ),
        );
    }
}

pub(crate) const HOST_046: Rule = Rule {
    id: "HOST-046",
    title: "System account with a login shell",
    description: "An account with a UID below 1000 (other than root) has an interactive \
                      shell.",
    severity: Severity::Medium,
    help: "Service accounts should never log in; a shell makes a compromised service or a \
               weak password a way in.",
    remediation: "Set the shell to /usr/sbin/nologin (`usermod -s /usr/sbin/nologin NAME`).",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "5.4.2.7")],
    kinds: USERS,
    check: system_account_shell,
    ..Rule::DEFAULT
};

fn system_account_shell(resource: &Resource, cx: &mut Context<'_>) {
    let user = resource.root();
    let uid = user.get("uid").as_i64().unwrap_or(-1);
    let locked = user.get("shadow").get("password").as_str() == Some("locked");
    if (1..1000).contains(&uid)
        && user.get("interactive").is_true()
        && !locked
        && !matches!(name(&user), "sync" | "shutdown" | "halt")
    {
        cx.report(
            &user,
            format!(
                "system account `{}` (UID {uid}) has the login shell {}",
                name(&user),
                user.get("shell").as_str().unwrap_or("")
            ),
        )
        .fix(format!("usermod -s /usr/sbin/nologin {}", name(&user)));
    }
}

pub(crate) const HOST_047: Rule = Rule {
    id: "HOST-047",
    title: "Password never expires",
    description: "An account with a password set has a maximum password age above 365 days \
                      (or none).",
    severity: Severity::Low,
    help: "`PASS_MAX_DAYS` in /etc/login.defs applies to new accounts; existing ones keep \
               the value in /etc/shadow.",
    remediation: "Set a maximum age of 365 days or less: `chage --maxdays 365 NAME`, and \
                      `PASS_MAX_DAYS 365` in /etc/login.defs.",
    tags: &["accounts", "cis"],
    compliance: &[Control::new(CIS, "5.4.1.1")],
    kinds: USERS,
    check: password_never_expires,
    ..Rule::DEFAULT
};

fn password_never_expires(resource: &Resource, cx: &mut Context<'_>) {
    let shadow = resource.root().get("shadow");
    if shadow.get("password").as_str() != Some("set") {
        return;
    }
    let max = shadow.get("max_days").as_i64();
    if max.is_none_or(|days| days > 365) {
        let user = resource.root();
        cx.report(
            &shadow,
            format!(
                "`{}`'s password expires after {}",
                name(&user),
                max.map_or("never".to_owned(), |d| format!("{d} days"))
            ),
        )
        .fix(format!("chage --maxdays 365 {}", name(&user)));
    }
}

pub(crate) const HOST_049: Rule = Rule {
    id: "HOST-049",
    title: "The shadow group has members",
    description: "Members of `shadow` can read /etc/shadow and crack every password hash \
                      offline.",
    severity: Severity::High,
    help: "Only setgid helpers such as unix_chkpwd need the group.",
    remediation: "Remove every member from the `shadow` group in /etc/group.",
    tags: &["security", "accounts", "cis"],
    compliance: &[Control::new(CIS, "7.2.4")],
    kinds: GROUPS,
    check: shadow_group_members,
    ..Rule::DEFAULT
};

fn shadow_group_members(resource: &Resource, cx: &mut Context<'_>) {
    let group = resource.root();
    if name(&group) != "shadow" {
        return;
    }
    let members: Vec<&str> = group
        .get("members")
        .items()
        .filter_map(|m| m.as_str())
        .collect();
    if !members.is_empty() {
        cx.report(
            &group.get("members"),
            format!("the shadow group has members: {}", members.join(", ")),
        );
    }
}

pub(crate) const HOST_070: Rule = Rule {
    id: "HOST-070",
    title: "World-writable file in a system directory",
    description: "A file anyone can write to, or a world-writable directory without the \
                      sticky bit, under /etc, /usr, /bin, /sbin, /lib, /opt, /boot, /var/lib \
                      or /srv.",
    severity: Severity::High,
    help: "Any local user (or compromised service) can change what such a file does for \
               everyone — a classic privilege escalation.",
    remediation: "Remove write permission for others (`chmod o-w PATH`); give shared \
                      directories the sticky bit (`chmod +t`).",
    tags: &["security", "permissions", "cis"],
    compliance: &[Control::new(CIS, "7.1.11")],
    kinds: tables::FILES,
    check: world_writable,
    ..Rule::DEFAULT
};

fn world_writable(resource: &Resource, cx: &mut Context<'_>) {
    let file = resource.root();
    if has_category(&file, "world-writable") {
        cx.report(
            &file,
            format!(
                "{} {} is writable by everyone (mode {})",
                file.get("type").as_str().unwrap_or("file"),
                path(&file),
                file.get("mode").as_str().unwrap_or("")
            ),
        )
        .fix(format!("chmod o-w {}", path(&file)));
    }
}

pub(crate) const HOST_071: Rule = Rule {
    id: "HOST-071",
    title: "File owned by no account",
    description: "A file in a system directory is owned by a UID that no account of the \
                      host has.",
    severity: Severity::Medium,
    help: "The next account created with that UID owns the file.",
    remediation: "Give the file an owner (`chown root PATH`), or remove it.",
    tags: &["permissions", "cis"],
    compliance: &[Control::new(CIS, "7.1.12")],
    kinds: tables::FILES,
    check: unowned,
    ..Rule::DEFAULT
};

fn unowned(resource: &Resource, cx: &mut Context<'_>) {
    let file = resource.root();
    if has_category(&file, "unowned") {
        cx.report(
            &file,
            format!(
                "{} is owned by UID {}, which no account has",
                path(&file),
                file.get("uid").as_i64().unwrap_or(-1)
            ),
        );
    }
}

/// Programs Debian and Ubuntu install setuid or setgid.
const EXPECTED_SETUID: &[&str] = &[
    "/usr/bin/chage",
    "/usr/bin/chfn",
    "/usr/bin/chsh",
    "/usr/bin/crontab",
    "/usr/bin/expiry",
    "/usr/bin/fusermount",
    "/usr/bin/fusermount3",
    "/usr/bin/gpasswd",
    "/usr/bin/mount",
    "/usr/bin/newgrp",
    "/usr/bin/passwd",
    "/usr/bin/ssh-agent",
    "/usr/bin/su",
    "/usr/bin/sudo",
    "/usr/bin/umount",
    "/usr/bin/wall",
    "/usr/bin/write",
    "/usr/lib/dbus-1.0/dbus-daemon-launch-helper",
    "/usr/lib/openssh/ssh-keysign",
    "/usr/sbin/pam_extrausers_chkpwd",
    "/usr/sbin/unix_chkpwd",
];

pub(crate) const HOST_072: Rule = Rule {
    id: "HOST-072",
    title: "Unexpected setuid or setgid program",
    description: "A setuid or setgid executable that is not one of the programs a Debian or \
                      Ubuntu system ships with that bit.",
    severity: Severity::Medium,
    help: "Every setuid-root program is code that runs as root on behalf of any user; an \
               unexpected one is either a backdoor or attack surface nobody reviewed.",
    remediation: "Review the program; remove the bit (`chmod u-s,g-s PATH`) unless it is \
                      needed, and allow it in the pack settings (`allowed_setuid`) if it is.",
    tags: &["security", "permissions", "cis"],
    compliance: &[Control::new(CIS, "7.1.13")],
    kinds: tables::FILES,
    check: unexpected_setuid,
    ..Rule::DEFAULT
};

fn unexpected_setuid(resource: &Resource, cx: &mut Context<'_>) {
    let file = resource.root();
    if !has_category(&file, "setuid") && !has_category(&file, "setgid") {
        return;
    }
    let p = path(&file);
    let allowed_by_settings = cx
        .settings()
        .get("allowed_setuid")
        .and_then(|v| v.as_array())
        .is_some_and(|list| list.iter().any(|v| v.as_str() == Some(p)));
    // Merged-/usr systems reach the same programs through /bin and /sbin.
    let canonical = p
        .strip_prefix("/bin/")
        .map(|rest| format!("/usr/bin/{rest}"))
        .or_else(|| {
            p.strip_prefix("/sbin/")
                .map(|rest| format!("/usr/sbin/{rest}"))
        })
        .unwrap_or_else(|| p.to_owned());
    if EXPECTED_SETUID.contains(&canonical.as_str()) || allowed_by_settings {
        return;
    }
    let bits = match (file.get("setuid").is_true(), file.get("setgid").is_true()) {
        (true, true) => "setuid and setgid",
        (true, false) => "setuid",
        _ => "setgid",
    };
    cx.report(
        &file,
        format!(
            "{p} is {bits} ({} {}:{}), and not a program the distribution ships so",
            file.get("mode").as_str().unwrap_or(""),
            file.get("owner").as_str().unwrap_or("?"),
            file.get("group").as_str().unwrap_or("?")
        ),
    )
    .fix(format!("chmod u-s,g-s {p}"));
}

fn mount_entry<'a>(resource: &'a Resource, point: &str) -> Option<Node<'a>> {
    resource
        .root()
        .get("entries")
        .items()
        .find(|e| e.get("mount_point").as_str() == Some(point))
}

pub(crate) const HOST_080: Rule = Rule {
    id: "HOST-080",
    title: "/tmp is not a separate file system",
    description: "/tmp is part of the root file system, so its mount options cannot \
                      restrict it and filling it fills `/`.",
    severity: Severity::Low,
    help: "A separate /tmp (a partition or tmpfs) can be mounted nodev, nosuid and noexec.",
    remediation: "Mount /tmp separately: `systemctl enable tmp.mount`, or an fstab entry \
                      `tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0`.",
    tags: &["mounts", "cis"],
    compliance: &[Control::new(CIS, "1.1.2.1.1")],
    kinds: MOUNTS,
    check: tmp_not_separate,
    ..Rule::DEFAULT
};

fn tmp_not_separate(resource: &Resource, cx: &mut Context<'_>) {
    // A systemd tmp.mount enabled on the host also makes /tmp a mount.
    let tmp_mount_unit = cx.batch().iter().any(|r| {
        r.kind == "host.service"
            && r.root().get("name").as_str() == Some("tmp.mount")
            && r.root().get("enabled").is_true()
    });
    if mount_entry(resource, "/tmp").is_none() && !tmp_mount_unit {
        cx.report(&resource.root(), "/tmp is not a separate mount");
    }
}

fn missing_options(entry: &Node<'_>, wanted: &[&str]) -> Vec<String> {
    let options: Vec<&str> = entry
        .get("options")
        .items()
        .filter_map(|o| o.as_str())
        .collect();
    wanted
        .iter()
        .filter(|w| !options.contains(w))
        .map(|w| (*w).to_owned())
        .collect()
}

pub(crate) const HOST_081: Rule = Rule {
    id: "HOST-081",
    title: "/tmp is mounted without nodev, nosuid or noexec",
    description: "/tmp is a separate mount but lacks one of the options that stop device \
                      files, setuid programs and executables placed there by any user.",
    severity: Severity::Medium,
    help: "Everyone can write to /tmp: it is where an attacker stages a setuid binary or a \
               payload.",
    remediation: "Add `nodev,nosuid,noexec` to the /tmp entry's options.",
    tags: &["security", "mounts", "cis"],
    compliance: &[
        Control::new(CIS, "1.1.2.1.2"),
        Control::new(CIS, "1.1.2.1.3"),
        Control::new(CIS, "1.1.2.1.4"),
    ],
    kinds: MOUNTS,
    check: tmp_options,
    ..Rule::DEFAULT
};

fn tmp_options(resource: &Resource, cx: &mut Context<'_>) {
    options_check(resource, cx, "/tmp");
}

pub(crate) const HOST_082: Rule = Rule {
    id: "HOST-082",
    title: "/dev/shm is mounted without nodev, nosuid or noexec",
    description: "Shared memory is world-writable like /tmp and needs the same options.",
    severity: Severity::Medium,
    help: "/dev/shm is a tmpfs every user can write to.",
    remediation: "Add `tmpfs /dev/shm tmpfs defaults,nodev,nosuid,noexec 0 0` to /etc/fstab.",
    tags: &["security", "mounts", "cis"],
    compliance: &[
        Control::new(CIS, "1.1.2.2.2"),
        Control::new(CIS, "1.1.2.2.3"),
        Control::new(CIS, "1.1.2.2.4"),
    ],
    kinds: MOUNTS,
    check: shm_options,
    ..Rule::DEFAULT
};

fn shm_options(resource: &Resource, cx: &mut Context<'_>) {
    options_check(resource, cx, "/dev/shm");
}

fn options_check(resource: &Resource, cx: &mut Context<'_>, point: &str) {
    let Some(entry) = mount_entry(resource, point) else {
        return;
    };
    let missing = missing_options(&entry, &["nodev", "nosuid", "noexec"]);
    if !missing.is_empty() {
        cx.report(
            &entry,
            format!("{point} is mounted without {}", missing.join(", ")),
        )
        .fix(format!(
            "add {} to the options of {point}",
            missing.join(",")
        ));
    }
}

fn has_category(file: &Node<'_>, category: &str) -> bool {
    file.get("categories")
        .items()
        .any(|c| c.as_str() == Some(category))
}

fn name<'a>(node: &Node<'a>) -> &'a str {
    node.get("name").as_str().unwrap_or("")
}

fn path<'a>(node: &Node<'a>) -> &'a str {
    node.get("path").as_str().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_mapped() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(RULES.len() >= 40, "{} rules", RULES.len());
        let mapped = RULES.iter().filter(|r| !r.compliance.is_empty()).count();
        assert!(mapped >= 40, "only {mapped} rules map to a CIS section");
    }
}
