//! The scan: inventory → policy → report, as one call.

use crate::advisories::{AdvisoryOptions, Enricher};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Level};
use crate::finding::Finding;
use crate::inventory::{self, FileInventory, Inventory, WalkOptions};
use crate::policy::{
    EngineOptions, Evaluation, LoadError, PackSet, PackSpec, PolicyEngine, PolicyPack,
};
use crate::progress::{NoProgress, ScanObserver};
use crate::results::{Report, ReportRule, ScanStats};
use rayon::prelude::*;
use std::path::PathBuf;

/// The default time limit of a whole scan: generous (a 10,000-file scan
/// takes under a second), so that only a scan that is stuck meets it.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

/// Stack size of the threads that read, parse and evaluate files. Parsers
/// refuse deep nesting well before any stack limit; this is the defence
/// behind that (a few frames more per level than measured must not crash
/// the whole scan). Only touched pages are ever allocated.
const SCAN_STACK: usize = 64 << 20;

/// The pool a scan runs on (threads with [`SCAN_STACK`]), made once.
fn scan_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(SCAN_STACK)
            .thread_name(|i| format!("rampart-scan-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on the scan pool (or here, if it could not be made).
fn on_scan_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match scan_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Files and directories to scan.
    pub paths: Vec<PathBuf>,
    /// Hosts to scan: their packages, accounts, sshd, sysctl, mounts,
    /// services, cron and file permissions.
    pub hosts: Vec<crate::inventory::host::HostTarget>,
    /// How `ssh://` hosts are reached (client, options, timeouts, retries).
    pub ssh: crate::inventory::host::ssh::SshOptions,
    /// Hosts scanned at once (SSH hosts mostly wait on the network).
    pub host_concurrency: usize,
    /// Values for Terraform variables (`--tf-vars`, `--tf-var`), over the
    /// tfvars files of each root module.
    pub terraform_vars: crate::inventory::tfvars::TerraformVars,
    /// Directory that reported paths are relative to (default: the current
    /// directory).
    pub base_dir: Option<PathBuf>,
    /// Globs of paths to leave out (gitignore syntax).
    pub excludes: Vec<String>,
    /// Leave out what `.gitignore`, `.ignore` and `.git/info/exclude`
    /// ignore (the default); `false` is `--no-ignore`.
    pub respect_ignore_files: bool,
    /// Files larger than this many bytes are not read: an error
    /// diagnostic (the scan is incomplete) unless the configuration's
    /// `accept-skipped` covers them.
    pub max_file_size: u64,
    /// Limits on what one file may make the parsers do (nesting depth,
    /// documents per YAML stream).
    pub parse: crate::inventory::walk::ParseLimits,
    /// The whole scan's time limit (`--timeout`): files and hosts not
    /// started by then are reported as not scanned (an error each), and
    /// the report is made of what was.
    pub timeout: Option<std::time::Duration>,
    /// Attach each finding's source line ([`Finding::snippet`]), taken from
    /// the bytes that were scanned, for the table report.
    pub snippets: bool,
    /// Use the built-in packs.
    pub builtin_packs: bool,
    /// Extra packs: `.wasm` files, directories of them, or URLs pinned by
    /// digest (`https://…/pack.wasm#sha256=<hex>`, see [`remote`](crate::policy::remote)).
    pub policies: Vec<PathBuf>,
    /// How pinned remote packs are fetched and cached.
    pub remote: crate::policy::remote::RemoteOptions,
    /// Policy engine settings (sandbox limits, cache).
    pub engine: EngineOptions,
    /// Where dependencies find their advisories; `None` turns vulnerability
    /// matching off (dependencies are still inventoried and evaluated).
    pub advisories: Option<AdvisoryOptions>,
    /// The project's `rampart.yaml`: packs and rules enabled, severities,
    /// pack settings, suppressions. Its `exclude`, `policies` and `builtin`
    /// are merged by [`ScanOptions::with_config`].
    pub config: Config,
    /// Findings to leave out because a baseline lists them (`scan
    /// --baseline`): counted in [`ScanStats::baseline`], not reported.
    pub baseline: Option<crate::baseline::Baseline>,
    /// Also search the history of each directory given, a git repository
    /// (`--git-history`): every blob its refs reach, once, with the loaded
    /// packs' detectors ([`inventory::history`]).
    pub git_history: Option<inventory::history::HistoryOptions>,
    /// The key of the hash of each secret value in findings
    /// ([`Finding::secret_hash`]); `None`: no hash.
    pub secret_hash_key: Option<crate::SecretHashKey>,
}

impl ScanOptions {
    /// Merges a configuration file: its excludes and policies are added,
    /// its `builtin` applies, and the rest is kept for the scan.
    pub fn with_config(mut self, config: Config) -> ScanOptions {
        self.excludes.extend(config.exclude.iter().cloned());
        self.policies.extend(config.policies.iter().cloned());
        // The file's Terraform values come first, so the command line's
        // win over them.
        let vars = &mut self.terraform_vars;
        vars.files = config
            .terraform_var_files
            .iter()
            .cloned()
            .chain(std::mem::take(&mut vars.files))
            .collect();
        vars.values = config
            .terraform_vars
            .iter()
            .cloned()
            .chain(std::mem::take(&mut vars.values))
            .collect();
        // `builtin: false` turns the built-in packs off; it cannot turn
        // them back on against an explicit `--no-builtin`.
        if self.builtin_packs
            && let Some(builtin) = config.builtin
        {
            self.builtin_packs = builtin;
        }
        self.config = config;
        self
    }
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            paths: vec![PathBuf::from(".")],
            hosts: Vec::new(),
            ssh: Default::default(),
            host_concurrency: 16,
            terraform_vars: Default::default(),
            base_dir: None,
            excludes: Vec::new(),
            respect_ignore_files: true,
            max_file_size: WalkOptions::default().max_file_size,
            parse: Default::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            snippets: true,
            builtin_packs: true,
            policies: Vec::new(),
            remote: Default::default(),
            engine: EngineOptions::default(),
            advisories: Some(AdvisoryOptions::default()),
            config: Config::default(),
            baseline: None,
            git_history: None,
            secret_hash_key: None,
        }
    }
}

