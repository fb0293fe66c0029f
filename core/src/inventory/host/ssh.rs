//! Hosts over SSH, agentless: the system OpenSSH client (so
//! `~/.ssh/config`, agents, jump hosts and known_hosts work as for the
//! user), one multiplexed connection per host, and three read-only
//! commands — a `tar` of the files the collectors read, a `stat`/`find` of
//! the files whose metadata matters, and the live kernel values. Nothing is
//! installed or written on the target; the snapshot is read in memory and
//! never extracted.
//!
//! Content is fetched only for the configuration files the collectors
//! parse (never private keys: their modes come from `stat`).

use super::fs::{FileStat, FileType, HostFs, resolve_path};
use super::sysctl::LIVE_KEYS;
use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `ssh://[user@]host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshTarget {
    /// Login name; `None`: whatever the SSH configuration says.
    pub user: Option<String>,
    /// Host name or address (as `ssh` takes it: an alias of `~/.ssh/config`
    /// works).
    pub host: String,
    /// Port; `None`: the SSH configuration's.
    pub port: Option<u16>,
    /// How the host is named in reports (an inventory's host name, else
    /// the URL).
    pub name: String,
}

impl SshTarget {
    /// Parses `ssh://[user@]host[:port]` (IPv6 as `[::1]`).
    ///
    /// ```
    /// use rampart_core::inventory::host::ssh::SshTarget;
    /// let t = SshTarget::parse("ssh://deploy@web1.example.com:2222").unwrap();
    /// assert_eq!((t.user.as_deref(), t.host.as_str(), t.port), (Some("deploy"), "web1.example.com", Some(2222)));
    /// assert_eq!(SshTarget::parse("ssh://[::1]").unwrap().host, "::1");
    /// assert!(SshTarget::parse("web1").is_err());
    /// ```
    pub fn parse(url: &str) -> Result<SshTarget, String> {
        let rest = url
            .strip_prefix("ssh://")
            .ok_or_else(|| format!("`{url}` is not an ssh:// URL (ssh://[user@]host[:port])"))?;
        let rest = rest.trim_end_matches('/');
        let (user, host_port) = match rest.rsplit_once('@') {
            Some((user, rest)) => (Some(user.to_owned()), rest),
            None => (None, rest),
        };
        let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
            let (host, after) = inner
                .split_once(']')
                .ok_or_else(|| format!("`{url}`: unclosed `[` in the host"))?;
            (host, after.strip_prefix(':'))
        } else {
            match host_port.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (host_port, None),
            }
        };
        if host.is_empty() || host.starts_with('-') {
            return Err(format!("`{url}`: no host name"));
        }
        let port = port
            .map(|p| {
                p.parse::<u16>()
                    .map_err(|_| format!("`{url}`: `{p}` is not a port number"))
            })
            .transpose()?;
        if user
            .as_deref()
            .is_some_and(|u| u.is_empty() || u.starts_with('-'))
        {
            return Err(format!("`{url}`: invalid user name"));
        }
        Ok(SshTarget {
            user,
            host: host.to_owned(),
            port,
            name: url.to_owned(),
        })
    }

    /// The prefix of reported paths: `ssh://[user@]host[:port]`.
    pub fn url(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!(
            "ssh://{}{host}{}",
            self.user
                .as_deref()
                .map(|u| format!("{u}@"))
                .unwrap_or_default(),
            self.port.map(|p| format!(":{p}")).unwrap_or_default()
        )
    }
}

/// How hosts are reached.
#[derive(Debug, Clone)]
pub struct SshOptions {
    /// The client (`ssh`).
    pub program: PathBuf,
    /// Extra arguments before the host, e.g. `-F config`, `-o Key=Value`,
    /// `-i key`.
    pub args: Vec<String>,
    /// Time to establish a connection (each attempt).
    pub connect_timeout: Duration,
    /// Time for the whole collection from one host.
    pub host_timeout: Duration,
    /// Further attempts after a failed connection, with exponential backoff.
    pub retries: u32,
    /// First backoff delay (doubled each retry).
    pub backoff: Duration,
}

