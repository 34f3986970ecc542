//! `integra analyze`: what the analyzer makes of a text, word by word.

use std::io::{Read, Write};

use anyhow::{Context, Result};
use clap::Args;
use integra::analysis::{AnalyzedWord, Side, TermKind, inspect, terms};

use crate::Outcome;

/// Show the analyzer's tokens of a text: each word's position, offsets, normalized whole,
/// compound parts and the terms the index holds for it (in the fields title, body, authors
/// and institutions, which share the analyzer).
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra analyze \"Sprach- und Integrationskurse für Geflüchtete\"\n  \
    integra analyze --terms --query \"Flüchtlingsintegration in Kommunen\"\n  \
    echo \"Migrant*innen in Großstädten\" | integra analyze --json -")]
pub struct AnalyzeArgs {
    /// The text; several arguments are joined with spaces; `-` reads it from stdin.
    #[arg(required = true, num_args = 1.., value_name = "TEXT", allow_hyphen_values = true)]
    text: Vec<String>,
    /// Analyze as the words of a query are analyzed (truncated words are not completed).
    #[arg(long)]
    query: bool,
    /// Print only the terms, joined by spaces: at index time all of them, for a query the
    /// whole of each word (what another engine's whitespace tokenizer takes; see
    /// docs/SCALING.md).
    #[arg(long, conflicts_with = "json")]
    terms: bool,
    /// Print one JSON object for scripts instead of a table.
    #[arg(long)]
    json: bool,
}

/// What `--json` prints.
#[derive(serde::Serialize)]
struct JsonAnalysis<'a> {
    side: Side,
    words: &'a [AnalyzedWord],
}

pub fn run(args: AnalyzeArgs) -> Result<Outcome> {
    let text = if args.text == ["-"] {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the text from stdin")?;
        text
    } else {
        args.text.join(" ")
    };
    let side = if args.query { Side::Query } else { Side::Index };
    let mut out = std::io::stdout().lock();
    let words = inspect(&text, side);
    if args.terms {
        writeln!(out, "{}", terms(&text, side).join(" "))?;
    } else if args.json {
        serde_json::to_writer(
            &mut out,
            &JsonAnalysis {
                side,
                words: &words,
            },
        )?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &words)?;
    }
    out.flush()?;
    Ok(if words.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}

/// One row of the table, one column a string.
fn row(word: &AnalyzedWord) -> [String; 7] {
    let terms = word
        .terms
        .iter()
        .map(|t| match t.kind {
            TermKind::Whole => t.term.clone(),
            TermKind::Part => format!("{} (part)", t.term),
            TermKind::Completion => format!("{} (completed)", t.term),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let surface = if word.truncated {
        format!("{}-", word.surface)
    } else {
        word.surface.clone()
    };
    [
        word.position.to_string(),
        format!("{}..{}", word.byte_from, word.byte_to),
        format!("{}..{}", word.char_from, word.char_to),
        surface,
        word.normalized.clone(),
        word.parts.join(" + "),
        terms,
    ]
}

/// The words as a table with a header, columns padded to their widest cell (in chars).
fn print_table(out: &mut impl Write, words: &[AnalyzedWord]) -> std::io::Result<()> {
    let header = [
        "POS",
        "BYTES",
        "CHARS",
        "WORD",
        "NORMALIZED",
        "PARTS",
        "TERMS",
    ]
    .map(String::from);
    let rows: Vec<[String; 7]> = std::iter::once(header)
        .chain(words.iter().map(row))
        .collect();
    let mut widths = [0; 7];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
