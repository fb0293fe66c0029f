//! Hostile input (issue 17): every class of defect adversarial testing
//! found, run through the real binary. Each test asserts the exact
//! diagnostic and exit status, and bounds the work with limits the test
//! measures itself: the child's peak memory (from /proc while it runs)
//! and CPU time (from `wait4`), and
//! a watchdog that kills a run that hangs (generous limits: they catch a
//! blow-up or a hang, not a slow machine). Where a file or variable from
//! outside the scan could leak, a canary is planted and looked for in
//! every output format.

#![allow(clippy::unwrap_used)] // Test helpers: a panic is the failure report.

use rampart_tests::osv_server::{Behaviour, Server};
use serde_json::Value;
use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// An environment variable every run gets: no output may show it.
const CANARY_ENV: &str = "RAMPART_HOSTILE_CANARY";
const CANARY_ENV_VALUE: &str = "canary-env-b61f0e";
/// Text of files outside the scan: no output may show it.
const CANARY_FILE: &str = "canary-file-93d7c2";

/// Every format of `rampart scan`.
const FORMATS: [&str; 6] = ["table", "json", "sarif", "github", "gitlab", "junit"];

/// A run longer than this is killed: a hang fails the test instead of
/// blocking the suite.
const WATCHDOG: Duration = Duration::from_secs(180);

/// What a run did and what it cost.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory, in MiB.
    peak_mib: u64,
    /// User plus system CPU time.
    cpu: Duration,
}

impl Outcome {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }

    /// Asserts the exit status, showing the output when it differs.
    fn exits(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts peak memory and CPU time stay under the limits.
    fn within(&self, peak_mib: u64, cpu_secs: u64) -> &Self {
        assert!(
            self.peak_mib <= peak_mib,
            "peak memory {} MiB over {peak_mib} MiB",
            self.peak_mib
        );
        assert!(
            self.cpu <= Duration::from_secs(cpu_secs),
            "CPU time {:?} over {cpu_secs} s",
            self.cpu
        );
        self
    }

    fn no_canary(&self) -> &Self {
        for (stream, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            for canary in [CANARY_ENV_VALUE, CANARY_FILE] {
                assert!(!text.contains(canary), "{canary} reached {stream}:\n{text}");
            }
        }
        self
    }
}

/// The compiled-pack cache all runs share, filled before the first
/// measured run: compiling the built-in packs (hundreds of MiB with
/// cranelift) is paid once here, so the bounds measure the scan, whichever
/// test runs first.
fn cache() -> &'static Path {
    static CACHE: OnceLock<tempfile::TempDir> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            let cache = tempfile::tempdir().unwrap();
            let empty = tempfile::tempdir().unwrap();
            let status = Command::new(env!("CARGO_BIN_EXE_rampart"))
                .args(["scan", "--no-progress", "--format", "json"])
                .current_dir(empty.path())
                .env("RAMPART_CACHE_DIR", cache.path())
                .env("RAMPART_DB_DIR", cache.path().join("no-db"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run rampart");
            assert_eq!(status.code(), Some(0), "warming the pack cache");
            cache
        })
        .path()
}

