//! The parameters of a search in a URL: the page's (`q`, `author`, `institution`, `from`,
//! `to`, `mode`, `page`), which hold the whole state of the page so that a search can be
//! bookmarked, and the API's (the CLI's options: `year`, `limit`, `offset`, `passages`,
//! `facets`).

use std::fmt::Write;

use crate::export::ExportFormat;
use crate::search::{MatchMode, SearchRequest, YearRange};

use super::Limits;
use super::error::ApiError;

/// Hits on one page of the search page.
pub const PAGE_SIZE: usize = 10;

/// Passages shown of each hit on the page.
const PAGE_PASSAGES: usize = 3;

/// How many hits the page's export links ask for.
pub const EXPORTED_HITS: usize = 100;

/// The parameters `GET /api/search` takes, as the OpenAPI description names them.
pub const API_SEARCH_PARAMETERS: &[&str] = &[
    "q",
    "author",
    "institution",
    "year",
    "mode",
    "limit",
    "offset",
    "passages",
    "facets",
    "exact",
    "feedback",
    "explain",
    "correct",
    "format",
];

/// The pairs of a URL's query string, decoded; repeated keys stay repeated.
pub fn pairs(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Refuses a query string longer than the limit (414) and a query longer than its limit (400).
pub fn check_lengths(raw: Option<&str>, limits: &Limits) -> Result<(), ApiError> {
    let length = raw.map_or(0, str::len);
    if length > limits.url_bytes {
        return Err(ApiError::new(
            axum::http::StatusCode::URI_TOO_LONG,
            format!(
                "the URL's query is {length} bytes long, over the limit of {} bytes",
                limits.url_bytes
            ),
        ));
    }
    Ok(())
}

fn check_query(q: &str, limits: &Limits) -> Result<(), ApiError> {
    let chars = q.chars().count();
    if chars > limits.query_chars {
        return Err(ApiError::bad_request(format!(
            "the query is {chars} characters long, over the limit of {} characters",
            limits.query_chars
        )));
    }
    Ok(())
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ApiError> {
    value.trim().parse().map_err(|_| {
        ApiError::bad_request(format!(
            "the parameter {name} must be a whole number, not '{value}'"
        ))
    })
}

fn flag(name: &str, value: &str) -> Result<bool, ApiError> {
    match value.trim() {
        "" | "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        other => Err(ApiError::bad_request(format!(
            "the parameter {name} must be true or false, not '{other}'"
        ))),
    }
}

/// The format `GET /api/search` answers in: `None` for its JSON (`format=json` or none), else
/// an export of the hits (`format=bibtex|ris|csl-json|csv`).
///
/// # Errors
/// 400 naming a format integra does not write.
pub fn export_format(pairs: &[(String, String)]) -> Result<Option<ExportFormat>, ApiError> {
    match pairs.iter().rev().find(|(name, _)| name == "format") {
        None => Ok(None),
        Some((_, value)) if value.is_empty() || value == "json" => Ok(None),
        Some((_, value)) => value.parse().map(Some).map_err(|_| {
            ApiError::bad_request(format!(
                "the parameter format must be json, bibtex, ris, csl-json or csv, not '{value}'"
            ))
        }),
    }
}

fn mode(value: &str) -> Result<MatchMode, ApiError> {
    match value {
        "all" | "" => Ok(MatchMode::All),
        "any" => Ok(MatchMode::Any),
        other => Err(ApiError::bad_request(format!(
            "the parameter mode must be all or any, not '{other}'"
        ))),
    }
}

/// The request of `GET /api/search`, read as `integra search` reads its options.
///
/// # Errors
/// 400 naming the parameter that is missing, unknown or wrong.
pub fn api_request(pairs: &[(String, String)], limits: &Limits) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest::default();
    let mut query = None;
    for (name, value) in pairs {
        match name.as_str() {
            "q" => query = Some(value.clone()),
            "author" => request.authors.push(value.clone()),
            "institution" => request.institutions.push(value.clone()),
            "year" => request
                .years
                .push(value.parse::<YearRange>().map_err(|reason| {
                    ApiError::bad_request(format!("the parameter year: {reason}"))
                })?),
            "mode" => request.mode = mode(value)?,
            "limit" => request.limit = number(name, value)?,
            "offset" => request.offset = number(name, value)?,
            "passages" => request.passages = number(name, value)?,
            "facets" => request.facet_limit = number(name, value)?,
            "exact" => request.exact = flag(name, value)?,
            "feedback" => {
                request.feedback = value.parse().map_err(|reason| {
                    ApiError::bad_request(format!("the parameter feedback: {reason}"))
                })?;
            }
            "explain" => request.explain = flag(name, value)?,
            "correct" => request.correct = flag(name, value)?,
            // Read by `export_format`.
            "format" => {}
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter '{other}' (known: {})",
                    API_SEARCH_PARAMETERS.join(", ")
                )));
            }
        }
    }
    let query = query
        .filter(|q| !q.trim().is_empty())
        .ok_or_else(|| ApiError::bad_request("the parameter q (the query) is needed"))?;
    check_query(&query, limits)?;
    if request.limit > limits.hits_per_request {
        return Err(ApiError::bad_request(format!(
            "the parameter limit is {}, over the limit of {} hits a request: page with offset",
            request.limit, limits.hits_per_request
        )));
    }
    if request.passages > limits.passages {
        return Err(ApiError::bad_request(format!(
            "the parameter passages is {}, over the limit of {}",
            request.passages, limits.passages
        )));
    }
    request.query = query;
    Ok(request)
}

