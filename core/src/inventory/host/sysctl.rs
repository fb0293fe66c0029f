//! `host.sysctl`: kernel parameters — what the configuration files set
//! (`/etc/sysctl.conf`, `sysctl.d` directories, in the order systemd and
//! procps apply them) and, on a live system, what the kernel has now.

use super::{HostReader, token, whole_line};
use crate::resource::{Resource, SpanIndex};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The resource kind.
pub const KIND: &str = "host.sysctl";

/// Directories of drop-in files, highest precedence first: a file name in
/// an earlier directory hides the same name in later ones (sysctl.d(5)).
const DROP_IN_DIRS: &[&str] = &[
    "/etc/sysctl.d",
    "/run/sysctl.d",
    "/usr/local/lib/sysctl.d",
    "/usr/lib/sysctl.d",
    "/lib/sysctl.d",
];

/// Parameters read from `/proc/sys` on a live host, whether configured or
/// not: the ones hardening guides check.
pub const LIVE_KEYS: &[&str] = &[
    "fs.protected_fifos",
    "fs.protected_hardlinks",
    "fs.protected_regular",
    "fs.protected_symlinks",
    "fs.suid_dumpable",
    "kernel.dmesg_restrict",
    "kernel.kptr_restrict",
    "kernel.randomize_va_space",
    "kernel.unprivileged_bpf_disabled",
    "kernel.yama.ptrace_scope",
    "net.ipv4.conf.all.accept_redirects",
    "net.ipv4.conf.all.accept_source_route",
    "net.ipv4.conf.all.log_martians",
    "net.ipv4.conf.all.rp_filter",
    "net.ipv4.conf.all.secure_redirects",
    "net.ipv4.conf.all.send_redirects",
    "net.ipv4.conf.default.accept_redirects",
    "net.ipv4.conf.default.accept_source_route",
    "net.ipv4.conf.default.log_martians",
    "net.ipv4.conf.default.rp_filter",
    "net.ipv4.conf.default.secure_redirects",
    "net.ipv4.conf.default.send_redirects",
    "net.ipv4.icmp_echo_ignore_broadcasts",
    "net.ipv4.icmp_ignore_bogus_error_responses",
    "net.ipv4.ip_forward",
    "net.ipv4.tcp_syncookies",
    "net.ipv6.conf.all.accept_ra",
    "net.ipv6.conf.all.accept_redirects",
    "net.ipv6.conf.all.accept_source_route",
    "net.ipv6.conf.all.forwarding",
    "net.ipv6.conf.default.accept_ra",
    "net.ipv6.conf.default.accept_redirects",
    "net.ipv6.conf.default.accept_source_route",
];

/// The host's kernel parameters.
pub fn collect(reader: &mut HostReader<'_>) -> Option<Resource> {
    // File name → path, the first directory having the name winning.
    let mut drop_ins: BTreeMap<String, String> = BTreeMap::new();
    for dir in DROP_IN_DIRS {
        for name in reader.dir(dir) {
            if name.ends_with(".conf") {
                drop_ins
                    .entry(name.clone())
                    .or_insert_with(|| super::fs::join(dir, &name));
            }
        }
    }
    let mut files: Vec<String> = drop_ins.into_values().collect();
    files.push("/etc/sysctl.conf".to_owned());
    let main = reader.display("/etc/sysctl.conf");
    let mut configured: Map<String, Value> = Map::new();
    let mut origins: BTreeMap<String, (String, u32, u32)> = BTreeMap::new();
    let mut spans = SpanIndex::default();
    let mut span_files = BTreeMap::new();
    for file in &files {
        let Some(text) = reader.text(file) else {
            continue;
        };
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with(['#', ';']) {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let key = normalise(key.trim().trim_start_matches('-'));
            if key.contains('*') {
                // Globs (`net.ipv4.conf.*.rp_filter`) apply to interfaces
                // that exist at boot: recorded as written.
            }
            configured.insert(key.clone(), Value::String(value.trim().to_owned()));
            let region = whole_line(raw, index + 1);
            origins.insert(
                key,
                (reader.display(file), region.start_line, region.end_column),
            );
        }
    }
    let live = reader.fs().is_live();
    let mut values = configured.clone();
    if live {
        let keys: Vec<String> = LIVE_KEYS
            .iter()
            .map(|k| (*k).to_owned())
            .chain(configured.keys().filter(|k| !k.contains('*')).cloned())
            .collect();
        for key in keys {
            let path = format!("/proc/sys/{}", key.replace('.', "/"));
            if let Ok(bytes) = reader.fs().read(&path, 1 << 16) {
                let value = String::from_utf8_lossy(&bytes).trim().replace('\t', " ");
                values.insert(key, Value::String(value));
            }
        }
    }
    for (key, (file, line, end)) in &origins {
        for pointer in [
            format!("/configured/{}", token(key)),
            format!("/values/{}", token(key)),
        ] {
            spans.insert(
                pointer.clone(),
                crate::resource::Region::line(*line, 1, *end),
            );
            if *file != main {
                span_files.insert(pointer, file.clone());
            }
        }
    }
    let document = json!({
        "live": live,
        "values": values,
        "configured": configured,
        "files": files,
    });
    let mut resource = Resource::new(KIND, "host.sysctl", main, document).with_spans(spans);
    resource.span_files = span_files;
    Some(resource)
}

/// `net/ipv4/ip_forward` → `net.ipv4.ip_forward` (sysctl accepts both).
fn normalise(key: &str) -> String {
    if key.contains('.') {
        key.to_owned()
    } else {
        key.replace('/', ".")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::host::fs::RootFs;

    #[test]
    fn precedence_of_files_and_drop_ins() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("etc/sysctl.d")).unwrap();
        std::fs::create_dir_all(root.join("usr/lib/sysctl.d")).unwrap();
        std::fs::write(
            root.join("usr/lib/sysctl.d/50-default.conf"),
            "net.ipv4.conf.default.rp_filter = 2\nfs.protected_symlinks = 1\n",
        )
        .unwrap();
        // Same name in /etc hides the vendor file entirely.
        std::fs::write(
            root.join("etc/sysctl.d/50-default.conf"),
            "fs.protected_symlinks = 0\n",
        )
        .unwrap();
        std::fs::write(
            root.join("etc/sysctl.d/99-forward.conf"),
            "# router\n-net/ipv4/ip_forward=1\n",
        )
        .unwrap();
        std::fs::write(root.join("etc/sysctl.conf"), "net.ipv4.ip_forward = 0\n").unwrap();
        let fs = RootFs::new(root).unwrap();
        let mut reader = HostReader::new(&fs, "img");
        let r = collect(&mut reader).unwrap();
        let v = &r.document["values"];
        assert_eq!(v["fs.protected_symlinks"], "0");
        assert!(v.get("net.ipv4.conf.default.rp_filter").is_none());
        // /etc/sysctl.conf is applied last.
        assert_eq!(v["net.ipv4.ip_forward"], "0");
        assert_eq!(
            r.locate("/values/net.ipv4.ip_forward").0,
            "img/etc/sysctl.conf"
        );
        assert_eq!(
            r.locate("/values/fs.protected_symlinks").0,
            "img/etc/sysctl.d/50-default.conf"
        );
        assert_eq!(r.document["live"], false);
    }
}
