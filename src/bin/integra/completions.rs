//! `integra completions SHELL` and `integra man`: shell completions and the manual page,
//! generated from the same definitions clap parses the command line with, so they never lag
//! behind a flag.

use std::io::Write;

use anyhow::Result;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::{Cli, Outcome};

/// Print the completion script for a shell.
///
/// Install it where your shell looks for completions, or load it from its startup file.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra completions bash > ~/.local/share/bash-completion/completions/integra\n  \
    integra completions zsh > ~/.zfunc/_integra\n  \
    integra completions fish > ~/.config/fish/completions/integra.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    shell: Shell,
}

pub fn completions(args: CompletionsArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    // Generated into memory first: clap_complete panics on a failed write, and a closed pipe
    // (`| head`) is not an error.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "integra", &mut script);
    let mut out = std::io::stdout().lock();
    out.write_all(&script)?;
    out.flush()?;
    Ok(Outcome::Found)
}

/// Print the manual page (roff), for `man`.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra man > ~/.local/share/man/man1/integra.1\n  \
    integra man | man -l -")]
pub struct ManArgs {}

pub fn man(_args: ManArgs) -> Result<Outcome> {
    let mut out = std::io::stdout().lock();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    for sub in Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
    {
        let name = format!("integra-{}", sub.get_name());
        clap_mangen::Man::new(sub.clone())
            .title(name)
            .render(&mut out)?;
    }
    out.flush()?;
    Ok(Outcome::Found)
}
