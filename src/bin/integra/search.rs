//! `integra search`: ranked hits with snippets, and facet counts.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use integra::{FacetValue, Library, MatchMode, SearchRequest, SearchResults, YearRange};

use crate::common::build_if_missing;
use crate::output::Style;
use crate::{CorpusDir, IndexDir, Outcome};

/// Search the index.
///
/// All words must match (use --any for any); "quoted phrases" match as phrases; -word excludes;
/// title:, author: and institution: search one field. Filters combine with AND across
/// --author, --institution and --year, and with OR within one of them. Without an index,
/// one is built from --corpus first.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    integra search \"Integration Kommunen\"\n  \
    integra search Flüchtlingsintegration --year 2015..2018\n  \
    integra search '\"Integration vor Ort\" -Bertelsmann' --json\n  \
    integra search Kita --institution \"Bertelsmann Stiftung\" --institution DESI\n  \
    integra search title:Integration --author \"Roland Roth\" --limit 3")]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces. A query that starts with -word
    /// goes after `--` or inside quotes.
    #[arg(required = true, num_args = 1.., value_name = "QUERY")]
    query: Vec<String>,
    /// Only documents by this author (repeat for any of several).
    #[arg(long, value_name = "NAME")]
    author: Vec<String>,
    /// Only documents of this institution (repeat for any of several).
    #[arg(long, value_name = "NAME")]
    institution: Vec<String>,
    /// Only documents from this year or range: 2016, 2015..2018, 2015.., ..2018.
    #[arg(long, value_name = "YEAR|RANGE", value_parser = parse_years)]
    year: Vec<YearRange>,
    /// How many hits to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// How many hits to skip, for the next page.
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Match documents with any of the words, not only all of them.
    #[arg(long)]
    any: bool,
    /// How many passages to show of each hit, best first, each with its page.
    #[arg(long, value_name = "N", default_value_t = 1)]
    passages: usize,
    /// How many values to show for each facet (0 for all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    facets: usize,
    /// Print one JSON object for scripts instead of text.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    corpus: CorpusDir,
}

fn parse_years(s: &str) -> Result<YearRange, String> {
    s.parse()
}

pub fn run(args: SearchArgs) -> Result<Outcome> {
    let index = &args.index.path;
    build_if_missing(&args.corpus.path, index)?;
    let library = Library::open(index)?;
    let request = SearchRequest {
        query: args.query.join(" "),
        authors: args.author,
        institutions: args.institution,
        years: args.year,
        mode: if args.any {
            MatchMode::Any
        } else {
            MatchMode::All
        },
        limit: args.limit,
        offset: args.offset,
        facet_limit: args.facets,
        passages: args.passages,
        ..Default::default()
    };
    let results = library
        .search(&request)
        .with_context(|| format!("search in {} failed", index.display()))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &results)?;
        writeln!(out)?;
    } else {
        print_results(&mut out, &results, request.offset, &Style::detect())?;
    }
    out.flush()?;
    Ok(if results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

fn print_results(
    out: &mut impl Write,
    results: &SearchResults,
    offset: usize,
    style: &Style,
) -> std::io::Result<()> {
    let shown = results.hits.len();
    let noun = if results.total == 1 {
        "document matches"
    } else {
        "documents match"
    };
    if results.total == 0 {
        writeln!(out, "no documents match \"{}\"", results.query)?;
        return Ok(());
    }
    writeln!(
        out,
        "{} {noun} \"{}\"{}",
        results.total,
        results.query,
        if shown > 0 {
            format!(", showing {}–{}", offset + 1, offset + shown)
        } else {
            String::new()
        }
    )?;
    let (before, after) = style.highlight();
    for (i, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        let title = hit.title.as_deref().unwrap_or(&hit.id);
        writeln!(out, "{}. {}", offset + i + 1, style.bold(title))?;
        let mut meta: Vec<String> = Vec::new();
        if !hit.authors.is_empty() {
            meta.push(hit.authors.join(", "));
        }
        if !hit.institutions.is_empty() {
            meta.push(hit.institutions.join(", "));
        }
        if let Some(year) = hit.year {
            meta.push(year.to_string());
        }
        if let Some(doc_type) = &hit.doc_type {
            meta.push(doc_type.clone());
        }
        if !meta.is_empty() {
            writeln!(out, "   {}", meta.join(" · "))?;
        }
        // The path opens the file at the best passage's page where a viewer can (a PDF).
        let location = match hit.snippet.page_number {
            Some(number) if is_pdf(&hit.path) => format!("{}#page={number}", hit.path),
            _ => hit.path.clone(),
        };
        writeln!(
            out,
            "   {}",
            style.dim(&format!("{location} · score {:.2}", hit.score))
        )?;
        for snippet in hit.snippets.iter().filter(|s| !s.text.is_empty()) {
            let passage = snippet.render(before, after);
            match &snippet.page {
                Some(page) => {
                    let page = style.bold(&format!("{} {page}", page_word(&hit.path)));
                    writeln!(out, "   {page}: {passage}")?;
                }
                None => writeln!(out, "   {passage}")?,
            }
        }
    }
    writeln!(out)?;
    let facets = &results.facets;
    for (name, values) in [
        ("Authors", &facets.authors),
        ("Institutions", &facets.institutions),
        ("Years", &facets.years),
    ] {
        if !values.is_empty() {
            writeln!(out, "{}: {}", style.bold(name), facet_line(values))?;
        }
    }
    Ok(())
}

/// Whether the hit's file is a PDF, which viewers open at `#page=N`.
fn is_pdf(path: &str) -> bool {
    path.to_lowercase().ends_with(".pdf")
}

/// What a page is called beside a passage: "S." (Seite) for a page, "Kap." for an e-book's
/// chapter, in the German of the texts and of the people who search them.
fn page_word(path: &str) -> &'static str {
    if path.to_lowercase().ends_with(".epub") {
        "Kap."
    } else {
        "S."
    }
}

fn facet_line(values: &[FacetValue]) -> String {
    values
        .iter()
        .map(|v| format!("{} ({})", v.value, v.count))
        .collect::<Vec<_>>()
        .join(", ")
}
