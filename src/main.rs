//! The `sovplan` binary: a thin `main` (as in ripgrep); the commands live in [`cli`].

mod cli;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let exit = match cli::run(cli::Cli::parse()) {
        Ok(exit) => exit,
        Err(err) => {
            eprintln!("sovplan: {}", cli::exit::report(&err));
            cli::Exit::of(&err)
        }
    };
    if sovplan::milp::watch::abandoned() > 0 {
        // A solve given up on at the deadline still runs on its thread; ending `main`
        // normally would destroy HiGHS's static objects under it. Everything the
        // command writes is written and flushed by now.
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        signal_hook::low_level::exit(exit as i32);
    }
    exit.into()
}
