//! The pack's rules as data: one row per control, one check per table.

use crate::CIS;
use rampart_policy::{Context, Control, Node, Resource, Rule, Severity};

pub const FILES: &[&str] = &["host.file"];
const SSHD: &[&str] = crate::SSHD;
const SYSCTL: &[&str] = &["host.sysctl"];
const SERVICES: &[&str] = &["host.service"];
const PACKAGES: &[&str] = &["host.package"];

/// An sshd keyword and the values that fail.
pub struct SshdRow {
    pub id: &'static str,
    /// Lowercase, as in the `sshd` document.
    pub keyword: &'static str,
    /// As written in sshd_config.
    pub display: &'static str,
    /// OpenSSH's value when the keyword is not set.
    pub default: &'static str,
    /// Whether a value (lowercased) fails the control.
    pub fails: fn(&str) -> bool,
    /// What to set, for the fix hint.
    pub want: &'static str,
    /// Failing values that are less bad: reported one severity lower
    /// (`PermitRootLogin prohibit-password`: keys only).
    pub milder: &'static [&'static str],
    pub severity: Severity,
    pub title: &'static str,
    pub description: &'static str,
    pub cis: &'static [Control],
}

pub const fn sshd_rule(row: &'static SshdRow) -> Rule {
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "Checked on the effective configuration: `Include`d files expanded, the first \
               value of a keyword winning as in sshd, OpenSSH's default when the keyword is not \
               set. A `Match` block that sets a failing value is reported at its line.",
        help_uri: Some("https://man.openbsd.org/sshd_config"),
        remediation: row.want,
        tags: &["security", "sshd", "cis"],
        compliance: row.cis,
        kinds: SSHD,
        equivalents: &[],
        check: check_sshd,
    }
}

/// Weak algorithms by `Ciphers`, `MACs` and `KexAlgorithms` item.
const WEAK_CIPHERS: &[&str] = &[
    "3des-cbc",
    "aes128-cbc",
    "aes192-cbc",
    "aes256-cbc",
    "arcfour",
    "arcfour128",
    "arcfour256",
    "blowfish-cbc",
    "cast128-cbc",
    "rijndael-cbc@lysator.liu.se",
];
const WEAK_MACS: &[&str] = &[
    "hmac-md5",
    "hmac-md5-96",
    "hmac-ripemd160",
    "hmac-sha1",
    "hmac-sha1-96",
    "umac-64@openssh.com",
    "hmac-md5-etm@openssh.com",
    "hmac-md5-96-etm@openssh.com",
    "hmac-ripemd160-etm@openssh.com",
    "hmac-sha1-etm@openssh.com",
    "hmac-sha1-96-etm@openssh.com",
    "umac-64-etm@openssh.com",
];
const WEAK_KEX: &[&str] = &[
    "diffie-hellman-group1-sha1",
    "diffie-hellman-group14-sha1",
    "diffie-hellman-group-exchange-sha1",
];

/// A list value names a weak algorithm (`+alg` appends to the default,
/// `-alg` removes, `^alg` prepends: only added names count).
fn names_any(value: &str, weak: &[&str]) -> bool {
    value
        .trim_start_matches(['+', '^'])
        .split(',')
        .filter(|_| !value.starts_with('-'))
        .any(|item| weak.contains(&item.trim()))
}

/// `LoginGraceTime` in seconds (`2m`, `1m30s`, `90`).
fn seconds(value: &str) -> Option<u64> {
    let mut total = 0;
    let mut number = String::new();
    for c in value.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: u64 = number.parse().ok()?;
        number.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return None,
        };
    }
    if !number.is_empty() {
        total += number.parse::<u64>().ok()?;
    }
    Some(total)
}

