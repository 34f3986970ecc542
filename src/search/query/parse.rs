//! The user's syntax into clauses: each word or phrase with its polarity (`+`, `-`) and field
//! prefix, analyzed into the terms the index holds, or a `prefix*`; between them the operators
//! and parentheses that [`tree`] joins them by, with function words dropped where other words
//! carry the meaning; and the limits on a query's length and words.

use super::asks::Asks;
use super::lex::{Token, lex};
use super::related::RelatedWord;
use super::tree::{self, Node};
use crate::analysis::QueryTerm;
use crate::error::{Error, Result};

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
    /// The scope a field prefix (`title:`, `autor:` …) names.
    pub(crate) fn from_prefix(prefix: &str) -> Option<Scope> {
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
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    pub polarity: Polarity,
    pub scope: Scope,
    pub phrase: bool,
    /// The analyzed words of the clause; empty for a prefix.
    pub terms: Vec<QueryTerm>,
    /// `Integr*`: the words of the index that begin with it, in place of `terms`.
    pub prefix: Option<Prefix>,
    /// Each of `terms` as typed (`Zuwanderung`), which its derived forms are made from.
    pub typed: Vec<String>,
    /// Words that stand for some of `terms` at a lower weight (derived forms, the thesaurus),
    /// filled by [`expand_related`](super::related::expand_related).
    pub related: Vec<RelatedWord>,
}

/// A word typed with a `*` at its end, as in `Integr*`: it stands for every word of the index
/// that begins with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prefix {
    /// The beginning as typed, lower-cased and with umlauts folded as the index folds them, but
    /// neither stemmed nor split: the stem of a partial word is no beginning of the words
    /// meant.
    pub text: String,
    /// The terms the analyzer makes of the word itself: `Kinder*` finds "Kinder" too, which
    /// the index holds as its stem "kind".
    pub whole: Vec<String>,
    /// The index terms it stands for, filled by [`ParsedQuery::expand_prefixes`].
    pub expansions: Vec<String>,
}

/// The longest query, in characters: a query is typed, and one of a megabyte takes seconds and
/// gigabytes of memory to analyze and run.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;

/// The most words a query may have: each word is a clause over four fields, and with `--any`
/// every one of them is scored for every text that has it.
pub(crate) const MAX_QUERY_WORDS: usize = 64;

/// The most `prefix*` words a query may have: each stands for up to
/// [`MAX_EXPANSIONS`](super::prefix::MAX_EXPANSIONS) words of the index.
pub(crate) const MAX_PREFIXES: usize = 8;

/// The shortest beginning a `prefix*` may have, in characters: a single letter stands for a
/// large part of the dictionary.
pub(crate) const MIN_PREFIX_CHARS: usize = 2;

/// A query, parsed and analyzed: its clauses, combined by the match mode unless the query has
/// operators (`OR`, `AND`, `NOT`, parentheses), which make a tree of them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedQuery {
    /// Always a [`Node::Seq`]: for a query without operators, of its clauses alone.
    pub root: Node,
    /// Whether the query is a question or names a subject.
    pub asks: Asks,
}

impl ParsedQuery {
    /// Parses and analyzes a query with integra's query analyzer, made for this query alone.
    #[cfg(test)]
    pub fn parse(query: &str) -> Result<ParsedQuery> {
        Self::parse_with(query, &mut crate::analysis::analyze_query)
    }