impl Default for SshOptions {
    fn default() -> Self {
        SshOptions {
            program: PathBuf::from("ssh"),
            args: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            host_timeout: Duration::from_secs(120),
            retries: 2,
            backoff: Duration::from_millis(500),
        }
    }
}

/// Why a host could not be scanned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host}: {message}")]
pub struct SshError {
    /// The host's name.
    pub host: String,
    /// What happened, with ssh's own words.
    pub message: String,
}

/// A multiplexed OpenSSH connection (`ControlMaster`), closed on drop.
struct Session {
    target: SshTarget,
    options: SshOptions,
    /// Holds the control socket; removed with it.
    _control_dir: tempfile::TempDir,
    control_path: PathBuf,
    deadline: Instant,
}

impl Session {
    fn connect(target: &SshTarget, options: &SshOptions) -> Result<Session, SshError> {
        let error = |message: String| SshError {
            host: target.name.clone(),
            message,
        };
        let control_dir = tempfile::Builder::new()
            .prefix("rampart-ssh-")
            .tempdir()
            .map_err(|e| {
                error(format!(
                    "cannot create a directory for the control socket: {e}"
                ))
            })?;
        let control_path = control_dir.path().join("cm");
        let session = Session {
            target: target.clone(),
            options: options.clone(),
            _control_dir: control_dir,
            control_path,
            deadline: Instant::now() + options.host_timeout,
        };
        let mut attempt = 0;
        loop {
            let mut command = session.command();
            // The master ends on `-O exit` when the session is dropped; should
            // rampart die first, it ends by itself once idle that long.
            let persist = format!("ControlPersist={}s", options.host_timeout.as_secs() + 30);
            command.args(["-o", "ControlMaster=yes", "-o", &persist, "-N", "-f"]);
            command.arg(&target.host);
            let connect_deadline =
                Instant::now() + options.connect_timeout + Duration::from_secs(5);
            match run(command, None, connect_deadline.min(session.deadline)) {
                Ok(output) if output.status_ok => return Ok(session),
                Ok(output) => {
                    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                    // 255 is ssh's own failure (network, authentication);
                    // authentication and host-key failures do not get
                    // better by retrying.
                    let permanent = stderr.contains("Permission denied")
                        || stderr.contains("Host key verification failed")
                        || stderr.contains("Could not resolve hostname");
                    if permanent || attempt >= options.retries {
                        return Err(error(format!(
                            "cannot connect{}: {}",
                            if attempt > 0 {
                                format!(" after {} attempts", attempt + 1)
                            } else {
                                String::new()
                            },
                            if stderr.is_empty() {
                                "ssh failed".to_owned()
                            } else {
                                stderr
                            }
                        )));
                    }
                }
                Err(e) => {
                    if attempt >= options.retries {
                        return Err(error(format!(
                            "cannot connect after {} attempts: {e}",
                            attempt + 1
                        )));
                    }
                }
            }
            let delay = options.backoff * 2u32.saturating_pow(attempt);
            if Instant::now() + delay >= session.deadline {
                return Err(error(
                    "cannot connect before the host's time limit".to_owned(),
                ));
            }
            std::thread::sleep(delay);
            attempt += 1;
        }
    }

    /// `ssh` with the control socket, batch mode and the user's arguments.
    fn command(&self) -> Command {
        let mut command = Command::new(&self.options.program);
        command
            .arg("-S")
            .arg(&self.control_path)
            .args(["-o", "BatchMode=yes"])
            .arg("-o")
            .arg(format!(
                "ConnectTimeout={}",
                self.options.connect_timeout.as_secs().max(1)
            ))
            .args(["-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3"])
            .args(&self.options.args);
        if let Some(user) = &self.target.user {
            command.arg("-l").arg(user);
        }
        if let Some(port) = self.target.port {
            command.arg("-p").arg(port.to_string());
        }
        command
    }