/// Why a scan could not start.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// A policy pack could not be loaded.
    #[error(transparent)]
    Policy(#[from] LoadError),
    /// The options are invalid (e.g. a bad glob).
    #[error("{0}")]
    Options(String),
}

/// Runs scans with a fixed set of packs.
///
/// ```no_run
/// use rampart_core::{ScanOptions, Scanner, Severity};
/// let scanner = Scanner::new(ScanOptions { paths: vec!["deploy".into()], ..Default::default() })?;
/// let report = scanner.scan()?;
/// for finding in &report.findings {
///     println!("{}:{:?} {} {}", finding.path, finding.region, finding.rule_id, finding.message);
/// }
/// std::process::exit(report.exit_code(Severity::High).into());
/// # Ok::<(), rampart_core::ScanError>(())
/// ```
#[derive(Debug)]
pub struct Scanner {
    options: ScanOptions,
    packs: Vec<PolicyPack>,
    /// The rules each check of Checkov and Trivy stands for: what their
    /// inline skips suppress.
    peers: crate::suppress::PeerIndex,
    /// Every pack's detectors, run on each text file (`None`: no pack
    /// has any, and only files of a known format are read).
    text: Option<std::sync::Arc<inventory::text::TextMatcher>>,
}

impl Scanner {
    /// Loads the packs. A pack that was asked for and cannot be loaded is
    /// an error: a gate must not pass because a policy silently vanished.
    pub fn new(options: ScanOptions) -> Result<Self, ScanError> {
        let engine = PolicyEngine::new(options.engine.clone())?;
        let specs = options
            .policies
            .iter()
            .map(|path| PackSpec::from_path(path))
            .collect::<Result<Vec<_>, _>>()?;
        let packs = PackSet {
            builtin: options.builtin_packs,
            specs: &specs,
            config: Some(&options.config),
            remote: &options.remote,
        }
        .load(&engine)?;
        let peers =
            crate::suppress::PeerIndex::new(packs.iter().flat_map(|p| p.metadata().rules.iter()));
        let detectors: Vec<_> = packs
            .iter()
            .flat_map(|p| p.detectors().iter().cloned())
            .collect();
        let text = (!detectors.is_empty())
            .then(|| std::sync::Arc::new(inventory::text::TextMatcher::new(detectors)));
        Ok(Scanner {
            options,
            packs,
            peers,
            text,
        })
    }