pub static SSHD_RULES: [SshdRow; 16] = [
    SshdRow {
        id: "HOST-001",
        keyword: "permitrootlogin",
        display: "PermitRootLogin",
        default: "prohibit-password",
        fails: |v| v != "no",
        want: "Set `PermitRootLogin no`; log in as a named user and use sudo.",
        milder: &[
            "prohibit-password",
            "without-password",
            "forced-commands-only",
        ],
        severity: Severity::High,
        title: "sshd allows root to log in",
        description: "`PermitRootLogin` is not `no`: root can log in directly (with a password \
                      when `yes`, with a key under OpenSSH's default `prohibit-password`), with \
                      no trace of who it was.",
        cis: &[Control::new(CIS, "5.1.20")],
    },
    SshdRow {
        id: "HOST-002",
        keyword: "permitemptypasswords",
        display: "PermitEmptyPasswords",
        default: "no",
        fails: |v| v == "yes",
        want: "Set `PermitEmptyPasswords no`.",
        milder: &[],
        severity: Severity::Critical,
        title: "sshd accepts empty passwords",
        description: "Accounts without a password can log in over SSH.",
        cis: &[Control::new(CIS, "5.1.19")],
    },
    SshdRow {
        id: "HOST-003",
        keyword: "passwordauthentication",
        display: "PasswordAuthentication",
        default: "yes",
        fails: |v| v == "yes",
        want: "Set `PasswordAuthentication no` and use keys (or certificates).",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd accepts passwords",
        description: "Password logins are open to guessing and credential stuffing from \
                      anywhere the port is reachable (OpenSSH's default is `yes`).",
        cis: &[],
    },
    SshdRow {
        id: "HOST-004",
        keyword: "maxauthtries",
        display: "MaxAuthTries",
        default: "6",
        fails: |v| v.parse::<u32>().is_ok_and(|n| n > 4),
        want: "Set `MaxAuthTries 4` or less.",
        milder: &[],
        severity: Severity::Low,
        title: "sshd allows many authentication attempts per connection",
        description: "More than 4 attempts per connection make guessing cheaper (OpenSSH's \
                      default is 6).",
        cis: &[Control::new(CIS, "5.1.16")],
    },
    SshdRow {
        id: "HOST-005",
        keyword: "x11forwarding",
        display: "X11Forwarding",
        default: "no",
        fails: |v| v == "yes",
        want: "Set `X11Forwarding no` (or `DisableForwarding yes`).",
        milder: &[],
        severity: Severity::Low,
        title: "sshd forwards X11",
        description: "X11 forwarding exposes the client's display to the server: a compromised \
                      server can read keystrokes and screens of users who connect.",
        cis: &[Control::new(CIS, "5.1.8")],
    },
    SshdRow {
        id: "HOST-006",
        keyword: "ciphers",
        display: "Ciphers",
        default: "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        fails: |v| names_any(v, WEAK_CIPHERS),
        want: "Remove CBC, 3DES, Blowfish, CAST and RC4 ciphers from `Ciphers`.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd offers weak ciphers",
        description: "`Ciphers` enables CBC-mode, 3DES, Blowfish, CAST or RC4 ciphers, which \
                      have practical attacks.",
        cis: &[Control::new(CIS, "5.1.6")],
    },
    SshdRow {
        id: "HOST-007",
        keyword: "macs",
        display: "MACs",
        default: "umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com",
        fails: |v| names_any(v, WEAK_MACS),
        want: "Use only SHA-2 (and umac-128) MACs, preferably the `-etm` ones.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd offers weak MACs",
        description: "`MACs` enables MD5, SHA-1, RIPEMD-160 or 64-bit UMAC message \
                      authentication codes.",
        cis: &[Control::new(CIS, "5.1.15")],
    },
    SshdRow {
        id: "HOST-008",
        keyword: "kexalgorithms",
        display: "KexAlgorithms",
        default: "sntrup761x25519-sha512@openssh.com,curve25519-sha256,ecdh-sha2-nistp256",
        fails: |v| names_any(v, WEAK_KEX),
        want: "Remove the SHA-1 Diffie-Hellman key exchanges from `KexAlgorithms`.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd offers weak key exchange",
        description: "`KexAlgorithms` enables SHA-1 Diffie-Hellman groups (Logjam-era, \
                      deprecated by RFC 9142).",
        cis: &[Control::new(CIS, "5.1.12")],
    },
    SshdRow {
        id: "HOST-009",
        keyword: "hostbasedauthentication",
        display: "HostbasedAuthentication",
        default: "no",
        fails: |v| v == "yes",
        want: "Set `HostbasedAuthentication no`.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd trusts host-based authentication",
        description: "A user of a trusted client host can log in as the same user without a \
                      password or key of their own.",
        cis: &[Control::new(CIS, "5.1.10")],
    },
    SshdRow {
        id: "HOST-010",
        keyword: "ignorerhosts",
        display: "IgnoreRhosts",
        default: "yes",
        fails: |v| v != "yes",
        want: "Set `IgnoreRhosts yes`.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd reads .rhosts files",
        description: "Users' `.rhosts` and `.shosts` files can grant logins to other hosts.",
        cis: &[Control::new(CIS, "5.1.11")],
    },
    SshdRow {
        id: "HOST-011",
        keyword: "permituserenvironment",
        display: "PermitUserEnvironment",
        default: "no",
        fails: |v| v != "no",
        want: "Set `PermitUserEnvironment no`.",
        milder: &[],
        severity: Severity::Medium,
        title: "sshd lets users set their environment",
        description: "`~/.ssh/environment` can set `LD_PRELOAD` and similar variables for the \
                      session, bypassing restrictions such as forced commands.",
        cis: &[Control::new(CIS, "5.1.21")],
    },
    SshdRow {
        id: "HOST-012",
        keyword: "logingracetime",
        display: "LoginGraceTime",
        default: "120",
        fails: |v| seconds(v).is_some_and(|s| s == 0 || s > 60),
        want: "Set `LoginGraceTime 60` or less (not 0).",
        milder: &[],
        severity: Severity::Low,
        title: "sshd waits long for unauthenticated connections",
        description: "A long (or unlimited) grace time lets unauthenticated connections pile up \
                      and exhaust `MaxStartups` (OpenSSH's default is 120 s).",
        cis: &[Control::new(CIS, "5.1.13")],
    },
    SshdRow {
        id: "HOST-013",
        keyword: "loglevel",
        display: "LogLevel",
        default: "info",
        fails: |v| v != "info" && v != "verbose",
        want: "Set `LogLevel VERBOSE` (or `INFO`).",
        milder: &[],
        severity: Severity::Low,
        title: "sshd logs too little",
        description: "Below `INFO`, logins and failures are not recorded; `DEBUG` levels can log \
                      sensitive data.",
        cis: &[Control::new(CIS, "5.1.14")],
    },
    SshdRow {
        id: "HOST-014",
        keyword: "usepam",
        display: "UsePAM",
        default: "no",
        fails: |v| v != "yes",
        want: "Set `UsePAM yes`.",
        milder: &[],
        severity: Severity::Low,
        title: "sshd does not use PAM",
        description: "Without PAM, account policies (lockouts, password quality, limits, \
                      session logging) are not applied to SSH logins.",
        cis: &[Control::new(CIS, "5.1.22")],
    },
    SshdRow {
        id: "HOST-015",
        keyword: "clientaliveinterval",
        display: "ClientAliveInterval",
        default: "0",
        fails: |v| seconds(v).is_some_and(|s| s == 0),
        want: "Set `ClientAliveInterval 15` and `ClientAliveCountMax 3`.",
        milder: &[],
        severity: Severity::Low,
        title: "sshd never drops unresponsive sessions",
        description: "With `ClientAliveInterval 0` an abandoned session stays open forever.",
        cis: &[Control::new(CIS, "5.1.7")],
    },
    SshdRow {
        id: "HOST-016",
        keyword: "maxsessions",
        display: "MaxSessions",
        default: "10",
        fails: |v| v.parse::<u32>().is_ok_and(|n| n > 10),
        want: "Set `MaxSessions 10` or less.",
        milder: &[],
        severity: Severity::Low,
        title: "sshd allows many sessions per connection",
        description: "More than 10 multiplexed sessions per connection ease resource \
                      exhaustion.",
        cis: &[Control::new(CIS, "5.1.17")],
    },
];

