//! A real HTTP/1.1 server on 127.0.0.1 that serves OSV exports the way the
//! tests need them: as they are, after failing, cut short, or corrupt.
//! Tests talk to it over loopback with rampart's real HTTP client.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// How the server answers requests for one path.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// `200` with the body and an `ETag`; `304` when `If-None-Match`
    /// carries that ETag.
    Serve {
        /// The export.
        body: Vec<u8>,
        /// Its ETag (quoted, as sent).
        etag: String,
    },
    /// `503` for the first `failures` requests, then like `Serve`.
    FailThenServe {
        /// How many requests fail.
        failures: usize,
        /// The export.
        body: Vec<u8>,
    },
    /// Announces the whole length, sends half, closes the connection.
    Truncate {
        /// The export.
        body: Vec<u8>,
    },
    /// Only this status, empty body.
    Status(u16),
    /// Announces the whole length, then sends one byte every `interval`:
    /// a server that never quite stops, for deadlines.
    Trickle {
        /// The export.
        body: Vec<u8>,
        /// Pause between bytes.
        interval: std::time::Duration,
    },
    /// `302 Found` to `location`.
    Redirect {
        /// Where to.
        location: String,
    },
}

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The path, e.g. `/PyPI/all.zip`.
    pub path: String,
    /// `If-None-Match`, if sent.
    pub if_none_match: Option<String>,
}

/// A running server; it lives until the test process ends.
#[derive(Debug)]
pub struct Server {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    /// Starts a server answering `routes` (path → behaviour); other paths
    /// get `404`.
    pub fn start(routes: Vec<(&str, Behaviour)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let routes: HashMap<String, Behaviour> =
            routes.into_iter().map(|(p, b)| (p.to_owned(), b)).collect();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut served: HashMap<String, usize> = HashMap::new();
            for stream in listener.incoming().flatten() {
                let _ = handle(stream, &routes, &mut served, &log);
            }
        });
        Server { url, requests }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

fn handle(
    stream: TcpStream,
    routes: &HashMap<String, Behaviour>,
    served: &mut HashMap<String, usize>,
    log: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut if_none_match = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(value.trim().to_owned());
        }
    }
    if let Ok(mut log) = log.lock() {
        log.push(Request {
            path: path.clone(),
            if_none_match: if_none_match.clone(),
        });
    }
    let count = served.entry(path.clone()).or_insert(0);
    *count += 1;
    let mut out = stream;
    let respond = |out: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        write!(
            out,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
            body.len()
        )?;
        out.write_all(body)?;
        out.flush()
    };
    match routes.get(&path) {
        None => respond(&mut out, "404 Not Found", "", b""),
        Some(Behaviour::Status(code)) => respond(&mut out, &format!("{code} Status"), "", b""),
        Some(Behaviour::Serve { body, etag }) => {
            if if_none_match.as_deref() == Some(etag.as_str()) {
                write!(
                    out,
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                )?;
                out.flush()
            } else {
                respond(&mut out, "200 OK", &format!("ETag: {etag}\r\n"), body)
            }
        }
        Some(Behaviour::FailThenServe { failures, body }) => {
            if *count <= *failures {
                respond(&mut out, "503 Service Unavailable", "", b"busy")
            } else {
                respond(&mut out, "200 OK", "", body)
            }
        }
        Some(Behaviour::Truncate { body }) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(&body[..body.len() / 2])?;
            out.flush()?;
            // Drain nothing more: dropping the stream closes it mid-body.
            let _ = out.shutdown(std::net::Shutdown::Both);
            Ok(())
        }
        Some(Behaviour::Trickle { body, interval }) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            // Ends when the client hangs up (the write fails).
            for byte in body {
                out.write_all(std::slice::from_ref(byte))?;
                out.flush()?;
                std::thread::sleep(*interval);
            }
            Ok(())
        }
        Some(Behaviour::Redirect { location }) => respond(
            &mut out,
            "302 Found",
            &format!("Location: {location}\r\n"),
            b"",
        ),
    }
}

/// A zip archive of every `*.json` file in `dir`, like an OSV export.
pub fn zip_dir(dir: &Path) -> Vec<u8> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("read fixture dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        writer.start_file(name, options).expect("zip entry");
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .expect("read record");
        writer.write_all(&bytes).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}
