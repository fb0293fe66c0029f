//! A real OpenSSH server on 127.0.0.1, for the SSH tests: a fresh host key
//! and user key, a free port, no PAM, only this process's user allowed.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running sshd, killed on drop.
#[derive(Debug)]
pub struct SshServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The login name (the user running the tests).
    pub user: String,
    dir: tempfile::TempDir,
    child: Child,
}

impl SshServer {
    /// Starts a server and waits until it accepts connections.
    pub fn start() -> SshServer {
        crate::ensure_tool("sshd", "openssh-server");
        crate::ensure_tool("ssh", "openssh-client");
        let dir = tempfile::tempdir().expect("tempdir");
        let keygen = |name: &str| {
            let status = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-f"])
                .arg(dir.path().join(name))
                .status()
                .expect("run ssh-keygen");
            assert!(status.success(), "ssh-keygen failed");
        };
        keygen("host_key");
        keygen("id_ed25519");
        std::fs::copy(
            dir.path().join("id_ed25519.pub"),
            dir.path().join("authorized_keys"),
        )
        .expect("authorized_keys");
        let user = String::from_utf8(Command::new("id").arg("-un").output().expect("id").stdout)
            .expect("user name")
            .trim()
            .to_owned();
        // Privilege separation needs this directory (the package's service
        // would create it).
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = free_port();
        let config = dir.path().join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {dir}/host_key\nPidFile none\n\
                 AuthorizedKeysFile {dir}/authorized_keys\nStrictModes no\nUsePAM no\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                 PermitRootLogin prohibit-password\nAllowUsers {user}\nLogLevel ERROR\n\
                 MaxStartups 100\nMaxSessions 100\n",
                dir = dir.path().display()
            ),
        )
        .expect("sshd_config");
        let sshd = ["/usr/sbin/sshd", "/usr/bin/sshd"]
            .into_iter()
            .find(|p| std::path::Path::new(p).is_file())
            .unwrap_or("sshd");
        let child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start sshd");
        let server = SshServer {
            port,
            user,
            dir,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "sshd did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// `ssh://user@127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("ssh://{}@127.0.0.1:{}", self.user, self.port)
    }

    /// The key the server accepts.
    pub fn identity(&self) -> PathBuf {
        self.dir.path().join("id_ed25519")
    }

    /// Client options for this server: its key, no known_hosts (a fresh
    /// host key each run), no user configuration.
    pub fn client_options(&self) -> Vec<String> {
        vec![
            format!("IdentityFile={}", self.identity().display()),
            "IdentitiesOnly=yes".to_owned(),
            "StrictHostKeyChecking=no".to_owned(),
            "UserKnownHostsFile=/dev/null".to_owned(),
            "LogLevel=ERROR".to_owned(),
        ]
    }

    /// The same as `ssh` arguments (`-F /dev/null -o …`).
    pub fn client_args(&self) -> Vec<String> {
        let mut args = vec!["-F".to_owned(), "/dev/null".to_owned()];
        for option in self.client_options() {
            args.push("-o".to_owned());
            args.push(option);
        }
        args
    }
}

impl Drop for SshServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (now).
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