    /// Parses a query and analyzes its words with `analyze`: a copy of integra's query
    /// analyzer that remembers words, or a baseline's analyzer for an index built by another.
    ///
    /// # Errors
    /// [`Error::InvalidQuery`] for an empty query, a query over the length or word limits, a
    /// lone `-`, a field prefix with nothing after it, an operator without a word on each side,
    /// unbalanced parentheses, a `*` after fewer than two letters, or a query with no
    /// searchable word.
    pub fn parse_with(
        query: &str,
        analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
    ) -> Result<ParsedQuery> {
        let invalid = |reason: String| Error::InvalidQuery {
            query: query.to_string(),
            reason,
        };
        if query.trim().is_empty() {
            return Err(invalid("the query is empty".into()));
        }
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            // The error names the query by its beginning: repeating a page of text in a
            // message helps no one.
            let beginning: String = query.chars().take(40).collect();
            return Err(Error::InvalidQuery {
                query: format!("{beginning}…"),
                reason: format!(
                    "it is {chars} characters long, and a query may have at most \
                     {MAX_QUERY_CHARS}"
                ),
            });
        }
        let tokens = lex(query, analyze).map_err(invalid)?;
        let words: usize = tokens
            .iter()
            .map(|t| match t {
                Token::Clause(c, _) if c.prefix.is_some() => 1,
                Token::Clause(c, _) => c.terms.len(),
                _ => 0,
            })
            .sum();
        if words > MAX_QUERY_WORDS {
            return Err(invalid(format!(
                "it has {words} words, and a query may have at most {MAX_QUERY_WORDS}"
            )));
        }
        let prefixes = tokens
            .iter()
            .filter(|t| matches!(t, Token::Clause(c, _) if c.prefix.is_some()))
            .count();
        if prefixes > MAX_PREFIXES {
            return Err(invalid(format!(
                "it has {prefixes} words ending in '*', and a query may have at most \
                 {MAX_PREFIXES}"
            )));
        }
        if !tokens.iter().any(|t| matches!(t, Token::Clause(..))) {
            return Err(invalid("it has no word that can be searched".into()));
        }
        let root = tree::parse(tokens).map_err(invalid)?;
        Ok(ParsedQuery {
            root,
            asks: Asks::of(query),
        })
    }

    /// Every clause of the query, in the order typed.
    #[cfg(test)]
    pub fn clauses(&self) -> Vec<&Clause> {
        let mut clauses = Vec::new();
        self.root.visit(&mut |c| clauses.push(c));
        clauses
    }

    /// Whether the query is words alone: no phrase, operator, group, `+`, `-`, field prefix or
    /// `prefix*`. Feedback is for such a query only: a term it adds may find a text without
    /// the query's words, which must not pass a `+word`, a `-word` or a phrase typed to say
    /// exactly what is meant.
    pub fn is_plain(&self) -> bool {
        let Node::Seq(nodes) = &self.root else {
            return false;
        };
        nodes.iter().all(|node| {
            matches!(node, Node::Clause(c) if c.polarity == Polarity::Default
                && c.scope == Scope::All
                && !c.phrase
                && c.prefix.is_none())
        })
    }

    /// How many words the query searches for: each word of its words and phrases (function
    /// words dropped) and each `prefix*`, except those that must not match.
    pub fn word_count(&self) -> usize {
        let mut count = 0;
        self.root.visit_negated(false, &mut |clause, negated| {
            if !negated && clause.polarity != Polarity::Excluded {
                count += clause.terms.len().max(usize::from(clause.prefix.is_some()));
            }
        });
        count
    }

    /// The query without the parts of its compounds, for an index whose analyzer does not
    /// decompound: it has no parts to match.
    pub fn without_compound_parts(mut self) -> ParsedQuery {
        self.root.visit_mut(&mut |clause| {
            for term in &mut clause.terms {
                term.parts.clear();
            }
        });
        self
    }

    /// Looks up the words of the index each `prefix*` stands for, in the fields its clause
    /// searches: `fields` gives them for a scope.
    ///
    /// # Errors
    /// What reading a term dictionary fails with.
    pub fn expand_prefixes(
        &mut self,
        expand: &mut dyn FnMut(&Prefix, Scope) -> tantivy::Result<Vec<String>>,
    ) -> tantivy::Result<()> {
        let mut result = Ok(());
        self.root.visit_mut(&mut |clause| {
            if let Some(prefix) = &clause.prefix
                && result.is_ok()
            {
                match expand(prefix, clause.scope) {
                    Ok(expansions) => {
                        if let Some(prefix) = &mut clause.prefix {
                            prefix.expansions = expansions;
                        }
                    }
                    Err(err) => result = Err(err),
                }
            }
        });
        result
    }

    /// Every analyzed term a highlight may show: wholes and parts of the clauses that are not
    /// excluded, the words of the index a `prefix*` stands for and the related words.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut shown = Vec::new();
        self.root.visit_negated(false, &mut |clause, negated| {
            if !negated && clause.polarity != Polarity::Excluded {
                shown.push(clause);
            }
        });
        let mut terms: Vec<String> = shown
            .into_iter()
            .flat_map(|c| {
                let words = c
                    .terms
                    .iter()
                    .flat_map(|t| std::iter::once(&t.term).chain(t.parts.iter()));
                let expanded = c.prefix.iter().flat_map(|p| p.expansions.iter());
                let related = c
                    .related
                    .iter()
                    .flat_map(|r| r.terms.iter().map(|t| &t.term));
                words.chain(expanded).chain(related)
            })
            .cloned()
            .collect();
        terms.sort();
        terms.dedup();
        terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(query: &str) -> Vec<(Polarity, Scope, bool, usize)> {
        ParsedQuery::parse(query)
            .unwrap()
            .clauses()
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
                    let got: Vec<_> = parsed.clauses().iter().map(|c| c.polarity).collect();
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
        assert_eq!(parsed.clauses()[0].scope, Scope::All);
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
    fn a_star_at_the_end_makes_a_prefix_folded_not_stemmed() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("Integr*", "integr", &["integr"]),
            ("Flüchtl*", "fluchtl", &["fluchtl"]),
            ("Kinder*", "kinder", &["kind"]),
            ("-title:Integr*", "integr", &["integr"]),
            ("Integr**", "integr", &["integr"]),
            ("(Integr*)", "integr", &["integr"]),
        ];
        for &(query, text, whole) in cases {
            let parsed = ParsedQuery::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
            let prefix = parsed.clauses()[0].prefix.clone().expect(query);
            assert_eq!(prefix.text, text, "{query}");
            assert_eq!(prefix.whole, whole, "{query}");
        }
        // A star inside a word is a gender form, a star in a phrase is text.
        for query in ["Migrant*innen", "\"Integr*\""] {
            let parsed = ParsedQuery::parse(query).unwrap();
            assert!(parsed.clauses()[0].prefix.is_none(), "{query}");
        }
    }

    #[test]
    fn rejects_a_star_after_fewer_than_two_letters() {
        for query in ["*", "I*", "Asyl *", "-*", "ü*", "'*"] {
            let err = ParsedQuery::parse(query).unwrap_err().to_string();
            assert!(
                err.contains("needs at least 2 letters before the '*', as in Integr*"),
                "{query}: {err}"
            );
        }
    }

    #[test]
    fn rejects_queries_over_the_limits_naming_the_limit() {
        let long = "Integration ".repeat(100);
        let err = ParsedQuery::parse(&long).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid query 'Integration Integration Integration Inte…': it is 1200 characters long, and a query may have at most 1000"),
            "{err}"
        );
        let many = "Kita ".repeat(65);
        let err = ParsedQuery::parse(&many).unwrap_err().to_string();
        assert!(
            err.ends_with("it has 65 words, and a query may have at most 64"),
            "{err}"
        );
        assert!(ParsedQuery::parse(&"Kita ".repeat(64)).is_ok());
        let prefixes = "Integr* ".repeat(9);
        let err = ParsedQuery::parse(&prefixes).unwrap_err().to_string();
        assert!(
            err.ends_with("it has 9 words ending in '*', and a query may have at most 8"),
            "{err}"
        );
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
        fn no_query_syntax_soup_makes_it_panic(
            query in "[-+\":a-zA-Zäöüß *_()]{0,30}|((OR|AND|NOT|[()*-]|Asyl|der) ){0,12}"
        ) {
            if let Ok(parsed) = ParsedQuery::parse(&query) {
                prop_assert!(!parsed.clauses().is_empty());
            }
        }
    }
}
