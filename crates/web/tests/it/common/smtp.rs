//! A real SMTP server for the mail tests: `tests/smtp/smtp-sink.py` (aiosmtpd, installed by
//! `scripts/install-test-deps`) run as a child process on a free port, writing every received
//! message into a temporary directory the test reads.
//!
//! There is no silent skip: without python3 and aiosmtpd the test fails with the command that
//! installs them.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

pub struct SmtpSink {
    pub port: u16,
    pub dir: tempfile::TempDir,
    child: Child,
}

impl SmtpSink {
    /// Starts the server and waits until it listens.
    pub fn start() -> SmtpSink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp/smtp-sink.py");
        let dir = tempfile::tempdir().expect("tempdir");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
            l.local_addr().expect("addr").port()
        };
        let mut child = Command::new("python3")
            .arg(script)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 must be installed to run the SMTP tests (scripts/install-test-deps)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read");
        assert!(
            line.starts_with("READY"),
            "the test SMTP server did not start (is aiosmtpd installed? run scripts/install-test-deps): {line:?}"
        );
        SmtpSink { port, dir, child }
    }

    /// Refuses these recipients from now on (550 at RCPT); an empty list accepts everyone again.
    pub fn refuse(&self, addresses: &[&str]) {
        std::fs::write(self.dir.path().join("refuse"), addresses.join("\n")).expect("write refuse");
    }

    /// The received messages in arrival order: (envelope recipients, decoded message text).
    pub fn messages(&self) -> Vec<(Vec<String>, String)> {
        self.raw_messages().into_iter().map(|(rcpts, raw)| (rcpts, super::decode_mail(&raw))).collect()
    }

    /// The received messages in arrival order as received: (envelope recipients, raw message).
    pub fn raw_messages(&self) -> Vec<(Vec<String>, String)> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| {
                let text = String::from_utf8_lossy(&std::fs::read(&p).expect("read eml")).to_string();
                let rcpts = text
                    .lines()
                    .take_while(|l| l.starts_with("X-Envelope-To: "))
                    .map(|l| l["X-Envelope-To: ".len()..].trim().to_string())
                    .collect();
                (rcpts, text)
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Closing stdin stops the server; kill in case it hangs.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
