//! Thin entry point: parse flags, run the command, map errors to exit code 2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dossier::cli::Cli::parse();
    match dossier::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("dossier: error: {e:#}");
            ExitCode::from(dossier::app::FATAL)
        }
    }
}
