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