    /// Runs a POSIX shell script on the host (sent on stdin to `sh -s`, so
    /// no quoting crosses the wire).
    fn script(&self, script: &str) -> Result<Output, SshError> {
        let mut command = self.command();
        command.arg(&self.target.host).arg("--").args(["sh", "-s"]);
        run(command, Some(script.as_bytes()), self.deadline).map_err(|e| SshError {
            host: self.target.name.clone(),
            message: e.to_string(),
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let mut command = self.command();
        command.args(["-O", "exit"]).arg(&self.target.host);
        let _ = run(command, None, Instant::now() + Duration::from_secs(5));
    }
}

struct Output {
    status_ok: bool,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs a command to completion or until `deadline`, when it is killed.
fn run(mut command: Command, stdin: Option<&[u8]>, deadline: Instant) -> io::Result<Output> {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot run {:?}: {e}", command.get_program()),
        )
    })?;
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let stdout = child.stdout.take().map(reader_thread);
    let stderr = child.stderr.take().map(reader_thread);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "timed out (the host's time limit)",
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let collect = |handle: Option<std::thread::JoinHandle<Vec<u8>>>| {
        handle.and_then(|h| h.join().ok()).unwrap_or_default()
    };
    let stdout = collect(stdout);
    if stdout.len() as u64 > MAX_OUTPUT {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("the host sent more than {MAX_OUTPUT} bytes for one command"),
        ));
    }
    Ok(Output {
        status_ok: status.success(),
        stdout,
        stderr: collect(stderr),
    })
}

/// Most a host may send for one command: a snapshot of configuration files
/// is a few MB; past this the host is misbehaving and the command fails.
const MAX_OUTPUT: u64 = 256 << 20;

fn reader_thread(pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let mut limited = pipe.take(MAX_OUTPUT + 1);
        let _ = limited.read_to_end(&mut bytes);
        // Keep draining so the child never blocks on a full pipe.
        let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        bytes
    })
}

/// Files and directories whose content the collectors read.
const FETCHED: &[&str] = &[
    "/etc/os-release",
    "/usr/lib/os-release",
    "/etc/passwd",
    "/etc/group",
    "/etc/shadow",
    "/etc/ssh/sshd_config",
    "/etc/ssh/sshd_config.d",
    "/etc/sysctl.conf",
    "/etc/sysctl.d",
    "/run/sysctl.d",
    "/usr/local/lib/sysctl.d",
    "/usr/lib/sysctl.d",
    "/lib/sysctl.d",
    "/etc/fstab",
    "/etc/inetd.conf",
    "/etc/systemd/system",
    "/run/systemd/system",
    "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system",
    "/lib/systemd/system",
    "/etc/crontab",
    "/etc/cron.d",
    "/var/spool/cron/crontabs",
    "/var/lib/dpkg/status",
    "/var/lib/dpkg/status.d",
    "/lib/apk/db/installed",
];