/// Runs `rampart args…` in `cwd` and measures it.
fn rampart<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Outcome {
    // Reaped by `wait4` below (for its CPU times), not `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_rampart"))
        .args(args)
        .current_dir(cwd)
        .env("RAMPART_CACHE_DIR", cache())
        .env("RAMPART_DB_DIR", cache().join("no-db"))
        .env(CANARY_ENV, CANARY_ENV_VALUE)
        .env_remove("RAMPART_LOG")
        .env_remove("RAMPART_BASELINE")
        .env_remove("RAMPART_OSV_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run rampart");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let done = Arc::new(AtomicBool::new(false));
    let killed = Arc::new(AtomicBool::new(false));
    // The child's own peak, read from /proc while it runs. Not wait4's
    // ru_maxrss: the child is spawned with vfork, and at exec Linux folds
    // the high-water mark of the mm it leaves — this test process's, with
    // every parallel test's inputs in it — into the child's maxrss.
    let peak_kib = Arc::new(AtomicU64::new(0));
    let watchdog = {
        let (done, killed, peak_kib) = (
            Arc::clone(&done),
            Arc::clone(&killed),
            Arc::clone(&peak_kib),
        );
        std::thread::spawn(move || {
            let start = Instant::now();
            while !done.load(Ordering::SeqCst) {
                if let Some(hwm) = high_water_kib(pid) {
                    peak_kib.fetch_max(hwm, Ordering::SeqCst);
                }
                if start.elapsed() > WATCHDOG {
                    killed.store(true, Ordering::SeqCst);
                    // SAFETY: kill(2) on the child's pid, which is not
                    // reaped yet (`done` is set right after wait4).
                    unsafe { libc::kill(pid, libc::SIGKILL) };
                    return;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; both pointers are to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    done.store(true, Ordering::SeqCst);
    assert_eq!(reaped, pid, "wait4 failed");
    let _ = watchdog.join();
    assert!(
        !killed.load(Ordering::SeqCst),
        "rampart {:?} ran past {WATCHDOG:?}: killed",
        args.iter()
            .map(|a| a.as_ref().to_owned())
            .collect::<Vec<_>>()
    );
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Outcome {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        peak_mib: peak_kib.load(Ordering::SeqCst) / 1024,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
    }
}

/// `VmHWM` of a running process (its peak resident memory), in KiB.
fn high_water_kib(pid: libc::pid_t) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `rampart scan` in `cwd` with `args` and `--format json`.
fn scan_json(cwd: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["scan", "--format", "json", "--no-progress"];
    all.extend_from_slice(args);
    rampart(cwd, &all)
}

fn write(path: &Path, text: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// `(level, kind, path, line, message)` of every diagnostic.
fn diagnostics(report: &Value) -> Vec<(String, String, String, Option<u64>, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["level"].as_str().unwrap_or("").to_owned(),
                d["kind"].as_str().unwrap_or("").to_owned(),
                d["path"].as_str().unwrap_or("").to_owned(),
                d["region"]["startLine"].as_u64(),
                d["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// `(rule, path, line)` of every finding of `rule`.
fn findings_of(report: &Value, rule: &str) -> Vec<(String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_id"] == rule)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["region"]["startLine"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const PRIVILEGED_POD: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
";

/// D1: nesting that would overflow a recursive parser is a parse error
/// at the file; the other files are still scanned and reported.
#[test]
fn d1_deep_nesting_is_a_diagnostic_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("x.yaml"),
        format!("{}1\n", "- ".repeat(20_000)),
    );
    write(
        &dir.path().join("flow.yaml"),
        format!("kind: Pod\nspec: {}\n", "[".repeat(5_000)),
    );
    write(&dir.path().join("pod.yaml"), PRIVILEGED_POD);
    let out = scan_json(dir.path(), &[]);
    out.exits(2).within(512, 60);
    let report = out.json();
    let errors: Vec<_> = diagnostics(&report)
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| (d.1, d.2, d.4))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "parse-error".to_owned(),
                "flow.yaml".to_owned(),
                "invalid YAML: nesting deeper than 100 levels".to_owned()
            ),
            (
                "parse-error".to_owned(),
                "x.yaml".to_owned(),
                "invalid YAML: nesting deeper than 100 levels".to_owned()
            ),
        ],
        "{report:#}"
    );
    assert_eq!(
        findings_of(&report, "K8S-001"),
        [("pod.yaml".to_owned(), 10)]
    );
}

/// D2: locals referring to each other are a cycle, reported at the local;
/// locals that double at every step stop at the evaluation budget.
#[test]
fn d2_terraform_local_cycles_and_blow_ups_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("cycle/main.tf"),
        "locals {\n  a = [local.b, local.b]\n  b = [local.a, local.a]\n}\n",
    );
    let mut doubling = String::from("locals {\n  l0 = [\"x\", \"x\"]\n");
    for k in 1..=60 {
        doubling.push_str(&format!("  l{k} = [local.l{}, local.l{}]\n", k - 1, k - 1));
    }
    doubling.push_str("}\n");
    write(&dir.path().join("doubling/main.tf"), doubling);
    let out = scan_json(dir.path(), &[]);
    out.exits(0).within(768, 60);
    let report = out.json();
    let warnings: Vec<_> = diagnostics(&report)
        .into_iter()
        .map(|d| (d.0, d.2, d.3, d.4))
        .collect();
    assert!(
        warnings.contains(&(
            "warning".to_owned(),
            "cycle/main.tf".to_owned(),
            Some(2),
            "local `a` refers to itself (local.a → local.b → local.a): a cycle, left unevaluated"
                .to_owned()
        )),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|(level, path, _, message)| level == "warning"
                && path == "doubling/main.tf"
                && message.contains("evaluation budget")),
        "{warnings:#?}"
    );
}

