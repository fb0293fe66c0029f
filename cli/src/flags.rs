//! The command line: every flag and subcommand, as clap reads them. Only
//! definitions and their help texts; what a flag means for a scan is
//! worked out in `args`, what a command does in its own module.

use clap::{Parser, Subcommand, ValueEnum};
use rampart_authoring::Language;
use rampart_core::Severity;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "rampart", version, about, long_about = None)]
pub(crate) struct Cli {
    /// Log more (repeat for debug output); logs go to stderr.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,

    /// Cache directory (default: $RAMPART_CACHE_DIR, else $XDG_CACHE_HOME/rampart).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) cache_dir: Option<PathBuf>,

    /// Compile policies in memory, without the on-disk cache.
    #[arg(long, global = true)]
    pub(crate) no_cache: bool,

    /// Time limit for one policy call, in milliseconds.
    #[arg(long, global = true, value_name = "MS", default_value_t = 10_000)]
    pub(crate) policy_timeout: u64,

    /// Memory limit for one policy instance, in MiB.
    #[arg(long, global = true, value_name = "MIB", default_value_t = 512)]
    pub(crate) policy_memory: usize,

    /// Advisory database directory (default: $RAMPART_DB_DIR, else db/ in
    /// the cache directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) db: Option<PathBuf>,

    /// Configuration file (default: rampart.yaml or .rampart.yaml in the
    /// first scanned directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// Forbid any network use: commands that would download fail instead.
    /// (Scans never download: they read the local advisory database.)
    #[arg(long, global = true)]
    pub(crate) offline: bool,

    /// Time limit of each download, retries included, in seconds
    /// (default: 600 for an advisory export, 60 for a remote pack).
    #[arg(long, global = true, value_name = "SECS")]
    pub(crate) download_timeout: Option<u64>,

    /// Follow any redirect of a download (by default only those to https
    /// on the same host are).
    #[arg(long, global = true)]
    pub(crate) allow_redirects: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Scan files and directories; report findings.
    ///
    /// Exit status: 0 when no finding is at or above --fail-on, 1 when one
    /// is, 2 on usage errors or when the scan is incomplete (a file could
    /// not be parsed, a policy failed).
    Scan(ScanArgs),
    /// Record the current findings as accepted, for `scan --baseline`.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Print the resources rampart collects, as JSON: what a policy sees.
    Inventory(InventoryArgs),
    /// Write a software bill of materials of the dependencies found
    /// (lockfiles), with the vulnerabilities the advisory database matches.
    Sbom(SbomArgs),
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
    Merge(MergeArgs),
    /// Work with policy packs.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum PolicyCommand {
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
pub(crate) enum ConfigCommand {
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
    /// Turn a Checkov or Trivy skip list into rampart suppressions: each
    /// skipped check becomes a suppression of the rules that are its
    /// equivalent. Prints a `suppressions:` block for rampart.yaml.
    Import {
        /// Whose skip list it is.
        #[arg(long, value_enum)]
        from: PeerToolArg,
        /// `.checkov.yaml` (its `skip-check`), `.trivyignore` /
        /// `.trivyignore.yaml`, or `.hadolint.yaml` (its `ignored`).
        file: PathBuf,
        /// Write the block here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The scanners whose skip lists `rampart config import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PeerToolArg {
    /// Checkov's `.checkov.yaml`.
    Checkov,
    /// Trivy's `.trivyignore` or `.trivyignore.yaml`.
    Trivy,
    /// hadolint's `.hadolint.yaml` (its `ignored` list).
    Hadolint,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BaselineCommand {
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
pub(crate) enum DbCommand {
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
pub(crate) enum SbomFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScanFormat {
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
pub(crate) enum Format {
    /// Human-readable.
    Table,
    /// Machine-readable JSON.
    Json,
}

/// `rampart scan`.
#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    /// Files and directories to scan, and hosts as
    /// `ssh://[user@]host[:port]` (default: `.`, unless hosts are given).
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) hosts: HostArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Table)]
    pub(crate) format: ScanFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Lowest severity that makes the exit status 1 (default: the
    /// configuration's `fail-on`, else info).
    #[arg(long, value_parser = parse_severity)]
    pub(crate) fail_on: Option<Severity>,
    /// Extra policy pack: a `.wasm` component, a directory of them, or a
    /// URL pinned by digest, `https://…/pack.wasm#sha256=<hex>`
    /// (downloaded, verified, cached by digest; repeatable).
    #[arg(long = "policy", value_name = "PATH")]
    pub(crate) policies: Vec<PathBuf>,
    /// Do not use the built-in packs.
    #[arg(long)]
    pub(crate) no_builtin: bool,
    /// Leave out paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Also scan what `.gitignore`, `.ignore` and `.git/info/exclude`
    /// leave out (a git-ignored `.env` is still on disk).
    #[arg(long)]
    pub(crate) no_ignore: bool,
    /// Also search the git history of each directory given (the top of a
    /// work tree, or a bare repository) for secrets: every blob the refs
    /// reach, once, reported with the commit that brought it.
    #[arg(long)]
    pub(crate) git_history: bool,
    /// With --git-history: only what the commits after REV brought (a
    /// commit, branch or tag).
    #[arg(long, value_name = "REV", requires = "git_history")]
    pub(crate) since: Option<String>,
    /// Do not read files larger than this many bytes: each is an error
    /// (the scan is incomplete) unless `accept-skipped` in rampart.yaml
    /// covers it.
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20)]
    pub(crate) max_file_size: u64,
    /// Time limit of the whole scan, in seconds: what is not scanned by
    /// then is reported as such (exit 2), with the findings of the rest.
    #[arg(long, value_name = "SECS", default_value_t = rampart_core::DEFAULT_TIMEOUT.as_secs())]
    pub(crate) timeout: u64,
    /// SARIF category (`automationDetails.id`), to keep several uploads apart.
    #[arg(long, value_name = "NAME")]
    pub(crate) category: Option<String>,
    /// Never draw the progress bar (it is drawn on stderr only when
    /// stderr is a terminal, and not with --verbose).
    #[arg(long)]
    pub(crate) no_progress: bool,
    /// Do not match dependencies against the advisory database.
    #[arg(long)]
    pub(crate) no_advisories: bool,
    /// Leave out the findings this baseline lists (`rampart baseline
    /// create`): report and gate on new findings only.
    #[arg(long, value_name = "FILE", env = "RAMPART_BASELINE")]
    pub(crate) baseline: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) terraform: TerraformArgs,
}