    /// The loaded packs.
    pub fn packs(&self) -> &[PolicyPack] {
        &self.packs
    }

    fn walk_options(&self) -> WalkOptions {
        let base_dir = self
            .options
            .base_dir
            .clone()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        WalkOptions {
            base_dir: base_dir.canonicalize().unwrap_or(base_dir),
            excludes: self.options.excludes.clone(),
            max_file_size: self.options.max_file_size,
            parse: self.options.parse,
            deadline: None,
            keep_sources: self.options.snippets,
            advisories: None,
            terraform: self.options.terraform_vars.clone(),
            text: self.text.clone(),
            respect_ignore_files: self.options.respect_ignore_files,
        }
    }

    /// When a scan started now must end.
    fn deadline(&self) -> Option<std::time::Instant> {
        self.options
            .timeout
            .and_then(|t| std::time::Instant::now().checked_add(t))
    }

    /// Collects resources without evaluating them.
    pub fn inventory(&self) -> Result<Inventory, ScanError> {
        self.inventory_observed(&NoProgress)
    }

    fn inventory_observed(&self, observer: &dyn ScanObserver) -> Result<Inventory, ScanError> {
        on_scan_pool(|| self.inventory_on_pool(observer))
    }

    fn inventory_on_pool(&self, observer: &dyn ScanObserver) -> Result<Inventory, ScanError> {
        let (roots, mut walk) = self.roots()?;
        walk.deadline = self.deadline();
        walk.advisories = self.enricher();
        let mut inventory =
            inventory::collect_observed(&roots, &walk, observer).map_err(ScanError::Options)?;
        let (history, diagnostics) = self.collect_history(&roots, &walk)?;
        inventory.files.extend(history);
        inventory.diagnostics.extend(diagnostics);
        for batch in self.collect_hosts(&walk)? {
            inventory.files.push(batch.inventory);
            inventory.diagnostics.extend(batch.diagnostics);
        }
        if let Some(enricher) = &walk.advisories {
            inventory.diagnostics.extend(enricher.diagnostics());
        }
        self.options
            .config
            .accept_skipped(&mut inventory.diagnostics);
        inventory.diagnostics.sort();
        Ok(inventory)
    }

    /// A fresh enricher per scan: a database updated between two scans of
    /// the same scanner is picked up.
    fn enricher(&self) -> Option<std::sync::Arc<Enricher>> {
        self.options
            .advisories
            .clone()
            .map(|options| std::sync::Arc::new(Enricher::new(options)))
    }

    /// Each host target's resources as one batch (a [`FileInventory`] of
    /// format [`FileFormat::Host`](inventory::FileFormat::Host)), with its
    /// diagnostics and summary, in the order given (collected by
    /// [`inventory::host::reach`]).
    fn collect_hosts(&self, walk: &WalkOptions) -> Result<Vec<HostBatch>, ScanError> {
        let options = inventory::host::reach::ReachOptions {
            ssh: &self.options.ssh,
            base_dir: &walk.base_dir,
            concurrency: self.options.host_concurrency,
            deadline: walk.deadline,
            advisories: walk.advisories.as_deref(),
        };
        let reached = inventory::host::reach::reach(&self.options.hosts, &options)
            .map_err(ScanError::Options)?;
        Ok(reached.into_iter().map(HostBatch::from).collect())
    }