/// D3: `-r`/`-c` includes are confined to the scan root, wherever the
/// scan runs from; nothing of the included file reaches any format.
#[test]
fn d3_requirement_includes_never_leave_the_scan_root() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    write(&secret, format!("{CANARY_FILE} !! not a requirement\n"));
    let tree = tmp.path().join("d");
    write(
        &tree.join("requirements.txt"),
        format!(
            "-r /proc/self/environ\n-r ../secret.txt\n-c {}\n-r link.txt\nflask==0.12\n",
            secret.display()
        ),
    );
    std::os::unix::fs::symlink("../secret.txt", tree.join("link.txt")).unwrap();
    let expected = |display: &str| {
        vec![
            (
                display.to_owned(),
                Some(1),
                "`-r /proc/self/environ` points outside the scanned tree: not followed".to_owned(),
            ),
            (
                display.to_owned(),
                Some(2),
                "`-r ../secret.txt` points outside the scanned tree: not followed".to_owned(),
            ),
            (
                display.to_owned(),
                Some(4),
                "`-r link.txt` points outside the scanned tree: not followed".to_owned(),
            ),
        ]
    };
    // From the root directory (the defect: confined to the current
    // directory), and from the parent of the tree.
    let absolute = tree.display().to_string();
    for (cwd, target, display) in [
        (
            PathBuf::from("/"),
            absolute.clone(),
            format!("{}/requirements.txt", absolute.trim_start_matches('/')),
        ),
        (
            tmp.path().to_owned(),
            "d".to_owned(),
            "d/requirements.txt".to_owned(),
        ),
    ] {
        let out = scan_json(&cwd, &[&target, "--no-advisories"]);
        out.exits(0).no_canary();
        let report = out.json();
        // The walk's note on `link.txt` (a link, not followed) aside;
        // `-c` (line 3) names a constraints file, which adds no packages
        // and is never read.
        let mut found: Vec<_> = diagnostics(&report)
            .into_iter()
            .filter(|d| d.2 == display)
            .map(|d| (d.2, d.3, d.4))
            .collect();
        found.sort();
        assert_eq!(found, expected(&display), "{report:#}");
        // The tree's own requirement is still read.
        assert_eq!(report["summary"]["resources"], 1, "{report:#}");
        for format in FORMATS {
            rampart(
                &cwd,
                &["scan", &target, "--no-advisories", "--format", format],
            )
            .exits(0)
            .no_canary();
        }
    }
}

/// A minimal root filesystem at `root` with `passwd` as `/etc/passwd`.
fn image(root: &Path, passwd: &str) {
    write(&root.join("etc/passwd"), passwd);
    write(&root.join("etc/group"), "root:x:0:\n");
    write(
        &root.join("etc/os-release"),
        "ID=debian\nVERSION_ID=\"12\"\n",
    );
}

/// D4: an image's absolute links resolve inside the image, and the table
/// shows the scanned bytes, never the host's file at the same path.
#[test]
fn d4_root_image_links_stay_in_the_image_and_snippets_are_the_scanned_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let host_file = tmp.path().join("host-shadow");
    write(
        &host_file,
        format!("root:{CANARY_FILE}:19000:0:99999:7:::\n"),
    );
    let root = tmp.path().join("img");
    image(
        &root,
        "root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\n",
    );
    std::os::unix::fs::symlink(&host_file, root.join("etc/shadow")).unwrap();
    let out = scan_json(tmp.path(), &["--root", "img", "--no-advisories"]);
    out.exits(1).no_canary();
    let report = out.json();
    assert_eq!(
        findings_of(&report, "HOST-040"),
        [("img/etc/passwd".to_owned(), 2)],
        "{report:#}"
    );
    for format in FORMATS {
        let out = rampart(
            tmp.path(),
            &[
                "scan",
                "--root",
                "img",
                "--no-advisories",
                "--format",
                format,
            ],
        );
        out.exits(1).no_canary();
        if format == "table" {
            assert!(
                out.stdout.contains("toor:x:0:0::/root:/bin/sh"),
                "the snippet is the image's line 2:\n{}",
                out.stdout
            );
        }
    }
}