/// The one script that gathers metadata and live values: sections start
/// with `== NAME`.
fn facts_script() -> String {
    let sensitive: Vec<String> = super::files::SENSITIVE
        .iter()
        .map(|p| (*p).to_owned())
        .chain([
            "/etc/ssh/ssh_host_*".to_owned(),
            "/etc/sudoers.d/*".to_owned(),
            "/etc/ssh".to_owned(),
        ])
        .collect();
    let walked = super::files::WALKED.join(" ");
    let keys = LIVE_KEYS.join(" ");
    format!(
        r#"echo '== stat'
for p in {sensitive}; do [ -e "$p" ] || [ -L "$p" ] && stat -c '%f %u %g %s %n' "$p" 2>/dev/null; done
echo '== find'
dirs=; for d in {walked}; do [ -d "$d" ] && [ ! -L "$d" ] && dirs="$dirs $d"; done
[ -n "$dirs" ] && find $dirs -xdev \( -type f -o -type d \) \( -perm -4000 -o -perm -2000 -o -perm -0002 -o -nouser \) -exec stat -c '%f %u %g %s %n' {{}} + 2>/dev/null
echo '== osrelease'
cat /proc/sys/kernel/osrelease 2>/dev/null
echo '== mounts'
cat /proc/self/mounts 2>/dev/null
for k in {keys}; do f=/proc/sys/$(echo "$k" | tr . /); [ -r "$f" ] && printf '== sysctl %s\n%s\n' "$k" "$(cat "$f")"; done
if command -v rpm >/dev/null 2>&1; then echo '== rpm-qa'; rpm -qa --queryformat '{rpm_format}' 2>/dev/null; fi
echo '== sshd-T'
if command -v sshd >/dev/null 2>&1; then sshd -T 2>/dev/null; elif [ -x /usr/sbin/sshd ]; then /usr/sbin/sshd -T 2>/dev/null; fi
echo '== end'
"#,
        sensitive = sensitive.join(" "),
        rpm_format = super::packages::RPM_FORMAT
    )
}

/// One entry of the snapshot.
#[derive(Debug, Clone)]
struct Entry {
    stat: FileStat,
    /// `None` for metadata-only entries (content not fetched).
    data: Option<Vec<u8>>,
    link: Option<String>,
}

/// A host's files as fetched over SSH, served from memory.
#[derive(Debug)]
pub struct SshFs {
    entries: BTreeMap<String, Entry>,
    flagged: Vec<(String, FileStat)>,
    facts: BTreeMap<String, String>,
}

/// What fetching a host gave, with what went wrong on the way.
#[derive(Debug)]
pub struct Fetched {
    /// The host's files.
    pub fs: SshFs,
    /// Problems the host reported (files it could not read: not root?).
    pub warnings: Vec<String>,
    /// Time spent, connection included.
    pub elapsed: Duration,
}