fn milder(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        _ => Severity::Info,
    }
}

fn check_sshd(resource: &Resource, cx: &mut Context<'_>) {
    let Some(row) = SSHD_RULES.iter().find(|r| r.id == cx.rule().id) else {
        return;
    };
    let settings = resource.root().get("settings");
    let node = settings.get(row.keyword);
    // The file's value, else the server's own (`sshd -T`, over SSH), else
    // OpenSSH's default.
    let effective = resource.root().get("effective").get(row.keyword);
    let value = node
        .as_str()
        .or(effective.as_str())
        .unwrap_or(row.default)
        .to_ascii_lowercase();
    if (row.fails)(&value) {
        let message = if node.exists() {
            format!("{} is `{}`", row.display, node.as_str().unwrap_or(""))
        } else if let Some(server) = effective.as_str() {
            format!(
                "{} is not set, and the server's effective value (`sshd -T`) is `{server}`",
                row.display
            )
        } else {
            format!(
                "{} is not set, and OpenSSH's default is `{}`",
                row.display, row.default
            )
        };
        let at = node.or(&resource.root());
        let finding = cx.report(&at, message).fix(row.want);
        if row.milder.contains(&value.as_str()) {
            finding.severity(milder(row.severity));
        }
    }
    for block in resource.root().get("matches").items() {
        let node = block.get("settings").get(row.keyword);
        if let Some(value) = node.as_str()
            && (row.fails)(&value.to_ascii_lowercase())
        {
            cx.report(
                &node,
                format!(
                    "{} is `{value}` for `Match {}`",
                    row.display,
                    block.get("criteria").as_str().unwrap_or("")
                ),
            )
            .fix(row.want);
        }
    }
}

/// Kernel parameters and the values that pass.
pub struct SysctlRow {
    pub id: &'static str,
    pub keys: &'static [&'static str],
    /// Whether a value passes.
    pub passes: fn(&str) -> bool,
    pub want: &'static str,
    /// The kernel's value when nothing sets it (an image is checked
    /// against it); `None` where it depends on the kernel build.
    pub default: Option<&'static str>,
    pub severity: Severity,
    pub title: &'static str,
    pub description: &'static str,
    pub cis: &'static [Control],
}

