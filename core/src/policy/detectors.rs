//! Detectors: text a pack asks the host to find for it (`rampart:policy`
//! 0.1.1, `interface detectors`).
//!
//! Secrets are found at the speed of a grep only if the host, not the
//! guest, does the searching: a pack declares per rule the keywords and the
//! pattern of what it looks for, the host runs them natively on every text
//! file, and the pack judges the matches. This module reads a pack's
//! detectors once, at load, and checks them; an export the pack does not
//! have (a pack built against 0.1.0) is no detectors.

use super::error::LoadError;
use super::limits::SandboxLimits;
use crate::rule::Detector;
use std::collections::HashMap;
use wasmtime::component::{ComponentType, Instance, Lift};
use wasmtime::{AsContextMut, Store};

/// The interface a pack exports its detectors in, without its version.
const INTERFACE: &str = "rampart:policy/detectors";

/// Bytes of one keyword: a keyword is a literal marker (`ghp_`,
/// `hooks.slack.com`, `-----BEGIN`), not text.
const MAX_KEYWORD_BYTES: usize = 64;
/// Keywords of one detector.
const MAX_KEYWORDS: usize = 64;

/// A detector as the WIT `detector` record gives it.
#[derive(ComponentType, Lift, Debug, Clone)]
#[component(record)]
pub(crate) struct WitDetector {
    #[component(name = "rule-id")]
    rule_id: String,
    keywords: Vec<String>,
    pattern: String,
}

/// Calls the pack's `detectors` export, if it has one (`exports` are the
/// component's export names, read from its bytes).
pub(crate) fn call<T>(
    store: &mut Store<T>,
    instance: &Instance,
    exports: &[String],
) -> wasmtime::Result<Vec<WitDetector>> {
    let Some(name) = exports
        .iter()
        .find(|name| super::imports::split_version(name).0 == INTERFACE)
    else {
        return Ok(Vec::new());
    };
    let interface = instance
        .get_export_index(store.as_context_mut(), None, name)
        .ok_or_else(|| wasmtime::format_err!("the component has no export `{name}`"))?;
    let function = instance
        .get_export_index(store.as_context_mut(), Some(&interface), "detectors")
        .ok_or_else(|| wasmtime::format_err!("`{name}` has no function `detectors`"))?;
    let detectors = instance.get_typed_func::<(), (Vec<WitDetector>,)>(&mut *store, function)?;
    let (found,) = detectors.call(&mut *store, ())?;
    Ok(found)
}

/// Checks a pack's detectors against its rules and the limits; every
/// problem is named, with the detector's rule.
pub(crate) fn check(
    origin: &str,
    found: Vec<WitDetector>,
    rules: &HashMap<String, usize>,
    limits: &SandboxLimits,
) -> Result<Vec<Detector>, LoadError> {
    let mut problems = Vec::new();
    if found.len() > limits.max_detectors {
        problems.push(format!(
            "it declares {} detectors; the limit is {} (max_detectors)",
            found.len(),
            limits.max_detectors
        ));
    }
    let mut detectors = Vec::with_capacity(found.len().min(limits.max_detectors));
    for detector in found.into_iter().take(limits.max_detectors) {
        let rule = crate::report::terminal_safe(&detector.rule_id).into_owned();
        let before = problems.len();
        if !rules.contains_key(&detector.rule_id) {
            problems.push(format!(
                "detector of `{rule}`: the pack declares no rule `{rule}`"
            ));
        }
        if detector.keywords.len() > MAX_KEYWORDS {
            problems.push(format!(
                "detector of `{rule}`: {} keywords; the limit is {MAX_KEYWORDS}",
                detector.keywords.len()
            ));
        }
        if let Some(keyword) = detector
            .keywords
            .iter()
            .find(|k| k.trim().is_empty() || k.len() > MAX_KEYWORD_BYTES)
        {
            problems.push(format!(
                "detector of `{rule}`: keyword `{}` is empty or longer than {MAX_KEYWORD_BYTES} bytes",
                crate::report::terminal_safe(truncate(keyword))
            ));
        }
        if detector.pattern.len() > limits.max_detector_pattern_bytes {
            problems.push(format!(
                "detector of `{rule}`: its pattern is {} bytes; the limit is {} (max_detector_pattern_bytes)",
                detector.pattern.len(),
                limits.max_detector_pattern_bytes
            ));
            continue;
        }
        // On bytes, with ASCII classes: `\b`, `\w`, `\d`, `\s` as a
        // token's alphabet is, and what the fast engines (lazy DFA) run;
        // a Unicode `\b` falls back to the slow one on every non-ASCII
        // byte of a file.
        let regex = regex::bytes::RegexBuilder::new(&detector.pattern)
            .unicode(false)
            .size_limit(limits.max_detector_regex_bytes)
            .dfa_size_limit(limits.max_detector_regex_bytes)
            .build();
        match regex {
            Ok(regex) if problems.len() == before => {
                detectors.push(Detector::new(detector.rule_id, detector.keywords, regex));
            }
            Ok(_) => {}
            Err(e) => problems.push(format!(
                "detector of `{rule}`: its pattern is refused: {}",
                crate::report::terminal_safe(&e.to_string())
            )),
        }
    }
    if problems.is_empty() {
        Ok(detectors)
    } else {
        Err(LoadError::Detectors {
            origin: origin.to_owned(),
            message: problems.join("; "),
        })
    }
}

/// The start of a long text, for a message.
fn truncate(text: &str) -> &str {
    let mut end = text.len().min(MAX_KEYWORD_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
