//! Scans a directory with the built-in packs and prints the findings, the
//! way a Rust program linking `rampart-core` would.
//!
//! `cargo run -p rampart-core --example scan -- examples/`

use rampart_core::{ScanOptions, Scanner, Severity};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths = std::env::args().skip(1).map(Into::into).collect::<Vec<_>>();
    let scanner = Scanner::new(ScanOptions {
        paths: if paths.is_empty() {
            vec![".".into()]
        } else {
            paths
        },
        ..ScanOptions::default()
    })?;
    let report = scanner.scan()?;
    for finding in &report.findings {
        let line = finding.region.map(|r| r.start_line).unwrap_or(0);
        println!(
            "{}:{line}: [{}] {} {}",
            finding.path, finding.severity, finding.rule_id, finding.message
        );
    }
    for diagnostic in &report.diagnostics {
        eprintln!("{diagnostic}");
    }
    std::process::exit(report.exit_code(Severity::High).into());
}