/// The state of the search page, all of it in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageParams {
    /// The query.
    pub q: String,
    /// Selected authors (any of them).
    pub authors: Vec<String>,
    /// Selected institutions (any of them).
    pub institutions: Vec<String>,
    /// First year, included.
    pub from: Option<u16>,
    /// Last year, included.
    pub to: Option<u16>,
    /// Whether any word may match.
    pub any: bool,
    /// The page of hits, from 1.
    pub page: usize,
}

/// A year of the year range, empty for none.
fn year(name: &str, value: &str) -> Result<Option<u16>, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| {
        ApiError::bad_request(format!(
            "the year {name} must be a year such as 2016, not '{value}'"
        ))
    })
}

impl PageParams {
    /// Reads the page's parameters; unknown ones are passed over (a bookmarked URL of an
    /// older version still opens).
    ///
    /// # Errors
    /// 400 naming a year or page that is not a number, or a query over the limit.
    pub fn parse(pairs: &[(String, String)], limits: &Limits) -> Result<PageParams, ApiError> {
        let mut params = PageParams {
            page: 1,
            ..PageParams::default()
        };
        for (name, value) in pairs {
            match name.as_str() {
                "q" => params.q = value.clone(),
                "author" if !value.is_empty() => params.authors.push(value.clone()),
                "institution" if !value.is_empty() => params.institutions.push(value.clone()),
                "from" => params.from = year("from", value)?,
                "to" => params.to = year("to", value)?,
                "mode" => params.any = mode(value)? == MatchMode::Any,
                "page" => params.page = number::<usize>(name, value)?.max(1),
                _ => {}
            }
        }
        check_query(&params.q, limits)?;
        if let (Some(from), Some(to)) = (params.from, params.to)
            && from > to
        {
            return Err(ApiError::bad_request(format!(
                "the year range {from}–{to} is empty: the first year is after the last"
            )));
        }
        Ok(params)
    }

    /// The library's request for this page.
    pub fn request(&self) -> SearchRequest {
        let years = match (self.from, self.to) {
            (None, None) => Vec::new(),
            (from, to) => vec![YearRange {
                from: from.unwrap_or(0),
                to: to.unwrap_or(u16::MAX),
            }],
        };
        SearchRequest {
            query: self.q.clone(),
            authors: self.authors.clone(),
            institutions: self.institutions.clone(),
            years,
            mode: if self.any {
                MatchMode::Any
            } else {
                MatchMode::All
            },
            limit: PAGE_SIZE,
            offset: (self.page - 1).saturating_mul(PAGE_SIZE),
            // All values are counted anyway; the page shows the first and the selected ones.
            facet_limit: 0,
            passages: PAGE_PASSAGES,
            ..SearchRequest::default()
        }
    }

    /// Whether a filter narrows the search.
    pub fn has_filters(&self) -> bool {
        !self.authors.is_empty()
            || !self.institutions.is_empty()
            || self.from.is_some()
            || self.to.is_some()
    }