    /// The blobs of the history of each root (`--git-history`) in which the
    /// detectors found something, one batch each, and the diagnostics of
    /// the search. A root that is no repository, or a `--since` that names
    /// no commit, is an error: a history not searched must not look clean.
    fn collect_history(
        &self,
        roots: &[PathBuf],
        walk: &WalkOptions,
    ) -> Result<(Vec<FileInventory>, Vec<Diagnostic>), ScanError> {
        let Some(history) = &self.options.git_history else {
            return Ok(Default::default());
        };
        let Some(matcher) = self.text.as_deref() else {
            return Err(ScanError::Options(
                "--git-history searches with the detectors of the loaded packs, and none has any: use the built-in `secrets` pack (not --no-builtin, not disabled in rampart.yaml) or a pack that declares detectors".to_owned(),
            ));
        };
        let (mut files, mut diagnostics) = (Vec::new(), Vec::new());
        for root in roots.iter().filter(|root| root.is_dir()) {
            let display = match root.strip_prefix(&walk.base_dir) {
                Ok(inside) if inside.as_os_str().is_empty() => String::new(),
                _ => inventory::walk::display_path(root, roots, &walk.base_dir),
            };
            let started = std::time::Instant::now();
            let found = inventory::history::search(root, &display, history, walk, matcher)
                .map_err(ScanError::Options)?;
            tracing::info!(
                repository = %root.display(),
                commits = found.commits,
                blobs = found.blobs,
                with_candidates = found.files.len(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "history searched"
            );
            files.extend(found.files);
            diagnostics.extend(found.diagnostics);
        }
        Ok((files, diagnostics))
    }

    /// The scan's roots, absolute, and the walk options; an error if a root
    /// does not exist.
    fn roots(&self) -> Result<(Vec<PathBuf>, WalkOptions), ScanError> {
        let walk = self.walk_options();
        let roots: Vec<PathBuf> = self
            .options
            .paths
            .iter()
            .map(|p| {
                if p.is_absolute() {
                    p.clone()
                } else {
                    walk.base_dir.join(p)
                }
            })
            // `base/./x` → `base/x`, so that excludes (relative to the base)
            // and display paths match.
            .map(|p| {
                p.components()
                    .filter(|c| !matches!(c, std::path::Component::CurDir))
                    .collect()
            })
            .collect();
        let missing: Vec<String> = roots
            .iter()
            .filter(|r| std::fs::symlink_metadata(r).is_err())
            .map(|r| r.display().to_string())
            .collect();
        if !missing.is_empty() {
            return Err(ScanError::Options(format!(
                "no such file or directory: {}",
                missing.join(", ")
            )));
        }
        Ok((roots, walk))
    }

    /// Scans: inventory, evaluation, report.
    pub fn scan(&self) -> Result<Report, ScanError> {
        self.scan_observed(&NoProgress)
    }

    /// [`scan`](Self::scan), telling `observer` how far it has got (e.g.
    /// to draw a progress bar).
    ///
    /// Each file is read, parsed, evaluated and its findings located in one
    /// parallel task (phase [`ScanPhase::Scanning`](crate::progress::ScanPhase)),
    /// and its documents are freed right after: the same report as
    /// [`inventory`](Self::inventory) then [`evaluate`](Self::evaluate),
    /// with a fraction of the memory.
    pub fn scan_observed(&self, observer: &dyn ScanObserver) -> Result<Report, ScanError> {
        on_scan_pool(|| self.scan_on_pool(observer))
    }

    fn scan_on_pool(&self, observer: &dyn ScanObserver) -> Result<Report, ScanError> {
        let started = std::time::Instant::now();
        let (roots, mut walk) = self.roots()?;
        walk.deadline = self.deadline();
        walk.advisories = self.enricher();
        let mapped = inventory::collect_mapped(
            &roots,
            &walk,
            observer,
            crate::progress::ScanPhase::Scanning,
            |file| {
                let resources = file.resources.len();
                let (findings, diagnostics) = self.finish_batch(&file);
                (findings, diagnostics, resources)
            },
        )
        .map_err(ScanError::Options)?;
        tracing::info!(
            files = mapped.files_walked,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "files scanned"
        );
        let (history, history_diagnostics) = self.collect_history(&roots, &walk)?;
        let history_results: Vec<(Vec<Finding>, Vec<Diagnostic>, usize)> = history
            .into_par_iter()
            .map(|blob| {
                let (findings, diagnostics) = self.finish_batch(&blob);
                (findings, diagnostics, blob.resources.len())
            })
            .collect();
        let hosts = self.collect_hosts(&walk)?;
        let host_summaries: Vec<crate::results::HostSummary> =
            hosts.iter().map(|h| h.summary.clone()).collect();
        let host_results: Vec<(Vec<Finding>, Vec<Diagnostic>, usize)> = hosts
            .into_par_iter()
            .map(|batch| {
                let (host, mut diagnostics) = (batch.inventory, batch.diagnostics);
                let (findings, more) = self.finish_batch(&host);
                diagnostics.extend(more);
                (findings, diagnostics, host.resources.len())
            })
            .collect();
        let stats = ScanStats {
            files_walked: mapped.files_walked,
            files_ignored: mapped.files_ignored,
            files_with_resources: mapped.results.len() + history_results.len(),
            resources: mapped.results.iter().map(|(_, _, n)| n).sum::<usize>()
                + history_results.iter().map(|(_, _, n)| n).sum::<usize>()
                + host_results.iter().map(|(_, _, n)| n).sum::<usize>(),
            hosts: host_summaries,
            baseline: 0,
        };
        let per_file = mapped
            .results
            .into_iter()
            .chain(history_results)
            .chain(host_results)
            .map(|(f, d, _)| (f, d))
            .collect();
        let mut diagnostics = mapped.diagnostics;
        diagnostics.extend(history_diagnostics);
        if let Some(enricher) = &walk.advisories {
            diagnostics.extend(enricher.diagnostics());
        }
        Ok(self.assemble(per_file, diagnostics, stats))
    }

    /// Evaluates an inventory with the scanner's packs.
    pub fn evaluate(&self, inventory: Inventory) -> Report {
        self.evaluate_observed(inventory, &NoProgress)
    }

    fn evaluate_observed(&self, inventory: Inventory, observer: &dyn ScanObserver) -> Report {
        let started = std::time::Instant::now();
        // Already enriched: an inventory from `inventory()` carries its
        // advisories, and one built by hand has none to add.
        observer.phase_started(
            crate::progress::ScanPhase::Evaluating,
            inventory.files.len() as u64,
        );
        let per_file: Vec<(Vec<Finding>, Vec<Diagnostic>)> = inventory
            .files
            .par_iter()
            .map(|file| {
                let located = self.finish_batch(file);
                observer.advanced(crate::progress::ScanPhase::Evaluating, 1);
                located
            })
            .collect();
        observer.phase_finished(crate::progress::ScanPhase::Evaluating);
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "policies evaluated, findings located"
        );
        let stats = ScanStats {
            files_walked: inventory.files_walked,
            files_ignored: inventory.files_ignored,
            files_with_resources: inventory.files.len(),
            resources: inventory.files.iter().map(|f| f.resources.len()).sum(),
            hosts: inventory
                .files
                .iter()
                .filter(|f| f.format == inventory::FileFormat::Host)
                .map(|f| crate::results::HostSummary {
                    name: f.path.clone(),
                    prefix: String::new(),
                    status: crate::results::HostStatus::Scanned,
                    resources: f.resources.len(),
                })
                .collect(),
            baseline: 0,
        };
        // Freeing every document and span index takes a noticeable share of
        // a large scan; nobody waits for it, so it happens off the caller's
        // path.
        let files = inventory.files;
        if files.len() > 64 {
            std::thread::spawn(move || drop(files));
        }
        let report = self.assemble(per_file, inventory.diagnostics, stats);
        tracing::info!(
            findings = report.findings.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "findings located and sorted"
        );
        report
    }

