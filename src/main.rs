//! The `sovplan` binary: a thin `main` (as in ripgrep); the commands live in [`cli`].

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("sovplan: {}", cli::exit::report(&err));
            cli::Exit::of(&err).into()
        }
    }
}
