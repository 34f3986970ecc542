//! What a search asks for.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Whether all query words must match, or any of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// Every word (or phrase) must match: the default, as users of web search expect.
    #[default]
    All,
    /// Any word may match; documents matching more rank higher.
    Any,
}

/// Whether the best terms of a search's first hits are added to its query (pseudo-relevance
/// feedback, after RM3): a query of several words that names a subject then also finds the
/// texts that speak of it in other words. Never for an `exact` search, nor for a query with
/// phrases, operators, groups, `+`, `-`, field prefixes or `prefix*`es, whose constraints a
/// text found by an added term might escape.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Feedback {
    /// For an any-word search of [`Feedback::MIN_WORDS`] words or more that names a subject
    /// (not a question, which asks for one passage): the default.
    #[default]
    Auto,
    /// For every any-word search.
    On,
    /// Never.
    Off,
}

impl Feedback {
    /// How many words a query needs for automatic feedback: one or two words are too little
    /// to tell which of a word's subjects is meant, and the first hits of such a query would
    /// lead the search astray as often as not (benches/EVAL.md measures the threshold).
    pub const MIN_WORDS: usize = 3;
}

impl FromStr for Feedback {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(Feedback::Auto),
            "on" => Ok(Feedback::On),
            "off" => Ok(Feedback::Off),
            _ => Err(format!("'{s}' is not auto, on or off")),
        }
    }
}

/// A range of years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearRange {
    /// First year.
    pub from: u16,
    /// Last year.
    pub to: u16,
}

impl YearRange {
    /// A single year.
    pub fn year(year: u16) -> YearRange {
        YearRange {
            from: year,
            to: year,
        }
    }
}

impl FromStr for YearRange {
    type Err = String;

    /// Parses `2016`, `2015..2018`, `2015..` or `..2018`.
    fn from_str(s: &str) -> Result<YearRange, String> {
        let s = s.trim();
        let year = |part: &str, default: u16| -> Result<u16, String> {
            let part = part.trim();
            if part.is_empty() {
                return Ok(default);
            }
            part.parse::<u16>().map_err(|_| {
                format!("'{s}' is not a year or range of years (e.g. 2016 or 2015..2018)")
            })
        };
        let range = match s.split_once("..") {
            Some((from, to)) => YearRange {
                from: year(from, 0)?,
                to: year(to.trim_start_matches('='), u16::MAX)?,
            },
            None if s.is_empty() => return Err("a year is needed (e.g. 2016)".into()),
            None => YearRange::year(year(s, 0)?),
        };
        if range.from > range.to {
            return Err(format!(
                "'{s}' is an empty range: the first year is after the last"
            ));
        }
        Ok(range)
    }
}

/// A search: the query, the filters and which page of hits to return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// The query as the user typed it: words, `"phrases"`, `-excluded` words,
    /// `title:`/`author:`/`institution:` to search one field, `OR`, `AND`, `NOT`, parentheses
    /// and `prefix*` (the syntax in the README, "Query syntax").
    pub query: String,
    /// Only documents by one of these authors (matched without regard to case; a value that
    /// equals no author matches the authors that contain it).
    pub authors: Vec<String>,
    /// Only documents of one of these institutions (matched like `authors`).
    pub institutions: Vec<String>,
    /// Only documents from one of these year ranges.
    pub years: Vec<YearRange>,
    /// All words must match, or any.
    pub mode: MatchMode,
    /// How many hits to return.
    pub limit: usize,
    /// How many hits to skip (for paging).
    pub offset: usize,
    /// How many values to return for each facet, most frequent first; `0` for all.
    pub facet_limit: usize,
    /// The length of a snippet, in characters.
    pub snippet_chars: usize,
    /// How many passages to cut from each hit's text, best first (at least one).
    pub passages: usize,
    /// Whether to propose a correction of misspelt words (`SearchResults::suggestion`) and,
    /// when the query as typed has no hits, to search the correction instead. On by default;
    /// off for a search that must take the words exactly as typed.
    pub correct: bool,
    /// Only the words as typed (with their inflections, spellings, gender forms and compound
    /// parts, as the analyzer makes them): no derived forms ("Zuwanderer" for "Zuwanderung")
    /// and no words of the thesaurus. `integra search --exact`. Overrides `related`.
    pub exact: bool,
    /// Which related words stand for a query's words, unless `exact`: both by default.
    pub related: RelatedWords,
    /// Whether each hit says why it matched ([`Hit::explain`](crate::Hit::explain)):
    /// `integra search --explain`.
    pub explain: bool,
    /// Pseudo-relevance feedback (RM3-style) for any-word searches: the best terms of the
    /// first hits are added to the query at a lower weight. Automatic by default (a subject of
    /// several words); benches/EVAL.md measures it. `exact` turns it off.
    pub feedback: Feedback,
}

