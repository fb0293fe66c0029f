//! `rampart`: the command-line front end. Parses arguments, calls
//! `rampart-core`, prints. No logic of its own.

mod progress;

use clap::{Parser, Subcommand, ValueEnum};
use rampart_authoring::{self as authoring, Language};
use rampart_core::policy::{
    CacheMode, EngineOptions, Evaluation, LoadError, PolicyEngine, PolicyPack, SandboxLimits,
};
use rampart_core::report::{self, sarif::SarifOptions, table::TableOptions};
use rampart_core::{ScanOptions, Scanner, Severity};
use std::io::IsTerminal as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// A scan allocates and frees millions of small strings from several
/// threads; mimalloc does that markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: success.
const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or fatal error (DESIGN §5).
const EXIT_ERROR: u8 = 2;

#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None)]
struct Cli {
    /// Log more (repeat for debug output); logs go to stderr.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,

    /// Cache directory (default: $RAMPART_CACHE_DIR, else $XDG_CACHE_HOME/rampart).
    #[arg(long, global = true, value_name = "DIR")]
    cache_dir: Option<PathBuf>,

    /// Compile policies in memory, without the on-disk cache.
    #[arg(long, global = true)]
    no_cache: bool,

    /// Time limit for one policy call, in milliseconds.
    #[arg(long, global = true, value_name = "MS", default_value_t = 10_000)]
    policy_timeout: u64,

    /// Memory limit for one policy instance, in MiB.
    #[arg(long, global = true, value_name = "MIB", default_value_t = 512)]
    policy_memory: usize,

    /// Advisory database directory (default: $RAMPART_DB_DIR, else db/ in
    /// the cache directory).
    #[arg(long, global = true, value_name = "DIR")]
    db: Option<PathBuf>,

    /// Configuration file (default: rampart.yaml or .rampart.yaml in the
    /// first scanned directory).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Forbid any network use: commands that would download fail instead.
    /// (Scans never download: they read the local advisory database.)
    #[arg(long, global = true)]
    offline: bool,

    /// Time limit of each download, retries included, in seconds
    /// (default: 600 for an advisory export, 60 for a remote pack).
    #[arg(long, global = true, value_name = "SECS")]
    download_timeout: Option<u64>,

