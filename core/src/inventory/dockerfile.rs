//! Dockerfiles (`Dockerfile`, `*.Dockerfile`, `Dockerfile.*`,
//! `Containerfile`): one `dockerfile` resource per file.
//!
//! A real parser for what BuildKit accepts: parser directives
//! (`# escape=`, `# syntax=`), line continuations with the escape character,
//! comments (also between continued lines), heredocs (`RUN <<EOF`,
//! `<<-EOF`, quoted delimiters, several per instruction), JSON (exec) and
//! shell forms, `--flags`, multi-stage builds and `ARG` before `FROM`.
//! The document shape is in `docs/kinds/dockerfile.md`.

use crate::diagnostic::ParseError;
use crate::resource::{Region, Resource, SpanIndex};
use serde_json::{Map, Value, json};

/// The resource kind.
pub const KIND: &str = "dockerfile";

/// Whether a file name is a Dockerfile's.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
}

/// One logical instruction with where it came from.
#[derive(Debug, Clone, PartialEq)]
struct RawInstruction {
    keyword: String,
    /// Text after the keyword: continuations joined, comments removed.
    rest: String,
    heredocs: Vec<(String, String)>,
    start_line: u32,
    end_line: u32,
    end_column: u32,
}

/// Parses a Dockerfile into its `dockerfile` resource.
///
/// ```
/// use rampart_core::inventory::dockerfile::parse;
/// let r = parse("Dockerfile", "FROM alpine:3.20 AS base\nUSER app\n").unwrap();
/// assert_eq!(r.document["stages"][0]["name"], "base");
/// assert_eq!(r.document["stages"][0]["instructions"][0]["instruction"], "USER");
/// assert_eq!(r.spans.get("/stages/0/instructions/0").unwrap().start_line, 2);
/// ```
pub fn parse(source: &str, text: &str) -> Result<Resource, ParseError> {
    let Split {
        escape,
        directives,
        instructions,
    } = split(text)?;
    let mut spans = SpanIndex::default();
    let mut global_args = Vec::new();
    let mut stages: Vec<Value> = Vec::new();
    let total_lines = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX);
    spans.insert(
        "",
        Region {
            start_line: 1,
            start_column: 1,
            end_line: total_lines,
            end_column: 1,
        },
    );
    for raw in instructions {
        let region = Region {
            start_line: raw.start_line,
            start_column: 1,
            end_line: raw.end_line,
            end_column: raw.end_column,
        };
        let instruction = structure(&raw);
        if raw.keyword == "FROM" {
            let index = stages.len();
            let pointer = format!("/stages/{index}");
            spans.insert(pointer.clone(), region);
            spans.insert(format!("{pointer}/from"), region);
            let name = instruction["stage"].clone();
            stages.push(json!({
                "index": index,
                "name": name,
                "from": instruction,
                "instructions": [],
            }));
            continue;
        }
        match stages.last_mut() {
            None if raw.keyword == "ARG" => {
                spans.insert(format!("/args/{}", global_args.len()), region);
                global_args.push(instruction);
            }
            None => {
                return Err(ParseError::on_line(
                    raw.start_line,
                    format!(
                        "{} before the first FROM (only ARG may come first)",
                        raw.keyword
                    ),
                ));
            }
            Some(stage) => {
                let index = stage["index"].as_u64().unwrap_or(0);
                if let Some(list) = stage["instructions"].as_array_mut() {
                    let pointer = format!("/stages/{index}/instructions/{}", list.len());
                    spans.insert(pointer.clone(), region);
                    if let Some(stage_region) = spans.get(&format!("/stages/{index}")) {
                        spans.insert(
                            format!("/stages/{index}"),
                            Region {
                                end_line: region.end_line,
                                end_column: region.end_column,
                                ..stage_region
                            },
                        );
                    }
                    list.push(instruction);
                }
            }
        }
    }
    if stages.is_empty() {
        return Err(ParseError::on_line(
            total_lines,
            "no FROM instruction".to_owned(),
        ));
    }
    let document = json!({
        "escape": escape.to_string(),
        "directives": directives,
        "args": global_args,
        "stages": stages,
    });
    Ok(Resource::new(KIND, format!("dockerfile:{source}"), source, document).with_spans(spans))
}