/// Which related words stand for a query's words, at a lower weight than the words typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelatedWords {
    /// Other inflected forms and words of the stem family ("Zuwanderer" for "Zuwanderung").
    pub derived_forms: bool,
    /// The other words of the thesaurus's groups ("Kindertagesstätte" for "Kita").
    pub thesaurus: bool,
}

impl Default for RelatedWords {
    fn default() -> Self {
        RelatedWords {
            derived_forms: true,
            thesaurus: true,
        }
    }
}

impl RelatedWords {
    /// No related words at all.
    pub const NONE: RelatedWords = RelatedWords {
        derived_forms: false,
        thesaurus: false,
    };
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            authors: Vec::new(),
            institutions: Vec::new(),
            years: Vec::new(),
            mode: MatchMode::All,
            limit: 10,
            offset: 0,
            facet_limit: 10,
            snippet_chars: 240,
            passages: 1,
            correct: true,
            exact: false,
            related: RelatedWords::default(),
            explain: false,
            feedback: Feedback::Auto,
        }
    }
}

impl SearchRequest {
    /// A request for `query` with the default options.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            ..Default::default()
        }
    }

    /// Turns derived forms and the thesaurus off (`true`) or on: see [`SearchRequest::exact`].
    pub fn exact(mut self, exact: bool) -> Self {
        self.exact = exact;
        self
    }

    /// The related words this request expands its words with: none if it is
    /// [`exact`](SearchRequest::exact).
    pub fn related_words(&self) -> RelatedWords {
        if self.exact {
            RelatedWords::NONE
        } else {
            self.related
        }
    }

    /// Asks each hit to say why it matched, or not.
    pub fn explain(mut self, explain: bool) -> Self {
        self.explain = explain;
        self
    }

    /// Sets how many passages each hit carries.
    pub fn passages(mut self, passages: usize) -> Self {
        self.passages = passages;
        self
    }

    /// Adds an author filter.
    pub fn author(mut self, author: impl Into<String>) -> Self {
        self.authors.push(author.into());
        self
    }

    /// Adds an institution filter.
    pub fn institution(mut self, institution: impl Into<String>) -> Self {
        self.institutions.push(institution.into());
        self
    }

    /// Adds a year range filter.
    pub fn years(mut self, range: YearRange) -> Self {
        self.years.push(range);
        self
    }

    /// Sets the number of hits.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Sets the number of hits to skip.
    pub fn offset(mut self, offset: usize) -> Self {
        self.offset = offset;
        self
    }

    /// Sets whether misspelt words are corrected ([`SearchRequest::correct`]).
    pub fn correct(mut self, correct: bool) -> Self {
        self.correct = correct;
        self
    }

    /// Sets whether all or any words must match.
    pub fn mode(mut self, mode: MatchMode) -> Self {
        self.mode = mode;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_years_and_ranges() {
        assert_eq!("2016".parse(), Ok(YearRange::year(2016)));
        assert_eq!(
            "2015..2018".parse(),
            Ok(YearRange {
                from: 2015,
                to: 2018
            })
        );
        assert_eq!(
            "2015..".parse(),
            Ok(YearRange {
                from: 2015,
                to: u16::MAX
            })
        );
        assert_eq!("..2018".parse::<YearRange>().map(|r| r.to), Ok(2018));
    }

    #[test]
    fn rejects_bad_years() {
        assert!(
            "zwanzig"
                .parse::<YearRange>()
                .unwrap_err()
                .contains("'zwanzig'")
        );
        assert!(
            "2018..2015"
                .parse::<YearRange>()
                .unwrap_err()
                .contains("empty range")
        );
        assert!("".parse::<YearRange>().is_err());
    }
}
