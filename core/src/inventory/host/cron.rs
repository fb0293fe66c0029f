//! `host.cron`: scheduled jobs — `/etc/crontab`, `/etc/cron.d/*` and the
//! users' crontabs in `/var/spool/cron/crontabs`.

use super::{HostReader, whole_line};
use crate::resource::{Resource, SpanIndex};
use serde_json::{Value, json};

/// The resource kind.
pub const KIND: &str = "host.cron";

/// One resource per crontab file, with its jobs.
pub fn collect(reader: &mut HostReader<'_>) -> Vec<Resource> {
    let mut files: Vec<(String, Option<String>)> = vec![("/etc/crontab".to_owned(), None)];
    for name in reader.dir("/etc/cron.d") {
        files.push((format!("/etc/cron.d/{name}"), None));
    }
    for user in reader.dir("/var/spool/cron/crontabs") {
        files.push((format!("/var/spool/cron/crontabs/{user}"), Some(user)));
    }
    let mut out = Vec::new();
    for (path, owner) in files {
        let Some(text) = reader.text(&path) else {
            continue;
        };
        let mut spans = SpanIndex::default();
        spans.insert("", whole_line(text.lines().next().unwrap_or(""), 1));
        let mut jobs = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // Environment assignments (`SHELL=/bin/sh`, `MAILTO=""`).
            let first = line.split_whitespace().next().unwrap_or("");
            if first.contains('=') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let schedule_len = if first.starts_with('@') { 1 } else { 5 };
            // System crontabs name the user after the schedule.
            let user_field = owner.is_none();
            let needed = schedule_len + usize::from(user_field) + 1;
            if fields.len() < needed {
                continue;
            }
            let user = if user_field {
                Value::String(fields[schedule_len].to_owned())
            } else {
                owner.clone().map_or(Value::Null, Value::String)
            };
            spans.insert(format!("/jobs/{}", jobs.len()), whole_line(raw, index + 1));
            jobs.push(json!({
                "schedule": fields[..schedule_len].join(" "),
                "user": user,
                "command": fields[schedule_len + usize::from(user_field)..].join(" "),
            }));
        }
        out.push(
            Resource::new(
                KIND,
                format!("host.cron:{path}"),
                reader.display(&path),
                json!({ "path": path, "user_crontab": owner.is_some(), "jobs": jobs }),
            )
            .with_spans(spans),
        );
    }
    out
}