    /// Follow any redirect of a download (by default only those to https
    /// on the same host are).
    #[arg(long, global = true)]
    allow_redirects: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Scan files and directories; report findings.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one
    /// is, 2 on usage errors or when the scan is incomplete (a file could
    /// not be parsed, a policy failed).
    Scan {
        /// Files and directories to scan, and hosts as
        /// `ssh://[user@]host[:port]` (default: `.`, unless hosts are given).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        hosts: HostArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
        format: ScanFormat,
        /// Write the report to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Lowest severity that makes the exit status 1 (default: the
        /// configuration's `fail-on`, else info).
        #[arg(long, value_parser = parse_severity)]
        fail_on: Option<Severity>,
        /// Extra policy pack: a `.wasm` component, a directory of them, or a
        /// URL pinned by digest, `https://…/pack.wasm#sha256=<hex>`
        /// (downloaded, verified, cached by digest; repeatable).
        #[arg(long = "policy", value_name = "PATH")]
        policies: Vec<PathBuf>,
        /// Do not use the built-in packs.
        #[arg(long)]
        no_builtin: bool,
        /// Leave out paths matching GLOB (gitignore syntax; repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Do not read files larger than this many bytes: each is an error
        /// (the scan is incomplete) unless `accept-skipped` in rampart.yaml
        /// covers it.
        #[arg(long, value_name = "BYTES", default_value_t = 10 << 20)]
        max_file_size: u64,
        /// Time limit of the whole scan, in seconds: what is not scanned by
        /// then is reported as such (exit 2), with the findings of the rest.
        #[arg(long, value_name = "SECS", default_value_t = rampart_core::DEFAULT_TIMEOUT.as_secs())]
        timeout: u64,
        /// SARIF category (`automationDetails.id`), to keep several uploads apart.
        #[arg(long, value_name = "NAME")]
        category: Option<String>,
        /// Never draw the progress bar (it is drawn on stderr only when
        /// stderr is a terminal, and not with --verbose).
        #[arg(long)]
        no_progress: bool,
        /// Do not match dependencies against the advisory database.
        #[arg(long)]
        no_advisories: bool,
        /// Leave out the findings this baseline lists (`rampart baseline
        /// create`): report and gate on new findings only.
        #[arg(long, value_name = "FILE", env = "RAMPART_BASELINE")]
        baseline: Option<PathBuf>,
    },
    /// Record the current findings as accepted, for `scan --baseline`.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Print the resources rampart collects, as JSON: what a policy sees.
    Inventory {
        /// Files and directories to scan, and hosts as
        /// `ssh://[user@]host[:port]` (default: `.`, unless hosts are given).
        paths: Vec<PathBuf>,
        #[command(flatten)]
        hosts: HostArgs,
        /// Leave out paths matching GLOB (repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Include each resource's span index (JSON Pointer → region).
        #[arg(long)]
        spans: bool,
        /// Do not add matching advisories to dependencies.
        #[arg(long)]
        no_advisories: bool,
    },
    /// Write a software bill of materials of the dependencies found
    /// (lockfiles), with the vulnerabilities the advisory database matches.
    Sbom {
        /// Files and directories to scan.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SbomFormat::Cyclonedx)]
        format: SbomFormat,
        /// Write the SBOM to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Leave out paths matching GLOB (repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Name of the described component (default: the scanned directory's name).
        #[arg(long)]
        name: Option<String>,
        /// Leave vulnerabilities out (no advisory database needed).
        #[arg(long)]
        no_advisories: bool,
    },
    /// Manage the local advisory database (OSV).
    #[command(subcommand)]
    Db(DbCommand),
    /// The configuration file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// e.g. `rampart completions bash > /etc/bash_completion.d/rampart`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `rampart man > rampart.1`.
    Man,
    /// Combine SARIF logs (e.g. of sharded CI jobs) into one, with one run
    /// per tool and category: what one GitHub code scanning upload expects.
    Merge {
        /// SARIF files to combine.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Write the merged log to FILE instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Work with policy packs.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// List the built-in policy packs and their rules.
    List {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Evaluate packs on resources given as JSON (the shape `rampart
    /// inventory` prints): what a policy author runs to try a pack.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one
    /// is, 2 when a pack could not be loaded or failed on a batch.
    Eval {
        /// JSON file: an array of {kind, id, source, document} objects.
        resources: PathBuf,
        /// Pack to run: a `.wasm` component or a built-in pack name
        /// (repeatable; default: every built-in pack).
        #[arg(long = "pack", value_name = "PACK")]
        packs: Vec<String>,
        /// Lowest severity that makes the exit status 1.
        #[arg(long, default_value = "info", value_parser = parse_severity)]
        fail_on: Severity,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Write a Markdown page per rule of the built-in packs (docs/rules/).
    Docs {
        /// Directory to write into.
        #[arg(long, default_value = "docs/rules")]
        output: PathBuf,
        /// Write nothing; exit 1 if a page is missing or differs.
        #[arg(long)]
        check: bool,
    },
    /// Check a pack against its fixtures: every line marked `# expect:
    /// RULE` in `fixtures/<RULE>/positive.*` must be reported, nothing in
    /// `negative.*`. Prints what differs; usable in a pack's own CI.
    ///
    /// Exit status: 0 when every fixture matches, 1 when one does not, 2
    /// when the pack cannot be loaded.
    Test {
        /// The pack's directory (holding `fixtures/`).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The component to test (default: DIR/dist/pack.wasm, else the one
        /// `.wasm` in DIR, else in DIR/target/wasm32-wasip2/release).
        #[arg(long, value_name = "FILE")]
        pack: Option<PathBuf>,
        /// The fixtures directory (default: DIR/fixtures).
        #[arg(long, value_name = "DIR")]
        fixtures: Option<PathBuf>,
    },
    /// Start a new pack: one example rule, its fixtures, unit tests and a
    /// README, in Rust, Python or JavaScript.
    New {
        /// The pack's name (letters, digits, `-`, `_`); also its directory.
        name: String,
        /// The language to write rules in.
        #[arg(long, default_value = "rust", value_parser = parse_language)]
        lang: Language,
        /// Where to create the pack (default: ./NAME). Must not exist or be empty.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Build the pack in DIR with its language's toolchain (cargo,
    /// componentize-py or componentize-js) into DIR/dist/pack.wasm, check
    /// it against the policy world and the import allow-list, and compile
    /// it into the cache so the next scan loads it at once.
    ///
    /// Exit status: 0 when built and accepted, 2 otherwise.
    Build {
        /// The pack's directory.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the component (default: DIR/dist/pack.wasm).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The toolchain program to run instead of the one found on PATH.
        #[arg(long, value_name = "PROGRAM")]
        tool: Option<PathBuf>,
    },
    /// Show a pack's metadata, rules, imports and size.
    Inspect {
        /// A `.wasm` component, or the name of a built-in pack.
        pack: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Write a commented starter rampart.yaml.
    Init {
        /// Where to write it.
        #[arg(long, short, default_value = "rampart.yaml")]
        output: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Check a configuration file and print what it sets, as JSON-ish text.
    Check {
        /// The file (default: rampart.yaml in the current directory).
        #[arg(default_value = "rampart.yaml")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BaselineCommand {
    /// Scan and write the fingerprints of every finding (suppressed ones
    /// excepted) to FILE. Fingerprints do not depend on line numbers:
    /// edits above a finding keep it in the baseline.
    Create {
        /// Files and directories to scan.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// The baseline file to write.
        #[arg(
            long,
            short,
            value_name = "FILE",
            default_value = "rampart-baseline.json"
        )]
        output: PathBuf,
        /// Extra policy pack (repeatable).
        #[arg(long = "policy", value_name = "PATH")]
        policies: Vec<PathBuf>,
        /// Do not use the built-in packs.
        #[arg(long)]
        no_builtin: bool,
        /// Leave out paths matching GLOB (repeatable).
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
        /// Do not match dependencies against the advisory database.
        #[arg(long)]
        no_advisories: bool,
    },
}

#[derive(Debug, Subcommand)]
enum DbCommand {
    /// Download the OSV exports (`<base-url>/<ecosystem>/all.zip`) and swap
    /// them in atomically. Exports unchanged since the last update are not
    /// downloaded again (ETag / Last-Modified).
    ///
    /// Exit status: 0 when every ecosystem is up to date, 2 when one failed
    /// (its previous data, if any, is kept).
    Update {
        /// OSV ecosystem to fetch (repeatable; default: those of every
        /// lockfile rampart reads).
        #[arg(long = "ecosystem", value_name = "NAME")]
        ecosystems: Vec<String>,
        /// Where the exports live.
        #[arg(long, env = "RAMPART_OSV_URL", default_value = rampart_core::advisories::db::DEFAULT_BASE_URL)]
        base_url: String,
        /// Largest export accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = 1 << 30)]
        max_download_size: u64,
        /// Retries after a transient error (connection, timeout, 5xx, 429).
        #[arg(long, default_value_t = 3)]
        retries: u32,
    },
    /// Import exports already on disk (air-gapped machines): a directory
    /// laid out like the export, `<ecosystem>/all.zip` or `<ecosystem>/*.json`.
    Import {
        /// The directory.
        path: PathBuf,
    },
    /// Show what the database holds and how old it is.
    ///
    /// Exit status: 0 when a database is present, 2 when there is none.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SbomFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScanFormat {
    /// Human-readable, grouped by file.
    Table,
    /// rampart's JSON report.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab code quality JSON (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML (Jenkins, GitLab test reports, Azure Pipelines …).
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Human-readable.
    Table,
    /// Machine-readable JSON.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Each line of the message (a configuration file's mistakes
            // are one per line) as an error of its own; whatever a scanned
            // file or a server put in it, escaped.
            for line in error_chain(&e).lines() {
                eprintln!("error: {}", report::terminal_safe(line));
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Prints a diagnostic on stderr, made safe for a terminal.
fn eprint_diagnostic(diagnostic: &rampart_core::Diagnostic) {
    eprintln!("{}", report::terminal_safe(&diagnostic.to_string()));
}

/// The error and its causes, `: `-separated, leaving out a cause whose text
/// the message already carries (rampart-core's errors name their OS error
/// in their own message; anyhow's `{:#}` printed it twice).
fn error_chain(error: &anyhow::Error) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}

/// Writes a report to `path`, or to stdout when there is none.
///
/// An existing file is overwritten in place and cut to the new length at
/// the end, not truncated first: truncating frees every cached page of the
/// old report and writing allocates them again, which for a report of tens
/// of MB cost more than rendering it (45 ms against 11 ms for 64 MB,
/// measured). If writing fails, the file is still cut to what was written,
/// so no tail of the old report is left behind.
fn write_output(
    path: Option<&std::path::Path>,
    what: &str,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Seek;
    let Some(path) = path else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        return render(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| anyhow::anyhow!("cannot write {what}: {e}"));
    };
    let cannot = |e: std::io::Error| anyhow::anyhow!("cannot write {}: {e}", path.display());
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(cannot)?;
    // Devices and pipes (`/dev/stdout`) have no length to set.
    let regular = file.metadata().is_ok_and(|m| m.is_file());
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    let written = render(&mut out).and_then(|()| out.flush());
    // `into_parts`, not `into_inner`: it cannot fail, so the file is cut
    // even when the last flush did not go through.
    let (mut file, _unwritten) = out.into_parts();
    if regular {
        let end = file.stream_position().map_err(cannot)?;
        file.set_len(end).map_err(cannot)?;
    }
    written.map_err(cannot)
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("RAMPART_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    // Logs carry paths, URLs and servers' words: no colour codes of their
    // own, and every control character escaped on the way out (a file
    // name holding an escape sequence must not rewrite the terminal).
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| SafeStderr)
        .with_ansi(false)
        .with_target(false)
        .init();
}

/// stderr, with control characters other than line breaks and tabs
/// escaped (each log event arrives as one write of whole lines).
struct SafeStderr;

impl Write for SafeStderr {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        std::io::stderr()
            .lock()
            .write_all(report::terminal_safe_lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

fn engine(cli: &Cli) -> anyhow::Result<PolicyEngine> {
    Ok(PolicyEngine::new(engine_options(cli))?)
}

/// Hosts to scan, shared by `scan` and `inventory`.
#[derive(Debug, clap::Args)]
struct HostArgs {
    /// Scan a host's root filesystem: `/` for this machine, or the
    /// directory of a mounted image (repeatable). Its packages, accounts,
    /// sshd, sysctl, mounts, services, cron and file permissions are checked.
    #[arg(long = "root", value_name = "DIR")]
    roots: Vec<PathBuf>,
    /// Scan every host of an Ansible inventory (INI or YAML) over SSH
    /// (repeatable).
    #[arg(long = "inventory", short = 'i', value_name = "FILE")]
    inventories: Vec<PathBuf>,
    /// An ssh_config file for the SSH client (`ssh -F`).
    #[arg(long, value_name = "FILE")]
    ssh_config: Option<PathBuf>,
    /// An option for the SSH client (`ssh -o KEY=VALUE`; repeatable), e.g.
    /// `IdentityFile=~/.ssh/audit`, `ProxyJump=bastion`.
    #[arg(long = "ssh-option", value_name = "KEY=VALUE")]
    ssh_options: Vec<String>,
    /// Seconds to connect to a host (each attempt).
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    ssh_connect_timeout: u64,
    /// Seconds for everything read from one host.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    host_timeout: u64,
    /// Further connection attempts to a host, with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 2)]
    ssh_retries: u32,
    /// Hosts scanned at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    host_concurrency: usize,
}

/// Splits the paths given into files to walk and `ssh://` hosts, adds the
/// inventories' hosts and the roots; `.` is walked when nothing was given.
fn targets(
    paths: &[PathBuf],
    hosts: &HostArgs,
) -> anyhow::Result<(Vec<PathBuf>, Vec<rampart_core::inventory::host::HostTarget>)> {
    use rampart_core::inventory::host::{HostTarget, fleet, ssh::SshTarget};
    let mut files = Vec::new();
    let mut targets: Vec<HostTarget> = hosts.roots.iter().cloned().map(HostTarget::Root).collect();
    for path in paths {
        match path.to_str().filter(|p| p.starts_with("ssh://")) {
            Some(url) => targets.push(HostTarget::Ssh(
                SshTarget::parse(url).map_err(|e| anyhow::anyhow!(e))?,
            )),
            None => files.push(path.clone()),
        }
    }
    for inventory in &hosts.inventories {
        let text = rampart_core::read::read_text(
            inventory,
            rampart_core::read::MAX_SMALL_FILE,
            rampart_core::read::Links::Follow,
        )
        .map_err(|e| anyhow::anyhow!("cannot read the inventory {}: {e}", inventory.display()))?;
        let found = fleet::parse(&inventory.display().to_string(), &text)?;
        if found.is_empty() {
            anyhow::bail!("the inventory {} lists no host", inventory.display());
        }
        targets.extend(found.into_iter().map(HostTarget::Ssh));
    }
    if files.is_empty() && targets.is_empty() {
        files.push(PathBuf::from("."));
    }
    Ok((files, targets))
}

/// The SSH client settings from the options.
fn ssh_options(hosts: &HostArgs) -> rampart_core::inventory::host::ssh::SshOptions {
    let mut args = Vec::new();
    if let Some(config) = &hosts.ssh_config {
        args.push("-F".to_owned());
        args.push(config.display().to_string());
    }
    for option in &hosts.ssh_options {
        args.push("-o".to_owned());
        args.push(option.clone());
    }
    rampart_core::inventory::host::ssh::SshOptions {
        args,
        connect_timeout: Duration::from_secs(hosts.ssh_connect_timeout.max(1)),
        host_timeout: Duration::from_secs(hosts.host_timeout.max(1)),
        retries: hosts.ssh_retries,
        ..Default::default()
    }
}

fn engine_options(cli: &Cli) -> EngineOptions {
    let cache = match (&cli.cache_dir, cli.no_cache) {
        (_, true) => CacheMode::Disabled,
        (Some(dir), false) => CacheMode::Dir(dir.join("components")),
        (None, false) => CacheMode::Default,
    };
    let limits = SandboxLimits {
        call_timeout: Duration::from_millis(cli.policy_timeout),
        memory_bytes: cli.policy_memory << 20,
        ..SandboxLimits::default()
    };
    EngineOptions { limits, cache }
}

/// Where pinned remote packs are cached (beside compiled components), and
/// whether they may be downloaded.
fn remote_options(cli: &Cli) -> rampart_core::policy::remote::RemoteOptions {
    use rampart_core::policy::remote::RemoteOptions;
    let cache_dir = match (&cli.cache_dir, cli.no_cache) {
        (_, true) => None,
        (Some(dir), false) => Some(dir.join("remote")),
        (None, false) => RemoteOptions::default().cache_dir,
    };
    let defaults = RemoteOptions::default();
    RemoteOptions {
        cache_dir,
        offline: cli.offline,
        timeout: cli
            .download_timeout
            .map_or(defaults.timeout, Duration::from_secs),
        redirects: redirects(cli),
        ..defaults
    }
}

fn redirects(cli: &Cli) -> rampart_core::download::Redirects {
    if cli.allow_redirects {
        rampart_core::download::Redirects::Any
    } else {
        rampart_core::download::Redirects::SameHostHttps
    }
}

/// The configuration: `--config FILE`, else a rampart.yaml at the first
/// scanned path, else none.
fn load_config(cli: &Cli, paths: &[PathBuf]) -> anyhow::Result<rampart_core::config::Config> {
    use rampart_core::config::Config;
    let path = match &cli.config {
        Some(path) => Some(path.clone()),
        None => paths.first().and_then(|p| Config::find(p)),
    };
    match path {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::default()),
    }
}

fn db_dir(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .unwrap_or_else(|| rampart_core::advisories::AdvisoryOptions::default().db_dir)
}

fn advisory_options(cli: &Cli, off: bool) -> Option<rampart_core::advisories::AdvisoryOptions> {
    (!off).then(|| rampart_core::advisories::AdvisoryOptions {
        db_dir: db_dir(cli),
        ..Default::default()
    })
}

fn run(cli: &Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Scan {
            paths,
            hosts,
            format,
            output,
            fail_on,
            policies,
            no_builtin,
            exclude,
            max_file_size,
            timeout,
            category,
            no_progress,
            no_advisories,
            baseline,
        } => {
            // An empty RAMPART_BASELINE (the GitHub Action's default) is none.
            let baseline = baseline
                .as_deref()
                .filter(|p| !p.as_os_str().is_empty())
                .map(rampart_core::baseline::Baseline::load)
                .transpose()?;
            let (paths, host_targets) = targets(paths, hosts)?;
            let config = load_config(cli, &paths)?;
            let fail_on = fail_on.or(config.fail_on).unwrap_or(Severity::Info);
            let scanner = Scanner::new(
                ScanOptions {
                    paths,
                    hosts: host_targets,
                    ssh: ssh_options(hosts),
                    host_concurrency: hosts.host_concurrency,
                    base_dir: None,
                    excludes: exclude.clone(),
                    max_file_size: *max_file_size,
                    parse: Default::default(),
                    timeout: Some(Duration::from_secs(*timeout)),
                    // Source lines are shown by the table only.
                    snippets: *format == ScanFormat::Table,
                    builtin_packs: !no_builtin,
                    policies: policies.clone(),
                    remote: remote_options(cli),
                    engine: engine_options(cli),
                    advisories: advisory_options(cli, *no_advisories),
                    config: Default::default(),
                }
                .with_config(config),
            )?;
            let progress = progress::ScanProgress::new(!no_progress && cli.verbose == 0);
            let report = scanner.scan_observed(&progress);
            progress.finish();
            let mut report = report?;
            if let Some(baseline) = &baseline {
                baseline.apply(&mut report);
            }
            let base_dir = std::env::current_dir().ok();
            let color = output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let started = std::time::Instant::now();
            write_output(output.as_deref(), "the report", |mut out| match format {
                ScanFormat::Table => out
                    .write_all(report::table::render(&report, &TableOptions { color }).as_bytes()),
                ScanFormat::Json => report::json::write(&report, &mut out),
                ScanFormat::Github => out.write_all(report::github::render(&report).as_bytes()),
                ScanFormat::Gitlab => report::gitlab::write(&report, &mut out),
                ScanFormat::Junit => out.write_all(report::junit::render(&report).as_bytes()),
                ScanFormat::Sarif => report::sarif::write(
                    &report,
                    &SarifOptions {
                        category: category.clone(),
                        base_dir,
                    },
                    &mut out,
                ),
            })?;
            tracing::info!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "report written"
            );
            let code = report.exit_code(fail_on);
            // The process ends here: freeing every finding one by one, and
            // tearing down the policy instances and engine, would only add
            // to the wall time of large scans.
            std::mem::forget(report);
            std::mem::forget(scanner);
            Ok(code)
        }
        Command::Inventory {
            paths,
            hosts,
            exclude,
            spans,
            no_advisories,
        } => {
            let (paths, host_targets) = targets(paths, hosts)?;
            let scanner = Scanner::new(ScanOptions {
                paths,
                hosts: host_targets,
                ssh: ssh_options(hosts),
                host_concurrency: hosts.host_concurrency,
                excludes: exclude.clone(),
                builtin_packs: false,
                engine: engine_options(cli),
                advisories: advisory_options(cli, *no_advisories),
                ..ScanOptions::default()
            })?;
            let inventory = scanner.inventory()?;
            let mut resources: Vec<serde_json::Value> = Vec::new();
            for resource in inventory.resources() {
                let mut value = serde_json::to_value(resource)?;
                if !spans && let Some(object) = value.as_object_mut() {
                    object.remove("spans");
                    object.remove("span_files");
                }
                resources.push(value);
            }
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &resources)?;
            writeln!(out)?;
            for diagnostic in &inventory.diagnostics {
                eprint_diagnostic(diagnostic);
            }
            let failed = inventory
                .diagnostics
                .iter()
                .any(|d| d.level == rampart_core::diagnostic::Level::Error);
            Ok(if failed { EXIT_ERROR } else { EXIT_OK })
        }
        Command::Db(command) => db_command(cli, command),
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "rampart", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            use clap::CommandFactory as _;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
            Ok(EXIT_OK)
        }
        Command::Merge { files, output } => {
            write_output(output.as_deref(), "the merged log", |out| {
                report::sarif_merge::merge_files(files, out).map_err(std::io::Error::other)
            })?;
            Ok(EXIT_OK)
        }
        Command::Config(ConfigCommand::Init { output, force }) => {
            if output.exists() && !force {
                anyhow::bail!("{} exists; pass --force to replace it", output.display());
            }
            std::fs::write(output, rampart_core::config::STARTER)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
            eprintln!("wrote {}", output.display());
            Ok(EXIT_OK)
        }
        Command::Config(ConfigCommand::Check { file }) => {
            let config = rampart_core::config::Config::load(file)?;
            println!(
                "{}: ok — fail-on {}, {} excludes, {} extra policies, {} pack settings, {} rule settings, {} suppressions",
                file.display(),
                config
                    .fail_on
                    .map_or("(not set)".to_owned(), |s| s.to_string()),
                config.exclude.len(),
                config.policies.len(),
                config.packs.len(),
                config.rules.len(),
                config.suppressions.len()
            );
            Ok(EXIT_OK)
        }
        Command::Baseline(BaselineCommand::Create {
            paths,
            output,
            policies,
            no_builtin,
            exclude,
            no_advisories,
        }) => {
            let config = load_config(cli, paths)?;
            let scanner = Scanner::new(
                ScanOptions {
                    paths: paths.clone(),
                    excludes: exclude.clone(),
                    builtin_packs: !no_builtin,
                    policies: policies.clone(),
                    remote: remote_options(cli),
                    engine: engine_options(cli),
                    advisories: advisory_options(cli, *no_advisories),
                    ..ScanOptions::default()
                }
                .with_config(config),
            )?;
            let report = scanner.scan()?;
            let baseline = rampart_core::baseline::Baseline::from_report(&report);
            std::fs::write(output, baseline.to_json())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
            eprintln!(
                "{}: {} findings recorded",
                output.display(),
                baseline.findings.len()
            );
            for diagnostic in &report.diagnostics {
                eprint_diagnostic(diagnostic);
            }
            Ok(if report.exit_code(Severity::Critical) == 2 {
                EXIT_ERROR
            } else {
                EXIT_OK
            })
        }
        Command::Sbom {
            paths,
            format: SbomFormat::Cyclonedx,
            output,
            exclude,
            name,
            no_advisories,
        } => {
            let scanner = Scanner::new(ScanOptions {
                paths: paths.clone(),
                excludes: exclude.clone(),
                builtin_packs: false,
                engine: engine_options(cli),
                advisories: advisory_options(cli, *no_advisories),
                ..ScanOptions::default()
            })?;
            let inventory = scanner.inventory()?;
            let name = name.clone().or_else(|| {
                let first = paths.first()?;
                let absolute = std::fs::canonicalize(first).ok()?;
                Some(absolute.file_name()?.to_string_lossy().into_owned())
            });
            let options = report::cyclonedx::SbomOptions { name };
            write_output(output.as_deref(), "the SBOM", |mut out| {
                report::cyclonedx::write(&inventory, &options, &mut out)
            })?;
            for diagnostic in &inventory.diagnostics {
                eprint_diagnostic(diagnostic);
            }
            let failed = inventory
                .diagnostics
                .iter()
                .any(|d| d.level == rampart_core::diagnostic::Level::Error);
            Ok(if failed { EXIT_ERROR } else { EXIT_OK })
        }
        Command::Policy(PolicyCommand::List { format }) => {
            let engine = engine(cli)?;
            let packs = engine.load_builtins()?;
            print_list(&packs, *format)?;
            Ok(EXIT_OK)
        }
        Command::Policy(PolicyCommand::Eval {
            resources,
            packs,
            fail_on,
            format,
        }) => {
            let engine = engine(cli)?;
            let loaded = if packs.is_empty() {
                engine.load_builtins()?
            } else {
                packs
                    .iter()
                    .map(|spec| load_pack(&engine, spec))
                    .collect::<Result<Vec<_>, _>>()?
            };
            let text = rampart_core::read::read_text(
                resources,
                rampart_core::read::MAX_SMALL_FILE,
                rampart_core::read::Links::Follow,
            )
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", resources.display()))?;
            let resources = rampart_core::resource::from_json(&text).map_err(|e| {
                anyhow::anyhow!("{} is not a list of resources: {e}", resources.display())
            })?;
            // One batch per source file, as a scan would batch them.
            let mut batches: std::collections::BTreeMap<&str, Vec<rampart_core::Resource>> =
                Default::default();
            for resource in &resources {
                batches
                    .entry(resource.source.as_str())
                    .or_default()
                    .push(resource.clone());
            }
            let batches: Vec<Vec<rampart_core::Resource>> = batches.into_values().collect();
            let outcome: Evaluation = rampart_core::policy::evaluate_batches(&loaded, &batches)
                .into_iter()
                .collect();
            print_evaluation(&outcome, *format)?;
            if !outcome.errors.is_empty() {
                Ok(EXIT_ERROR)
            } else if outcome.findings.iter().any(|f| f.severity >= *fail_on) {
                Ok(EXIT_FINDINGS)
            } else {
                Ok(EXIT_OK)
            }
        }
        Command::Policy(PolicyCommand::Docs { output, check }) => {
            let engine = engine(cli)?;
            let mut stale = Vec::new();
            for pack in engine.load_builtins()? {
                for page in report::rule_docs::pack_pages(pack.metadata()) {
                    let path = output.join(&page.path);
                    let current = std::fs::read_to_string(&path).ok();
                    if current.as_deref() == Some(page.content.as_str()) {
                        continue;
                    }
                    if *check {
                        stale.push(path.display().to_string());
                        continue;
                    }
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::write(&path, &page.content)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
            }
            if stale.is_empty() {
                Ok(EXIT_OK)
            } else {
                for path in &stale {
                    eprintln!("stale: {path}");
                }
                eprintln!("run `rampart policy docs` to regenerate");
                Ok(EXIT_FINDINGS)
            }
        }
        Command::Policy(PolicyCommand::Test {
            dir,
            pack,
            fixtures,
        }) => {
            let pack = match pack {
                Some(pack) => pack.clone(),
                None => authoring::built_component(dir)?,
            };
            let fixtures = fixtures.clone().unwrap_or_else(|| dir.join("fixtures"));
            let run = authoring::fixtures::run(
                &pack,
                &fixtures,
                ScanOptions {
                    remote: remote_options(cli),
                    engine: engine_options(cli),
                    ..ScanOptions::default()
                },
            )?;
            let results = &run.results;
            let mut out = std::io::stdout().lock();
            for diagnostic in &run.diagnostics {
                writeln!(out, "error: {}", diagnostic.message)?;
            }
            for mismatch in &results.mismatches {
                writeln!(out, "FAIL {mismatch}")?;
            }
            let verdict = if run.passed() { "ok" } else { "FAILED" };
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            writeln!(
                out,
                "{verdict}: {} of {} checked ({}), {}",
                plural(results.checked, "fixture", "fixtures"),
                plural(results.rules, "rule", "rules"),
                pack.display(),
                plural(results.mismatches.len(), "mismatch", "mismatches")
            )?;
            Ok(if verdict == "ok" {
                EXIT_OK
            } else {
                EXIT_FINDINGS
            })
        }
        Command::Policy(PolicyCommand::New { name, lang, dir }) => {
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from(name));
            let files = authoring::scaffold(&dir, name, *lang)?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "created {lang} pack `{name}` in {}:", dir.display())?;
            for file in &files {
                writeln!(out, "  {}", file.display())?;
            }
            let setup = match lang {
                Language::Rust => "rustup target add wasm32-wasip2 (once), then ".to_owned(),
                Language::Python => format!(
                    "pip install componentize-py=={} (once), then ",
                    authoring::COMPONENTIZE_PY_VERSION
                ),
                Language::JavaScript => "npm install, then ".to_owned(),
            };
            writeln!(
                out,
                "next: cd {}; {setup}rampart policy build && rampart policy test (README.md has the details)",
                dir.display()
            )?;
            Ok(EXIT_OK)
        }
        Command::Policy(PolicyCommand::Build { dir, output, tool }) => {
            let options = authoring::BuildOptions {
                output: output.clone(),
                tool: tool.clone(),
            };
            let language = authoring::Language::detect(dir)?;
            eprintln!("building the {language} pack in {} …", dir.display());
            let built = authoring::build(dir, &options)?;
            let engine = engine(cli)?;
            // Loading checks the world, the imports and the metadata, and
            // compiles into the cache: the next load is a cache hit.
            let pack = match engine.load_file(&built.component) {
                Ok(pack) => pack,
                Err(err) => {
                    let _ = std::fs::remove_file(&built.component);
                    return Err(anyhow::anyhow!(err).context(format!(
                        "the {language} toolchain built a component rampart refuses (removed)"
                    )));
                }
            };
            let warm = engine.load_file(&built.component)?;
            print_build(&built, &pack, &warm, engine.cache_dir().is_some())?;
            Ok(EXIT_OK)
        }
        Command::Policy(PolicyCommand::Inspect { pack, format }) => {
            let engine = engine(cli)?;
            let loaded = load_pack(&engine, pack)?;
            print_inspect(&loaded, *format)?;
            Ok(EXIT_OK)
        }
    }
}

/// A path if one exists (or it looks like one), else a built-in pack name.
fn load_pack(engine: &PolicyEngine, spec: &str) -> Result<PolicyPack, LoadError> {
    let path = std::path::Path::new(spec);
    let builtin = spec.strip_prefix("builtin:");
    match builtin {
        Some(name) => engine.load_builtin(name),
        None if path.exists() || spec.ends_with(".wasm") || spec.contains('/') => {
            engine.load_file(path)
        }
        None => engine.load_builtin(spec),
    }
}

fn parse_language(s: &str) -> Result<Language, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: rampart_core::finding::ParseSeverityError| e.to_string())
}