/// A Dockerfile split into its parts, before each instruction is structured.
struct Split {
    escape: char,
    directives: Map<String, Value>,
    instructions: Vec<RawInstruction>,
}

/// Splits the text into directives and logical instructions.
fn split(text: &str) -> Result<Split, ParseError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    let mut directives = Map::new();
    let mut i = 0;
    // Parser directives: `# key=value` lines at the very top, before any
    // other comment, blank line or instruction.
    while i < lines.len() {
        let Some(body) = lines[i].trim().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = body.split_once('=') else {
            break;
        };
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() || key.contains(char::is_whitespace) {
            break;
        }
        let value = value.trim().to_owned();
        if key == "escape" {
            escape = match value.as_str() {
                "`" => '`',
                "\\" => '\\',
                other => {
                    return Err(ParseError::on_line(
                        line_no(i),
                        format!("invalid escape directive `{other}`: use \\ or `"),
                    ));
                }
            };
        }
        directives.insert(key, Value::String(value));
        i += 1;
    }
    let mut out = Vec::new();
    while i < lines.len() {
        let trimmed = lines[i].trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut logical = String::new();
        // Join continuation lines; comment lines inside a continuation are
        // dropped, as BuildKit does.
        loop {
            let line = lines[i].trim_end();
            let continued = line.ends_with(escape) && !line.ends_with(&format!("{escape}{escape}"));
            let content = if continued {
                &line[..line.len() - escape.len_utf8()]
            } else {
                line
            };
            if !logical.is_empty() {
                logical.push(' ');
            }
            logical.push_str(content.trim());
            i += 1;
            if !continued {
                break;
            }
            while i < lines.len()
                && (lines[i].trim_start().starts_with('#') || lines[i].trim().is_empty())
            {
                i += 1;
            }
            if i >= lines.len() {
                break;
            }
        }
        let (keyword, rest) = match logical.split_once(char::is_whitespace) {
            Some((k, r)) => (k.to_ascii_uppercase(), r.trim().to_owned()),
            None => (logical.to_ascii_uppercase(), String::new()),
        };
        if !keyword.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(ParseError::on_line(
                line_no(start),
                format!("unknown instruction `{keyword}`"),
            ));
        }
        // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"` — their bodies follow the
        // instruction's line, each up to its delimiter.
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for (delimiter, strip_tabs) in heredoc_delimiters(&rest) {
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let line = lines[i];
                    i += 1;
                    let candidate = if strip_tabs {
                        line.trim_start_matches('\t')
                    } else {
                        line
                    };
                    if candidate.trim_end() == delimiter {
                        closed = true;
                        break;
                    }
                    body.push_str(candidate);
                    body.push('\n');
                }
                if !closed {
                    return Err(ParseError::on_line(
                        line_no(start),
                        format!("heredoc `{delimiter}` is never closed"),
                    ));
                }
                heredocs.push((delimiter, body));
            }
        }
        let last = i.saturating_sub(1).max(start);
        out.push(RawInstruction {
            keyword,
            rest,
            heredocs,
            start_line: line_no(start),
            end_line: line_no(last),
            end_column: u32::try_from(lines[last].chars().count() + 1).unwrap_or(u32::MAX),
        });
    }
    Ok(Split {
        escape,
        directives,
        instructions: out,
    })
}

fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// `(delimiter, strip leading tabs)` of every heredoc in an instruction.
fn heredoc_delimiters(rest: &str) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut search = rest;
    while let Some(at) = search.find("<<") {
        let mut tail = &search[at + 2..];
        let strip_tabs = tail.starts_with('-');
        if strip_tabs {
            tail = &tail[1..];
        }
        let quoted = tail.starts_with(['"', '\'']);
        let word: String = tail
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // `<<` followed by a word is a heredoc; `cat << EOF` with a space is
        // shell syntax inside a single-line RUN and not a Dockerfile heredoc.
        if !word.is_empty()
            && (quoted || tail.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        {
            found.push((word.clone(), strip_tabs));
        }
        search = &search[at + 2..];
    }
    found
}