/// D5: FIFOs and devices are refused after opening without blocking —
/// in an image, in the tree, as a pack, a baseline, or a record to import.
#[test]
fn d5_special_files_are_refused_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let mkfifo = |path: &Path| {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success());
    };
    // A FIFO at an image's /etc/passwd.
    let root = tmp.path().join("img");
    image(&root, "");
    std::fs::remove_file(root.join("etc/passwd")).unwrap();
    mkfifo(&root.join("etc/passwd"));
    let out = scan_json(tmp.path(), &["--root", "img", "--no-advisories"]);
    out.exits(2).within(512, 60);
    let found: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| (d.1, d.4))
        .collect();
    assert!(
        found.iter().any(|(kind, message)| kind == "skipped"
            && message == "/etc/passwd is not read: a FIFO (named pipe), not a regular file"),
        "{found:#?}"
    );

    // A FIFO named like a manifest in the tree.
    let tree = tmp.path().join("tree");
    mkfifo(&tree.join("deploy.yaml"));
    write(&tree.join("pod.yaml"), PRIVILEGED_POD);
    let out = scan_json(&tree, &[]);
    out.exits(2);
    let report = out.json();
    assert_eq!(
        diagnostics(&report)
            .into_iter()
            .map(|d| (d.0, d.1, d.2, d.4))
            .collect::<Vec<_>>(),
        [(
            "error".to_owned(),
            "skipped".to_owned(),
            "deploy.yaml".to_owned(),
            "a FIFO (named pipe), not a regular file: not read".to_owned()
        )]
    );
    assert_eq!(findings_of(&report, "K8S-001").len(), 1);

    // `/dev/zero` as a pack in the repository's configuration.
    let repo = tmp.path().join("repo");
    write(&repo.join("rampart.yaml"), "policies:\n  - /dev/zero\n");
    write(&repo.join("pod.yaml"), PRIVILEGED_POD);
    let out = rampart(&repo, &["scan", "--no-progress"]);
    out.exits(2).within(512, 60);
    assert!(
        out.stderr
            .contains("/dev/zero is a character device, not a regular file: not read"),
        "{}",
        out.stderr
    );

    // A baseline linked to /dev/zero.
    std::os::unix::fs::symlink("/dev/zero", tmp.path().join("baseline.json")).unwrap();
    let out = rampart(
        &tree,
        &["scan", "--no-progress", "--baseline", "../baseline.json"],
    );
    out.exits(2).within(512, 60);
    assert!(
        out.stderr
            .contains("is a character device, not a regular file: not read"),
        "{}",
        out.stderr
    );

    // A record linked to /dev/zero in a directory to import.
    let export = tmp.path().join("export/PyPI");
    std::fs::create_dir_all(&export).unwrap();
    std::os::unix::fs::symlink("/dev/zero", export.join("GHSA-zero.json")).unwrap();
    let db = tmp.path().join("db");
    let out = rampart(
        tmp.path(),
        &[
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("db"),
            OsStr::new("import"),
            OsStr::new("export"),
        ],
    );
    out.within(512, 60);
    assert!(
        out.stderr.contains("not a regular file") || out.stdout.contains("not a regular file"),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
}

/// D6, D11: work linear in lines — 200,000 requirements, and a passwd of
/// 200,000 accounts whose last one repeats the UID of the second (the
/// later of the two, in file and in name order, is reported).
#[test]
fn d6_d11_large_files_take_linear_work() {
    let tmp = tempfile::tempdir().unwrap();
    let mut requirements = String::new();
    for k in 0..200_000 {
        requirements.push_str(&format!("package-{k}==1.{k}\n"));
    }
    write(&tmp.path().join("tree/requirements.txt"), requirements);
    let out = rampart(&tmp.path().join("tree"), &["inventory", "--no-advisories"]);
    out.exits(0).within(2048, 90);
    let resources: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(resources.as_array().unwrap().len(), 200_000);

    let mut passwd = String::from("root:x:0:0:root:/root:/bin/bash\n");
    for k in 1..200_000 {
        passwd.push_str(&format!(
            "user{k}:x:{}:0::/home/u{k}:/usr/sbin/nologin\n",
            10_000 + k
        ));
    }
    passwd.push_str("zz-again:x:10001:0::/home/again:/usr/sbin/nologin\n");
    image(&tmp.path().join("img"), &passwd);
    let out = scan_json(tmp.path(), &["--root", "img", "--no-advisories"]);
    out.exits(1).within(2048, 120);
    let report = out.json();
    assert!(
        diagnostics(&report).iter().all(|d| d.1 != "policy-error"),
        "{:#?}",
        diagnostics(&report)
    );
    assert_eq!(
        findings_of(&report, "HOST-043"),
        [("img/etc/passwd".to_owned(), 200_001)]
    );
}

/// D7: a bucket's companion blocks are found through an index, not by
/// comparing every pair: 3,000 buckets with blocks and one without, well
/// inside half the policy time limit. (3,000: each bucket has three
/// findings of its own, and 4,000 would pass the sandbox's cap of 10,000
/// findings per batch.)
#[test]
fn d7_terraform_companions_are_indexed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut tf = String::new();
    for k in 0..3_000 {
        tf.push_str(&format!(
            "resource \"aws_s3_bucket\" \"b{k}\" {{\n  bucket = \"bucket-{k}\"\n}}\n\
             resource \"aws_s3_bucket_public_access_block\" \"b{k}\" {{\n  bucket = aws_s3_bucket.b{k}.id\n  block_public_acls = true\n  block_public_policy = true\n  ignore_public_acls = true\n  restrict_public_buckets = true\n}}\n"
        ));
    }
    let line = tf.lines().count() + 1;
    tf.push_str("resource \"aws_s3_bucket\" \"alone\" {\n  bucket = \"alone\"\n}\n");
    write(&tmp.path().join("main.tf"), tf);
    let out = scan_json(tmp.path(), &["--policy-timeout", "5000"]);
    out.within(1024, 90);
    let report = out.json();
    assert!(
        diagnostics(&report).iter().all(|d| d.0 != "error"),
        "{:#?}",
        diagnostics(&report)
    );
    assert_eq!(
        findings_of(&report, "TF-064"),
        [("main.tf".to_owned(), line as u64)]
    );
}

