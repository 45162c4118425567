//! Thin entry point: parse flags, run the command, map errors to exit code 2.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = dossier::cli::Cli::parse();
    match dossier::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`dossier search ... | head`) is the reader's choice, not an error.
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dossier: error: {e:#}");
            ExitCode::from(dossier::app::FATAL)
        }
    }
}