fn print_evaluation(outcome: &Evaluation, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, outcome)?;
            writeln!(out)?;
        }
        Format::Table => {
            for f in &outcome.findings {
                writeln!(
                    out,
                    "{:<8}  {}  {}  {}",
                    f.severity, f.rule_id, f.resource_id, f.message
                )?;
                writeln!(
                    out,
                    "          at {}",
                    if f.pointer.is_empty() {
                        "/"
                    } else {
                        &f.pointer
                    }
                )?;
                if let Some(fix) = &f.fix {
                    writeln!(out, "          fix: {fix}")?;
                }
            }
            writeln!(
                out,
                "{} findings, {} policy errors",
                outcome.findings.len(),
                outcome.errors.len()
            )?;
        }
    }
    for error in &outcome.errors {
        eprintln!("policy error: {error}");
    }
    Ok(())
}

fn print_list(packs: &[PolicyPack], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let metadata: Vec<_> = packs.iter().map(PolicyPack::metadata).collect();
            serde_json::to_writer_pretty(&mut out, &metadata)?;
            writeln!(out)?;
        }
        Format::Table => {
            for pack in packs {
                let meta = pack.metadata();
                writeln!(
                    out,
                    "{} {} — {} rules",
                    meta.name,
                    meta.version,
                    meta.rules.len()
                )?;
                writeln!(out, "  {}", meta.description)?;
                write_rules(&mut out, pack)?;
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

fn write_rules(out: &mut impl std::io::Write, pack: &PolicyPack) -> std::io::Result<()> {
    let rules = &pack.metadata().rules;
    let id_width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    writeln!(out, "  {:<id_width$}  {:<8}  TITLE", "ID", "SEVERITY")?;
    for rule in rules {
        writeln!(
            out,
            "  {:<id_width$}  {:<8}  {}",
            rule.id, rule.severity, rule.title
        )?;
    }
    Ok(())
}

/// What `policy build` made: the component, what the sandbox sees of it,
/// and how long loading takes cold (compiling) and warm (from the cache).
fn print_build(
    built: &authoring::Built,
    pack: &PolicyPack,
    warm: &PolicyPack,
    cached: bool,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let meta = pack.metadata();
    let rules: Vec<&str> = meta.rules.iter().map(|r| r.id.as_str()).collect();
    writeln!(
        out,
        "built    {} ({:.1} MiB) in {:.1} s",
        built.component.display(),
        pack.size() as f64 / (1024.0 * 1024.0),
        built.elapsed.as_secs_f64()
    )?;
    let noun = if rules.len() == 1 { "rule" } else { "rules" };
    writeln!(
        out,
        "pack     {} {}: {} {noun} ({})",
        meta.name,
        meta.version,
        rules.len(),
        rules.join(", ")
    )?;
    writeln!(out, "imports  {}", pack.interface().imports.join(", "))?;
    writeln!(out, "sha256   {}", pack.digest())?;
    let cold = pack.load_stats();
    let hot = warm.load_stats();
    if cached && cold.cache == rampart_core::policy::CacheOutcome::Hit {
        writeln!(
            out,
            "load     {:.0} ms from the cache (this component was compiled before)",
            hot.total_time.as_secs_f64() * 1e3
        )?;
    } else if cached {
        writeln!(
            out,
            "load     {:.0} ms to compile into the cache ({:?}), then {:.0} ms from it ({:?})",
            cold.total_time.as_secs_f64() * 1e3,
            cold.cache,
            hot.total_time.as_secs_f64() * 1e3,
            hot.cache
        )?;
    } else {
        writeln!(
            out,
            "load     {:.0} ms (no cache: every load compiles)",
            cold.total_time.as_secs_f64() * 1e3
        )?;
    }
    Ok(())
}

fn print_inspect(pack: &PolicyPack, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let meta = pack.metadata();
    let stats = pack.load_stats();
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "origin": pack.origin(),
                "sha256": pack.digest(),
                "size": pack.size(),
                "imports": pack.interface().imports,
                "exports": pack.interface().exports,
                "pack": meta,
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(out, "pack     {} {}", meta.name, meta.version)?;
            writeln!(out, "origin   {}", pack.origin())?;
            writeln!(out, "sha256   {}", pack.digest())?;
            writeln!(out, "size     {:.1} KiB", pack.size() as f64 / 1024.0)?;
            writeln!(
                out,
                "loaded   in {:.1} ms (compiled component: {:?})",
                stats.total_time.as_secs_f64() * 1e3,
                stats.cache
            )?;
            writeln!(out, "exports  {}", pack.interface().exports.join(", "))?;
            writeln!(out, "imports")?;
            for import in &pack.interface().imports {
                writeln!(out, "  {import}")?;
            }
            writeln!(out)?;
            writeln!(out, "{}", meta.description)?;
            writeln!(out)?;
            for rule in &meta.rules {
                writeln!(out, "{}  [{}]  {}", rule.id, rule.severity, rule.title)?;
                if !rule.description.is_empty() {
                    writeln!(out, "  {}", rule.description)?;
                }
                if !rule.kinds.is_empty() {
                    writeln!(out, "  kinds:       {}", rule.kinds.join(", "))?;
                }
                if !rule.compliance.is_empty() {
                    let controls: Vec<String> = rule
                        .compliance
                        .iter()
                        .map(|c| format!("{} {}", c.framework, c.id))
                        .collect();
                    writeln!(out, "  compliance:  {}", controls.join("; "))?;
                }
                if !rule.remediation.is_empty() {
                    writeln!(out, "  remediation: {}", rule.remediation)?;
                }
                if let Some(uri) = &rule.help_uri {
                    writeln!(out, "  help:        {uri}")?;
                }
            }
        }
    }
    Ok(())
}