/// D8: a file is chosen by name, so a NUL byte does not make it "binary".
#[test]
fn d8_nul_bytes_do_not_hide_a_dockerfile() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("Dockerfile"),
        b"FROM ubuntu:latest\n# a comment with a \0 byte\nRUN true\n",
    );
    let out = scan_json(tmp.path(), &[]);
    out.exits(1);
    let report = out.json();
    assert_eq!(diagnostics(&report), []);
    assert_eq!(
        findings_of(&report, "DF-002"),
        [("Dockerfile".to_owned(), 1)]
    );
}

/// D9: escape sequences in values and newlines in file names are shown
/// escaped in the table, the logs and the errors.
#[test]
fn d9_control_characters_never_reach_the_terminal_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let pod = PRIVILEGED_POD.replace(
        "name: web\n",
        "name: \"web\\e]0;pwned\\a\\e[2J\\e[1A\\rno findings\"\n",
    );
    write(&tmp.path().join("pod.yaml"), &pod);
    let forged = OsStr::from_bytes(b"evil\nK8S-001 fake\x1b[31m.yaml");
    write(&tmp.path().join(forged), PRIVILEGED_POD);
    write(&tmp.path().join("broken\x1b[2J.yaml"), "a: [\n");
    let out = rampart(tmp.path(), &["scan", "--no-progress", "-vv"]);
    out.exits(2);
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        for bad in ['\x1b', '\x07', '\r'] {
            assert!(!text.contains(bad), "{bad:?} reached {stream} raw:\n{text}");
        }
        assert!(
            !text.lines().any(|l| l.starts_with("K8S-001 fake")),
            "a file name forged a line on {stream}:\n{text}"
        );
    }
    assert!(
        out.stdout
            .contains("evil\\u{a}K8S-001 fake\\u{1b}[31m.yaml"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\\u{1b}]0;pwned\\u{7}"),
        "{}",
        out.stdout
    );
    // The table lists what could not be parsed among its lines.
    assert!(
        out.stdout
            .contains("error: broken\\u{1b}[2J.yaml:2:1: invalid YAML"),
        "{}",
        out.stdout
    );
}

/// D10: sshd `Include` of itself is a cycle, not followed; a fan-out of
/// includes stops at the include budget and says the scan is incomplete.
#[test]
fn d10_sshd_includes_are_cycle_checked_and_budgeted() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("img");
    image(&root, "root:x:0:0:root:/root:/bin/bash\n");
    write(
        &root.join("etc/ssh/sshd_config"),
        "Include /etc/ssh/sshd_config /etc/ssh/sshd_config /etc/ssh/sshd_config\nPermitRootLogin yes\n",
    );
    let out = scan_json(tmp.path(), &["--root", "img", "--no-advisories"]);
    out.exits(1).within(512, 60);
    let report = out.json();
    assert_eq!(
        findings_of(&report, "HOST-001"),
        [("img/etc/ssh/sshd_config".to_owned(), 2)]
    );
    let warnings: Vec<_> = diagnostics(&report).into_iter().map(|d| d.4).collect();
    assert!(
        warnings.iter().any(|m| m.ends_with(
            "/etc/ssh/sshd_config line 1: `Include /etc/ssh/sshd_config` includes /etc/ssh/sshd_config, which is being read: a cycle, not followed"
        )),
        "{warnings:#?}"
    );

    // 16 levels, each including the next three times: 3^16 reads unless
    // memoised and budgeted.
    let fan = tmp.path().join("fan");
    image(&fan, "root:x:0:0:root:/root:/bin/bash\n");
    let mut config = String::from("Include /etc/ssh/l1.conf /etc/ssh/l1.conf /etc/ssh/l1.conf\n");
    config.push_str("PermitRootLogin yes\n");
    write(&fan.join("etc/ssh/sshd_config"), config);
    for level in 1..16 {
        let next = level + 1;
        write(
            &fan.join(format!("etc/ssh/l{level}.conf")),
            format!("Include /etc/ssh/l{next}.conf /etc/ssh/l{next}.conf /etc/ssh/l{next}.conf\n"),
        );
    }
    write(&fan.join("etc/ssh/l16.conf"), "X11Forwarding no\n");
    let out = scan_json(tmp.path(), &["--root", "fan", "--no-advisories"]);
    out.exits(2).within(512, 60);
    let errors: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| d.4)
        .collect();
    assert!(
        errors.iter().any(|m| m.contains(
            "more than 256 files included in all; the rest of the configuration is not read"
        )),
        "{errors:#?}"
    );
}

