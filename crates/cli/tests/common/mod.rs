//! Shared by the CLI test binaries: a temporary working directory and, when `GNV_TEST_POSTGRES`
//! is set, a scratch PostgreSQL database that takes the place of every `--db FILE` argument
//! (see `gnv_storage::testing`).

#![allow(dead_code)]

use gnv_storage::testing::{test_postgres_url, ScratchDatabase};
use std::path::Path;
use std::process::Command;

pub struct TestDir {
    dir: tempfile::TempDir,
    postgres: Option<ScratchDatabase>,
}

impl TestDir {
    pub fn new() -> TestDir {
        let postgres = test_postgres_url().map(|admin| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(ScratchDatabase::create(&admin))
                .expect("create test database")
        });
        TestDir { dir: tempfile::tempdir().unwrap(), postgres }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Whether this test runs against PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The `gnv` binary with `args`, run in the directory. On PostgreSQL every `--db FILE` pair
    /// becomes `--database-url URL` of the scratch database.
    pub fn gnv(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_gnv"));
        cmd.current_dir(self.dir.path()).env_remove("GNV_CONFIG").env_remove("GNV_DATABASE_URL");
        match &self.postgres {
            None => {
                cmd.args(args);
            }
            Some(pg) => {
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    if *a == "--db" {
                        it.next();
                        cmd.args(["--database-url", pg.url.as_str()]);
                    } else {
                        cmd.arg(a);
                    }
                }
            }
        }
        cmd
    }
}
