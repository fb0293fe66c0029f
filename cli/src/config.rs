//! `rampart config`: write a starter configuration, check one, import
//! another scanner's skip list.

use crate::flags::{Cli, ConfigCommand, PeerToolArg};
use rampart_core::ExitStatus;
use rampart_core::migrate::{self, PeerTool};

pub(crate) fn run(cli: &Cli, command: &ConfigCommand) -> anyhow::Result<ExitStatus> {
    match command {
        ConfigCommand::Import { from, file, output } => {
            let text = rampart_core::read_text(
                file,
                rampart_core::MAX_SMALL_FILE,
                rampart_core::Links::Follow,
            )
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let packs = crate::args::engine(cli)?.load_builtins()?;
            let peers = rampart_core::suppress::PeerIndex::new(
                packs.iter().flat_map(|p| p.metadata().rules.iter()),
            );
            let tool = match from {
                PeerToolArg::Checkov => PeerTool::Checkov,
                PeerToolArg::Trivy => PeerTool::Trivy,
                PeerToolArg::Hadolint => PeerTool::Hadolint,
            };
            let imported = migrate::import(tool, &text, &peers)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let yaml = imported.to_yaml(&file.display().to_string());
            match output {
                Some(path) => {
                    std::fs::write(path, &yaml)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
                None => {
                    for line in yaml.lines() {
                        println!("{}", rampart_core::report::terminal_safe(line));
                    }
                }
            }
            for why in &imported.left_out {
                eprintln!("not imported: {}", rampart_core::report::terminal_safe(why));
            }
            eprintln!(
                "{} suppressions imported; {} entries left out",
                imported.suppressions.len(),
                imported.left_out.len()
            );
            Ok(ExitStatus::Pass)
        }
        ConfigCommand::Init { output, force } => {
            if output.exists() && !force {
                anyhow::bail!("{} exists; pass --force to replace it", output.display());
            }
            std::fs::write(output, rampart_core::STARTER_CONFIG)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
            eprintln!("wrote {}", output.display());
            Ok(ExitStatus::Pass)
        }
        ConfigCommand::Check { file } => {
            let config = rampart_core::Config::load(file)?;
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
            Ok(ExitStatus::Pass)
        }
    }
}