/// `rampart inventory`.
#[derive(Debug, clap::Args)]
pub(crate) struct InventoryArgs {
    /// Files and directories to scan, and hosts as
    /// `ssh://[user@]host[:port]` (default: `.`, unless hosts are given).
    pub(crate) paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) hosts: HostArgs,
    /// Leave out paths matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Include each resource's span index (JSON Pointer → region).
    #[arg(long)]
    pub(crate) spans: bool,
    /// Do not add matching advisories to dependencies.
    #[arg(long)]
    pub(crate) no_advisories: bool,
    #[command(flatten)]
    pub(crate) terraform: TerraformArgs,
}

/// How Terraform variables are set (`scan`, `inventory`).
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TerraformArgs {
    /// Values of Terraform variables from FILE (HCL `.tfvars`, or JSON
    /// `.tfvars.json`) for every root module, over `terraform.tfvars` and
    /// `*.auto.tfvars` (repeatable; later files win).
    #[arg(long = "tf-vars", value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,
    /// The value of one Terraform variable, over every file (repeatable).
    #[arg(long = "tf-var", value_name = "NAME=VALUE", value_parser = parse_tf_var)]
    pub(crate) values: Vec<(String, String)>,
}

fn parse_tf_var(text: &str) -> Result<(String, String), String> {
    rampart_core::TerraformVars::parse_assignment(text)
}

/// `rampart sbom`.
#[derive(Debug, clap::Args)]
pub(crate) struct SbomArgs {
    /// Files and directories to scan.
    #[arg(default_value = ".")]
    pub(crate) paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SbomFormat::Cyclonedx)]
    pub(crate) format: SbomFormat,
    /// Write the SBOM to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Leave out paths matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,
    /// Name of the described component (default: the scanned directory's name).
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Leave vulnerabilities out (no advisory database needed).
    #[arg(long)]
    pub(crate) no_advisories: bool,
}

/// `rampart merge`.
#[derive(Debug, clap::Args)]
pub(crate) struct MergeArgs {
    /// SARIF files to combine.
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Write the merged log to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// Hosts to scan, shared by `scan` and `inventory`.
#[derive(Debug, clap::Args)]
pub(crate) struct HostArgs {
    /// Scan a host's root filesystem: `/` for this machine, or the
    /// directory of a mounted image (repeatable). Its packages, accounts,
    /// sshd, sysctl, mounts, services, cron and file permissions are checked.
    #[arg(long = "root", value_name = "DIR")]
    pub(crate) roots: Vec<PathBuf>,
    /// Scan every host of an Ansible inventory (INI or YAML) over SSH
    /// (repeatable).
    #[arg(long = "inventory", short = 'i', value_name = "FILE")]
    pub(crate) inventories: Vec<PathBuf>,
    /// An ssh_config file for the SSH client (`ssh -F`).
    #[arg(long, value_name = "FILE")]
    pub(crate) ssh_config: Option<PathBuf>,
    /// An option for the SSH client (`ssh -o KEY=VALUE`; repeatable), e.g.
    /// `IdentityFile=~/.ssh/audit`, `ProxyJump=bastion`.
    #[arg(long = "ssh-option", value_name = "KEY=VALUE")]
    pub(crate) ssh_options: Vec<String>,
    /// Seconds to connect to a host (each attempt).
    #[arg(long, value_name = "SECS", default_value_t = 10)]
    pub(crate) ssh_connect_timeout: u64,
    /// Seconds for everything read from one host.
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub(crate) host_timeout: u64,
    /// Further connection attempts to a host, with exponential backoff.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub(crate) ssh_retries: u32,
    /// Hosts scanned at once.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub(crate) host_concurrency: usize,
}

pub(crate) fn parse_language(s: &str) -> Result<Language, String> {
    s.parse()
}

pub(crate) fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
        .map_err(|e: rampart_core::ParseSeverityError| e.to_string())
}
