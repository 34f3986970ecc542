//! Running headers and footers: the lines a document repeats at the top or bottom of its pages
//! (its title, its publisher, "Seite 3"), which would otherwise be the best match for their
//! words on every page and crowd the snippets. They are dropped from the text, and so are page
//! numbers standing alone at the top or bottom of a page.

use std::collections::{HashMap, HashSet};

/// The fewest pages on which a repeated line can be told from text.
const MIN_PAGES: usize = 3;

/// How many lines deep a header or footer is looked for: a header may take two lines (a title
/// and a chapter, or a title that wraps), each repeated.
const MAX_DEPTH: usize = 3;

/// Drops the running headers and footers from `pages` (each a page's repaired text): a line
/// that is, digits and Roman numerals aside, the first or last line of at least half the
/// pages of a document of three pages or more; then the next line in, up to three deep. A
/// page number alone on the first or last line goes on any page.
pub(super) fn strip_running(pages: &mut [String]) {
    let mut lines: Vec<Vec<&str>> = pages
        .iter()
        .map(|page| {
            let mut lines: Vec<&str> = page.lines().collect();
            trim_blank(&mut lines);
            lines
        })
        .collect();
    let mut changed = false;
    for _ in 0..MAX_DEPTH {
        let running = running_lines(&lines);
        let mut stripped = false;
        for page in &mut lines {
            while page.first().is_some_and(|l| is_dropped(l, &running)) {
                page.remove(0);
                trim_blank(page);
                stripped = true;
            }
            while page.last().is_some_and(|l| is_dropped(l, &running)) {
                page.pop();
                trim_blank(page);
                stripped = true;
            }
        }
        changed |= stripped;
        if !stripped {
            break;
        }
    }
    if !changed {
        return;
    }
    let stripped: Vec<String> = lines.iter().map(|page| page.join("\n")).collect();
    for (page, text) in pages.iter_mut().zip(stripped) {
        *page = text;
    }
}

/// Drops the blank lines at the start and end of a page's lines.
fn trim_blank(lines: &mut Vec<&str>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let blank = lines.iter().take_while(|l| l.trim().is_empty()).count();
    lines.drain(..blank);
}

/// The keys of the lines that are the first or last line of at least half the pages.
fn running_lines(pages: &[Vec<&str>]) -> HashSet<String> {
    if pages.len() < MIN_PAGES {
        return HashSet::new();
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for page in pages {
        let mut ends: Vec<String> = page
            .first()
            .into_iter()
            .chain(page.last())
            .map(|l| key(l))
            .collect();
        ends.dedup();
        for end in ends {
            *counts.entry(end).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(key, count)| !key.is_empty() && count * 2 >= pages.len())
        .map(|(key, _)| key)
        .collect()
}

fn is_dropped(line: &str, running: &HashSet<String>) -> bool {
    is_page_number(line) || running.contains(&key(line))
}

/// A line as headers are compared: trimmed, spaces collapsed, each run of digits and each
/// word in Roman numerals (a page number, "Seite iv") replaced by `#`.
fn key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if is_roman(word) {
            out.push('#');
            continue;
        }
        let mut in_digits = false;
        for c in word.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    out.push('#');
                }
                in_digits = true;
            } else {
                out.push(c);
                in_digits = false;
            }
        }
    }
    out
}

/// A line that is only a page number: digits or a lower-case Roman numeral (front matter),
/// perhaps between dashes (`- 12 -`) or after "Seite" or "S.". An upper-case one alone on a
/// line is more often a chapter's number, or a letter.
fn is_page_number(line: &str) -> bool {
    let line = line
        .trim()
        .trim_matches(|c: char| matches!(c, '-' | '–' | '—' | ' '));
    let number = ["Seite ", "S. "]
        .iter()
        .find_map(|word| line.strip_prefix(word))
        .unwrap_or(line)
        .trim();
    let digits =
        !number.is_empty() && number.len() <= 5 && number.chars().all(|c| c.is_ascii_digit());
    digits || (is_roman(number) && number.chars().all(|c| c.is_ascii_lowercase()))
}

