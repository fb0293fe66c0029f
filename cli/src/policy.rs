//! `rampart policy`: list, evaluate, document, test, scaffold, build and
//! inspect packs.

use crate::args::{engine, engine_options, remote_options};
use crate::flags::{Cli, Format, PolicyCommand};
use rampart_authoring::{self as authoring, Language};
use rampart_core::ExitStatus;
use rampart_core::ScanOptions;
use rampart_core::report;
use rampart_core::{Evaluation, PackSet, PackSource, PackSpec, PolicyPack};
use std::io::Write;
use std::path::PathBuf;

pub(crate) fn run(cli: &Cli, command: &PolicyCommand) -> anyhow::Result<ExitStatus> {
    match command {
        PolicyCommand::List { format } => {
            let engine = engine(cli)?;
            let packs = engine.load_builtins()?;
            print_list(&packs, *format)?;
            Ok(ExitStatus::Pass)
        }
        PolicyCommand::Eval {
            resources,
            packs,
            fail_on,
            format,
        } => {
            let engine = engine(cli)?;
            let specs = packs
                .iter()
                .map(|spec| PackSpec::parse(spec))
                .collect::<Result<Vec<_>, _>>()?;
            let loaded = PackSet {
                builtin: specs.is_empty(),
                specs: &specs,
                config: None,
                remote: &remote_options(cli),
            }
            .load(&engine)?;
            let text = rampart_core::read_text(
                resources,
                rampart_core::MAX_SMALL_FILE,
                rampart_core::Links::Follow,
            )
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", resources.display()))?;
            let resources = rampart_core::resources_from_json(&text).map_err(|e| {
                anyhow::anyhow!("{} is not a list of resources: {e}", resources.display())
            })?;
            let outcome = rampart_core::evaluate_by_source(&loaded, &resources);
            print_evaluation(&outcome, *format)?;
            if !outcome.errors.is_empty() {
                Ok(ExitStatus::Error)
            } else if outcome.findings.iter().any(|f| f.severity >= *fail_on) {
                Ok(ExitStatus::Fail)
            } else {
                Ok(ExitStatus::Pass)
            }
        }
        PolicyCommand::Docs { output, check } => {
            let engine = engine(cli)?;
            let packs = engine.load_builtins()?;
            let metadata: Vec<_> = packs.iter().map(|p| p.metadata().clone()).collect();
            let mode = if *check {
                report::rule_docs::Sync::Check
            } else {
                report::rule_docs::Sync::Write
            };
            let outcome = report::rule_docs::sync(&metadata, output, mode)?;
            for path in &outcome.written {
                eprintln!("wrote {}", path.display());
            }
            let stale: Vec<String> = outcome
                .stale
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            if stale.is_empty() {
                Ok(ExitStatus::Pass)
            } else {
                for path in &stale {
                    eprintln!("stale: {path}");
                }
                eprintln!("run `rampart policy docs` to regenerate");
                Ok(ExitStatus::Fail)
            }
        }
        PolicyCommand::Test {
            dir,
            pack,
            fixtures,
        } => test(cli, dir, pack, fixtures),
        PolicyCommand::New { name, lang, dir } => {
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
            Ok(ExitStatus::Pass)
        }
        PolicyCommand::Build { dir, output, tool } => {
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
            let pack = match engine.load(PackSource::file(&built.component), None) {
                Ok(pack) => pack,
                Err(err) => {
                    let _ = std::fs::remove_file(&built.component);
                    return Err(anyhow::anyhow!(err).context(format!(
                        "the {language} toolchain built a component rampart refuses (removed)"
                    )));
                }
            };
            let warm = engine.load(PackSource::file(&built.component), None)?;
            print_build(&built, &pack, &warm, engine.cache_dir().is_some())?;
            Ok(ExitStatus::Pass)
        }
        PolicyCommand::Inspect { pack, format } => {
            let engine = engine(cli)?;
            let specs = [PackSpec::parse(pack)?];
            let loaded = PackSet {
                builtin: false,
                specs: &specs,
                config: None,
                remote: &remote_options(cli),
            }
            .load(&engine)?;
            let [pack] = loaded.as_slice() else {
                anyhow::bail!(
                    "{pack} holds {} packs; `policy inspect` shows one: name its file",
                    loaded.len()
                );
            };
            print_inspect(pack, *format)?;
            Ok(ExitStatus::Pass)
        }
    }
}

