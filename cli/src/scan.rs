//! `rampart scan`, `inventory`, `sbom`, `baseline create` and `merge`: the
//! commands that scan (or combine scans) and write a report.

use crate::args::{
    advisory_options, engine_options, inventory_options, load_config, remote_options, ssh_options,
    targets,
};
use crate::flags::{
    BaselineCommand, Cli, InventoryArgs, MergeArgs, SbomArgs, SbomFormat, ScanArgs, ScanFormat,
};
use crate::output::{eprint_diagnostic, write_output};
use rampart_core::ExitStatus;
use rampart_core::report::{self, sarif::SarifOptions, table::TableOptions};
use rampart_core::{ScanOptions, Scanner, Severity};
use std::io::IsTerminal as _;
use std::io::Write;
use std::time::Duration;

pub(crate) fn scan(cli: &Cli, args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let ScanArgs {
        paths,
        hosts,
        format,
        output,
        fail_on,
        policies,
        no_builtin,
        exclude,
        no_ignore,
        git_history,
        since,
        max_file_size,
        timeout,
        category,
        no_progress,
        no_advisories,
        baseline,
        terraform,
    } = args;
    // An empty RAMPART_BASELINE (the GitHub Action's default) is none.
    let baseline = baseline
        .as_deref()
        .filter(|p| !p.as_os_str().is_empty())
        .map(rampart_core::Baseline::load)
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
            respect_ignore_files: !no_ignore,
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
            baseline,
            terraform_vars: crate::args::terraform_vars(terraform),
            secret_hash_key: crate::args::secret_hash_key(cli),
            git_history: git_history.then(|| rampart_core::inventory::history::HistoryOptions {
                since: since.clone(),
            }),
        }
        .with_config(config),
    )?;
    let progress = crate::progress::ScanProgress::new(!no_progress && cli.verbose == 0);
    let report = scanner.scan_observed(&progress);
    progress.finish();
    let report = report?;
    let base_dir = std::env::current_dir().ok();
    let color = output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let started = std::time::Instant::now();
    write_output(output.as_deref(), "the report", |mut out| match format {
        ScanFormat::Table => {
            out.write_all(report::table::render(&report, &TableOptions { color }).as_bytes())
        }
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
    let code = report.status(fail_on);
    // The process ends here: freeing every finding one by one, and
    // tearing down the policy instances and engine, would only add
    // to the wall time of large scans.
    std::mem::forget(report);
    std::mem::forget(scanner);
    Ok(code)
}

pub(crate) fn inventory(cli: &Cli, args: &InventoryArgs) -> anyhow::Result<ExitStatus> {
    let InventoryArgs {
        paths,
        hosts,
        exclude,
        spans,
        no_advisories,
        terraform,
    } = args;
    let (paths, host_targets) = targets(paths, hosts)?;
    let scanner = Scanner::new(ScanOptions {
        hosts: host_targets,
        ssh: ssh_options(hosts),
        host_concurrency: hosts.host_concurrency,
        terraform_vars: crate::args::terraform_vars(terraform),
        ..inventory_options(cli, paths, exclude, *no_advisories)
    })?;
    let inventory = scanner.inventory()?;
    let mut resources: Vec<serde_json::Value> = Vec::new();
    for resource in inventory.resources() {
        let mut value = serde_json::to_value(resource)?;
        if resource.kind == rampart_core::inventory::text::KIND
            && let Some(document) = value.get_mut("document")
        {
            // The values found are for the packs to judge, never to print.
            rampart_core::inventory::text::redact_document(document);
        }
        if !spans && let Some(object) = value.as_object_mut() {
            object.remove("spans");
            object.remove("span_files");
        }
        resources.push(value);
    }
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &resources)?;
    writeln!(out)?;
    Ok(print_diagnostics(&inventory.diagnostics))
}

pub(crate) fn sbom(cli: &Cli, args: &SbomArgs) -> anyhow::Result<ExitStatus> {
    let SbomArgs {
        paths,
        format: SbomFormat::Cyclonedx,
        output,
        exclude,
        name,
        no_advisories,
    } = args;
    let scanner = Scanner::new(inventory_options(
        cli,
        paths.clone(),
        exclude,
        *no_advisories,
    ))?;
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
    Ok(print_diagnostics(&inventory.diagnostics))
}

pub(crate) fn merge(args: &MergeArgs) -> anyhow::Result<ExitStatus> {
    let MergeArgs { files, output } = args;
    write_output(output.as_deref(), "the merged log", |out| {
        report::sarif_merge::merge_files(files, out).map_err(std::io::Error::other)
    })?;
    Ok(ExitStatus::Pass)
}

pub(crate) fn baseline(cli: &Cli, command: &BaselineCommand) -> anyhow::Result<ExitStatus> {
    match command {
        BaselineCommand::Create {
            paths,
            output,
            policies,
            no_builtin,
            exclude,
            no_advisories,
        } => {
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
            let baseline = rampart_core::Baseline::from_report(&report);
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
            Ok(if report.status(Severity::Critical) == ExitStatus::Error {
                ExitStatus::Error
            } else {
                ExitStatus::Pass
            })
        }
    }
}

/// Prints an inventory's diagnostics on stderr; [`ExitStatus::Error`] when
/// one is an error (the inventory is incomplete).
fn print_diagnostics(diagnostics: &[rampart_core::Diagnostic]) -> ExitStatus {
    for diagnostic in diagnostics {
        eprint_diagnostic(diagnostic);
    }
    if diagnostics
        .iter()
        .any(|d| d.level == rampart_core::Level::Error)
    {
        ExitStatus::Error
    } else {
        ExitStatus::Pass
    }
}