pub const fn sysctl_rule(row: &'static SysctlRow) -> Rule {
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "On a live host the running kernel's value is checked; on an image, the value \
               the configuration files set at boot (`/etc/sysctl.conf`, `sysctl.d`), else the \
               kernel's default. The finding points at the line that sets the value.",
        help_uri: Some("https://docs.kernel.org/admin-guide/sysctl/"),
        remediation: row.want,
        tags: &["security", "sysctl", "cis"],
        compliance: row.cis,
        kinds: SYSCTL,
        equivalents: &[],
        check: check_sysctl,
    }
}

pub static SYSCTL_RULES: [SysctlRow; 15] = [
    SysctlRow {
        id: "HOST-020",
        keys: &["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"],
        passes: |v| v == "0",
        want: "Set `net.ipv4.ip_forward = 0` and `net.ipv6.conf.all.forwarding = 0` in a file of /etc/sysctl.d (unless the host is a router).",
        default: Some("0"),
        severity: Severity::Medium,
        title: "IP forwarding is enabled",
        description: "The host routes packets between its interfaces: it can be used to reach \
                      networks it should separate.",
        cis: &[Control::new(CIS, "3.3.1")],
    },
    SysctlRow {
        id: "HOST-021",
        keys: &[
            "net.ipv4.conf.all.send_redirects",
            "net.ipv4.conf.default.send_redirects",
        ],
        passes: |v| v == "0",
        want: "Set `net.ipv4.conf.all.send_redirects = 0` and `net.ipv4.conf.default.send_redirects = 0`.",
        default: Some("1"),
        severity: Severity::Low,
        title: "The host sends ICMP redirects",
        description: "Only routers send redirects; a host that does can be used to alter other \
                      hosts' routes.",
        cis: &[Control::new(CIS, "3.3.2")],
    },
    SysctlRow {
        id: "HOST-022",
        keys: &["net.ipv4.icmp_ignore_bogus_error_responses"],
        passes: |v| v == "1",
        want: "Set `net.ipv4.icmp_ignore_bogus_error_responses = 1`.",
        default: Some("1"),
        severity: Severity::Low,
        title: "Bogus ICMP error responses are logged",
        description: "Malformed ICMP errors fill the logs and can hide real events.",
        cis: &[Control::new(CIS, "3.3.3")],
    },
    SysctlRow {
        id: "HOST-023",
        keys: &["net.ipv4.icmp_echo_ignore_broadcasts"],
        passes: |v| v == "1",
        want: "Set `net.ipv4.icmp_echo_ignore_broadcasts = 1`.",
        default: Some("1"),
        severity: Severity::Low,
        title: "The host answers broadcast pings",
        description: "Answering broadcast ICMP echo makes the host a Smurf amplifier.",
        cis: &[Control::new(CIS, "3.3.4")],
    },
    SysctlRow {
        id: "HOST-024",
        keys: &[
            "net.ipv4.conf.all.accept_redirects",
            "net.ipv4.conf.default.accept_redirects",
            "net.ipv6.conf.all.accept_redirects",
            "net.ipv6.conf.default.accept_redirects",
        ],
        passes: |v| v == "0",
        want: "Set the four `accept_redirects` parameters (IPv4 and IPv6, `all` and `default`) to 0.",
        default: Some("1"),
        severity: Severity::Medium,
        title: "ICMP redirects are accepted",
        description: "A forged redirect changes the host's routing table: traffic can be sent \
                      through an attacker.",
        cis: &[Control::new(CIS, "3.3.5")],
    },
    SysctlRow {
        id: "HOST-025",
        keys: &[
            "net.ipv4.conf.all.secure_redirects",
            "net.ipv4.conf.default.secure_redirects",
        ],
        passes: |v| v == "0",
        want: "Set `net.ipv4.conf.all.secure_redirects = 0` and `net.ipv4.conf.default.secure_redirects = 0`.",
        default: Some("1"),
        severity: Severity::Low,
        title: "Secure ICMP redirects are accepted",
        description: "Redirects from the default gateways are still redirects: a compromised \
                      gateway can reroute traffic.",
        cis: &[Control::new(CIS, "3.3.6")],
    },
    SysctlRow {
        id: "HOST-026",
        keys: &[
            "net.ipv4.conf.all.rp_filter",
            "net.ipv4.conf.default.rp_filter",
        ],
        passes: |v| v == "1",
        want: "Set `net.ipv4.conf.all.rp_filter = 1` and `net.ipv4.conf.default.rp_filter = 1`.",
        default: Some("0"),
        severity: Severity::Medium,
        title: "Reverse path filtering is off",
        description: "Packets with spoofed source addresses are accepted on interfaces they \
                      could not have come from.",
        cis: &[Control::new(CIS, "3.3.7")],
    },
    SysctlRow {
        id: "HOST-027",
        keys: &[
            "net.ipv4.conf.all.accept_source_route",
            "net.ipv4.conf.default.accept_source_route",
            "net.ipv6.conf.all.accept_source_route",
            "net.ipv6.conf.default.accept_source_route",
        ],
        passes: |v| v == "0",
        want: "Set the four `accept_source_route` parameters to 0.",
        default: Some("0"),
        severity: Severity::Medium,
        title: "Source-routed packets are accepted",
        description: "Source routing lets the sender choose the path, bypassing filtering \
                      routers.",
        cis: &[Control::new(CIS, "3.3.8")],
    },
    SysctlRow {
        id: "HOST-028",
        keys: &[
            "net.ipv4.conf.all.log_martians",
            "net.ipv4.conf.default.log_martians",
        ],
        passes: |v| v == "1",
        want: "Set `net.ipv4.conf.all.log_martians = 1` and `net.ipv4.conf.default.log_martians = 1`.",
        default: Some("0"),
        severity: Severity::Low,
        title: "Martian packets are not logged",
        description: "Packets with impossible addresses (spoofing, misconfiguration) go \
                      unnoticed.",
        cis: &[Control::new(CIS, "3.3.9")],
    },
    SysctlRow {
        id: "HOST-029",
        keys: &["net.ipv4.tcp_syncookies"],
        passes: |v| v == "1",
        want: "Set `net.ipv4.tcp_syncookies = 1`.",
        default: Some("1"),
        severity: Severity::Medium,
        title: "TCP SYN cookies are off",
        description: "Without SYN cookies a SYN flood fills the connection backlog and denies \
                      service.",
        cis: &[Control::new(CIS, "3.3.10")],
    },
    SysctlRow {
        id: "HOST-030",
        keys: &[
            "net.ipv6.conf.all.accept_ra",
            "net.ipv6.conf.default.accept_ra",
        ],
        passes: |v| v == "0",
        want: "Set `net.ipv6.conf.all.accept_ra = 0` and `net.ipv6.conf.default.accept_ra = 0` on hosts with static addressing.",
        default: Some("1"),
        severity: Severity::Low,
        title: "IPv6 router advertisements are accepted",
        description: "Any host on the link can announce itself as a router and take the \
                      traffic.",
        cis: &[Control::new(CIS, "3.3.11")],
    },
    SysctlRow {
        id: "HOST-031",
        keys: &["kernel.randomize_va_space"],
        passes: |v| v == "2",
        want: "Set `kernel.randomize_va_space = 2`.",
        default: Some("2"),
        severity: Severity::High,
        title: "Address space layout randomisation is weakened",
        description: "Below 2, stack, mmap or heap addresses are predictable and memory-corruption \
                      exploits become reliable.",
        cis: &[Control::new(CIS, "1.5.1")],
    },
    SysctlRow {
        id: "HOST-032",
        keys: &["kernel.yama.ptrace_scope"],
        passes: |v| v.parse::<u32>().is_ok_and(|n| n >= 1),
        want: "Set `kernel.yama.ptrace_scope = 1` (or higher).",
        default: Some("0"),
        severity: Severity::Low,
        title: "Any process may ptrace others of the same user",
        description: "With `ptrace_scope` 0 a compromised process can read the memory (keys, \
                      passwords) of every other process of its user.",
        cis: &[Control::new(CIS, "1.5.2")],
    },
    SysctlRow {
        id: "HOST-033",
        keys: &["fs.suid_dumpable"],
        passes: |v| v == "0",
        want: "Set `fs.suid_dumpable = 0` (and `* hard core 0` in /etc/security/limits.conf).",
        default: Some("0"),
        severity: Severity::Medium,
        title: "Setuid programs may dump core",
        description: "Core dumps of privileged programs can hold secrets (shadow hashes, keys) \
                      readable afterwards.",
        cis: &[Control::new(CIS, "1.5.3")],
    },
    SysctlRow {
        id: "HOST-034",
        keys: &["kernel.dmesg_restrict"],
        passes: |v| v == "1",
        want: "Set `kernel.dmesg_restrict = 1`.",
        // Set by the kernel build (CONFIG_SECURITY_DMESG_RESTRICT): judged
        // only where the host or its configuration says.
        default: None,
        severity: Severity::Low,
        title: "Unprivileged users can read the kernel log",
        description: "`dmesg` shows kernel addresses and hardware details that help exploit                       kernel bugs.",
        cis: &[],
    },
];

