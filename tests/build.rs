//! Builds the test policies under `tests/policies/` (hostile ones
//! included) to components, and tells the tests where they are.

use std::fmt::Write as _;

fn main() {
    if let Err(e) = run() {
        panic!("{e}");
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let root = rampart_wasm_build::workspace_root()?;
    let policies = rampart_wasm_build::packages_in(&root.join("tests/policies"))?;
    let names: Vec<&str> = policies
        .iter()
        .map(|(_, package)| package.as_str())
        .collect();
    let built = rampart_wasm_build::build(&names)?;
    let mut code = String::new();
    for ((dir, _), component) in policies.iter().zip(&built) {
        let constant = dir.to_uppercase().replace('-', "_");
        writeln!(code, "/// `tests/policies/{dir}`, built.")?;
        writeln!(
            code,
            "pub const {constant}: &str = {:?};",
            component.wasm.display().to_string()
        )?;
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("test_policies.rs");
    std::fs::write(out, code)?;
    Ok(())
}
