//! How results look for a person: colour on a terminal, plain markers when piped, and never a
//! control character from a document let through to the terminal.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU8, Ordering};

use clap::ValueEnum;
use integra::Snippet;

/// When to colour the output: `--color`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
#[repr(u8)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    #[default]
    Auto = 0,
    /// Always, also into a pipe (for `less -R`).
    Always = 1,
    /// Never.
    Never = 2,
}

/// The colour choice of the run, as `ColorChoice as u8`.
static COLOR: AtomicU8 = AtomicU8::new(ColorChoice::Auto as u8);

/// Sets the colour choice for the run (from `--color`).
pub fn set_color(choice: ColorChoice) {
    COLOR.store(choice as u8, Ordering::Relaxed);
}

fn color() -> ColorChoice {
    match COLOR.load(Ordering::Relaxed) {
        1 => ColorChoice::Always,
        2 => ColorChoice::Never,
        _ => ColorChoice::Auto,
    }
}

/// Styles for human output.
pub struct Style {
    pub color: bool,
}

impl Style {
    /// The style `--color` asks for: by default colour when stdout is a terminal, `NO_COLOR`
    /// is not set and `TERM` is not `dumb`.
    pub fn detect() -> Style {
        let color = match color() {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none()
                    && std::env::var_os("TERM").is_none_or(|term| term != "dumb")
            }
        };
        Style { color }
    }

    /// How a matched word is marked: bold yellow on a terminal, `**…**` in a pipe.
    pub fn highlight(&self) -> (&'static str, &'static str) {
        if self.color {
            ("\x1b[1;33m", "\x1b[0m")
        } else {
            ("**", "**")
        }
    }

    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{}\x1b[0m", clean(text))
        } else {
            clean(text).into_owned()
        }
    }

    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{}\x1b[0m", clean(text))
        } else {
            clean(text).into_owned()
        }
    }

    /// A passage with its matched words marked, its text made safe for a terminal.
    pub fn passage(&self, snippet: &Snippet) -> String {
        let (before, after) = self.highlight();
        let mut out = String::with_capacity(snippet.text.len() + 16);
        let mut last = 0;
        for &[start, end] in &snippet.highlights {
            let (Some(plain), Some(marked)) =
                (snippet.text.get(last..start), snippet.text.get(start..end))
            else {
                continue;
            };
            out.push_str(&clean(plain));
            out.push_str(before);
            out.push_str(&clean(marked));
            out.push_str(after);
            last = end;
        }
        out.push_str(&clean(snippet.text.get(last..).unwrap_or_default()));
        out
    }
}

/// A path as the index stores it (absolute), shown relative to the working folder when it lies
/// below it: `corpus/studie.pdf` rather than `/home/anna/integra/corpus/studie.pdf`.
pub fn shown_path(path: &str) -> String {
    let cwd = std::env::current_dir().and_then(|dir| dir.canonicalize());
    match cwd.ok().and_then(|cwd| {
        std::path::Path::new(path)
            .strip_prefix(&cwd)
            .ok()
            .map(|rel| rel.to_string_lossy().into_owned())
    }) {
        Some(rel) if !rel.is_empty() => rel,
        _ => path.to_string(),
    }
}

/// Text from a document or a file name made safe to print: control characters (the escape
/// that starts a terminal sequence among them) and the Unicode controls that reorder text are
/// left out, line breaks and tabs become spaces.
pub fn clean(text: &str) -> Cow<'_, str> {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if unsafe_char(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_out_terminal_escapes_and_reordering_controls() {
        assert_eq!(clean("Bericht \x1b[31mrot\x1b[0m"), "Bericht [31mrot[0m");
        assert_eq!(clean("a\u{202E}b\u{0007}c"), "abc");
        assert_eq!(clean("Zeile\neins\tzwei"), "Zeile eins zwei");
        assert!(matches!(clean("Flüchtlinge „gut“"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_passage_keeps_its_marks_and_loses_its_escapes() {
        let snippet = Snippet {
            text: "\x1b]0;title\x07Kommunen tragen".into(),
            highlights: vec![[10, 18]],
            ..Snippet::default()
        };
        let style = Style { color: false };
        assert_eq!(style.passage(&snippet), "]0;title**Kommunen** tragen");
    }
}