    /// The last stages of the pipeline for one batch (a file's resources,
    /// or a host's, advisories already added as it was collected): every
    /// pack evaluates it, and the findings are located (pointer → region,
    /// snippet, fingerprint, inline suppressions). Files, hosts and
    /// [`evaluate`](Self::evaluate) all end here, so a finding is made the
    /// same way whatever was scanned.
    fn finish_batch(&self, batch: &FileInventory) -> (Vec<Finding>, Vec<Diagnostic>) {
        let evaluation: Evaluation = self
            .packs
            .iter()
            .map(|p| p.evaluate(&batch.resources))
            .collect();
        locate(
            batch,
            evaluation,
            self.options.snippets,
            &self.peers,
            self.options.secret_hash_key.as_ref(),
        )
    }

    /// The report from per-file findings (each sorted, in path order) and
    /// diagnostics.
    fn assemble(
        &self,
        per_file: Vec<(Vec<Finding>, Vec<Diagnostic>)>,
        mut diagnostics: Vec<Diagnostic>,
        stats: ScanStats,
    ) -> Report {
        let (per_file, per_file_diagnostics): (Vec<_>, Vec<_>) = per_file.into_iter().unzip();
        let mut findings = concat_in_parallel(per_file);
        diagnostics.extend(per_file_diagnostics.into_iter().flatten());
        diagnostics.extend(
            self.options
                .config
                .apply(&mut findings, crate::config::today()),
        );
        self.options.config.accept_skipped(&mut diagnostics);
        // Checked in parallel: on a large report this comparison of every
        // neighbouring pair was a serial step of its own.
        if !findings.par_windows(2).all(|pair| pair[0] <= pair[1]) {
            // Only if two files had the same display path.
            findings.sort();
            findings.dedup();
        }
        diagnostics.sort();
        let mut rules: Vec<ReportRule> = self
            .packs
            .iter()
            .flat_map(|p| {
                p.metadata().rules.iter().map(|r| ReportRule {
                    pack: p.name().to_owned(),
                    pack_version: p.metadata().version.clone(),
                    rule: r.clone(),
                })
            })
            .collect();
        rules.sort_by(|a, b| (&a.pack, &a.rule.id).cmp(&(&b.pack, &b.rule.id)));
        let mut report = Report {
            stats,
            findings,
            diagnostics,
            rules,
        };
        if let Some(baseline) = &self.options.baseline {
            baseline.apply(&mut report);
        }
        report
    }
}

