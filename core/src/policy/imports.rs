//! What a policy component may import.
//!
//! Checked on the component's bytes before it is compiled, so a component
//! that asks for sockets is refused at once, with the import named, instead
//! of after seconds of compilation.

use wasmtime::wasmparser::{Encoding, Parser, Payload};

/// The version of the policy ABI this host implements.
pub const ABI_PACKAGE: &str = "rampart:policy";
/// Major/minor of [`ABI_PACKAGE`] (semver `0.1.x`).
pub const ABI_VERSION: (u64, u64) = (0, 1);

/// Interfaces a policy may import, by `namespace:package/interface`
/// (any `0.2.x` version for WASI), and why each is harmless.
const ALLOWED_WASI: &[(&str, &str)] = &[
    ("wasi:cli/environment", "empty: no variables, no arguments"),
    ("wasi:cli/exit", "ends the call with an error"),
    ("wasi:cli/stdin", "empty"),
    ("wasi:cli/stdout", "captured, bounded"),
    ("wasi:cli/stderr", "captured, bounded; shown with errors"),
    ("wasi:cli/terminal-input", "no terminal"),
    ("wasi:cli/terminal-output", "no terminal"),
    ("wasi:cli/terminal-stdin", "no terminal"),
    ("wasi:cli/terminal-stdout", "no terminal"),
    ("wasi:cli/terminal-stderr", "no terminal"),
    ("wasi:io/error", "errors of the streams above"),
    ("wasi:io/poll", "waiting on the streams above"),
    ("wasi:io/streams", "the streams above"),
    ("wasi:clocks/monotonic-clock", "durations only"),
    ("wasi:clocks/wall-clock", "fixed at the Unix epoch"),
    ("wasi:random/random", "deterministic"),
    ("wasi:random/insecure", "deterministic"),
    ("wasi:random/insecure-seed", "fixed"),
];

/// Why a family of imports is refused, for the error message.
const REFUSED: &[(&str, &str)] = &[
    (
        "wasi:filesystem/",
        "policies may not read files: the host puts what they need in the resource",
    ),
    ("wasi:sockets/", "policies may not use the network"),
    ("wasi:http/", "policies may not use the network"),
];

/// One import the allow-list refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedImport {
    /// The import's full name, e.g. `wasi:sockets/tcp@0.2.6`.
    pub name: String,
    /// Why it is refused.
    pub reason: &'static str,
}

/// The top-level imports and exports of a component, read from its bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentInterface {
    /// Import names in the order they appear.
    pub imports: Vec<String>,
    /// Export names in the order they appear.
    pub exports: Vec<String>,
}

/// Why the bytes could not be read as a component.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAComponent {
    /// A core module: the pack must be made a component.
    #[error(
        "this is a core WebAssembly module, not a component; build with `--target wasm32-wasip2` \
         (Rust) or run it through `wasm-tools component new`"
    )]
    CoreModule,
    /// Not WebAssembly at all, or damaged.
    #[error("not a valid WebAssembly component: {0}")]
    Invalid(String),
}