/// D12: inputs that amplify memory — a file of empty documents, a huge
/// ignore file, a large SARIF log to merge — stay within a bound.
#[test]
fn d12_memory_amplification_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    write(&tree.join("many.yaml"), "---\n".repeat(9 << 18)); // 9 MiB
    write(&tree.join("pod.yaml"), PRIVILEGED_POD);
    let mut gitignore = String::new();
    for k in 0..150_000 {
        gitignore.push_str(&format!("/generated/dir-{k}/**/*.tmp\n"));
    }
    write(&tree.join(".gitignore"), &gitignore);
    let out = scan_json(&tree, &["--max-file-size", "20000000"]);
    out.exits(2).within(768, 60);
    let found: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .map(|d| (d.0, d.2, d.4))
        .collect();
    assert!(
        found.contains(&(
            "error".to_owned(),
            "many.yaml".to_owned(),
            "invalid YAML: more than 10000 documents in one file".to_owned()
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|(level, path, message)| level == "warning"
            && path == ".gitignore"
            && message.contains("its rules are not used")),
        "{found:#?}"
    );

    // A SARIF log of ~60 MB, merged with itself: streamed, not held as a tree.
    let mut results = String::new();
    for k in 0..120_000 {
        if k > 0 {
            results.push(',');
        }
        results.push_str(&format!(
            r#"{{"ruleId":"K8S-001","level":"error","message":{{"text":"container {k} runs privileged, a long message to make the log large {k}"}},"locations":[{{"physicalLocation":{{"artifactLocation":{{"uri":"deploy/app-{k}.yaml"}},"region":{{"startLine":{k},"startColumn":1}}}}}}],"partialFingerprints":{{"rampart/v1":"{k:032x}"}}}}"#
        ));
    }
    let log = format!(
        r#"{{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{{"tool":{{"driver":{{"name":"rampart","version":"0.1.0","rules":[{{"id":"K8S-001"}}]}}}},"results":[{results}]}}]}}"#
    );
    write(&tmp.path().join("a.sarif"), &log);
    write(&tmp.path().join("b.sarif"), &log);
    let out = rampart(
        tmp.path(),
        &["merge", "a.sarif", "b.sarif", "--output", "merged.sarif"],
    );
    out.exits(0).within(768, 60);
    let merged: Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("merged.sarif")).unwrap()).unwrap();
    // The second log repeats the first: each result once.
    assert_eq!(
        merged["runs"][0]["results"].as_array().unwrap().len(),
        120_000
    );
}

/// D13: a file over the size limit is a gap in the scan — exit 2, however
/// clean the rest — unless `accept-skipped` in rampart.yaml covers it.
#[test]
fn d13_oversized_files_fail_closed_unless_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    write(
        &tree.join("package-lock.json"),
        format!(
            "{{\"lockfileVersion\": 3, \"packages\": {{}}, \"pad\": \"{}\"}}",
            "x".repeat(5_000)
        ),
    );
    let out = scan_json(
        &tree,
        &[
            "--max-file-size",
            "4096",
            "--no-advisories",
            "--fail-on",
            "high",
        ],
    );
    out.exits(2);
    assert_eq!(
        diagnostics(&out.json())
            .into_iter()
            .map(|d| (d.0, d.1, d.2, d.4))
            .collect::<Vec<_>>(),
        [(
            "error".to_owned(),
            "skipped".to_owned(),
            "package-lock.json".to_owned(),
            "not read: 5049 bytes is over the size limit of 4096 bytes (--max-file-size; or accept it with `accept-skipped` in rampart.yaml)".to_owned()
        )]
    );
    write(
        &tree.join("rampart.yaml"),
        "accept-skipped:\n  - \"*.json\"\n",
    );
    let out = scan_json(
        &tree,
        &[
            "--max-file-size",
            "4096",
            "--no-advisories",
            "--fail-on",
            "high",
        ],
    );
    out.exits(0);
    let found = diagnostics(&out.json());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "warning");
    assert!(
        found[0]
            .4
            .ends_with("[accepted: `accept-skipped` in rampart.yaml]"),
        "{found:#?}"
    );

    // An image's sshd_config padded past the host file limit (64 MiB)
    // cannot hide `PermitRootLogin yes` from a gate.
    let root = tmp.path().join("img");
    image(&root, "root:x:0:0:root:/root:/bin/bash\n");
    let mut padded = String::from("PermitRootLogin yes\n");
    padded.push_str(&"#".repeat(65 << 20));
    padded.push('\n');
    write(&root.join("etc/ssh/sshd_config"), padded);
    let out = scan_json(
        tmp.path(),
        &["--root", "img", "--no-advisories", "--fail-on", "high"],
    );
    out.exits(2).within(768, 60);
    let errors: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .filter(|d| d.0 == "error")
        .map(|d| d.4)
        .collect();
    assert!(
        errors.iter().any(|m| m.contains("/etc/ssh/sshd_config")
            && m.contains("is over the size limit of 67108864 bytes")),
        "{errors:#?}"
    );
}