    /// The query and the selected authors and institutions, as URL parameters: what the page's
    /// URL and the API's share.
    fn query_and_names(&self) -> form_urlencoded::Serializer<'static, String> {
        let mut url = form_urlencoded::Serializer::new(String::new());
        url.append_pair("q", &self.q);
        for author in &self.authors {
            url.append_pair("author", author);
        }
        for institution in &self.institutions {
            url.append_pair("institution", institution);
        }
        url
    }

    /// The URL of this state: `/search?q=…&author=…`, empty parameters left out, page 1 not
    /// written.
    pub fn url(&self) -> String {
        let mut url = self.query_and_names();
        if let Some(from) = self.from {
            url.append_pair("from", &from.to_string());
        }
        if let Some(to) = self.to {
            url.append_pair("to", &to.to_string());
        }
        if self.any {
            url.append_pair("mode", "any");
        }
        if self.page > 1 {
            url.append_pair("page", &self.page.to_string());
        }
        let mut out = String::from("/search?");
        let _ = write!(out, "{}", url.finish());
        out
    }

    /// The URL of the first `EXPORTED_HITS` hits of this search in `format`, from the API.
    pub fn export_url(&self, format: ExportFormat) -> String {
        let mut url = self.query_and_names();
        if self.from.is_some() || self.to.is_some() {
            let years = format!(
                "{}..{}",
                self.from.map(|y| y.to_string()).unwrap_or_default(),
                self.to.map(|y| y.to_string()).unwrap_or_default()
            );
            url.append_pair("year", &years);
        }
        if self.any {
            url.append_pair("mode", "any");
        }
        url.append_pair("limit", &EXPORTED_HITS.to_string());
        url.append_pair("format", format.name());
        format!("/api/search?{}", url.finish())
    }

    /// This state at page `page`.
    pub fn at_page(&self, page: usize) -> PageParams {
        PageParams {
            page,
            ..self.clone()
        }
    }

    /// This state with `value` of a facet (`author` or `institution`) selected if it was not,
    /// unselected if it was; back at page 1.
    pub fn toggled(&self, facet: Facet, value: &str) -> PageParams {
        let mut next = self.at_page(1);
        match facet {
            Facet::Author => toggle(&mut next.authors, value),
            Facet::Institution => toggle(&mut next.institutions, value),
            Facet::Year => {
                let year = value.parse::<u16>().ok();
                if year.is_some() && self.from == year && self.to == year {
                    (next.from, next.to) = (None, None);
                } else {
                    (next.from, next.to) = (year, year);
                }
            }
        }
        next
    }

    /// Whether `value` of `facet` is selected.
    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        match facet {
            Facet::Author => self.authors.iter().any(|a| a == value),
            Facet::Institution => self.institutions.iter().any(|i| i == value),
            Facet::Year => {
                let year = value.parse::<u16>().ok();
                year.is_some() && self.from == year && self.to == year
            }
        }
    }
}

/// A facet of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// `author`.
    Author,
    /// `institution`.
    Institution,
    /// `year`.
    Year,
}

impl Facet {
    /// Its name in URLs and in `data-facet`.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Author => "author",
            Facet::Institution => "institution",
            Facet::Year => "year",
        }
    }
}

fn toggle(values: &mut Vec<String>, value: &str) {
    if let Some(at) = values.iter().position(|v| v == value) {
        values.remove(at);
    } else {
        values.push(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> PageParams {
        PageParams::parse(&pairs(Some(query)), &Limits::default()).unwrap()
    }

    #[test]
    fn a_page_url_reads_back_as_the_same_state() {
        let params = parse(
            "q=Kita+Gefl%C3%BCchtete&author=Roland+Roth&institution=A%26B&from=2016&to=2019&mode=any&page=2",
        );
        assert_eq!(params.authors, ["Roland Roth"]);
        assert_eq!(params.institutions, ["A&B"]);
        assert_eq!(
            (params.from, params.to, params.any, params.page),
            (Some(2016), Some(2019), true, 2)
        );
        let again = parse(params.url().trim_start_matches("/search?"));
        assert_eq!(again, params);
    }

    #[test]
    fn toggling_a_facet_value_adds_or_removes_it_and_goes_back_to_page_one() {
        let params = parse("q=Kita&author=A&page=3");
        let added = params.toggled(Facet::Author, "B");
        assert_eq!(
            (added.authors.as_slice(), added.page),
            (&["A".to_string(), "B".to_string()][..], 1)
        );
        assert!(params.toggled(Facet::Author, "A").authors.is_empty());
        let year = params.toggled(Facet::Year, "2017");
        assert_eq!((year.from, year.to), (Some(2017), Some(2017)));
        assert_eq!(year.toggled(Facet::Year, "2017").from, None);
    }

    #[test]
    fn api_parameters_are_checked_by_name() {
        let limits = Limits::default();
        let err = |query: &str| {
            api_request(&pairs(Some(query)), &limits)
                .unwrap_err()
                .message
        };
        assert!(err("q=Kita&yaer=2016").contains("unknown parameter 'yaer'"));
        assert!(err("q=Kita&limit=zehn").contains("limit must be a whole number"));
        assert!(err("q=Kita&year=2018..2015").contains("empty range"));
        assert!(err("author=A").contains("q (the query) is needed"));
        assert!(err("q=Kita&limit=100000").contains("over the limit"));
        let ok = api_request(
            &pairs(Some("q=Kita&year=2015..2018&year=2020&mode=any&limit=3")),
            &limits,
        )
        .unwrap();
        assert_eq!(ok.years.len(), 2);
        assert_eq!((ok.mode, ok.limit), (MatchMode::Any, 3));
    }
}
