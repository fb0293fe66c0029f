//! From flags to the library's options: what each flag (and the
//! configuration file) means for `ScanOptions`, the engine, downloads and
//! hosts. Low-level arguments in `flags`, high-level ones here.

use crate::flags::{Cli, HostArgs};
use rampart_core::{CacheMode, EngineOptions, PolicyEngine, SandboxLimits};
use std::path::PathBuf;
use std::time::Duration;

pub(crate) fn engine(cli: &Cli) -> anyhow::Result<PolicyEngine> {
    Ok(PolicyEngine::new(engine_options(cli))?)
}

/// What the scan covers: files to walk and hosts (`rampart_core`'s
/// `inventory::host::targets`).
pub(crate) fn targets(
    paths: &[PathBuf],
    hosts: &HostArgs,
) -> anyhow::Result<(Vec<PathBuf>, Vec<rampart_core::HostTarget>)> {
    Ok(rampart_core::scan_targets(
        paths,
        &hosts.roots,
        &hosts.inventories,
    )?)
}

/// The SSH client settings from the options.
pub(crate) fn ssh_options(hosts: &HostArgs) -> rampart_core::SshOptions {
    let mut args = Vec::new();
    if let Some(config) = &hosts.ssh_config {
        args.push("-F".to_owned());
        args.push(config.display().to_string());
    }
    for option in &hosts.ssh_options {
        args.push("-o".to_owned());
        args.push(option.clone());
    }
    rampart_core::SshOptions {
        args,
        connect_timeout: Duration::from_secs(hosts.ssh_connect_timeout.max(1)),
        host_timeout: Duration::from_secs(hosts.host_timeout.max(1)),
        retries: hosts.ssh_retries,
        ..Default::default()
    }
}

pub(crate) fn engine_options(cli: &Cli) -> EngineOptions {
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

/// The key of the hash of secret values in reports:
/// `RAMPART_SECRET_HASH_KEY`, else the one kept in the cache directory
/// (made on first use); none with `--no-cache` or an unwritable cache, so
/// that reports stay the same from run to run.
pub(crate) fn secret_hash_key(cli: &Cli) -> Option<rampart_core::SecretHashKey> {
    if let Some(key) = std::env::var_os("RAMPART_SECRET_HASH_KEY").filter(|k| !k.is_empty()) {
        use std::os::unix::ffi::OsStrExt as _;
        return Some(rampart_core::SecretHashKey::new(key.as_bytes()));
    }
    if cli.no_cache {
        return None;
    }
    let dir = cli
        .cache_dir
        .clone()
        .or_else(rampart_core::dirs::cache_dir)?;
    match rampart_core::SecretHashKey::load_or_create(&dir) {
        Ok(key) => Some(key),
        Err(e) => {
            tracing::warn!(dir = %dir.display(), "no key for the hash of secret values: {e}");
            None
        }
    }
}

/// Where pinned remote packs are cached (beside compiled components), and
/// whether they may be downloaded.
pub(crate) fn remote_options(cli: &Cli) -> rampart_core::RemoteOptions {
    use rampart_core::RemoteOptions;
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

pub(crate) fn redirects(cli: &Cli) -> rampart_core::Redirects {
    if cli.allow_redirects {
        rampart_core::Redirects::Any
    } else {
        rampart_core::Redirects::SameHostHttps
    }
}

/// The configuration: `--config FILE`, else a rampart.yaml at the first
/// scanned path, else none.
pub(crate) fn load_config(cli: &Cli, paths: &[PathBuf]) -> anyhow::Result<rampart_core::Config> {
    use rampart_core::Config;
    let path = match &cli.config {
        Some(path) => Some(path.clone()),
        None => paths.first().and_then(|p| Config::find(p)),
    };
    match path {
        Some(path) => Ok(Config::load(&path)?),
        None => Ok(Config::default()),
    }
}

pub(crate) fn db_dir(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .unwrap_or_else(|| rampart_core::AdvisoryOptions::default().db_dir)
}

pub(crate) fn advisory_options(cli: &Cli, off: bool) -> Option<rampart_core::AdvisoryOptions> {
    (!off).then(|| rampart_core::AdvisoryOptions {
        db_dir: db_dir(cli),
        ..Default::default()
    })
}

/// Options of a run that only collects (`inventory`, `sbom`): no packs,
/// advisories unless turned off.
pub(crate) fn inventory_options(
    cli: &Cli,
    paths: Vec<PathBuf>,
    exclude: &[String],
    no_advisories: bool,
) -> rampart_core::ScanOptions {
    rampart_core::ScanOptions {
        paths,
        excludes: exclude.to_vec(),
        builtin_packs: false,
        engine: engine_options(cli),
        advisories: advisory_options(cli, no_advisories),
        ..rampart_core::ScanOptions::default()
    }
}

/// `--tf-vars` and `--tf-var` as the library takes them.
pub(crate) fn terraform_vars(args: &crate::flags::TerraformArgs) -> rampart_core::TerraformVars {
    rampart_core::TerraformVars {
        files: args.files.clone(),
        values: args.values.clone(),
    }
}
