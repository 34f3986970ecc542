//! The user's query as typed, cut into pieces: upper-case operators, parentheses, and words
//! and phrases with their polarity (`+`, `-`), field prefix and `prefix*`, each analyzed into
//! the terms the index holds. [`super::parse`] checks the limits on them and [`super::tree`]
//! joins them.

use super::parse::{Clause, MIN_PREFIX_CHARS, Polarity, Prefix, Scope};
use crate::analysis::QueryTerm;
use crate::analysis::normalize::normalize_into;
use crate::search::stopwords::is_stopword;

/// A piece of the query: an operator, a parenthesis or a clause with, for each of its terms,
/// whether it is a function word that may be dropped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// `(`, or `-(` and `+(` with their polarity.
    Open(Polarity),
    /// `)`.
    Close,
    /// `OR`.
    Or,
    /// `AND`.
    And,
    /// `NOT`.
    Not,
    /// A word or phrase.
    Clause(Clause, Vec<bool>),
}

/// Whether `word` has more opening than closing parentheses.
fn opens(word: &str) -> bool {
    word.matches('(').count() > word.matches(')').count()
}

/// How many `)` at the end of `word` close a group rather than belong to the word: those
/// without a `(` inside the word, as in `Inklusion)`, but not in `Migrant(inn)`.
fn closing(word: &str) -> usize {
    let trailing = word.len() - word.trim_end_matches(')').len();
    let unmatched = word
        .matches(')')
        .count()
        .saturating_sub(word.matches('(').count());
    trailing.min(unmatched)
}

/// Splits a query into operators, parentheses and analyzed clauses.
pub(super) fn lex(
    query: &str,
    analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
) -> std::result::Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut rest = query.trim_start();
    // The word before the current one, as typed.
    let mut previous = "";
    while !rest.is_empty() {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..word_end];
        // Operators are upper case, as library catalogues write them: "und", "oder" and
        // "nicht" are German words of the texts.
        let operator = match word {
            "OR" => Some(Token::Or),
            "AND" => Some(Token::And),
            "NOT" => Some(Token::Not),
            _ => None,
        };
        if let Some(operator) = operator {
            tokens.push(operator);
            previous = "";
            rest = rest[word_end..].trim_start();
            continue;
        }
        if word.starts_with('(') && opens(word) {
            tokens.push(Token::Open(Polarity::Default));
            rest = &rest[1..];
            continue;
        }
        if let Some(sign) = word.chars().next().filter(|c| matches!(c, '-' | '+'))
            && word[1..].starts_with('(')
            && opens(word)
        {
            let polarity = if sign == '-' {
                Polarity::Excluded
            } else {
                Polarity::Required
            };
            tokens.push(Token::Open(polarity));
            rest = &rest[2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix(')') {
            tokens.push(Token::Close);
            rest = after.trim_start();
            continue;
        }
        let mut polarity = Polarity::Default;
        if let Some(after) = rest.strip_prefix('-') {
            // After "und" or "oder" the hyphen is the German back ellipsis: in
            // "Privatpersonen und -organisationen" it stands for the part the word shares
            // with the one before, and the word is meant, not excluded.
            let ellipsis = joins_an_ellipsis(previous) && after.starts_with(char::is_alphanumeric);
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
            return Err(
                "a lone '-' or '+' applies to nothing: write it before a word, as in -Asyl".into(),
            );
        }
        let mut scope = Scope::All;
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        if let Some((prefix, after)) = rest[..word_end].split_once(':')
            && let Some(s) = Scope::from_prefix(prefix)
        {
            if after.is_empty() {
                return Err(format!(
                    "'{prefix}:' needs a word or \"phrase\" right after it, as in {prefix}:Integration"
                ));
            }
            if after.starts_with('(') && opens(after) {
                return Err(format!(
                    "'{prefix}:' applies to one word or \"phrase\", not to a group: write \
                     {prefix}:Integration OR {prefix}:Inklusion"
                ));
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
            let end = end - closing(&rest[..end]);
            // A word in parentheses of its own, "(NRW)" or "(Integr*)", is the word.
            let mut word = &rest[..end];
            while let Some(inner) = word.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
                word = inner;
            }
            (word, false, &rest[end..])
        };
        previous = text;
        rest = next.trim_start();
        let prefix = match text.strip_suffix('*') {
            Some(beginning) if !phrase => Some(prefix_of(beginning, analyze)?),
            _ => None,
        };
        if let Some(prefix) = prefix {
            let clause = Clause {
                polarity,
                scope,
                phrase: false,
                terms: Vec::new(),
                prefix: Some(prefix),
                typed: Vec::new(),
                related: Vec::new(),
            };
            tokens.push(Token::Clause(clause, Vec::new()));
            continue;
        }
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
            let typed = terms
                .iter()
                .map(|t| text[t.offset_from..t.offset_to].to_string())
                .collect();
            let clause = Clause {
                polarity,
                scope,
                phrase,
                terms,
                prefix: None,
                typed,
                related: Vec::new(),
            };
            tokens.push(Token::Clause(clause, stop));
        }
    }
    Ok(tokens)
}

/// The [`Prefix`] of a word typed as `beginning*`.
fn prefix_of(
    beginning: &str,
    analyze: &mut dyn FnMut(&str) -> Vec<QueryTerm>,
) -> std::result::Result<Prefix, String> {
    let mut text = String::new();
    normalize_into(beginning.trim_end_matches('*'), &mut text);
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    if letters < MIN_PREFIX_CHARS || !text.starts_with(char::is_alphanumeric) {
        return Err(format!(
            "'{beginning}*' needs at least {MIN_PREFIX_CHARS} letters before the '*', as in Integr*"
        ));
    }
    let whole = analyze(beginning).into_iter().map(|t| t.term).collect();
    Ok(Prefix {
        text,
        whole,
        expansions: Vec::new(),
    })
}

/// Whether `word` coordinates the word after it with the one before, so that a hyphen right
/// after it is a back ellipsis ("Privatpersonen und -organisationen").
fn joins_an_ellipsis(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "und" | "oder" | "sowie" | "bzw" | "bzw." | "beziehungsweise"
    )
}
