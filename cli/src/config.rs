//! `rampart config`: write a starter configuration, check one.

use crate::flags::ConfigCommand;
use rampart_core::ExitStatus;

pub(crate) fn run(command: &ConfigCommand) -> anyhow::Result<ExitStatus> {
    match command {
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