fn check_sysctl(resource: &Resource, cx: &mut Context<'_>) {
    let Some(row) = SYSCTL_RULES.iter().find(|r| r.id == cx.rule().id) else {
        return;
    };
    let values = resource.root().get("values");
    for key in row.keys {
        let node = values.get(key);
        let (value, configured) = match node.as_str() {
            Some(v) => (v.trim().to_owned(), true),
            None => match row.default {
                Some(d) => (d.to_owned(), false),
                None => continue,
            },
        };
        if (row.passes)(&value) {
            continue;
        }
        let message = if configured {
            format!("{key} is {value}")
        } else {
            format!("{key} is not set, and the kernel's default is {value}")
        };
        cx.report(&node.or(&resource.root()), message).fix(row.want);
    }
}

/// Files whose mode and owner are prescribed.
pub struct FileRow {
    pub id: &'static str,
    pub matches: fn(&str) -> bool,
    /// Bits beyond these fail (`0o644`).
    pub max_mode: u32,
    pub owners: &'static [&'static str],
    pub groups: &'static [&'static str],
    pub title: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    pub cis: &'static [Control],
}

pub const fn file_rule(row: &'static FileRow) -> Rule {
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "Modes are compared bit by bit: any permission beyond the prescribed mode \
               fails, stricter modes pass.",
        help_uri: None,
        remediation: "Restore the prescribed owner, group and mode with `chown` and `chmod` \
                      (the finding's fix hint has the exact command).",
        tags: &["security", "permissions", "cis"],
        compliance: row.cis,
        kinds: FILES,
        equivalents: &[],
        check: check_file,
    }
}

