//! Builds the test policies under `tests/policies/` (hostile ones
//! included) to components, and tells the tests where they are.

use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut code = String::new();
    for (dir, component) in rampart_wasm_build::build_dir("tests/policies")? {
        let constant = dir.to_uppercase().replace('-', "_");
        writeln!(code, "/// `tests/policies/{dir}`, built.")?;
        writeln!(
            code,
            "pub const {constant}: &str = {:?};",
            component.wasm.display().to_string()
        )?;
    }
    std::fs::write(
        std::path::Path::new(&std::env::var("OUT_DIR")?).join("test_policies.rs"),
        code,
    )?;
    Ok(())
}