/// D14: files with names that are not UTF-8 are scanned (shown with
/// `\xNN`); files ignore rules leave out are counted in the report.
#[test]
fn d14_non_utf8_names_are_scanned_and_ignored_files_counted() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join(OsStr::from_bytes(b"pod-\xff.yaml")),
        PRIVILEGED_POD,
    );
    let out = scan_json(tmp.path(), &[]);
    out.exits(1);
    assert_eq!(
        findings_of(&out.json(), "K8S-001"),
        [("pod-\\xFF.yaml".to_owned(), 10)]
    );

    write(&tmp.path().join(".ignore"), "*\n");
    let out = scan_json(tmp.path(), &[]);
    out.exits(0);
    let report = out.json();
    assert_eq!(report["summary"]["files_ignored"], 2, "{report:#}");
    assert_eq!(report["summary"]["files_walked"], 0, "{report:#}");
    let out = rampart(tmp.path(), &["scan", "--no-progress"]);
    out.exits(0);
    assert!(
        out.stdout
            .contains("2 paths left out by .gitignore/.ignore rules"),
        "{}",
        out.stdout
    );
}

/// D15: a lockfile of the wrong shape is a parse error, not zero packages.
#[test]
fn d15_lockfiles_of_the_wrong_shape_are_diagnosed() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("composer.lock"),
        "{\"packages\": {\"a\": 1}}\n",
    );
    write(&tmp.path().join("Pipfile.lock"), "[1, 2, 3]\n");
    let out = scan_json(tmp.path(), &["--no-advisories"]);
    out.exits(2);
    let found: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .map(|d| (d.0, d.1, d.2, d.4))
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (
            found[0].0.as_str(),
            found[0].1.as_str(),
            found[0].2.as_str()
        ),
        ("error", "parse-error", "Pipfile.lock")
    );
    assert!(found[0].3.contains("not a Pipfile.lock"), "{found:#?}");
    assert_eq!(
        (
            found[1].0.as_str(),
            found[1].1.as_str(),
            found[1].2.as_str()
        ),
        ("error", "parse-error", "composer.lock")
    );
    assert!(found[1].3.contains("`packages` must be"), "{found:#?}");
}

/// D16: dates are days of the calendar, and every configuration error is
/// reported, each at its line.
#[test]
fn d16_config_dates_are_validated_and_all_errors_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("rampart.yaml"),
        "suppressions:\n  - rule: K8S-001\n    reason: one\n    expires: 9999-99-99\n  - rule: K8S-002\n    reason: two\n    expires: 2099-02-30\n  - rule: K8S-003\n    reason: three\n    expires: 2020-13-45\n",
    );
    let out = rampart(tmp.path(), &["config", "check"]);
    out.exits(2);
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("expires"))
        .collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    for (line, date) in [(4, "9999-99-99"), (7, "2099-02-30"), (10, "2020-13-45")] {
        assert!(
            lines
                .iter()
                .any(|l| l.contains(&format!("rampart.yaml:{line}:"))
                    && l.contains(&format!("{date} is not a day of the calendar"))),
            "{}",
            out.stderr
        );
    }
}

/// D17: every download has an overall deadline, however slowly the
/// server trickles; redirects leave the host only when allowed.
#[test]
fn d17_downloads_have_deadlines_and_redirects_stay_on_the_host() {
    let slow = Server::start(vec![
        (
            "/pack.wasm",
            Behaviour::Trickle {
                body: vec![0; 1 << 20],
                interval: Duration::from_millis(500),
            },
        ),
        (
            "/PyPI/all.zip",
            Behaviour::Trickle {
                body: vec![0; 1 << 20],
                interval: Duration::from_millis(500),
            },
        ),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("pod.yaml"), PRIVILEGED_POD);
    let pack = format!("{}/pack.wasm#sha256={}", slow.url(), "0".repeat(64));
    let started = Instant::now();
    let out = rampart(
        tmp.path(),
        &[
            "scan",
            "--no-progress",
            "--download-timeout",
            "3",
            "--policy",
            &pack,
        ],
    );
    out.exits(2).within(512, 30);
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(
        out.stderr
            .contains("the download took longer than its time limit of 3 s (--download-timeout)"),
        "{}",
        out.stderr
    );

    let db = tmp.path().join("db");
    let update = |url: &str, extra: &[&str]| {
        let mut args = vec![
            OsStr::new("--db"),
            db.as_os_str(),
            OsStr::new("--download-timeout"),
            OsStr::new("3"),
        ];
        args.extend(extra.iter().map(OsStr::new));
        args.extend(
            [
                "db",
                "update",
                "--ecosystem",
                "PyPI",
                "--retries",
                "1",
                "--base-url",
                url,
            ]
            .into_iter()
            .map(OsStr::new),
        );
        rampart(tmp.path(), &args)
    };
    let out = update(slow.url(), &[]);
    out.exits(2).within(512, 30);
    assert!(
        (out.stdout.clone() + &out.stderr)
            .contains("the download took longer than its time limit of 3 s (--download-timeout)"),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );

    // 127.0.0.1 redirecting to localhost: another host.
    let records =
        rampart_tests::workspace_root().join("policies/builtin/dependencies/advisories/PyPI");
    let target = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Serve {
            body: rampart_tests::osv_server::zip_dir(&records),
            etag: "\"1\"".to_owned(),
        },
    )]);
    let elsewhere = target.url().replace("127.0.0.1", "localhost");
    let redirecting = Server::start(vec![(
        "/PyPI/all.zip",
        Behaviour::Redirect {
            location: format!("{elsewhere}/PyPI/all.zip"),
        },
    )]);
    let out = update(redirecting.url(), &[]);
    out.exits(2);
    assert!(
        (out.stdout.clone() + &out.stderr).contains(&format!(
            "redirected to {elsewhere}/PyPI/all.zip: only redirects to https on the same host are followed (--allow-redirects follows any)"
        )),
        "stdout:\n{}\nstderr:\n{}",
        out.stdout,
        out.stderr
    );
    assert!(target.requests().is_empty(), "the redirect was followed");
    update(redirecting.url(), &["--allow-redirects"]).exits(0);
    assert_eq!(target.requests().len(), 1);
}