const ROOT: &[&str] = &["root"];
const ROOT_OR_SHADOW: &[&str] = &["root", "shadow"];

pub static FILE_RULES: [FileRow; 11] = [
    FileRow {
        id: "HOST-060",
        matches: |p| p == "/etc/passwd" || p == "/etc/passwd-",
        max_mode: 0o644,
        owners: ROOT,
        groups: ROOT,
        title: "/etc/passwd has loose permissions",
        description: "/etc/passwd (and its backup) must be 0644 or stricter, owned by root:root: \
                      whoever can write it can add a UID 0 account.",
        severity: Severity::High,
        cis: &[Control::new(CIS, "7.1.1"), Control::new(CIS, "7.1.2")],
    },
    FileRow {
        id: "HOST-061",
        matches: |p| p == "/etc/group" || p == "/etc/group-",
        max_mode: 0o644,
        owners: ROOT,
        groups: ROOT,
        title: "/etc/group has loose permissions",
        description: "/etc/group (and its backup) must be 0644 or stricter, owned by root:root: \
                      whoever can write it can join any group.",
        severity: Severity::High,
        cis: &[Control::new(CIS, "7.1.3"), Control::new(CIS, "7.1.4")],
    },
    FileRow {
        id: "HOST-062",
        matches: |p| p == "/etc/shadow" || p == "/etc/shadow-",
        max_mode: 0o640,
        owners: ROOT,
        groups: ROOT_OR_SHADOW,
        title: "/etc/shadow has loose permissions",
        description: "/etc/shadow (and its backup) must be 0640 or stricter, owned by root with \
                      group root or shadow: it holds every password hash.",
        severity: Severity::Critical,
        cis: &[Control::new(CIS, "7.1.5"), Control::new(CIS, "7.1.6")],
    },
    FileRow {
        id: "HOST-063",
        matches: |p| p == "/etc/gshadow" || p == "/etc/gshadow-",
        max_mode: 0o640,
        owners: ROOT,
        groups: ROOT_OR_SHADOW,
        title: "/etc/gshadow has loose permissions",
        description: "/etc/gshadow (and its backup) must be 0640 or stricter, owned by root \
                      with group root or shadow: it holds group password hashes.",
        severity: Severity::High,
        cis: &[Control::new(CIS, "7.1.7"), Control::new(CIS, "7.1.8")],
    },
    FileRow {
        id: "HOST-064",
        matches: |p| p == "/etc/shells",
        max_mode: 0o644,
        owners: ROOT,
        groups: ROOT,
        title: "/etc/shells has loose permissions",
        description: "/etc/shells decides which shells count as login shells (chsh, ftp \
                      daemons): 0644 root:root.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "7.1.9")],
    },
    FileRow {
        id: "HOST-065",
        matches: |p| p == "/etc/security/opasswd",
        max_mode: 0o600,
        owners: ROOT,
        groups: ROOT,
        title: "/etc/security/opasswd has loose permissions",
        description: "Old password hashes kept for reuse checks must be 0600 root:root.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "7.1.10")],
    },
    FileRow {
        id: "HOST-066",
        matches: |p| p == "/etc/ssh/sshd_config",
        max_mode: 0o600,
        owners: ROOT,
        groups: ROOT,
        title: "sshd_config has loose permissions",
        description: "The SSH server configuration must be 0600 root:root: readable, it shows \
                      how to attack the server; writable, it opens it.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "5.1.1")],
    },
    FileRow {
        id: "HOST-067",
        matches: |p| p.starts_with("/etc/ssh/ssh_host_") && p.ends_with("_key"),
        max_mode: 0o600,
        owners: ROOT,
        groups: ROOT,
        title: "SSH host private key has loose permissions",
        description: "Whoever reads a host private key can impersonate the server to every \
                      client: 0600 root:root.",
        severity: Severity::Critical,
        cis: &[Control::new(CIS, "5.1.2")],
    },
    FileRow {
        id: "HOST-068",
        matches: |p| p.starts_with("/etc/ssh/ssh_host_") && p.ends_with("_key.pub"),
        max_mode: 0o644,
        owners: ROOT,
        groups: ROOT,
        title: "SSH host public key is writable by others",
        description: "Host public keys must be 0644 or stricter, owned by root:root.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "5.1.3")],
    },
    FileRow {
        id: "HOST-069",
        matches: |p| p == "/etc/crontab",
        max_mode: 0o600,
        owners: ROOT,
        groups: ROOT,
        title: "/etc/crontab has loose permissions",
        description: "The system crontab runs commands as any user: 0600 root:root, so nobody \
                      else can read or change the schedule.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "2.4.1.2")],
    },
    FileRow {
        id: "HOST-073",
        matches: |p| {
            matches!(
                p,
                "/etc/cron.hourly"
                    | "/etc/cron.daily"
                    | "/etc/cron.weekly"
                    | "/etc/cron.monthly"
                    | "/etc/cron.d"
            )
        },
        max_mode: 0o700,
        owners: ROOT,
        groups: ROOT,
        title: "Cron directory has loose permissions",
        description: "The cron directories hold jobs that run as root: 0700 root:root.",
        severity: Severity::Medium,
        cis: &[
            Control::new(CIS, "2.4.1.3"),
            Control::new(CIS, "2.4.1.4"),
            Control::new(CIS, "2.4.1.5"),
            Control::new(CIS, "2.4.1.6"),
            Control::new(CIS, "2.4.1.7"),
        ],
    },
];