/// Splits leading `--flag=value` words off an instruction's arguments.
fn take_flags(rest: &str) -> (Map<String, Value>, &str) {
    let mut flags = Map::new();
    let mut remaining = rest.trim_start();
    while let Some(after) = remaining.strip_prefix("--") {
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let word = &after[..end];
        let (key, value) = match word.split_once('=') {
            Some((k, v)) => (k, Value::String(v.to_owned())),
            None => (word, Value::Bool(true)),
        };
        flags.insert(key.to_owned(), value);
        remaining = after[end..].trim_start();
    }
    (flags, remaining)
}

/// The JSON array of an exec-form instruction, if it is one.
fn exec_form(arguments: &str) -> Option<Vec<String>> {
    let trimmed = arguments.trim();
    if !trimmed.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(trimmed).ok()
}

/// Splits on whitespace, honouring double and single quotes.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(current);
    }
    out
}

/// `KEY=value KEY2="v 2"` or the legacy `KEY value` form.
fn key_values(arguments: &str) -> Vec<Value> {
    let parts = words(arguments);
    if parts.first().is_some_and(|w| !w.contains('=')) {
        let mut iter = arguments.trim().splitn(2, char::is_whitespace);
        let name = iter.next().unwrap_or("").to_owned();
        let value = iter.next().unwrap_or("").trim().to_owned();
        return vec![json!({"name": name, "value": value})];
    }
    parts
        .into_iter()
        .map(|p| match p.split_once('=') {
            Some((k, v)) => json!({"name": k, "value": v}),
            None => json!({"name": p, "value": null}),
        })
        .collect()
}