impl SshFs {
    /// Connects to `target` and fetches everything the collectors read.
    pub fn fetch(target: &SshTarget, options: &SshOptions) -> Result<Fetched, SshError> {
        let started = Instant::now();
        let session = Session::connect(target, options)?;
        let error = |message: String| SshError {
            host: target.name.clone(),
            message,
        };
        let list = FETCHED
            .iter()
            .map(|p| format!("'{p}'"))
            .collect::<Vec<_>>()
            .join(" ");
        // Only paths that exist (tar fails on a missing argument), relative
        // to / so entries read `etc/passwd`.
        let tar_script = format!(
            "set --\nfor p in {list}; do [ -e \"$p\" ] && set -- \"$@\" \"${{p#/}}\"; done\ncd / && exec tar -cf - \"$@\"\n"
        );
        let archive = session.script(&tar_script)?;
        let mut warnings: Vec<String> = String::from_utf8_lossy(&archive.stderr)
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.contains("Removing leading"))
            .map(|l| l.trim().to_owned())
            .collect();
        if archive.stdout.is_empty() && !archive.status_ok {
            return Err(error(format!("tar failed: {}", warnings.join("; "))));
        }
        let mut fs = SshFs {
            entries: BTreeMap::new(),
            flagged: Vec::new(),
            facts: BTreeMap::new(),
        };
        fs.read_tar(&archive.stdout)
            .map_err(|e| error(format!("the host's tar output could not be read: {e}")))?;
        let facts = session.script(&facts_script())?;
        fs.read_facts(&String::from_utf8_lossy(&facts.stdout));
        warnings.extend(
            String::from_utf8_lossy(&facts.stderr)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.trim().to_owned()),
        );
        drop(session);
        Ok(Fetched {
            fs,
            warnings,
            elapsed: started.elapsed(),
        })
    }

    fn read_tar(&mut self, bytes: &[u8]) -> io::Result<()> {
        let mut archive = tar::Archive::new(bytes);
        for entry in archive.entries()? {
            let mut entry = entry?;
            let header = entry.header();
            let path = format!(
                "/{}",
                String::from_utf8_lossy(&entry.path_bytes()).trim_end_matches('/')
            );
            let kind = header.entry_type();
            let file_type = if kind.is_dir() {
                FileType::Dir
            } else if kind.is_symlink() {
                FileType::Symlink
            } else if kind.is_file() || kind.is_hard_link() {
                FileType::File
            } else {
                FileType::Other
            };
            let stat = FileStat {
                file_type,
                mode: header.mode().unwrap_or(0) & 0o7777,
                uid: u32::try_from(header.uid().unwrap_or(0)).unwrap_or(u32::MAX),
                gid: u32::try_from(header.gid().unwrap_or(0)).unwrap_or(u32::MAX),
                size: header.size().unwrap_or(0),
            };
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned());
            let mut data = Vec::new();
            if file_type == FileType::File {
                entry.read_to_end(&mut data)?;
            }
            // A hard link's data is its target's.
            let (data, link) = if kind.is_hard_link() {
                let target = link.map(|l| format!("/{}", l.trim_start_matches('/')));
                let data = target
                    .as_ref()
                    .and_then(|t| self.entries.get(t))
                    .and_then(|e| e.data.clone());
                (data, None)
            } else {
                (
                    Some(data),
                    if file_type == FileType::Symlink {
                        link
                    } else {
                        None
                    },
                )
            };
            self.insert(path, Entry { stat, data, link });
        }
        Ok(())
    }

    /// Adds an entry and the directories above it (a fetched file's
    /// parents are not in the archive).
    fn insert(&mut self, path: String, entry: Entry) {
        let mut parent = path.as_str();
        while let Some((up, _)) = parent.rsplit_once('/') {
            let up = if up.is_empty() { "/" } else { up };
            self.entries.entry(up.to_owned()).or_insert(Entry {
                stat: FileStat {
                    file_type: FileType::Dir,
                    mode: 0o755,
                    uid: 0,
                    gid: 0,
                    size: 0,
                },
                data: None,
                link: None,
            });
            if up == "/" {
                break;
            }
            parent = up;
        }
        // Metadata from `stat` does not replace fetched content.
        match self.entries.get_mut(&path) {
            Some(existing) if entry.data.is_none() => existing.stat = entry.stat,
            _ => {
                self.entries.insert(path, entry);
            }
        }
    }

    fn read_facts(&mut self, text: &str) {
        let mut section = String::new();
        let mut body: Vec<&str> = Vec::new();
        let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
        for line in text.lines() {
            if let Some(name) = line.strip_prefix("== ") {
                sections.push((std::mem::take(&mut section), std::mem::take(&mut body)));
                section = name.to_owned();
            } else {
                body.push(line);
            }
        }
        sections.push((section, body));
        for (name, lines) in sections {
            match name.as_str() {
                "stat" | "find" => {
                    for line in lines {
                        let Some((path, stat)) = parse_stat(line) else {
                            continue;
                        };
                        if name == "find" {
                            self.flagged.push((path.clone(), stat));
                        }
                        self.insert(
                            path,
                            Entry {
                                stat,
                                data: None,
                                link: None,
                            },
                        );
                    }
                }
                "osrelease" => self.synthetic("/proc/sys/kernel/osrelease", lines.join("\n")),
                "mounts" => self.synthetic("/proc/self/mounts", lines.join("\n")),
                "rpm-qa" => {
                    self.facts
                        .insert(super::packages::RPM_QUERY.to_owned(), lines.join("\n"));
                }
                "sshd-T" if !lines.is_empty() => {
                    self.facts.insert("sshd -T".to_owned(), lines.join("\n"));
                }
                _ => {
                    if let Some(key) = name.strip_prefix("sysctl ") {
                        let path = format!("/proc/sys/{}", key.replace('.', "/"));
                        self.synthetic(&path, lines.join("\n"));
                    }
                }
            }
        }
        self.flagged.sort_by(|a, b| a.0.cmp(&b.0));
        self.flagged.dedup_by(|a, b| a.0 == b.0);
    }

    fn synthetic(&mut self, path: &str, content: String) {
        self.insert(
            path.to_owned(),
            Entry {
                stat: FileStat {
                    file_type: FileType::File,
                    mode: 0o444,
                    uid: 0,
                    gid: 0,
                    size: content.len() as u64,
                },
                data: Some(content.into_bytes()),
                link: None,
            },
        );
    }

    fn resolve(&self, path: &str, follow_last: bool) -> io::Result<String> {
        resolve_path(path, follow_last, |p| match self.entries.get(p) {
            Some(entry) => Ok(entry.link.clone()),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{p}: not on the host"),
            )),
        })
    }

    fn entry(&self, path: &str, follow_last: bool) -> io::Result<&Entry> {
        let resolved = self.resolve(path, follow_last)?;
        self.entries.get(&resolved).ok_or_else(|| {
            io::Error::new(io::ErrorKind::NotFound, format!("{path}: not on the host"))
        })
    }
}

