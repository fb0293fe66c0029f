//! Byte offsets to lines and columns, for parsers that report byte spans.

use crate::resource::Region;
use std::ops::Range;

/// Byte offsets → 1-based lines and columns (in characters).
#[derive(Debug)]
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        // `memchr` finds the line ends many bytes at a time: an index is
        // built for every file a scan parses, and for a Terraform file once
        // more per module instance.
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    pub(crate) fn position(&self, offset: usize) -> (u32, u32) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        (to_u32(line + 1), to_u32(column + 1))
    }

    /// The region of line `line` (1-based), whole: from column 1 to just
    /// past its last character (line ending excluded). Built once per file,
    /// looked up per line: collectors of files with 200,000 lines call this
    /// for every one.
    pub(crate) fn line_region(&self, line: usize) -> Region {
        let text = line
            .checked_sub(1)
            .and_then(|index| {
                let start = *self.starts.get(index)?;
                let end = self
                    .starts
                    .get(index + 1)
                    .map_or(self.text.len(), |e| e - 1);
                self.text.get(start..end)
            })
            .unwrap_or("");
        whole_line(text, line)
    }

    pub(crate) fn region(&self, span: Option<Range<usize>>) -> Option<Region> {
        let span = span?;
        let (start_line, start_column) = self.position(span.start);
        let (end_line, end_column) = self.position(span.end);
        Some(Region {
            start_line,
            start_column,
            end_line,
            end_column,
        })
    }
}

/// The region of a whole line given its text (without the `\n`; a `\r`
/// before it is not counted), for line-oriented formats read line by line.
pub(crate) fn whole_line(text: &str, line: usize) -> Region {
    let text = text.strip_suffix('\r').unwrap_or(text);
    Region::line(to_u32(line), 1, to_u32(text.chars().count() + 1))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
