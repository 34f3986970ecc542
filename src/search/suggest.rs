//! Did you mean: a query word that the index holds rarely or not at all is corrected to the
//! word the index supports, and a query without hits is searched again corrected.
//!
//! Lucene's `DirectSpellChecker` is the model: candidates are the terms of the index within two
//! edits of the query word (a Levenshtein automaton run over the term dictionaries, as
//! tantivy's `FuzzyTermQuery` builds it, with a transposition counting as one edit), at most
//! one edit for a word of five letters or fewer, with the same first letter; the fewest edits
//! win, then the most documents. A word that the index holds is corrected only to a word that
//! many more documents use, so a correct rare word keeps its spelling.
//!
//! A misspelt compound ("Integrationskonzpet") is no word the decompounder can split, so the
//! compound is also cut at each letter into a known head and a tail that is corrected, or a
//! tail the index holds and a head that is corrected: the part that is wrong is the one that
//! changes ("Flüchtlingsintegartion" → "Flüchtlingsintegration").
//!
//! Words are corrected in the query's text, so operators, field prefixes and the user's
//! casing and umlauts stay as typed; words of phrases, excluded words and `prefix*` are left
//! alone.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use super::query::Scope;
use super::{SearchRequest, SearchResults, Suggestion};
use crate::analysis::decompound::word_frequency;
use crate::analysis::{AnalyzedWord, Side, analyze_query, inspect};
use crate::error::Result;
use crate::index::Fields;

/// Words of fewer characters are not corrected: too many words are an edit or two apart.
const MIN_CHARS: usize = 4;

/// Words of up to this many characters are corrected by one edit at most, longer ones by two.
const ONE_EDIT_CHARS: usize = 5;

/// A word that fewer documents than this use (or fewer than one in [`RARE_PER_DOCS`]) is looked
/// at for a correction; more frequent words cost two lookups and nothing else.
const RARE_DOCS: u64 = 3;

/// See [`RARE_DOCS`].
const RARE_PER_DOCS: u64 = 10_000;

/// A word the index holds is corrected only to one that this many times more documents use.
const MORE_FREQUENT: u64 = 20;

/// The most letters of a word's ending left out to find its stem.
const ENDING_CHARS: usize = 3;

/// The shortest head or tail a compound is cut into.
const MIN_PART_CHARS: usize = 4;

/// The query with its misspelt words corrected, or `None` if every word is found often enough
/// or no correction is found.
///
/// # Errors
/// What reading a term dictionary fails with.
pub(crate) fn suggest(
    query: &str,
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<Option<String>> {
    let lexicon = Lexicon {
        searcher,
        fields: [fields.body, fields.title],
        rare: RARE_DOCS.max(searcher.num_docs() / RARE_PER_DOCS),
    };
    let mut corrected = String::with_capacity(query.len() + 8);
    let mut last = 0;
    for (from, to) in correctable_words(query) {
        let Some(better) = lexicon.correct(&query[from..to])? else {
            continue;
        };
        corrected.push_str(&query[last..from]);
        corrected.push_str(&better);
        last = to;
    }
    if last == 0 {
        return Ok(None);
    }
    corrected.push_str(&query[last..]);
    Ok(Some(corrected))
}

/// The results of `request` with the suggestion `suggest` makes for its query: searched by
/// `search` in its place if the query as typed finds nothing (the results then say the query
/// as typed, and that the suggestion was searched). A query that `search` refuses is not
/// corrected.
///
/// # Errors
/// What `search` fails with for the query as typed, and what `suggest` fails with; a
/// corrected query that fails leaves the results of the query as typed.
pub(crate) fn with_suggestion(
    request: &SearchRequest,
    suggest: impl FnOnce() -> Result<Option<String>>,
    search: impl Fn(&SearchRequest) -> Result<SearchResults>,
) -> Result<SearchResults> {
    let mut results = search(request)?;
    let Some(corrected) = suggest()? else {
        return Ok(results);
    };
    if results.total == 0 {
        let instead = SearchRequest {
            query: corrected.clone(),
            ..request.clone()
        };
        if let Ok(mut found) = search(&instead)
            && found.total > 0
        {
            found.query.clone_from(&request.query);
            found.suggestion = Some(Suggestion {
                query: corrected,
                searched: true,
            });
            return Ok(found);
        }
    }
    results.suggestion = Some(Suggestion {
        query: corrected,
        searched: false,
    });
    Ok(results)
}

/// The byte ranges of the query's words that may be corrected: not operators, not words of a
/// phrase, excluded words or `prefix*`, without the `+`, parentheses and field prefix around
/// them.
fn correctable_words(query: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut in_phrase = false;
    let mut at = 0;
    for piece in query.split_whitespace() {
        let start = at
            + query[at..]
                .find(piece)
                .expect("a piece of the query is in it");
        at = start + piece.len();
        let quotes = piece.matches('"').count();
        if in_phrase || quotes > 0 {
            in_phrase ^= quotes % 2 == 1;
            continue;
        }
        if matches!(piece, "OR" | "AND" | "NOT") {
            continue;
        }
        let mut word = piece.trim_start_matches('(');
        if word.starts_with('-') || word.ends_with('*') {
            continue;
        }
        word = word.trim_start_matches('+').trim_end_matches(')');
        if let Some((prefix, rest)) = word.split_once(':')
            && Scope::from_prefix(prefix).is_some()
        {
            word = rest;
        }
        if word.is_empty() {
            continue;
        }
        // `word` is a slice of `piece`, which is a slice of `query`.
        let from = word.as_ptr() as usize - query.as_ptr() as usize;
        words.push((from, from + word.len()));
    }
    words
}

/// The term dictionaries of the fields a correction must be found in.
struct Lexicon<'a> {
    searcher: &'a Searcher,
    /// Body first, then title.
    fields: [Field; 2],
    /// Words that fewer documents use are looked at.
    rare: u64,
}