fn check_file(resource: &Resource, cx: &mut Context<'_>) {
    let Some(row) = FILE_RULES.iter().find(|r| r.id == cx.rule().id) else {
        return;
    };
    let file = resource.root();
    let path = file.get("path").as_str().unwrap_or("");
    if !(row.matches)(path) || file.get("type").as_str() == Some("symlink") {
        return;
    }
    let mode = file.get("mode_bits").as_i64().unwrap_or(0) as u32;
    let owner = file.get("owner").as_str();
    let group = file.get("group").as_str();
    let mut problems = Vec::new();
    if mode & !row.max_mode & 0o7777 != 0 {
        problems.push(format!("mode {mode:04o} (at most {:04o})", row.max_mode));
    }
    let owner_ok = owner.is_some_and(|o| row.owners.contains(&o));
    if !owner_ok {
        problems.push(format!("owner {}", describe(owner, &file, "uid")));
    }
    let group_ok = group.is_some_and(|g| row.groups.contains(&g));
    if !group_ok {
        problems.push(format!("group {}", describe(group, &file, "gid")));
    }
    if problems.is_empty() {
        return;
    }
    let fix = format!(
        "chown {}:{} {path} && chmod {:o} {path}",
        row.owners[0],
        if group_ok {
            group.unwrap_or(row.groups[0])
        } else {
            row.groups[0]
        },
        mode & row.max_mode
    );
    cx.report(&file, format!("{path}: {}", problems.join(", ")))
        .fix(fix);
}

fn describe(name: Option<&str>, file: &Node<'_>, id_field: &str) -> String {
    match name {
        Some(n) => n.to_owned(),
        None => format!(
            "{} (no such account)",
            file.get(id_field).as_i64().unwrap_or(-1)
        ),
    }
}

/// Something that should not be there, known by its names: a server that
/// should not run (systemd unit and inetd service names), a package that
/// should not be installed.
pub struct NamedRow {
    pub id: &'static str,
    pub names: &'static [&'static str],
    pub title: &'static str,
    pub description: &'static str,
    pub severity: Severity,
    pub cis: &'static [Control],
}

pub const fn service_rule(row: &'static NamedRow) -> Rule {
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "A unit is enabled when a `*.wants` (or `*.requires`) directory links it and it \
               is not masked; an inetd service when /etc/inetd.conf lists it.",
        help_uri: None,
        remediation: "Disable and stop the service (`systemctl disable --now UNIT`, or remove \
                      its line from /etc/inetd.conf), or remove the package.",
        tags: &["security", "services", "cis"],
        compliance: row.cis,
        kinds: SERVICES,
        equivalents: &[],
        check: check_service,
    }
}

