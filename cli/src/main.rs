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
use rampart_core::report;
use std::process::ExitCode;

/// A scan allocates and frees millions of small strings from several
/// threads; mimalloc does that markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub(crate) const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration or fatal error (DESIGN §5).
pub(crate) const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    output::init_logging(cli.verbose);
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Each line of the message (a configuration file's mistakes
            // are one per line) as an error of its own; whatever a scanned
            // file or a server put in it, escaped.
            for line in output::error_chain(&e).lines() {
                eprintln!("error: {}", report::terminal_safe(line));
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Runs the command; its exit status.
fn run(cli: &Cli) -> anyhow::Result<u8> {
    match &cli.command {
        Command::Scan(args) => scan::scan(cli, args),
        Command::Inventory(args) => scan::inventory(cli, args),
        Command::Sbom(args) => scan::sbom(cli, args),
        Command::Merge(args) => scan::merge(args),
        Command::Baseline(command) => scan::baseline(cli, command),
        Command::Db(command) => db::run(cli, command),
        Command::Config(command) => config::run(command),
        Command::Policy(command) => policy::run(cli, command),
        Command::Completions { shell } => {
            use clap::CommandFactory as _;
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "rampart", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            use clap::CommandFactory as _;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout().lock())?;
            Ok(EXIT_OK)
        }
    }
}