/// A corrected form of a word: the analyzed (normalized, stemmed) text to spell the word as,
/// how many edits it is away, and how many documents use it.
#[derive(Debug, Clone)]
struct Candidate {
    text: String,
    edits: usize,
    docs: u64,
}

impl Lexicon<'_> {
    /// How many documents use `term`, in the field that has it most.
    fn docs(&self, term: &str) -> tantivy::Result<u64> {
        let mut most = 0;
        for &field in &self.fields {
            most = most.max(
                self.searcher
                    .doc_freq(&Term::from_field_text(field, term))?,
            );
        }
        Ok(most)
    }

    /// The correction of one word of the query (as typed, perhaps with punctuation), in the
    /// user's casing and form, or `None`.
    fn correct(&self, typed: &str) -> tantivy::Result<Option<String>> {
        // The common case first, at the cost of one analysis and one lookup: a word the body
        // of enough documents holds.
        let terms = analyze_query(typed);
        let [term] = terms.as_slice() else {
            return Ok(None);
        };
        let whole = term.term.as_str();
        if whole.chars().count() < MIN_CHARS || whole.chars().any(|c| !c.is_alphabetic()) {
            return Ok(None);
        }
        let body = Term::from_field_text(self.fields[0], whole);
        if self.searcher.doc_freq(&body)? >= self.rare {
            return Ok(None);
        }
        let docs = self.docs(whole)?;
        if docs >= self.rare {
            return Ok(None);
        }
        let words = inspect(typed, Side::Query);
        let [word] = words.as_slice() else {
            return Ok(None);
        };
        // A compound the decompounder split is found by its parts, if the index has them all.
        let mut parts_found = word.terms.len() > 1;
        for part in &word.terms[1..] {
            parts_found &= self.docs(&part.term)? > 0;
        }
        if parts_found {
            return Ok(None);
        }
        let least = if docs == 0 { 1 } else { docs * MORE_FREQUENT };
        let mut best = self.best(whole, least)?;
        // Only a word the index does not hold at all is cut, as a compound of known words.
        if docs == 0 && best.as_ref().is_none_or(|c| c.edits > 1) {
            best = better(best, self.correct_a_part(word)?);
        }
        // A typo in the ending ("Abschiebnug") is more than two edits from the stem the index
        // holds ("abschieb"): the word without its last letters is looked up too, and the
        // stem found gets its ending back when it is spelled.
        let chars: Vec<char> = whole.chars().collect();
        if docs == 0 && best.is_none() && chars.len() >= 2 * MIN_CHARS {
            for cut in 1..=ENDING_CHARS {
                let shorter: String = chars[..chars.len() - cut].iter().collect();
                if let Some(found) = self.best(&shorter, least)? {
                    best = better(
                        best,
                        Some(Candidate {
                            edits: found.edits + cut,
                            ..found
                        }),
                    );
                }
            }
        }
        let Some(best) = best else {
            return Ok(None);
        };
        let Some(spelled) = spell(&word.surface, &best.text) else {
            return Ok(None);
        };
        // The correction must be a word the index supports: itself, or all its parts.
        let again = analyze_query(&spelled);
        let [again] = again.as_slice() else {
            return Ok(None);
        };
        let mut supported = self.docs(&again.term)? >= least;
        if !supported && !again.parts.is_empty() {
            supported = true;
            for part in &again.parts {
                supported &= self.docs(part)? > 0;
            }
        }
        if !supported || spelled == word.surface {
            return Ok(None);
        }
        Ok(Some(format!(
            "{}{spelled}{}",
            &typed[..word.byte_from],
            &typed[word.byte_to..]
        )))
    }

    /// A correction of a compound that the decompounder could not split: cut at each letter,
    /// a head the index holds and a corrected tail, or a corrected head and a tail the index
    /// holds.
    fn correct_a_part(&self, word: &AnalyzedWord) -> tantivy::Result<Option<Candidate>> {
        let chars: Vec<(usize, char)> = word.normalized.char_indices().collect();
        let mut best: Option<Candidate> = None;
        // Heads and tails of at least `MIN_PART_CHARS` letters.
        let cuts = chars.len().saturating_sub(2 * MIN_PART_CHARS - 1);
        for &(at, _) in chars.iter().skip(MIN_PART_CHARS).take(cuts) {
            let (head, tail) = word.normalized.split_at(at);
            let (Some(head_term), Some(tail_term)) = (term_of(head), term_of(tail)) else {
                continue;
            };
            let head_docs = self.docs(&head_term)?;
            let tail_docs = self.docs(&tail_term)?;
            let found = if head_docs > 0 && tail_docs == 0 {
                self.best(&tail_term, 1)?.map(|tail| Candidate {
                    text: format!("{head}{}", tail.text),
                    docs: tail.docs.min(head_docs),
                    ..tail
                })
            } else if tail_docs > 0 && head_docs == 0 {
                // What stemming cut off the head (a linking "s") stays.
                let rest = head.strip_prefix(head_term.as_str()).unwrap_or("");
                self.best(&head_term, 1)?.map(|head| Candidate {
                    text: format!("{}{rest}{tail}", head.text),
                    docs: head.docs.min(tail_docs),
                    ..head
                })
            } else {
                None
            };
            best = better(best, found);
        }
        Ok(best)
    }

    /// The best term of the index within reach of `term`: fewest edits, then most documents,
    /// then alphabetical; used by at least `least` documents.
    fn best(&self, term: &str, least: u64) -> tantivy::Result<Option<Candidate>> {
        let length = term.chars().count();
        if length < MIN_CHARS {
            return Ok(None);
        }
        let edits: u8 = if length <= ONE_EDIT_CHARS { 1 } else { 2 };
        let first = term.chars().next();
        let mut docs: HashMap<String, u64> = HashMap::new();
        for &field in &self.fields {
            let mut in_field: HashMap<String, u64> = HashMap::new();
            let query = FuzzyTermQuery::new(Term::from_field_text(field, term), edits, true);
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().search(query.automaton()?).into_stream()?;
                while stream.advance() {
                    let Ok(found) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if found != term && found.chars().next() == first {
                        *in_field.entry(found.to_string()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
            for (found, count) in in_field {
                let most = docs.entry(found).or_default();
                *most = (*most).max(count);
            }
        }
        let mut best: Option<Candidate> = None;
        for (text, count) in docs {
            if count < least {
                continue;
            }
            let edits = edits_between(term, &text);
            best = better(
                best,
                Some(Candidate {
                    text,
                    edits,
                    docs: count,
                }),
            );
        }
        Ok(best)
    }
}

/// The better of two candidates: fewer edits, then more documents, then alphabetical.
fn better(a: Option<Candidate>, b: Option<Candidate>) -> Option<Candidate> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let key = |c: &Candidate| (c.edits, std::cmp::Reverse(c.docs));
            if (key(&b), &b.text) < (key(&a), &a.text) {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// The whole term the analyzer makes of `text`, if it makes one word of it.
fn term_of(text: &str) -> Option<String> {
    let mut terms = analyze_query(text);
    (terms.len() == 1).then(|| terms.remove(0).term)
}

/// The number of edits between two words (insertions, deletions, substitutions and
/// transpositions of neighbours, each counting one: the optimal string alignment distance).
fn edits_between(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let table = alignment(&a, &b);
    table[a.len()][b.len()]
}

/// The table of optimal string alignment distances between the beginnings of `a` and `b`.
fn alignment(a: &[char], b: &[char]) -> Vec<Vec<usize>> {
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let substitution = d[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut best = substitution.min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d
}

/// Endings a stem may have lost: a candidate is a stem ("asylbewerb"), and the word meant
/// ("Asylbewerber") may end in one of them.
const ENDINGS: [&str; 12] = [
    "", "e", "en", "er", "n", "s", "es", "ern", "em", "ung", "ungen", "ens",
];

/// `surface` spelled as the stem `target` with the ending that changes it least (then one
/// that makes a word of the decompounder's lexicon, then one that ends in the letter typed
/// last, then the shortest), unless every spelling is `surface` itself.
fn spell(surface: &str, target: &str) -> Option<String> {
    let lower_last = |word: &str| word.chars().last().map(|c| c.to_lowercase().to_string());
    let last = lower_last(surface);
    let mut best: Option<((usize, bool, bool, usize), String)> = None;
    for ending in ENDINGS {
        let (spelled, edits) = respell(surface, &format!("{target}{ending}"));
        if spelled == surface {
            continue;
        }
        let known = match inspect(&spelled, Side::Query).as_slice() {
            [word] => word_frequency(&word.normalized) > 0,
            _ => false,
        };
        let key = (edits, !known, lower_last(&spelled) != last, ending.len());
        if best.as_ref().is_none_or(|(best, _)| key < *best) {
            best = Some((key, spelled));
        }
    }
    best.map(|(_, spelled)| spelled)
}

/// `surface` (the word as typed) spelled as `target` (a normalized form, a stem with an
/// ending), and the number of edits between them: the letters both share keep the user's
/// casing and umlauts, the corrected letters are those of `target`.
fn respell(surface: &str, target: &str) -> (String, usize) {
    // The surface folded as the index folds it, each folded letter with its surface letter.
    let mut folded: Vec<char> = Vec::new();
    let mut origin: Vec<usize> = Vec::new();
    let surface_chars: Vec<char> = surface.chars().collect();
    for (i, c) in surface_chars.iter().enumerate() {
        let lower: String = match c {
            'ä' | 'Ä' => "a".into(),
            'ö' | 'Ö' => "o".into(),
            'ü' | 'Ü' => "u".into(),
            'ß' | 'ẞ' => "ss".into(),
            c => c.to_lowercase().collect(),
        };
        for l in lower.chars() {
            folded.push(l);
            origin.push(i);
        }
    }
    let shouted = surface_chars.len() > 1 && surface_chars.iter().all(|c| !c.is_lowercase());
    let target: Vec<char> = target.chars().collect();
    let d = alignment(&folded, &target);
    let end = folded.len();
    let edits = d[end][target.len()];
    // Walk the alignment back, collecting the letters in reverse.
    let (mut i, mut j) = (end, target.len());
    let mut out: Vec<char> = Vec::new();
    let mut last_origin = None;
    let mut keep = |out: &mut Vec<char>, at: usize| {
        if last_origin != Some(origin[at]) {
            out.push(surface_chars[origin[at]]);
            last_origin = Some(origin[at]);
        }
    };
    let cased = |at: usize, c: char| {
        if surface_chars[origin[at]].is_uppercase() {
            c.to_uppercase().next().unwrap_or(c)
        } else {
            c
        }
    };
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] && folded[i - 1] == target[j - 1] {
            keep(&mut out, i - 1);
            (i, j) = (i - 1, j - 1);
        } else if i > 0 && j > 0 && d[i][j] == d[i - 1][j - 1] + 1 {
            out.push(cased(i - 1, target[j - 1]));
            (i, j) = (i - 1, j - 1);
        } else if i > 1
            && j > 1
            && folded[i - 1] == target[j - 2]
            && folded[i - 2] == target[j - 1]
            && d[i][j] == d[i - 2][j - 2] + 1
        {
            // Swapped neighbours: the user's letters, in the other order.
            out.push(surface_chars[origin[i - 2]]);
            out.push(surface_chars[origin[i - 1]]);
            (i, j) = (i - 2, j - 2);
        } else if i > 0 && d[i][j] == d[i - 1][j] + 1 {
            i -= 1;
        } else {
            let c = target[j - 1];
            // An inserted letter is a capital in a word typed in capitals, or at its start.
            let capital = shouted
                || i == 0 && j == 1 && surface_chars.first().is_some_and(|c| c.is_uppercase());
            out.push(if capital {
                c.to_uppercase().next().unwrap_or(c)
            } else {
                c
            });
            j -= 1;
        }
    }
    out.reverse();
    let spelled: String = out.into_iter().collect();
    (spelled, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_edits_with_swapped_neighbours_as_one() {
        let cases = [
            ("integration", "integration", 0),
            ("integartion", "integration", 1),
            ("intgration", "integration", 1),
            ("kommunon", "kommunen", 1),
            ("abschiebnug", "abschiebung", 1),
            ("", "kita", 4),
        ];
        for (a, b, edits) in cases {
            assert_eq!(edits_between(a, b), edits, "{a} {b}");
        }
    }

    #[test]
    fn respells_in_the_users_casing_and_umlauts() {
        let cases = [
            (
                "Flüchtlingsintegartion",
                "fluchtlingsintegration",
                "Flüchtlingsintegration",
                1,
            ),
            ("Straßenarbiet", "strassenarbeit", "Straßenarbeit", 1),
            ("INTGRATION", "integration", "INTEGRATION", 1),
            ("ntegration", "integration", "integration", 1),
            ("Kommunon", "kommunen", "Kommunen", 1),
        ];
        for (surface, target, spelled, edits) in cases {
            assert_eq!(
                respell(surface, target),
                (spelled.to_string(), edits),
                "{surface}"
            );
        }
        // A stem gets back the ending that changes the word least.
        assert_eq!(
            spell("Asylbewerbr", "asylbewerb").as_deref(),
            Some("Asylbewerber")
        );
        assert_eq!(
            spell("Abschiebnug", "abschieb").as_deref(),
            Some("Abschiebung")
        );
        assert_eq!(
            spell("Bundesamtt", "bundesamt").as_deref(),
            Some("Bundesamt")
        );
    }

    #[test]
    fn finds_the_words_that_may_be_corrected() {
        fn words(query: &str) -> Vec<&str> {
            correctable_words(query)
                .into_iter()
                .map(|(from, to)| &query[from..to])
                .collect()
        }
        assert_eq!(
            words(
                "Kita OR (Schule AND +Integration) -Asyl \"vor Ort\" titel:Stadt Integr* NOT Bund"
            ),
            ["Kita", "Schule", "Integration", "Stadt", "Bund"]
        );
        assert_eq!(words("\"Integration\" Kommunen"), ["Kommunen"]);
        assert_eq!(words("Migrant:innen  Kita"), ["Migrant:innen", "Kita"]);
        assert!(words("   ").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn respelling_never_panics(surface in "\\PC{0,30}", target in "[a-zß]{0,20}") {
            let (spelled, _) = respell(&surface, &target);
            proptest::prop_assert!(spelled.chars().count() <= surface.chars().count() + 20);
        }

        #[test]
        fn words_to_correct_lie_on_char_boundaries(query in "\\PC{0,80}") {
            for (from, to) in correctable_words(&query) {
                proptest::prop_assert!(from < to && to <= query.len());
                proptest::prop_assert!(query.is_char_boundary(from) && query.is_char_boundary(to));
            }
        }
    }
}