/// Reads the top-level imports and exports of a component.
pub fn component_interface(wasm: &[u8]) -> Result<ComponentInterface, NotAComponent> {
    let mut interface = ComponentInterface::default();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| NotAComponent::Invalid(e.to_string()))?;
        match payload {
            Payload::Version { encoding, .. } if depth == 0 && encoding == Encoding::Module => {
                return Err(NotAComponent::CoreModule);
            }
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ComponentImportSection(reader) if depth == 0 => {
                for import in reader {
                    let import = import.map_err(|e| NotAComponent::Invalid(e.to_string()))?;
                    interface.imports.push(import.name.name.to_owned());
                }
            }
            Payload::ComponentExportSection(reader) if depth == 0 => {
                for export in reader {
                    let export = export.map_err(|e| NotAComponent::Invalid(e.to_string()))?;
                    interface.exports.push(export.name.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok(interface)
}

/// Every import of `imports` the sandbox refuses.
pub fn refused_imports(imports: &[String]) -> Vec<RefusedImport> {
    imports
        .iter()
        .filter_map(|name| {
            refusal(name).map(|reason| RefusedImport {
                name: name.clone(),
                reason,
            })
        })
        .collect()
}

fn refusal(name: &str) -> Option<&'static str> {
    let (interface, version) = split_version(name);
    if interface == "rampart:policy/host" || interface == "rampart:policy/types" {
        return match version.and_then(parse_version) {
            Some((major, minor, _)) if (major, minor) == ABI_VERSION => None,
            _ => Some(
                "built against another version of the rampart policy ABI; this rampart implements rampart:policy@0.1.x",
            ),
        };
    }
    if ALLOWED_WASI
        .iter()
        .any(|(allowed, _)| *allowed == interface)
    {
        return match version.and_then(parse_version) {
            Some((0, 2, _)) => None,
            _ => Some("only WASI 0.2.x is supported"),
        };
    }
    Some(
        REFUSED
            .iter()
            .find(|(prefix, _)| interface.starts_with(prefix))
            .map(|(_, reason)| *reason)
            .unwrap_or("not on the sandbox's allow-list"),
    )
}

/// `"wasi:io/streams@0.2.6"` → `("wasi:io/streams", Some("0.2.6"))`.
pub(crate) fn split_version(name: &str) -> (&str, Option<&str>) {
    match name.split_once('@') {
        Some((interface, version)) => (interface, Some(version)),
        None => (name, None),
    }
}

/// `"0.2.6"` → `(0, 2, 6)`; pre-release and build suffixes are ignored.
pub(crate) fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(str::parse::<u64>);
    let version = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    parts.next().is_none().then_some(version)
}

/// Describes the allow-list, for documentation and `policy inspect`.
pub fn allowed_wasi_interfaces() -> impl Iterator<Item = (&'static str, &'static str)> {
    ALLOWED_WASI.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(names: &[&str]) -> Vec<String> {
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        refused_imports(&names)
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    #[test]
    fn allows_the_abi_and_harmless_wasi() {
        assert!(
            refused(&[
                "rampart:policy/host@0.1.0",
                "rampart:policy/types@0.1.3",
                "wasi:cli/stderr@0.2.0",
                "wasi:io/streams@0.2.6",
                "wasi:random/insecure-seed@0.2.4",
            ])
            .is_empty()
        );
    }

    #[test]
    fn refuses_files_network_and_unknown_interfaces() {
        let names = [
            "wasi:filesystem/preopens@0.2.6",
            "wasi:filesystem/types@0.2.6",
            "wasi:sockets/tcp@0.2.6",
            "wasi:http/outgoing-handler@0.2.0",
            "acme:evil/backdoor",
            "wasi:cli/stderr@0.3.0",
            "rampart:policy/host@0.2.0",
            "rampart:policy/host",
        ];
        assert_eq!(refused(&names), names);
    }

    #[test]
    fn reasons_name_the_problem() {
        let r = refused_imports(&["wasi:sockets/tcp@0.2.6".to_owned()]);
        assert_eq!(r[0].reason, "policies may not use the network");
    }

    #[test]
    fn rejects_garbage_and_core_modules() {
        assert!(matches!(
            component_interface(b"not wasm"),
            Err(NotAComponent::Invalid(_))
        ));
        let core_module = b"\0asm\x01\0\0\0";
        assert_eq!(
            component_interface(core_module),
            Err(NotAComponent::CoreModule)
        );
    }

    #[test]
    fn parses_versions() {
        assert_eq!(parse_version("0.2.6"), Some((0, 2, 6)));
        assert_eq!(parse_version("1.0.0-rc.1"), Some((1, 0, 0)));
        assert_eq!(parse_version("0.2"), None);
    }
}
