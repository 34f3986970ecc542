//! The user's syntax into clauses: each word or phrase with its polarity (`+`, `-`) and field
//! prefix, analyzed into the terms the index holds, with function words dropped where other
//! words carry the meaning.

use crate::analysis::{QueryTerm, analyze_query};
use crate::error::{Error, Result};
use crate::search::stopwords::is_stopword;

/// Which fields a clause searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Title, body, authors and institutions.
    All,
    /// Only the title.
    Title,
    /// Only the body text.
    Text,
    /// Only the authors.
    Authors,
    /// Only the institutions.
    Institutions,
}

impl Scope {
    fn from_prefix(prefix: &str) -> Option<Scope> {
        match prefix.to_lowercase().as_str() {
            "title" | "titel" => Some(Scope::Title),
            "text" | "body" => Some(Scope::Text),
            "author" | "autor" => Some(Scope::Authors),
            "institution" => Some(Scope::Institutions),
            _ => None,
        }
    }
}

/// Whether a clause must, may or must not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Polarity {
    /// Counts by the match mode.
    Default,
    /// `+word`: must match.
    Required,
    /// `-word`: must not match.
    Excluded,
}

/// One word or phrase of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Clause {
    pub polarity: Polarity,
    pub scope: Scope,
    pub phrase: bool,
    /// The analyzed words of the clause.
    pub terms: Vec<QueryTerm>,
}

/// A query, parsed and analyzed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

impl ParsedQuery {
    /// Parses and analyzes a query.
    ///
    /// # Errors
    /// [`Error::InvalidQuery`] for an empty query, a lone `-`, a field prefix with nothing after
    /// it, or a query with no searchable word.
    pub fn parse(query: &str) -> Result<ParsedQuery> {
        Self::parse_with(query, &mut analyze_query)
    }

    /// Parses a query and analyzes its words with `analyze` instead of integra's analyzer: for
    /// an index built by another one.
    ///
    /// # Errors
    /// As [`ParsedQuery::parse`].
    pub fn parse_with(
        query: &str,
        analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
    ) -> Result<ParsedQuery> {
        let invalid = |reason: &str| Error::InvalidQuery {
            query: query.to_string(),
            reason: reason.to_string(),
        };
        if query.trim().is_empty() {
            return Err(invalid("the query is empty"));
        }
        let mut clauses = Vec::new();
        let mut rest = query.trim_start();
        // The word before the current one, as typed.
        let mut previous = "";
        while !rest.is_empty() {
            let mut polarity = Polarity::Default;
            if let Some(after) = rest.strip_prefix('-') {
                // After "und" or "oder" the hyphen is the German back ellipsis: in
                // "Privatpersonen und -organisationen" it stands for the part the word shares
                // with the one before, and the word is meant, not excluded.
                let ellipsis =
                    joins_an_ellipsis(previous) && after.starts_with(char::is_alphanumeric);
                if !ellipsis {
                    polarity = Polarity::Excluded;
                }
                rest = after;
            } else if let Some(after) = rest.strip_prefix('+') {
                polarity = Polarity::Required;
                rest = after;
            }
            if polarity != Polarity::Default
                && (rest.is_empty() || rest.starts_with(char::is_whitespace))
            {
                return Err(invalid(
                    "a lone '-' or '+' applies to nothing: write it before a word, as in -Asyl",
                ));
            }
            let mut scope = Scope::All;
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if let Some((prefix, after)) = rest[..word_end].split_once(':')
                && let Some(s) = Scope::from_prefix(prefix)
            {
                if after.is_empty() {
                    return Err(invalid(&format!(
                        "'{prefix}:' needs a word or \"phrase\" right after it, as in {prefix}:Integration"
                    )));
                }
                scope = s;
                rest = &rest[prefix.len() + 1..];
            }
            let (text, phrase, next) = if let Some(after) = rest.strip_prefix('"') {
                // An unbalanced quote runs to the end of the query: the user meant a phrase.
                match after.find('"') {
                    Some(end) => (&after[..end], true, &after[end + 1..]),
                    None => (after, true, ""),
                }
            } else {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                (&rest[..end], false, &rest[end..])
            };
            previous = text;
            let terms = analyze(text);
            if !terms.is_empty() {
                let phrase = phrase && terms.len() > 1;
                // Function words of a plain word clause may be dropped below; a phrase and a
                // word the user marked with + or - keep them.
                let stop = terms
                    .iter()
                    .map(|t| {
                        !phrase
                            && polarity == Polarity::Default
                            && is_stopword(&text[t.offset_from..t.offset_to])
                    })
                    .collect();
                clauses.push((
                    Clause {
                        polarity,
                        scope,
                        phrase,
                        terms,
                    },
                    stop,
                ));
            }
            rest = next.trim_start();
        }
        if clauses.is_empty() {
            return Err(invalid("it has no word that can be searched"));
        }
        Ok(ParsedQuery {
            clauses: drop_stopwords(clauses),
        })
    }

    /// The query without the parts of its compounds, for an index whose analyzer does not
    /// decompound: it has no parts to match.
    pub fn without_compound_parts(mut self) -> ParsedQuery {
        for clause in &mut self.clauses {
            for term in &mut clause.terms {
                term.parts.clear();
            }
        }
        self
    }

    /// Every analyzed term a highlight may show: wholes and parts of the clauses that are not
    /// excluded.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut terms: Vec<String> = self
            .clauses
            .iter()
            .filter(|c| c.polarity != Polarity::Excluded)
            .flat_map(|c| c.terms.iter())
            .flat_map(|t| std::iter::once(&t.term).chain(t.parts.iter()))
            .cloned()
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }
}