/// `%f %u %g %s %n`: raw mode in hex, uid, gid, size, name.
fn parse_stat(line: &str) -> Option<(String, FileStat)> {
    let mut fields = line.splitn(5, ' ');
    let raw = u32::from_str_radix(fields.next()?, 16).ok()?;
    let uid = fields.next()?.parse().ok()?;
    let gid = fields.next()?.parse().ok()?;
    let size = fields.next()?.parse().ok()?;
    let path = fields.next()?.trim_end_matches('/').to_owned();
    if !path.starts_with('/') {
        return None;
    }
    let file_type = match raw & 0o170000 {
        0o100000 => FileType::File,
        0o040000 => FileType::Dir,
        0o120000 => FileType::Symlink,
        _ => FileType::Other,
    };
    Some((
        path,
        FileStat {
            file_type,
            mode: raw & 0o7777,
            uid,
            gid,
            size,
        },
    ))
}

impl HostFs for SshFs {
    fn read(&self, path: &str, limit: u64) -> io::Result<Vec<u8>> {
        let entry = self.entry(path, true)?;
        if entry.stat.file_type != FileType::File {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{path} is not a regular file"),
            ));
        }
        let data = entry.data.as_ref().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{path}: only its metadata was fetched"),
            )
        })?;
        if data.len() as u64 > limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!("{path} is larger than {limit} bytes"),
            ));
        }
        Ok(data.clone())
    }

    fn read_dir(&self, path: &str) -> io::Result<Vec<String>> {
        let dir = self.resolve(path, true)?;
        match self.entries.get(&dir) {
            Some(e) if e.stat.file_type == FileType::Dir => {}
            Some(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::NotADirectory,
                    format!("{path} is not a directory"),
                ));
            }
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("{path}: not on the host"),
                ));
            }
        }
        let prefix = if dir == "/" {
            "/".to_owned()
        } else {
            format!("{dir}/")
        };
        Ok(self
            .entries
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .filter_map(|(p, _)| {
                let rest = &p[prefix.len()..];
                (!rest.is_empty() && !rest.contains('/')).then(|| rest.to_owned())
            })
            .collect())
    }

    fn stat(&self, path: &str) -> io::Result<FileStat> {
        self.entry(path, true).map(|e| e.stat)
    }

    fn lstat(&self, path: &str) -> io::Result<FileStat> {
        self.entry(path, false).map(|e| e.stat)
    }

    fn read_link(&self, path: &str) -> io::Result<String> {
        self.entry(path, false)?.link.clone().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{path} is not a symlink"),
            )
        })
    }

    fn is_live(&self) -> bool {
        true
    }

    fn flagged_files(&self) -> Option<Vec<(String, FileStat)>> {
        Some(self.flagged.clone())
    }

    fn fact(&self, name: &str) -> Option<String> {
        self.facts.get(name).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let t = SshTarget::parse("ssh://root@127.0.0.1:2222").unwrap();
        assert_eq!(t.url(), "ssh://root@127.0.0.1:2222");
        let t = SshTarget::parse("ssh://[::1]:22/").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", Some(22)));
        assert_eq!(t.url(), "ssh://[::1]:22");
        assert!(SshTarget::parse("ssh://-oProxyCommand=x").is_err());
        assert!(SshTarget::parse("ssh://host:http").is_err());
        assert!(SshTarget::parse("ssh://@host").is_err());
    }

    #[test]
    fn stat_lines() {
        let (path, stat) = parse_stat("81a0 0 42 1234 /etc/shadow").unwrap();
        assert_eq!(path, "/etc/shadow");
        assert_eq!(
            (stat.file_type, stat.mode, stat.gid),
            (FileType::File, 0o640, 42)
        );
        let (_, stat) = parse_stat("41ed 0 0 4096 /etc/cron.d").unwrap();
        assert_eq!((stat.file_type, stat.mode), (FileType::Dir, 0o755));
        let (_, stat) = parse_stat("89ed 0 0 1 /usr/bin/su").unwrap();
        assert_eq!(stat.mode, 0o4755);
        assert!(parse_stat("garbage").is_none());
    }

    #[test]
    fn snapshot_from_tar_resolves_like_a_root() {
        let mut builder = tar::Builder::new(Vec::new());
        let mut add = |path: &str, data: &[u8], kind: tar::EntryType, link: Option<&str>| {
            let mut header = tar::Header::new_gnu();
            header.set_entry_type(kind);
            header.set_mode(0o644);
            header.set_size(data.len() as u64);
            if let Some(link) = link {
                header.set_link_name(link).unwrap();
            }
            builder.append_data(&mut header, path, data).unwrap();
        };
        add(
            "usr/lib/os-release",
            b"ID=debian\n",
            tar::EntryType::Regular,
            None,
        );
        add(
            "etc/os-release",
            b"",
            tar::EntryType::Symlink,
            Some("../usr/lib/os-release"),
        );
        add("etc/loop", b"", tar::EntryType::Symlink, Some("/etc/loop"));
        let bytes = builder.into_inner().unwrap();
        let mut fs = SshFs {
            entries: BTreeMap::new(),
            flagged: Vec::new(),
            facts: BTreeMap::new(),
        };
        fs.read_tar(&bytes).unwrap();
        fs.read_facts("== stat\n8180 0 0 0 /etc/ssh/ssh_host_ed25519_key\n== mounts\n/dev/sda1 / ext4 rw 0 0\n== sshd-T\nport 22\n== end\n");
        assert_eq!(fs.read("/etc/os-release", 100).unwrap(), b"ID=debian\n");
        assert_eq!(fs.read_dir("/etc").unwrap(), ["loop", "os-release", "ssh"]);
        assert!(
            fs.read("/etc/loop", 100)
                .unwrap_err()
                .to_string()
                .contains("too many levels")
        );
        // Private keys: metadata only.
        assert_eq!(
            fs.lstat("/etc/ssh/ssh_host_ed25519_key").unwrap().mode,
            0o600
        );
        assert_eq!(
            fs.read("/etc/ssh/ssh_host_ed25519_key", 100)
                .unwrap_err()
                .kind(),
            io::ErrorKind::PermissionDenied
        );
        assert_eq!(
            fs.read("/proc/self/mounts", 100).unwrap(),
            b"/dev/sda1 / ext4 rw 0 0"
        );
        assert_eq!(fs.fact("sshd -T").as_deref(), Some("port 22"));
    }
}
