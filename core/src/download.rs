//! HTTP downloads (the advisory database, pinned remote packs): one place
//! that bounds them.
//!
//! A download has one deadline for all of it — connecting, headers, the
//! body, and every retry — not a timeout per read, which a server sending
//! a byte a second never meets. Redirects are followed only to `https` on
//! the same host (a pinned URL must not be bounced to another server or to
//! plain HTTP) unless the user allows any ([`Redirects::Any`],
//! `--allow-redirects`).

use std::io::{self, Read};
use std::time::{Duration, Instant};

/// Which redirects a download follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Redirects {
    /// Only to `https` on the same host and port (the default).
    #[default]
    SameHostHttps,
    /// Any (at most ten in a row).
    Any,
}

/// Longest wait for any one step (connecting, the response's headers, the
/// next bytes of the body) before the download counts as stalled; the
/// deadline still bounds the whole.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(30);

/// Most redirects followed in a row.
const MAX_REDIRECTS: usize = 10;

/// A blocking client for downloads: rustls, rampart's user agent, the
/// redirect policy, and no step waiting longer than [`STALL_TIMEOUT`] (or
/// `timeout`, if shorter).
pub fn client(
    timeout: Duration,
    redirects: Redirects,
) -> Result<reqwest::blocking::Client, String> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
        }
        if redirects == Redirects::Any {
            return attempt.follow();
        }
        let Some(first) = attempt.previous().first() else {
            return attempt.follow();
        };
        let next = attempt.url();
        let same_host = next.host_str() == first.host_str()
            && next.port_or_known_default().is_some()
            && (next.port_or_known_default() == first.port_or_known_default()
                || (first.scheme() == "http" && next.port_or_known_default() == Some(443)));
        if next.scheme() == "https" && same_host {
            attempt.follow()
        } else {
            let refused = format!(
                "redirected to {next}: only redirects to https on the same host are followed (--allow-redirects follows any)"
            );
            attempt.error(refused)
        }
    });
    let step = timeout.min(STALL_TIMEOUT).max(Duration::from_millis(1));
    reqwest::blocking::Client::builder()
        .timeout(step)
        .connect_timeout(step)
        .redirect(policy)
        .user_agent(concat!("rampart/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

/// The moment a download must be over.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    at: Instant,
    limit: Duration,
}

impl Deadline {
    /// `limit` from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + limit,
            limit,
        }
    }

    /// Whether it has passed.
    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// Time left (zero once passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// The error of a download that ran out of time.
    pub fn error(&self) -> io::Error {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "the download took longer than its time limit of {} s (--download-timeout)",
                self.limit.as_secs()
            ),
        )
    }

    /// `body`, failing once the deadline has passed (checked before every
    /// read: a trickling server cannot stretch the download).
    pub fn reader<R: Read>(self, body: R) -> DeadlineReader<R> {
        DeadlineReader {
            inner: body,
            deadline: self,
        }
    }
}

/// A body that stops at a [`Deadline`].
#[derive(Debug)]
pub struct DeadlineReader<R> {
    inner: R,
    deadline: Deadline,
}

impl<R: Read> Read for DeadlineReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.deadline.passed() {
            return Err(self.deadline.error());
        }
        self.inner.read(buf)
    }
}