/// Whether `word` coordinates the word after it with the one before, so that a hyphen right
/// after it is a back ellipsis ("Privatpersonen und -organisationen").
fn joins_an_ellipsis(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "und" | "oder" | "sowie" | "bzw" | "bzw." | "beziehungsweise"
    )
}

/// Drops German function words ("in", "der", "und") from the plain word clauses when the query
/// has other words to search for: "Integration in Kommunen" then needs only the two words that
/// carry its meaning, and ranking is not spent on words every text has. A query of function
/// words only is kept whole.
fn drop_stopwords(clauses: Vec<(Clause, Vec<bool>)>) -> Vec<Clause> {
    let has_content = clauses
        .iter()
        .any(|(c, stop)| c.polarity != Polarity::Excluded && stop.iter().any(|&is_stop| !is_stop));
    clauses
        .into_iter()
        .filter_map(|(mut clause, stop)| {
            if has_content && stop.iter().any(|&s| s) {
                let mut stop = stop.into_iter();
                clause.terms.retain(|_| !stop.next().unwrap_or(false));
            }
            (!clause.terms.is_empty()).then_some(clause)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<(Polarity, Scope, bool, usize)> {
        ParsedQuery::parse(query)
            .unwrap()
            .clauses
            .iter()
            .map(|c| (c.polarity, c.scope, c.phrase, c.terms.len()))
            .collect()
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        assert_eq!(
            kinds("Integration \"in den Kommunen\" -Asyl +Kita"),
            vec![
                (Polarity::Default, Scope::All, false, 1),
                (Polarity::Default, Scope::All, true, 3),
                (Polarity::Excluded, Scope::All, false, 1),
                (Polarity::Required, Scope::All, false, 1),
            ]
        );
    }

    #[test]
    fn a_hyphen_after_und_or_oder_is_an_ellipsis_not_an_exclusion() {
        let cases: &[(&str, &[Polarity])] = &[
            (
                "Privatpersonen und -organisationen",
                &[Polarity::Default; 2],
            ),
            ("Bund oder -länder", &[Polarity::Default; 2]),
            ("Kommunen bzw. -verbände", &[Polarity::Default; 3]),
            (
                "Integration wie -Asyl",
                &[Polarity::Default, Polarity::Excluded],
            ),
            (
                "Integration -Asyl",
                &[Polarity::Default, Polarity::Excluded],
            ),
            ("Asyl und -", &[]),
            (
                "Kita -Integration und",
                &[Polarity::Default, Polarity::Excluded],
            ),
        ];
        for &(query, expected) in cases {
            match ParsedQuery::parse(query) {
                Ok(parsed) => {
                    let got: Vec<_> = parsed.clauses.iter().map(|c| c.polarity).collect();
                    assert_eq!(got, expected, "{query}");
                }
                Err(err) => assert!(expected.is_empty(), "{query}: {err}"),
            }
        }
    }

    #[test]
    fn parses_field_prefixes() {
        assert_eq!(
            kinds("title:Integration author:\"Roland Roth\""),
            vec![
                (Polarity::Default, Scope::Title, false, 1),
                (Polarity::Default, Scope::Authors, true, 2),
            ]
        );
    }

    #[test]
    fn colon_inside_a_word_is_text() {
        let parsed = ParsedQuery::parse("Migrant:innen").unwrap();
        assert_eq!(parsed.clauses[0].scope, Scope::All);
    }

    #[test]
    fn unbalanced_quote_runs_to_the_end() {
        assert_eq!(
            kinds("\"Integration vor Ort"),
            vec![(Polarity::Default, Scope::All, true, 3)]
        );
    }

    #[test]
    fn quoted_single_word_is_a_word() {
        assert_eq!(
            kinds("\"Kommunen\""),
            vec![(Polarity::Default, Scope::All, false, 1)]
        );
    }

    #[test]
    fn drops_function_words_when_others_carry_the_meaning() {
        assert_eq!(
            kinds("Integration in den Kommunen"),
            vec![
                (Polarity::Default, Scope::All, false, 1),
                (Polarity::Default, Scope::All, false, 1),
            ]
        );
        // A phrase, a required word and a query of function words only keep them.
        assert_eq!(
            kinds("\"in den Kommunen\""),
            vec![(Polarity::Default, Scope::All, true, 3)]
        );
        assert_eq!(kinds("Integration +in").len(), 2);
        assert_eq!(kinds("in der").len(), 2);
        // An excluded word does not carry the meaning of the query.
        assert_eq!(kinds("die -Asyl").len(), 2);
    }
    #[test]
    fn rejects_a_lone_minus() {
        let err = ParsedQuery::parse("Integration - Asyl")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("invalid query 'Integration - Asyl': a lone '-'"),
            "{err}"
        );
        assert!(ParsedQuery::parse("-").is_err());
    }

    #[test]
    fn rejects_an_empty_field_prefix() {
        let err = ParsedQuery::parse("title:").unwrap_err().to_string();
        assert!(err.contains("'title:' needs a word"), "{err}");
    }

    #[test]
    fn rejects_queries_without_words() {
        let err = ParsedQuery::parse("  ").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
        let err = ParsedQuery::parse("?! …").unwrap_err().to_string();
        assert!(err.contains("no word"), "{err}");
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn no_query_makes_the_parser_panic(query in "\\PC{0,40}") {
            let _ = ParsedQuery::parse(&query);
        }

        #[test]
        fn no_query_syntax_soup_makes_it_panic(query in "[-+\":a-zA-Zäöüß *_]{0,30}") {
            if let Ok(parsed) = ParsedQuery::parse(&query) {
                prop_assert!(!parsed.clauses.is_empty());
            }
        }
    }
}