fn db_command(cli: &Cli, command: &DbCommand) -> anyhow::Result<u8> {
    use rampart_core::advisories::{db, update};
    let dir = db_dir(cli);
    let report = match command {
        DbCommand::Update {
            ecosystems,
            base_url,
            max_download_size,
            retries,
        } => {
            if cli.offline {
                return Err(db::DbError::Offline.into());
            }
            let defaults = update::UpdateOptions::default();
            let options = update::UpdateOptions {
                db_dir: dir.clone(),
                base_url: base_url.clone(),
                ecosystems: if ecosystems.is_empty() {
                    defaults.ecosystems.clone()
                } else {
                    ecosystems.clone()
                },
                max_download_bytes: *max_download_size,
                retries: *retries,
                download_timeout: cli
                    .download_timeout
                    .map_or(defaults.download_timeout, Duration::from_secs),
                redirects: redirects(cli),
                ..defaults
            };
            update::update(&options)?
        }
        DbCommand::Import { path } => update::import(path, &dir)?,
        DbCommand::Status { format } => return db_status(&dir, *format),
    };
    let mut failed = false;
    for e in &report.ecosystems {
        match &e.outcome {
            update::Outcome::Downloaded {
                advisories,
                skipped_records,
                bytes,
            } => {
                let skipped = if *skipped_records > 0 {
                    format!(", {skipped_records} unreadable records skipped")
                } else {
                    String::new()
                };
                eprintln!(
                    "{}: {advisories} advisories ({:.1} MiB){skipped}",
                    e.ecosystem,
                    *bytes as f64 / f64::from(1 << 20)
                );
            }
            update::Outcome::NotModified => eprintln!("{}: up to date", e.ecosystem),
            update::Outcome::Failed(message) => {
                failed = true;
                eprintln!(
                    "error: {}",
                    report::terminal_safe(&format!("{}: {message}", e.ecosystem))
                );
            }
        }
    }
    match &report.generation {
        Some(_) => eprintln!("advisory database: {}", dir.display()),
        None => eprintln!("no advisory database was written"),
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

fn db_status(dir: &std::path::Path, format: Format) -> anyhow::Result<u8> {
    use rampart_core::advisories::db;
    let opened = match db::AdvisoryDb::open(dir) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(EXIT_ERROR);
        }
    };
    let manifest = opened.manifest();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "path": dir,
                "updated_at": db::format_time(manifest.updated_at),
                "age_seconds": opened.age().as_secs(),
                "ecosystems": manifest.ecosystems.iter().map(|(name, e)| serde_json::json!({
                    "ecosystem": name,
                    "advisories": e.advisories,
                    "skipped_records": e.skipped_records,
                    "fetched_at": db::format_time(e.fetched_at),
                    "checked_at": db::format_time(e.checked_at),
                    "source": e.url,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Table => {
            writeln!(
                out,
                "advisory database: {}\nupdated: {} ({} ago)\n",
                dir.display(),
                db::format_time(manifest.updated_at),
                db::format_age(opened.age())
            )?;
            writeln!(
                out,
                "{:<12} {:>10}  {:<20}  {:<20}  source",
                "ecosystem", "advisories", "fetched", "checked"
            )?;
            for (name, e) in &manifest.ecosystems {
                writeln!(
                    out,
                    "{name:<12} {:>10}  {:<20}  {:<20}  {}",
                    e.advisories,
                    db::format_time(e.fetched_at),
                    db::format_time(e.checked_at),
                    e.url
                )?;
            }
        }
    }
    Ok(EXIT_OK)
}
