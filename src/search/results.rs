//! What a search returns. These types are a contract: `integra search --json` prints them.

use serde::{Deserialize, Serialize};

/// The answer to a [`SearchRequest`](super::SearchRequest).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// How many documents match (all of them, not only this page).
    pub total: u64,
    /// The hits of this page, best first.
    pub hits: Vec<Hit>,
    /// Counts of the matching documents by author, institution and year.
    pub facets: FacetCounts,
    /// The query with its misspelt words corrected, if a word of it is rare or absent in the
    /// index and the index supports a correction ("Did you mean"); `null` otherwise.
    #[serde(default)]
    pub suggestion: Option<Suggestion>,
    /// The words the first hits added to the query (pseudo-relevance feedback,
    /// [`SearchRequest::feedback`](crate::SearchRequest::feedback)), each as one of those hits
    /// writes it, best first; empty if none were added.
    #[serde(default)]
    pub feedback: Vec<String>,
}

/// A correction of the query that the index supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The corrected query: the query as typed with the corrected words in place, in the
    /// user's casing.
    pub query: String,
    /// Whether the results are those of the corrected query, searched because the query as
    /// typed has no hits (`total`, `hits` and `facets` are then the corrected query's).
    pub searched: bool,
}

/// What `integra search --json` prints and `GET /api/search` answers: the results and, when
/// the caller looked, how many files of the index's sources changed since the last run. One
/// type, so that the CLI and the API keep one contract.
#[derive(Debug, Clone, Serialize)]
pub struct SearchOutput<'a> {
    /// The results, their fields at the top level of the object.
    #[serde(flatten)]
    pub results: &'a SearchResults,
    /// Files of the sources new, changed or gone since the last run; left out when none are,
    /// or when nobody looked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<crate::index::Staleness>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The document's id.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Its authors.
    pub authors: Vec<String>,
    /// Its institutions.
    pub institutions: Vec<String>,
    /// Its year.
    pub year: Option<u16>,
    /// The kind of text.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The file it comes from.
    pub path: String,
    /// BM25 relevance score: higher is better.
    pub score: f32,
    /// Why it matched: which forms of each query word it has and what each scored; only when
    /// the request asks for it ([`SearchRequest::explain`](crate::SearchRequest::explain)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explanation>,
    /// The passage that matches best, with the matched words marked: the first of `snippets`.
    pub snippet: Snippet,
    /// The passages that match best, best first, as many as the request asks for
    /// ([`SearchRequest::passages`](super::SearchRequest::passages)); they do not overlap.
    #[serde(default)]
    pub snippets: Vec<Snippet>,
}

/// A passage of a document's text with the matched words marked by byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    /// The passage, whitespace collapsed; `…` marks text left out before or after.
    pub text: String,
    /// Byte ranges `[start, end)` into `text` of the matched words, in order, not overlapping.
    pub highlights: Vec<[usize; 2]>,
    /// The label of the page the passage stands on ("47", "iv"; an EPUB's chapter number), for
    /// documents with pages; `null` otherwise.
    #[serde(default)]
    pub page: Option<String>,
    /// The page's number counted from 1 (what a PDF viewer's `#page=` takes), for documents
    /// with pages.
    #[serde(default)]
    pub page_number: Option<u32>,
}

impl Snippet {
    /// The passage with each highlight wrapped in `before` and `after`, e.g. ANSI colours or
    /// `<mark>` tags.
    pub fn render(&self, before: &str, after: &str) -> String {
        let mut out = String::with_capacity(self.text.len() + 16 * self.highlights.len());
        let mut last = 0;
        for &[start, end] in &self.highlights {
            out.push_str(&self.text[last..start]);
            out.push_str(before);
            out.push_str(&self.text[start..end]);
            out.push_str(after);
            last = end;
        }
        out.push_str(&self.text[last..]);
        out
    }
}

/// Counts of the matching documents for each facet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    /// By author, most frequent first.
    pub authors: Vec<FacetValue>,
    /// By institution, most frequent first.
    pub institutions: Vec<FacetValue>,
    /// By year, newest first.
    pub years: Vec<FacetValue>,
}

/// One value of a facet and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value: a name, or a year.
    pub value: String,
    /// Matching documents with this value.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_highlights() {
        let snippet = Snippet {
            text: "Integration in Kommunen".into(),
            highlights: vec![[0, 11], [15, 23]],
            ..Snippet::default()
        };
        assert_eq!(snippet.render("[", "]"), "[Integration] in [Kommunen]");
    }
}

/// Why a hit matched: for each word of the query, the forms of it the hit has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The query's words (and phrases and `prefix*`es), in the order typed, except those that
    /// must not match.
    pub words: Vec<WordMatch>,
    /// The terms added by feedback ([`SearchResults::feedback`]) that the hit has, best first,
    /// each with what it added to the score; left out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub feedback: Vec<FormMatch>,
}

/// How one query word matched a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordMatch {
    /// The word as typed.
    pub word: String,
    /// What it added to the hit's score: the best of its forms (before the proximity bonus of
    /// neighbouring words, which the hit's score includes).
    pub score: f32,
    /// The forms of the word the hit has, best first; empty if it has none.
    pub forms: Vec<FormMatch>,
}

/// One form of a query word found in a hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormMatch {
    /// How the form is related to the word typed.
    pub kind: MatchKind,
    /// The form: the analyzed term, or the word of the thesaurus or the derived word.
    pub form: String,
    /// Its score in the hit, with its weight.
    pub score: f32,
}

/// How a form that matched is related to the query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The word itself (with its inflections, spellings and gender forms), or a phrase.
    Exact,
    /// All parts of a compound, apart.
    CompoundParts,
    /// Some of the parts of a compound (`--any`).
    SomeParts,
    /// A word the `prefix*` stands for.
    Prefix,
    /// Another inflected form Snowball stems apart ("Sprachkurse" for "Sprachkurs").
    Inflected,
    /// Another word of the stem family ("Zuwanderer" for "Zuwanderung").
    Derived,
    /// A near-synonym from the thesaurus.
    Synonym,
    /// A related word from the thesaurus.
    Related,
    /// A term the first hits added to the query (pseudo-relevance feedback).
    Feedback,
}

impl MatchKind {
    /// The kind in words, as `integra search --explain` prints it.
    pub fn name(self) -> &'static str {
        match self {
            MatchKind::Exact => "exact",
            MatchKind::CompoundParts => "compound parts",
            MatchKind::SomeParts => "some parts",
            MatchKind::Prefix => "prefix",
            MatchKind::Inflected => "inflected",
            MatchKind::Derived => "derived",
            MatchKind::Synonym => "synonym",
            MatchKind::Related => "related",
            MatchKind::Feedback => "feedback",
        }
    }
}
