//! `rampart`: the command-line front end. Parses arguments, calls
//! `rampart-core`, prints. No logic of its own.

mod args;
mod config;
mod db;
mod flags;
mod output;
mod policy;
mod progress;
mod scan;

use clap::Parser as _;
use flags::{Cli, Command};
use rampart_core::{ExitStatus, report};
use std::process::ExitCode;

/// A scan allocates and frees millions of small strings from several
/// threads; mimalloc does that markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::init_logging(cli.verbose);
    match run(&cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            // Each line of the message (a configuration file's mistakes
            // are one per line) as an error of its own; whatever a scanned
            // file or a server put in it, escaped.
            for line in output::error_chain(&e).lines() {
                eprintln!("error: {}", report::terminal_safe(line));
            }
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}

/// Runs the command; its exit status.
fn run(cli: &Cli) -> anyhow::Result<ExitStatus> {
    match &cli.command {
        Command::Scan(args) => scan::scan(cli, args),
        Command::Inventory(args) => scan::inventory(cli, args),
        Command::Sbom(args) => scan::sbom(cli, args),
        Command::Merge(args) => scan::merge(args),
        Command::Baseline(command) => scan::baseline(cli, command),
        Command::Db(command) => db::run(cli, command),
        Command::Config(command) => config::run(cli, command),
        Command::Policy(command) => policy::run(cli, command),
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "rampart", &mut std::io::stdout());
            Ok(ExitStatus::Pass)
        }
        Command::Man => {
            use clap::CommandFactory as _;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
            Ok(ExitStatus::Pass)
        }
    }
}
