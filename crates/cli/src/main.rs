//! `gnv` — the command-line interface and server of GNV-uppföljning.
//!
//! Every sub-command has Swedish help (`gnv --help`, `gnv user --help`, …). Configuration comes
//! from defaults, an optional TOML file (`--config` / `GNV_CONFIG`) and `GNV_*` variables.

mod cli;
mod ekonomi;
mod nyckeltal;
mod rapportering;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = cli::Cli::parse();
    if !matches!(args.command, cli::Command::Serve { .. } | cli::Command::Demo { .. }) {
        default_sigpipe();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GNV_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("fel: kunde inte starta: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fel: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A report or listing piped into a program that stops reading (`gnv round summary | head`) ends
/// quietly, like other command-line tools, instead of panicking in `println!` ("Broken pipe"):
/// Rust ignores SIGPIPE, this restores the default. Not for the server commands: they write only
/// to sockets (sent with MSG_NOSIGNAL) and must never die of a peer closing early.
#[cfg(unix)]
fn default_sigpipe() {
    // SAFETY: sets one signal's disposition at start-up, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn default_sigpipe() {}
