//! Cuts the passages of a text that match the query best, marks the matched words and says
//! which page each passage stands on.
//!
//! The text is run through the same analyzer as at index time, so a highlight covers exactly
//! what matched: the part "Integration" inside "Flüchtlingsintegration", or "Flüchtlinge" for a
//! query typed as "Fluechtlinge".

use std::collections::HashSet;

use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use super::Snippet;
use crate::analysis::WordTokenizer;
use crate::corpus::Page;

/// Texts longer than this are only searched for a passage in their first part: a snippet from
/// page 400 of a report is rarely what a reader scans a hit list for, and analysis costs time.
const MAX_ANALYZED_BYTES: usize = 1 << 20;

/// A matched word: its byte range in the text and which query term it matched.
#[derive(Debug, Clone, Copy)]
struct Match {
    from: usize,
    to: usize,
    term: usize,
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Byte length of roughly `chars` characters of `text` starting at `from`.
fn bytes_for_chars(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map_or(text.len() - from, |(i, _)| i)
}

/// Finds the matched words of `text`: tokens whose analyzed form is one of `terms`.
fn find_matches(analyzer: &mut TextAnalyzer, text: &str, terms: &[String]) -> Vec<Match> {
    let analyzed = &text[..floor_boundary(text, MAX_ANALYZED_BYTES)];
    let wanted: HashSet<&str> = terms.iter().map(String::as_str).collect();
    let mut matches = Vec::new();
    let mut stream = analyzer.token_stream(analyzed);
    while stream.advance() {
        let token = stream.token();
        if wanted.contains(token.text.as_str()) {
            let term = terms
                .iter()
                .position(|t| *t == token.text)
                .expect("term is wanted");
            matches.push(Match {
                from: token.offset_from,
                to: token.offset_to,
                term,
            });
        }
    }
    matches.sort_by_key(|m| (m.from, std::cmp::Reverse(m.to)));
    matches
}

/// Finds the matched words of `text` from where the index says `terms` stand in it:
/// `positions` holds (position, index of the term), sorted. Only the words are cut, as the
/// index's tokenizer cut them, up to the last position asked for; only the matched words go
/// through `analyzer` (a truncated "Sprach-" with the words that complete it, "und
/// Integrationskurse"), to mark the part of a compound that matched ("Integration" inside
/// "Flüchtlingsintegration"); a word whose analysis alone does not give the term is marked
/// whole. So a passage costs the words up to it, not the analysis of the whole text.
fn matches_at(
    analyzer: &mut TextAnalyzer,
    text: &str,
    terms: &[String],
    positions: &[(u32, usize)],
) -> Vec<Match> {
    let mut matches = Vec::new();
    let Some(&(last, _)) = positions.last() else {
        return matches;
    };
    let mut tokenizer = WordTokenizer::default();
    let mut words = tokenizer.token_stream(text);
    let mut wanted = positions.iter().peekable();
    while let Some(word) = words.next_word() {
        let Ok(position) = u32::try_from(word.position) else {
            break;
        };
        if position > last {
            break;
        }
        let mut parts: Option<Vec<(String, usize, usize)>> = None;
        while let Some(&&(at, term)) = wanted.peek() {
            if at > position {
                break;
            }
            wanted.next();
            if at < position {
                continue;
            }
            let parts = parts.get_or_insert_with(|| {
                // A truncated word ("Bürgerinnen-") is completed by the compound after it
                // ("… und Bürgerrechte"): it is analyzed with the words that follow.
                let end = match word.truncated {
                    true => coordination_end(text, word.end),
                    false => word.end,
                };
                let mut found = Vec::new();
                let mut stream = analyzer.token_stream(&text[word.start..end]);
                while stream.advance() {
                    let t = stream.token();
                    if t.position == 0 {
                        found.push((t.text.clone(), t.offset_from, t.offset_to));
                    }
                }
                found
            });
            let (from, to) = parts
                .iter()
                .find(|(t, _, _)| *t == terms[term])
                .map_or((word.start, word.end), |&(_, from, to)| {
                    (word.start + from, word.start + to)
                });
            matches.push(Match { from, to, term });
        }
    }
    matches.sort_by_key(|m| (m.from, std::cmp::Reverse(m.to)));
    matches
}

/// Where the coordination that completes a truncated word ending at `from` ends: a few words
/// on ("- und Bürgerrechte", "-, Jugend- und Familienhilfe"), at most 200 bytes.
fn coordination_end(text: &str, from: usize) -> usize {
    const WORDS: usize = 6;
    let limit = floor_boundary(text, from.saturating_add(200));
    let rest = &text[from..limit];
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == WORDS {
                    return from + i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    limit
}

/// Picks the run of matches that fits in `budget` bytes and covers the most distinct terms,
/// then the most matches.
fn best_window(matches: &[Match], budget: usize) -> (usize, usize) {
    let mut best = (0, 1);
    let mut best_score = (0, 0);
    let mut seen = Vec::new();
    for i in 0..matches.len() {
        seen.clear();
        let mut j = i;
        while j < matches.len() && matches[j].to.saturating_sub(matches[i].from) <= budget {
            if !seen.contains(&matches[j].term) {
                seen.push(matches[j].term);
            }
            j += 1;
        }
        let score = (seen.len(), j - i);
        if score > best_score {
            best_score = score;
            best = (i, j.max(i + 1));
        }
    }
    best
}

/// Makes the snippet of `text` for the analyzed query `terms`, about `max_chars` long.
#[cfg(test)]
pub(crate) fn make_snippet(
    analyzer: &mut TextAnalyzer,
    text: &str,
    terms: &[String],
    max_chars: usize,
) -> Snippet {
    make_passages(analyzer, text, &[], terms, None, max_chars, 1)
        .pop()
        .unwrap_or_default()
}

/// Cuts up to `count` passages of `text` (at least one), each about `max_chars` long, best
/// first: the run of matches with the most distinct query terms, then the most matches, then
/// the best of the matches left outside the passages already cut, and so on. Passages do not
/// overlap, and each after the first holds a match. Each carries the page its first match
/// stands on, from `pages`.
///
/// `positions`, where the index says the terms stand in `text` (see [`matches_at`]), spares
/// analyzing the text to find them; without them (an index built by another analyzer than
/// integra's, whose positions do not count integra's words) the first megabyte of the text is
/// analyzed.
pub(crate) fn make_passages(
    analyzer: &mut TextAnalyzer,
    text: &str,
    pages: &[Page],
    terms: &[String],
    positions: Option<&[(u32, usize)]>,
    max_chars: usize,
    count: usize,
) -> Vec<Snippet> {
    let max_chars = max_chars.max(20);
    let mut matches = match positions {
        Some(positions) => matches_at(analyzer, text, terms, positions),
        None => find_matches(analyzer, text, terms),
    };
    // The byte ranges of the passages cut so far, in the order they were chosen.
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut passages = Vec::new();
    while passages.len() < count.max(1) {
        let (range, chosen) = if matches.is_empty() {
            if !passages.is_empty() {
                break;
            }
            // No match: the beginning of the text, up to a word boundary.
            let start = text.len() - text.trim_start().len();
            let mut end = start + bytes_for_chars(text, start, max_chars);
            if end < text.len()
                && let Some(space) = text[start..end].rfind(char::is_whitespace)
            {
                end = start + space;
            }
            ((start, end), Vec::new())
        } else {
            let (i, j) = best_window(&matches, max_chars);
            let chosen = matches[i..j].to_vec();
            let (from, to) = free_room(&cut, chosen[0].from, text.len());
            (passage_range(text, &chosen, max_chars, from, to), chosen)
        };
        let page = pages_at(pages, chosen.first().map_or(range.0, |m| m.from));
        let mut snippet = assemble(text, range.0, range.1, &chosen);
        (snippet.page, snippet.page_number) = page;
        passages.push(snippet);
        cut.push(range);
        // The matches inside this passage are shown; those left are candidates for the next.
        matches.retain(|m| m.to <= range.0 || m.from >= range.1);
    }
    passages
}

/// The label and number of the page at byte `offset`.
fn pages_at(pages: &[Page], offset: usize) -> (Option<String>, Option<u32>) {
    let Some(page) = Page::at(pages, offset) else {
        return (None, None);
    };
    let number = pages
        .iter()
        .position(|p| std::ptr::eq(p, page))
        .and_then(|i| u32::try_from(i + 1).ok());
    (Some(page.label.clone()), number)
}

/// The room a new passage around the match at `at` may take: from the end of the passage cut
/// before it to the start of the one after it, so passages never overlap.
fn free_room(cut: &[(usize, usize)], at: usize, len: usize) -> (usize, usize) {
    let from = cut.iter().map(|r| r.1).filter(|&end| end <= at).max();
    let to = cut.iter().map(|r| r.0).filter(|&start| start > at).min();
    (from.unwrap_or(0), to.unwrap_or(len))
}

/// The byte range of the passage around the run of `chosen` matches, within `room` (`from..to`
/// of `text`): a third of the spare room before the first match, the rest after it, so the
/// reader sees where the passage starts and how it goes on; begun and ended at word
/// boundaries without cutting into a matched word.
fn passage_range(
    text: &str,
    chosen: &[Match],
    max_chars: usize,
    from: usize,
    to: usize,
) -> (usize, usize) {
    let (first, last) = (
        chosen[0].from,
        chosen.iter().map(|m| m.to).max().unwrap_or(chosen[0].to),
    );
    let span_chars = text[first..last].chars().count();
    let spare = max_chars.saturating_sub(span_chars);
    let before = text[from..first]
        .char_indices()
        .rev()
        .nth(spare / 3)
        .map_or(from, |(i, _)| from + i);
    let mut start = before.min(first);
    let mut end = (start + bytes_for_chars(text, start, max_chars))
        .max(last)
        .min(to.max(last));
    if !text[..start].trim().is_empty()
        && let Some(space) = text[start..first].find(char::is_whitespace)
    {
        start = ceil_boundary(text, start + space + 1);
    }
    end = floor_boundary(text, end);
    if end < text.len()
        && let Some(space) = text[last.min(end)..end].rfind(char::is_whitespace)
    {
        end = last.min(end) + space;
    }
    (start, end)
}

/// Builds the snippet text from `text[start..end]` with whitespace collapsed, and maps the
/// matches' offsets into it.
fn assemble(text: &str, start: usize, end: usize, matches: &[Match]) -> Snippet {
    let mut out = String::with_capacity(end - start + 8);
    if !text[..start].trim().is_empty() {
        out.push_str("… ");
    }
    // Offsets of the original text mapped to offsets of `out`, at char boundaries.
    let mut map = Vec::with_capacity(end - start + 1);
    let mut in_space = false;
    let body = &text[start..end];
    for (i, c) in body.char_indices() {
        while map.len() < i {
            map.push(out.len());
        }
        if c.is_whitespace() {
            map.push(out.len());
            if !in_space && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            in_space = true;
        } else {
            map.push(out.len());
            out.push(c);
            in_space = false;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    while map.len() <= body.len() {
        map.push(out.len());
    }
    let mut highlights: Vec<[usize; 2]> = Vec::new();
    for m in matches {
        if m.from < start || m.to > end {
            continue;
        }
        let (from, to) = (map[m.from - start], map[m.to - start].min(out.len()));
        if from >= to {
            continue;
        }
        match highlights.last_mut() {
            Some(last) if from <= last[1] => last[1] = last[1].max(to),
            _ => highlights.push([from, to]),
        }
    }
    if !text[end..].trim().is_empty() {
        out.push_str(" …");
    }
    Snippet {
        text: out,
        highlights,
        ..Snippet::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze_query, index_analyzer};

    fn snippet(text: &str, query: &str, chars: usize) -> Snippet {
        let terms: Vec<String> = analyze_query(query)
            .into_iter()
            .flat_map(|t| std::iter::once(t.term).chain(t.parts))
            .collect();
        make_snippet(&mut index_analyzer(), text, &terms, chars)
    }

    fn marked(s: &Snippet) -> String {
        s.render("[", "]")
    }

    #[test]
    fn marks_matched_words() {
        let s = snippet("Integration findet in der Kommune statt.", "Kommunen", 100);
        assert_eq!(marked(&s), "Integration findet in der [Kommune] statt.");
    }

    #[test]
    fn marks_a_word_typed_without_umlauts() {
        let s = snippet("Viele Flüchtlinge kamen 2015.", "Fluchtlinge", 100);
        assert_eq!(marked(&s), "Viele [Flüchtlinge] kamen 2015.");
    }

    #[test]
    fn collapses_whitespace_and_keeps_offsets() {
        let s = snippet("Kommunen\n\n  und   Länder", "Länder", 100);
        assert_eq!(s.text, "Kommunen und Länder");
        assert_eq!(&s.text[s.highlights[0][0]..s.highlights[0][1]], "Länder");
    }

    #[test]
    fn cuts_a_passage_around_the_match_of_a_long_text() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(40);
        let text = format!("{filler}Die Unterbringung Geflüchteter bleibt schwierig. {filler}");
        let s = snippet(&text, "Unterbringung", 80);
        assert!(s.text.starts_with("… "), "{}", s.text);
        assert!(s.text.ends_with(" …"), "{}", s.text);
        assert!(marked(&s).contains("[Unterbringung]"), "{}", s.text);
        assert!(s.text.chars().count() <= 80 + 4, "{}", s.text);
    }

    #[test]
    fn prefers_the_passage_with_more_distinct_terms() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(20);
        let text = format!(
            "Kommunen Kommunen Kommunen. {filler} Integration in den Kommunen gelingt. {filler}"
        );
        let s = snippet(&text, "Integration Kommunen", 60);
        assert!(
            marked(&s).contains("[Integration] in den [Kommunen]"),
            "{}",
            s.text
        );
    }

    fn passages(text: &str, pages: &[Page], query: &str, count: usize) -> Vec<Snippet> {
        let terms: Vec<String> = analyze_query(query)
            .into_iter()
            .flat_map(|t| std::iter::once(t.term).chain(t.parts))
            .collect();
        make_passages(&mut index_analyzer(), text, pages, &terms, None, 60, count)
    }

    fn page(label: &str, start: usize) -> Page {
        Page {
            label: label.into(),
            start,
        }
    }

    #[test]
    fn cuts_several_passages_best_first_without_overlap() {
        let filler = "Lorem ipsum dolor sit amet. ".repeat(10);
        let text = format!(
            "Wohnraum ist knapp. {filler}Das Integrationskonzept der Stadt sichert Wohnraum. \
             {filler}Ein Integrationskonzept fehlt. {filler}"
        );
        let found = passages(&text, &[], "Integrationskonzept Wohnraum", 3);
        let shown: Vec<String> = found.iter().map(marked).collect();
        assert_eq!(found.len(), 3, "{shown:#?}");
        assert!(
            shown[0].contains("[Integrationskonzept] der Stadt sichert [Wohnraum]"),
            "{shown:#?}"
        );
        assert!(shown[1..].iter().all(|s| s.contains('[')), "{shown:#?}");
        for (i, a) in shown.iter().enumerate() {
            for b in &shown[i + 1..] {
                let core = |s: &str| s.trim_matches(|c| c == '…' || c == ' ').to_string();
                assert!(!core(a).contains(&core(b)) && !core(b).contains(&core(a)));
            }
        }
    }

    #[test]
    fn stops_when_no_match_is_left() {
        let found = passages("Nur hier steht Wohnraum.", &[], "Wohnraum", 5);
        assert_eq!(found.len(), 1);
        let found = passages("Hier steht nichts davon.", &[], "Wohnraum", 5);
        assert_eq!(found.len(), 1, "one passage from the beginning");
        assert!(found[0].highlights.is_empty());
    }

    #[test]
    fn says_the_page_of_each_passage() {
        let first = "Einleitung ohne das Wort. ".repeat(5);
        let second = "Auf dieser Seite steht Wohnraum. ";
        let text = format!("{first}\n\n{second}\n\n{}", "Noch mehr Wohnraum hier.");
        let pages = [
            page("iv", 0),
            page("1", first.len() + 2),
            page("2", first.len() + 2 + second.len() + 2),
        ];
        let found = passages(&text, &pages, "Wohnraum", 1);
        assert_eq!(found[0].page.as_deref(), Some("1"));
        assert_eq!(found[0].page_number, Some(2));
        let none = passages("Kein Wohnraum ohne Seiten.", &[], "Wohnraum", 1);
        assert_eq!((none[0].page.as_deref(), none[0].page_number), (None, None));
        let start = passages(&text, &pages, "Einleitung", 1);
        assert_eq!(start[0].page.as_deref(), Some("iv"));
    }

    #[test]
    fn without_a_match_shows_the_beginning() {
        let s = snippet("  Erster Satz. Zweiter Satz.", "Kita", 100);
        assert_eq!(s.text, "Erster Satz. Zweiter Satz.");
        assert!(s.highlights.is_empty());
    }

    #[test]
    fn highlights_are_on_char_boundaries() {
        let text = "Größere Städte: Flüchtlingsintegration in Großstädten, Straße für Straße.";
        for query in ["Städte", "Straße", "Integration", "groß"] {
            let s = snippet(text, query, 30);
            for [a, b] in &s.highlights {
                assert!(s.text.is_char_boundary(*a) && s.text.is_char_boundary(*b));
                assert!(a < b && *b <= s.text.len());
            }
        }
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::analysis::index_analyzer;

    proptest! {
        #[test]
        fn snippets_stay_on_char_boundaries(
            text in "\\PC{0,300}",
            terms in proptest::collection::vec("[a-zäöü]{1,8}", 0..4),
            chars in 0usize..120,
        ) {
            let pages = [Page { label: "1".into(), start: 0 }, Page { label: "2".into(), start: text.len() / 2 }];
            for s in make_passages(&mut index_analyzer(), &text, &pages, &terms, None, chars, 3) {
                let mut last = 0;
                for &[a, b] in &s.highlights {
                    prop_assert!(a < b && b <= s.text.len());
                    prop_assert!(a >= last, "highlights in order and disjoint");
                    prop_assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
                    last = b;
                }
            }
        }

        #[test]
        fn snippets_of_matching_texts_mark_whole_tokens(
            text in "(Flüchtlinge|Straße|Integration|Kommunen|Groß|  |\n|ü|ß|, ){0,80}",
            chars in 10usize..120,
        ) {
            let terms: Vec<String> = crate::analysis::analyze_query("Flüchtlinge Straße Integration")
                .into_iter()
                .map(|t| t.term)
                .collect();
            let s = make_snippet(&mut index_analyzer(), &text, &terms, chars);
            for &[a, b] in &s.highlights {
                prop_assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
                prop_assert!(!s.text[a..b].trim().is_empty());
            }
        }
    }
}
