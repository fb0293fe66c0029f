//! Reaching host targets: a root filesystem opened, an SSH host fetched,
//! each collected, several at once, in the order given.

use super::fs::{HostFs, RootFs};
use super::ssh::{SshFs, SshOptions};
use super::{HostInventory, HostTarget, collect};
use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use rayon::prelude::*;
use std::path::Path;
use std::time::Instant;

/// How host targets are reached.
#[derive(Debug, Clone, Copy)]
pub struct ReachOptions<'a> {
    /// The SSH client, its options, timeouts and retries.
    pub ssh: &'a SshOptions,
    /// What relative `--root` directories are relative to, and what
    /// reported image paths are shown relative to.
    pub base_dir: &'a Path,
    /// Hosts collected at once (SSH hosts mostly wait on the network).
    pub concurrency: usize,
    /// A host not started by then is not scanned (`--timeout`).
    pub deadline: Option<Instant>,
    /// Advisories to add to a host's packages as it is collected.
    pub advisories: Option<&'a crate::advisories::Enricher>,
}

/// One target, collected or not.
#[derive(Debug)]
pub struct ReachedHost {
    /// Its resources and diagnostics (for an unreachable host, none and
    /// the error that says why).
    pub inventory: HostInventory,
    /// What its reported paths start with: `""` for this machine, the
    /// image directory, `ssh://host`.
    pub prefix: String,
    /// Whether it was reached and read.
    pub reached: bool,
}

impl ReachedHost {
    fn unreachable(name: &str, prefix: String, message: &str) -> ReachedHost {
        ReachedHost {
            inventory: HostInventory {
                name: name.to_owned(),
                diagnostics: vec![Diagnostic::file(
                    Level::Error,
                    DiagnosticKind::Host,
                    name.to_owned(),
                    format!("host not scanned: {message}"),
                )],
                ..HostInventory::default()
            },
            prefix,
            reached: false,
        }
    }
}

/// Collects every target, [`concurrency`](ReachOptions::concurrency) at
/// a time, in the order given. An unreachable host is an error diagnostic
/// and no resources, never the end of the scan; only a root directory that
/// does not exist is an error (a usage mistake).
pub fn reach(
    targets: &[HostTarget],
    options: &ReachOptions<'_>,
) -> Result<Vec<ReachedHost>, String> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.concurrency.clamp(1, 256))
        .thread_name(|i| format!("rampart-host-{i}"))
        .build()
        .map_err(|e| format!("cannot start the host pool: {e}"))?;
    pool.install(|| {
        targets
            .par_iter()
            .map(|target| {
                let mut host = reach_one(target, options)?;
                if let Some(enricher) = options.advisories {
                    let inventory = &mut host.inventory;
                    let notes = enricher.enrich(&inventory.name, &mut inventory.resources);
                    inventory.diagnostics.extend(notes);
                }
                Ok(host)
            })
            .collect()
    })
}

fn reach_one(target: &HostTarget, options: &ReachOptions<'_>) -> Result<ReachedHost, String> {
    if options.deadline.is_some_and(|d| Instant::now() >= d) {
        let (name, prefix) = match target {
            HostTarget::Root(dir) => (dir.display().to_string(), String::new()),
            HostTarget::Ssh(target) => (target.name.clone(), target.url()),
        };
        return Ok(ReachedHost::unreachable(
            &name,
            prefix,
            "the scan's time limit (--timeout) was reached before it",
        ));
    }
    match target {
        HostTarget::Root(dir) => {
            let fs = RootFs::new(dir)
                .map_err(|e| format!("cannot scan the root filesystem {}: {e}", dir.display()))?;
            let (name, prefix) = if fs.is_live() {
                ("/".to_owned(), String::new())
            } else {
                let absolute = if dir.is_absolute() {
                    dir.clone()
                } else {
                    options.base_dir.join(dir)
                };
                let shown = crate::inventory::walk::display_path(&absolute, &[], options.base_dir);
                (shown.clone(), shown)
            };
            Ok(ReachedHost {
                inventory: collect(&fs, &name, &prefix),
                prefix,
                reached: true,
            })
        }
        HostTarget::Ssh(target) => {
            let prefix = target.url();
            Ok(match SshFs::fetch(target, options.ssh) {
                Ok(fetched) => {
                    tracing::info!(
                        host = %target.name,
                        elapsed_ms = fetched.elapsed.as_millis() as u64,
                        "host fetched"
                    );
                    let mut inventory = collect(&fetched.fs, &target.name, &prefix);
                    inventory
                        .diagnostics
                        .extend(fetched.warnings.into_iter().map(|w| {
                            Diagnostic::file(
                                Level::Warning,
                                DiagnosticKind::Host,
                                target.name.clone(),
                                format!("the host reported: {w}"),
                            )
                        }));
                    ReachedHost {
                        inventory,
                        prefix,
                        reached: true,
                    }
                }
                Err(e) => ReachedHost::unreachable(&target.name, prefix, &e.to_string()),
            })
        }
    }
}