/// The files' findings, in order, as one vector. Moving 100,000 findings
/// of a few hundred bytes each into fresh memory is mostly page faults, and
/// a serial step at the end of a large scan: each file's slice of the
/// result is filled on its own task instead.
fn concat_in_parallel(parts: Vec<Vec<Finding>>) -> Vec<Finding> {
    let total = parts.iter().map(Vec::len).sum();
    let mut all: Vec<Finding> = Vec::with_capacity(total);
    let mut rest = &mut all.spare_capacity_mut()[..total];
    let mut slots = Vec::with_capacity(parts.len());
    for part in &parts {
        let (slot, tail) = std::mem::take(&mut rest).split_at_mut(part.len());
        slots.push(slot);
        rest = tail;
    }
    slots.into_par_iter().zip(parts).for_each(|(slot, part)| {
        for (place, finding) in slot.iter_mut().zip(part) {
            place.write(finding);
        }
    });
    // SAFETY: the slots partition the first `total` places of the spare
    // capacity and each was filled from a part of exactly its length (a
    // move cannot panic), so all `total` elements are initialised.
    unsafe { all.set_len(total) };
    all
}

/// Turns one file's policy results into located findings and diagnostics;
/// with `snippets`, each finding gets its source line from the text that
/// was scanned.
fn locate(
    file: &FileInventory,
    evaluation: Evaluation,
    snippets: bool,
    peers: &crate::suppress::PeerIndex,
    hash_key: Option<&crate::SecretHashKey>,
) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut findings = Vec::with_capacity(evaluation.findings.len());
    // What the detectors found in this file is never printed: not in a
    // source line, nor in what a pack wrote (a message quoting a value).
    let secrets = crate::inventory::text::Secrets::of(&file.resources);
    for f in evaluation.findings {
        let Some(resource) = file.resources.iter().find(|r| r.id == f.resource_id) else {
            continue;
        };
        // The resource's own file (a requirements file's `-r` includes
        // bring resources of other files into its batch), or the file the
        // reported value came from (a host's included configuration).
        let (path, region) = resource.locate(&f.pointer);
        let snippet = if snippets {
            region.and_then(|r| {
                file.sources
                    .line(path, r.start_line)
                    .map(|line| secrets.scrub(line).into_owned())
            })
        } else {
            None
        };
        let related = resource.related_to(&f.pointer);
        let secret_hash = hash_key.and_then(|key| {
            crate::inventory::text::secret_at(resource, &f.pointer).map(|v| key.hash(v))
        });
        findings.push(Finding {
            snippet,
            fingerprint: Finding::fingerprint_of(&f.rule_id, path, &f.resource_id, &f.pointer),
            path: path.to_owned(),
            region,
            rule_id: f.rule_id,
            pack: f.pack,
            severity: f.severity,
            message: secrets
                .scrub(&with_commit(
                    with_related(f.message, &related),
                    file.commit.as_ref(),
                ))
                .into_owned(),
            fix: f.fix.map(|fix| secrets.scrub(&fix).into_owned()),
            resource_id: f.resource_id,
            resource_kind: resource.kind.clone(),
            pointer: f.pointer,
            suppression: None,
            related,
            commit: file.commit.clone(),
            secret_hash,
        });
    }
    findings.sort_unstable();
    findings.dedup();
    let suppression_warnings = if file.suppressions.is_empty() {
        Vec::new()
    } else {
        // The lines of each resource in this file: the scope of a
        // Checkov skip, and of a Trivy ignore above a block.
        let resources: std::collections::BTreeMap<&str, crate::resource::Region> = file
            .resources
            .iter()
            .filter_map(|r| match r.locate("") {
                (path, Some(region)) if path == file.path => Some((r.id.as_str(), region)),
                _ => None,
            })
            .collect();
        crate::suppress::apply_inline(
            &file.path,
            &mut findings,
            &file.suppressions,
            &resources,
            peers,
            crate::config::today(),
        )
    };
    let diagnostics = evaluation
        .errors
        .into_iter()
        .map(|e| {
            Diagnostic::file(
                Level::Error,
                DiagnosticKind::PolicyError,
                file.path.clone(),
                e.to_string(),
            )
        })
        .chain(suppression_warnings)
        .collect();
    (findings, diagnostics)
}

