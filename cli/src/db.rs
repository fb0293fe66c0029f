//! `rampart db`: update, import and show the local advisory database.

use crate::args::{db_dir, redirects};
use crate::flags::{Cli, DbCommand, Format};
use rampart_core::ExitStatus;
use rampart_core::report;
use std::io::Write;
use std::time::Duration;

pub(crate) fn run(cli: &Cli, command: &DbCommand) -> anyhow::Result<ExitStatus> {
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
    Ok(if failed {
        ExitStatus::Error
    } else {
        ExitStatus::Pass
    })
}

fn db_status(dir: &std::path::Path, format: Format) -> anyhow::Result<ExitStatus> {
    use rampart_core::advisories::db;
    let opened = match db::AdvisoryDb::open(dir) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitStatus::Error);
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
    Ok(ExitStatus::Pass)
}