/// The structured form of one instruction (see docs/kinds/dockerfile.md).
fn structure(raw: &RawInstruction) -> Value {
    let (flags, arguments) = take_flags(&raw.rest);
    let mut value = json!({
        "instruction": raw.keyword,
        "line": raw.start_line,
        "flags": flags,
        "arguments": arguments,
    });
    let exec = exec_form(arguments);
    match raw.keyword.as_str() {
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "HEALTHCHECK" => {
            value["form"] = json!(if exec.is_some() { "exec" } else { "shell" });
            if let Some(exec) = &exec {
                value["exec"] = json!(exec);
            }
        }
        _ => {}
    }
    if !raw.heredocs.is_empty() {
        value["heredocs"] = raw
            .heredocs
            .iter()
            .map(|(name, content)| json!({"name": name, "content": content}))
            .collect();
    }
    match raw.keyword.as_str() {
        "FROM" => {
            let parts = words(arguments);
            value["image"] = json!(parts.first());
            let stage = match parts.as_slice() {
                [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => Some(name.clone()),
                _ => None,
            };
            value["stage"] = json!(stage);
        }
        "USER" => {
            let (user, group) = match arguments.split_once(':') {
                Some((u, g)) => (u.trim(), Some(g.trim())),
                None => (arguments.trim(), None),
            };
            value["user"] = json!(user);
            value["group"] = json!(group);
        }
        "ENV" | "LABEL" => value["pairs"] = json!(key_values(arguments)),
        "ARG" => {
            let (name, default) = match arguments.split_once('=') {
                Some((n, d)) => (n.trim(), Some(d.trim().trim_matches('"'))),
                None => (arguments.trim(), None),
            };
            value["name"] = json!(name);
            value["default"] = json!(default);
        }
        "EXPOSE" => value["ports"] = json!(words(arguments)),
        "COPY" | "ADD" => {
            let mut parts = exec.unwrap_or_else(|| words(arguments));
            let destination = parts.pop();
            value["sources"] = json!(parts);
            value["destination"] = json!(destination);
        }
        "WORKDIR" => value["path"] = json!(arguments.trim()),
        _ => {}
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Value {
        parse("Dockerfile", text).unwrap().document
    }

    #[test]
    fn continuations_and_interleaved_comments_join() {
        let text = "FROM debian:12\nRUN apt-get update \\\n# a comment\n    && apt-get install -y curl\nUSER app\n";
        let r = parse("Dockerfile", text).unwrap();
        let run = &r.document["stages"][0]["instructions"][0];
        assert_eq!(
            run["arguments"],
            "apt-get update && apt-get install -y curl"
        );
        let span = r.spans.get("/stages/0/instructions/0").unwrap();
        assert_eq!((span.start_line, span.end_line), (2, 4));
        assert_eq!(
            r.spans.get("/stages/0/instructions/1").unwrap().start_line,
            5
        );
    }

    #[test]
    fn escape_directive_switches_to_backtick() {
        let d = doc(
            "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\n",
        );
        assert_eq!(d["escape"], "`");
        assert_eq!(d["directives"]["escape"], "`");
        assert_eq!(d["stages"][0]["instructions"][0]["arguments"], "dir c:\\");
    }

    #[test]
    fn exec_and_shell_forms() {
        let d = doc(
            "FROM alpine:3.20\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\nENTRYPOINT /start.sh\n",
        );
        let i = &d["stages"][0]["instructions"];
        assert_eq!(i[0]["form"], "exec");
        assert_eq!(i[0]["exec"], json!(["nginx", "-g", "daemon off;"]));
        assert_eq!(i[1]["form"], "shell");
    }

    #[test]
    fn heredocs_are_captured_with_their_lines() {
        let text = "FROM alpine:3.20\nRUN <<EOF\napk add curl\nchmod 777 /x\nEOF\nCOPY <<-\"CONF\" /etc/app.conf\n\tkey=value\n\tCONF\nUSER app\n";
        let r = parse("Dockerfile", text).unwrap();
        let i = &r.document["stages"][0]["instructions"];
        assert_eq!(
            i[0]["heredocs"][0]["content"],
            "apk add curl\nchmod 777 /x\n"
        );
        assert_eq!(i[1]["heredocs"][0]["name"], "CONF");
        assert_eq!(i[1]["heredocs"][0]["content"], "key=value\n");
        assert_eq!(i[1]["destination"], "/etc/app.conf");
        assert_eq!(r.spans.get("/stages/0/instructions/0").unwrap().end_line, 5);
        assert_eq!(
            r.spans.get("/stages/0/instructions/2").unwrap().start_line,
            9
        );
    }

    #[test]
    fn multi_stage_with_global_args() {
        let d = doc(
            "ARG BASE=golang:1.23\nFROM ${BASE} AS build\nRUN go build\nFROM scratch\nCOPY --from=build /app /app\n",
        );
        assert_eq!(d["args"][0]["name"], "BASE");
        assert_eq!(d["args"][0]["default"], "golang:1.23");
        assert_eq!(d["stages"][0]["name"], "build");
        assert_eq!(d["stages"][1]["from"]["image"], "scratch");
        let copy = &d["stages"][1]["instructions"][0];
        assert_eq!(copy["flags"]["from"], "build");
        assert_eq!(copy["sources"], json!(["/app"]));
    }

    #[test]
    fn env_forms_and_users() {
        let d = doc(
            "FROM alpine:3.20\nENV A=1 B=\"two words\"\nENV LEGACY some value\nUSER 1000:1000\n",
        );
        let i = &d["stages"][0]["instructions"];
        assert_eq!(
            i[0]["pairs"],
            json!([{"name": "A", "value": "1"}, {"name": "B", "value": "two words"}])
        );
        assert_eq!(
            i[1]["pairs"],
            json!([{"name": "LEGACY", "value": "some value"}])
        );
        assert_eq!(
            (i[2]["user"].as_str(), i[2]["group"].as_str()),
            (Some("1000"), Some("1000"))
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("D", "RUN echo\n").unwrap_err().line(), 1);
        assert!(
            parse("D", "# just a comment\n")
                .unwrap_err()
                .message
                .contains("no FROM")
        );
        assert_eq!(
            parse("D", "FROM a\nRUN <<EOF\nnever closed\n")
                .unwrap_err()
                .line(),
            2
        );
        assert!(parse("D", "FROM a\n{{ template }}\n").is_err());
    }

    #[test]
    fn names() {
        for name in [
            "Dockerfile",
            "dockerfile",
            "api.Dockerfile",
            "Dockerfile.prod",
            "Containerfile",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        assert!(!is_dockerfile_name("docker-compose.yml"));
        assert!(!is_dockerfile_name("README.md"));
    }
}
