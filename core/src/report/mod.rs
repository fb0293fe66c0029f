//! Reports: findings and diagnostics in the formats users consume
//! (DESIGN §5). Every format is a pure function of a [`Report`](crate::Report) (the SBOM,
//! of an [`Inventory`](crate::inventory::Inventory)); the same input always
//! renders to the same bytes.

pub mod cyclonedx;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod listing;
pub mod rule_docs;
pub mod sarif;
pub mod sarif_merge;
pub mod table;

/// `text` made safe to print on a terminal: control characters — C0 (but
/// tab), DEL, C1, and the bidirectional overrides that reorder what is
/// shown — are written as `\u{…}` escapes, so that a scanned value or file
/// name cannot move the cursor, erase lines, set the window title, or
/// print a fake "no findings" (DESIGN §8). Everything else is kept.
///
/// ```
/// use rampart_core::report::terminal_safe;
/// assert_eq!(terminal_safe("ok\ttab"), "ok\ttab");
/// assert_eq!(terminal_safe("a\u{1b}[2Kb\nc\r"), "a\\u{1b}[2Kb\\u{a}c\\u{d}");
/// assert_eq!(terminal_safe("x\u{202e}y"), "x\\u{202e}y");
/// ```
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`terminal_safe`] for text that spans lines (logs, error messages):
/// line breaks are kept, everything else is escaped.
pub fn terminal_safe_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal_safe)
        .collect::<Vec<_>>()
        .join("\n")
}