/// A word written in Roman numerals, all lower or all upper case, at most eight letters.
fn is_roman(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 8
        && (word.chars().all(|c| "ivxlcdm".contains(c))
            || word.chars().all(|c| "IVXLCDM".contains(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(pages: &[&str]) -> Vec<String> {
        let mut pages: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
        strip_running(&mut pages);
        pages
    }

    #[test]
    fn drops_a_header_and_a_footer_with_the_page_number() {
        let pages = strip(&[
            "Zwischenbericht 2024\nErster Absatz.\nBundesamt – Seite i",
            "Zwischenbericht 2024\nZweiter Absatz.\nBundesamt – Seite 1",
            "Zwischenbericht 2024\nDritter Absatz.\nBundesamt – Seite 2",
        ]);
        assert_eq!(
            pages,
            ["Erster Absatz.", "Zweiter Absatz.", "Dritter Absatz."]
        );
    }

    #[test]
    fn drops_a_header_of_two_lines() {
        let pages = strip(&[
            "Integration von Geflüchteten\nZwischenbericht\nEins.\n12",
            "Integration von Geflüchteten\nZwischenbericht\nZwei.\n13",
            "Integration von Geflüchteten\nZwischenbericht\nDrei.\n14",
            "Integration von Geflüchteten\nZwischenbericht\nVier.\n15",
        ]);
        assert_eq!(pages, ["Eins.", "Zwei.", "Drei.", "Vier."]);
    }

    #[test]
    fn keeps_a_line_on_fewer_than_half_the_pages() {
        let pages = strip(&[
            "Kapitel 1\nText eins.",
            "Text zwei.\nFortsetzung.",
            "Text drei.\nEnde.",
            "Text vier.\nSchluss.",
            "Kapitel 2\nText fünf.",
        ]);
        assert_eq!(pages[0], "Kapitel 1\nText eins.");
        assert_eq!(pages[4], "Kapitel 2\nText fünf.");
    }

    #[test]
    fn keeps_repeated_lines_of_a_short_document() {
        let pages = strip(&["Bericht\nText eins.", "Bericht\nText zwei."]);
        assert_eq!(pages, ["Bericht\nText eins.", "Bericht\nText zwei."]);
    }

    #[test]
    fn drops_page_numbers_alone_at_the_top_or_bottom() {
        let pages = strip(&["7\nEins.", "Zwei.\n- 8 -", "Drei.\nxii", "Seite 3\nVier."]);
        assert_eq!(pages, ["Eins.", "Zwei.", "Drei.", "Vier."]);
    }

    #[test]
    fn keeps_a_letter_alone_on_a_line() {
        let pages = strip(&["C\nText."]);
        assert_eq!(pages, ["C\nText."]);
    }

    #[test]
    fn keeps_numbers_inside_the_text() {
        let pages = strip(&["Text.\n2016\nmehr Text."]);
        assert_eq!(pages, ["Text.\n2016\nmehr Text."]);
    }

    #[test]
    fn keeps_the_paragraphs_of_the_body() {
        let pages = strip(&[
            "Kopf\nEins.\n\nZwei.\n1",
            "Kopf\nDrei.\n2",
            "Kopf\nVier.\n3",
        ]);
        assert_eq!(pages, ["Eins.\n\nZwei.", "Drei.", "Vier."]);
    }

    #[test]
    fn leaves_pages_without_running_lines_unchanged() {
        let pages = strip(&["Eins.\n\nZwei.", "Drei.", "Vier."]);
        assert_eq!(pages, ["Eins.\n\nZwei.", "Drei.", "Vier."]);
    }

    #[test]
    fn keys_replace_page_numbers() {
        assert_eq!(key("  Bundesamt   – Seite 12 "), "Bundesamt – Seite #");
        assert_eq!(key("Seite iv"), "Seite #");
        assert_eq!(key("Die Lage 2024/25"), "Die Lage #/#");
    }
}