/// The scan's own deadline: what was not scanned by then is reported as
/// such (exit 2), in a complete report.
#[test]
fn scan_deadline_reports_what_was_not_scanned() {
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("pod.yaml"), PRIVILEGED_POD);
    write(&tmp.path().join("Dockerfile"), "FROM ubuntu:22.04\n");
    let out = scan_json(tmp.path(), &["--timeout", "0"]);
    out.exits(2);
    let found: Vec<_> = diagnostics(&out.json())
        .into_iter()
        .map(|d| (d.0, d.1, d.2, d.4))
        .collect();
    let not_scanned = |path: &str| {
        (
            "error".to_owned(),
            "skipped".to_owned(),
            path.to_owned(),
            "not scanned: the scan's time limit (--timeout) was reached".to_owned(),
        )
    };
    assert_eq!(found, [not_scanned("Dockerfile"), not_scanned("pod.yaml")]);
}

/// D18: Terraform as a hostile fork writes it — a FIFO named like a
/// variables file, a chain of 2,000 modules, `for_each` over 10,000
/// elements and `range(1e6)`, `file()` aimed at `/proc/self/environ` and
/// out of the tree through a link, a template that renders itself: each a
/// diagnostic or an unknown value, bounded in time and memory, nothing
/// read from outside the tree.
#[test]
fn d18_terraform_evaluation_of_hostile_projects_is_bounded_and_confined() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    write(&tmp.path().join("secret.txt"), format!("{CANARY_FILE}\n"));
    write(
        &tree.join("main.tf"),
        "module \"m0\" {\n  source = \"./chain/m0\"\n}\n\n\
         resource \"aws_s3_bucket_acl\" \"wide\" {\n  for_each = toset([for i in range(10000) : tostring(i)])\n  bucket   = each.key\n  acl      = \"public-read\"\n}\n\n\
         locals {\n  huge = range(1000000)\n}\n\n\
         resource \"x\" \"reads\" {\n  environ = file(\"../../../../../../../../proc/self/environ\")\n  \
         secret  = file(\"../secret.txt\")\n  linked  = file(\"link.txt\")\n  \
         self    = templatefile(\"self.tpl\", {})\n  huge    = local.huge\n}\n",
    );
    write(&tree.join("self.tpl"), "${templatefile(\"self.tpl\", {})}");
    std::os::unix::fs::symlink(tmp.path().join("secret.txt"), tree.join("link.txt")).unwrap();
    let status = Command::new("mkfifo")
        .arg(tree.join("terraform.tfvars"))
        .status()
        .unwrap();
    assert!(status.success());
    for k in 0..2000 {
        write(
            &tree.join(format!("chain/m{k}/main.tf")),
            format!(
                "module \"next\" {{\n  source = \"../m{}\"\n}}\n\nresource \"aws_s3_bucket_acl\" \"b\" {{\n  bucket = \"b{k}\"\n  acl    = \"private\"\n}}\n",
                k + 1
            ),
        );
    }
    let out = scan_json(&tree, &[]);
    let report = out.json();
    let found = diagnostics(&report);
    // The FIFO is a gap in the scan (exit 2), reported without blocking.
    out.exits(2).within(768, 60).no_canary();
    let has = |level: &str, path: &str, needle: &str| {
        found
            .iter()
            .any(|d| d.0 == level && d.2 == path && d.4.contains(needle))
    };
    assert!(has("error", "terraform.tfvars", "FIFO"), "{found:#?}");
    assert!(
        has("warning", "main.tf", "asks for more than 1000 instances"),
        "{found:#?}"
    );
    assert!(
        has("warning", "chain/m15/main.tf", "nests deeper than 16 calls"),
        "{found:#?}"
    );
    // The wide block is checked once, as written: one finding, not 10,000.
    assert_eq!(findings_of(&report, "TF-001"), [("main.tf".to_owned(), 8)]);
}