/// `rampart policy test`: the pack's fixtures, compared; prints every
/// mismatch and a verdict.
fn test(
    cli: &Cli,
    dir: &std::path::Path,
    pack: &Option<PathBuf>,
    fixtures: &Option<PathBuf>,
) -> anyhow::Result<ExitStatus> {
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
        writeln!(out, "error: {}", report::terminal_safe(&diagnostic.message))?;
    }
    for mismatch in &results.mismatches {
        writeln!(out, "FAIL {}", report::terminal_safe(&mismatch.to_string()))?;
    }
    let verdict = if run.passed() { "ok" } else { "FAILED" };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        out,
        "{verdict}: {} of {} checked ({}), {}",
        plural(results.checked, "fixture", "fixtures"),
        plural(results.rules, "rule", "rules"),
        report::terminal_safe(&pack.display().to_string()),
        plural(results.mismatches.len(), "mismatch", "mismatches")
    )?;
    Ok(if run.passed() {
        ExitStatus::Pass
    } else {
        ExitStatus::Fail
    })
}

fn print_evaluation(outcome: &Evaluation, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, outcome)?;
            writeln!(out)?;
        }
        Format::Table => {
            report::listing::write_policy_findings(
                &mut out,
                &outcome.findings,
                outcome.errors.len(),
            )?;
        }
    }
    for error in &outcome.errors {
        crate::output::eprint_safe(&format!("policy error: {error}"));
    }
    Ok(())
}

fn print_list(packs: &[PolicyPack], format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let metadata: Vec<_> = packs.iter().map(PolicyPack::metadata).collect();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &metadata)?;
            writeln!(out)?;
        }
        Format::Table => report::listing::write_pack_list(&mut out, &metadata)?,
    }
    Ok(())
}

/// The facts of a loaded pack the listings print, `load` saying how it
/// loaded.
fn facts<'a>(pack: &'a PolicyPack, load: &'a str) -> report::listing::PackFacts<'a> {
    report::listing::PackFacts {
        origin: pack.origin(),
        digest: pack.digest(),
        size: pack.size(),
        imports: &pack.interface().imports,
        exports: &pack.interface().exports,
        detectors: pack.detectors(),
        load,
    }
}

/// What `policy build` made: the component, what the sandbox sees of it,
/// and how long loading takes cold (compiling) and warm (from the cache).
fn print_build(
    built: &authoring::Built,
    pack: &PolicyPack,
    warm: &PolicyPack,
    cached: bool,
) -> anyhow::Result<()> {
    let cold = pack.load_stats();
    let hot = warm.load_stats();
    let load = if cached && cold.cache == rampart_core::CacheOutcome::Hit {
        format!(
            "{:.0} ms from the cache (this component was compiled before)",
            hot.total_time.as_secs_f64() * 1e3
        )
    } else if cached {
        format!(
            "{:.0} ms to compile into the cache ({:?}), then {:.0} ms from it ({:?})",
            cold.total_time.as_secs_f64() * 1e3,
            cold.cache,
            hot.total_time.as_secs_f64() * 1e3,
            hot.cache
        )
    } else {
        format!(
            "{:.0} ms (no cache: every load compiles)",
            cold.total_time.as_secs_f64() * 1e3
        )
    };
    let mut out = std::io::stdout().lock();
    report::listing::write_build(
        &mut out,
        &built.component,
        built.elapsed,
        pack.metadata(),
        &facts(pack, &load),
    )?;
    Ok(())
}

fn print_inspect(pack: &PolicyPack, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let meta = pack.metadata();
    match format {
        Format::Json => {
            let value = serde_json::json!({
                "origin": pack.origin(),
                "sha256": pack.digest(),
                "size": pack.size(),
                "imports": pack.interface().imports,
                "exports": pack.interface().exports,
                "detectors": pack
                    .detectors()
                    .iter()
                    .map(|d| serde_json::json!({
                        "rule_id": d.rule_id(),
                        "keywords": d.keywords(),
                        "pattern": d.pattern(),
                    }))
                    .collect::<Vec<_>>(),
                "pack": meta,
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        Format::Table => {
            let stats = pack.load_stats();
            let load = format!(
                "in {:.1} ms (compiled component: {:?})",
                stats.total_time.as_secs_f64() * 1e3,
                stats.cache
            );
            report::listing::write_pack_details(&mut out, meta, &facts(pack, &load))?;
        }
    }
    Ok(())
}