/// A finding's message naming where its value came from, so that every
/// format (not only SARIF's related locations) tells a reviewer which call
/// or which variables file to change: `… (module.logs called at
/// main.tf:12; var.acl set at terraform.tfvars:1)`.
fn with_related(message: String, related: &[crate::resource::RelatedLocation]) -> String {
    if related.is_empty() {
        return message;
    }
    let notes: Vec<String> = related
        .iter()
        .map(|r| match r.place() {
            Some(place) => format!("{} at {place}", r.message),
            None => r.message.clone(),
        })
        .collect();
    format!("{message} ({})", notes.join("; "))
}

/// A finding of a blob of the history says in its text which commit
/// brought it (every format shows the message; JSON and SARIF also carry
/// the commit as data).
fn with_commit(message: String, commit: Option<&crate::finding::CommitOrigin>) -> String {
    match commit {
        None => message,
        Some(origin) if origin.date.is_empty() => {
            format!("{message} (in the history: commit {})", origin.commit)
        }
        Some(origin) => format!(
            "{message} (in the history: commit {} of {})",
            origin.commit, origin.date
        ),
    }
}

/// One host's collected batch.
struct HostBatch {
    inventory: FileInventory,
    diagnostics: Vec<Diagnostic>,
    summary: crate::results::HostSummary,
}

impl From<inventory::host::reach::ReachedHost> for HostBatch {
    fn from(host: inventory::host::reach::ReachedHost) -> HostBatch {
        let inventory::host::reach::ReachedHost {
            inventory: host_inventory,
            prefix,
            reached,
        } = host;
        HostBatch {
            summary: crate::results::HostSummary {
                name: host_inventory.name.clone(),
                prefix,
                status: if reached {
                    crate::results::HostStatus::Scanned
                } else {
                    crate::results::HostStatus::Unreachable
                },
                resources: host_inventory.resources.len(),
            },
            inventory: FileInventory {
                path: host_inventory.name,
                format: inventory::FileFormat::Host,
                resources: host_inventory.resources,
                commit: None,
                suppressions: Vec::new(),
                sources: host_inventory.sources,
            },
            diagnostics: host_inventory.diagnostics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(file: usize, i: usize) -> Finding {
        Finding {
            path: format!("f{file}.yaml"),
            region: None,
            rule_id: "R-1".into(),
            pack: "p".into(),
            severity: Severity::High,
            message: format!("finding {i} of file {file}"),
            fix: None,
            resource_id: format!("r{i}"),
            resource_kind: "k8s".into(),
            pointer: String::new(),
            fingerprint: String::new(),
            suppression: None,
            related: Vec::new(),
            commit: None,
            secret_hash: None,
            snippet: None,
        }
    }

    #[test]
    fn concat_in_parallel_keeps_every_finding_in_order() {
        let lengths = [0, 3, 0, 1, 5, 0, 2];
        let parts: Vec<Vec<Finding>> = lengths
            .iter()
            .enumerate()
            .map(|(file, &n)| (0..n).map(|i| finding(file, i)).collect())
            .collect();
        let expected: Vec<Finding> = parts.iter().flatten().cloned().collect();
        assert_eq!(concat_in_parallel(parts), expected);
        assert!(concat_in_parallel(Vec::new()).is_empty());
        assert!(concat_in_parallel(vec![Vec::new(), Vec::new()]).is_empty());
    }
}