pub static SERVICE_RULES: [NamedRow; 7] = [
    NamedRow {
        id: "HOST-090",
        names: &[
            "telnet",
            "telnet.socket",
            "inetutils-telnetd.service",
            "login",
            "shell",
            "exec",
            "rlogin.socket",
            "rsh.socket",
            "rexec.socket",
        ],
        title: "Clear-text remote login service enabled (telnet, rlogin, rsh, rexec)",
        description: "These protocols send passwords and sessions in clear text and trust \
                      addresses.",
        severity: Severity::High,
        cis: &[Control::new(CIS, "2.1.19")],
    },
    NamedRow {
        id: "HOST-091",
        names: &["tftp", "tftpd-hpa.service", "tftp.socket", "atftpd.service"],
        title: "TFTP server enabled",
        description: "TFTP has no authentication: anyone who can reach it reads (and often \
                      writes) its files.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "2.1.16")],
    },
    NamedRow {
        id: "HOST-092",
        names: &["avahi-daemon.service", "avahi-daemon.socket"],
        title: "Avahi (mDNS) daemon enabled",
        description: "Zeroconf announces the host and its services on the local network.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.1.2")],
    },
    NamedRow {
        id: "HOST-093",
        names: &["cups.service", "cups.socket", "cups-browsed.service"],
        title: "Print server (CUPS) enabled",
        description: "A server rarely prints; CUPS and cups-browsed have had remotely \
                      exploitable flaws.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.1.11")],
    },
    NamedRow {
        id: "HOST-094",
        names: &["rpcbind.service", "rpcbind.socket"],
        title: "rpcbind enabled",
        description: "The RPC port mapper exposes RPC services and is used in reflection \
                      attacks; only NFSv3 servers and clients need it.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.1.12")],
    },
    NamedRow {
        id: "HOST-095",
        names: &[
            "vsftpd.service",
            "proftpd.service",
            "pure-ftpd.service",
            "ftp",
        ],
        title: "FTP server enabled",
        description: "FTP sends credentials and data in clear text.",
        severity: Severity::Medium,
        cis: &[Control::new(CIS, "2.1.6")],
    },
    NamedRow {
        id: "HOST-096",
        names: &[
            "xinetd.service",
            "inetd.service",
            "openbsd-inetd.service",
            "inetutils-inetd.service",
        ],
        title: "inetd super-server enabled",
        description: "A super-server starts legacy network services on demand; none should be \
                      needed.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.1.19")],
    },
];

fn check_service(resource: &Resource, cx: &mut Context<'_>) {
    let Some(row) = SERVICE_RULES.iter().find(|r| r.id == cx.rule().id) else {
        return;
    };
    let service = resource.root();
    let name = service.get("name").as_str().unwrap_or("");
    if row.names.contains(&name) && service.get("enabled").is_true() {
        let how = match service.get("manager").as_str() {
            Some("inetd") => "is enabled in /etc/inetd.conf".to_owned(),
            _ => {
                let targets: Vec<&str> = service
                    .get("wanted_by")
                    .items()
                    .filter_map(|t| t.as_str())
                    .collect();
                format!("is enabled (wanted by {})", targets.join(", "))
            }
        };
        cx.report(&service, format!("{name} {how}"))
            .fix(format!("systemctl disable --now {name}"));
    }
}

pub const fn package_rule(row: &'static NamedRow) -> Rule {
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "Checked against the package manager's database (dpkg, apk).",
        help_uri: None,
        remediation: "Remove the package (`apt purge NAME`).",
        tags: &["security", "packages", "cis"],
        compliance: row.cis,
        kinds: PACKAGES,
        equivalents: &[],
        check: check_package,
    }
}

pub static PACKAGE_RULES: [NamedRow; 3] = [
    NamedRow {
        id: "HOST-110",
        names: &["telnet", "inetutils-telnet"],
        title: "telnet client installed",
        description: "telnet sends everything, credentials included, in clear text.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.2.4")],
    },
    NamedRow {
        id: "HOST-111",
        names: &["rsh-client", "rsh-redone-client"],
        title: "rsh client installed",
        description: "rsh, rcp and rlogin authenticate by address and send in clear text.",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "2.2.2")],
    },
    NamedRow {
        id: "HOST-112",
        names: &["prelink"],
        title: "prelink installed",
        description: "prelink rewrites binaries and libraries, defeating ASLR for them and \
                      interfering with integrity checking (AIDE).",
        severity: Severity::Low,
        cis: &[Control::new(CIS, "1.5.4")],
    },
];

fn check_package(resource: &Resource, cx: &mut Context<'_>) {
    let Some(row) = PACKAGE_RULES.iter().find(|r| r.id == cx.rule().id) else {
        return;
    };
    let package = resource.root();
    let name = package.get("name").as_str().unwrap_or("");
    if row.names.contains(&name) {
        cx.report(
            &package,
            format!(
                "{name} {} is installed",
                package.get("version").as_str().unwrap_or("")
            ),
        )
        .fix(format!("apt purge {name}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_time_units() {
        assert_eq!(seconds("2m"), Some(120));
        assert_eq!(seconds("1m30s"), Some(90));
        assert_eq!(seconds("45"), Some(45));
        assert_eq!(seconds("x"), None);
    }

    #[test]
    fn algorithm_lists() {
        assert!(names_any("aes128-ctr,aes256-cbc", WEAK_CIPHERS));
        assert!(names_any("+3des-cbc", WEAK_CIPHERS));
        assert!(!names_any("-aes256-cbc", WEAK_CIPHERS));
        assert!(!names_any("chacha20-poly1305@openssh.com", WEAK_CIPHERS));
    }
}
