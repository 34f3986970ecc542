//! `integra search`: ranked hits with snippets, and facet counts.

use std::io::Write;

use anyhow::{Context, Result};
use clap::parser::ValueSource;
use clap::{Args, FromArgMatches};
use integra::export::{ExportFormat, write_export};
use integra::{FacetValue, Library, MatchMode, SearchRequest, SearchResults, YearRange};

use crate::common::build_if_missing;
use crate::explain::print_explanation;
use crate::output::{ColorChoice, Style, clean, set_color, shown_path};
use crate::{CorpusDir, IndexDir, Outcome};

/// Search the index.
///
/// Query syntax:
///   Integration Kommunen        all the words (with --any: any of them)
///   "Integration vor Ort"       the phrase
///   -Bertelsmann, -"vor Ort"    without the word or phrase (-word may stand anywhere)
///   +Kita                       with the word, also with --any
///   title:, text:, author:, institution:   that field only: author:"Roland Roth"
///   Kita OR Schule, Kita AND Schule, NOT Asyl
///                               either, both, without (OR, AND and NOT in upper case:
///                               und, oder and nicht are words)
///   (Kita OR Schule) Integration, -(Asyl OR Abschiebung)
///                               groups in parentheses; AND binds tighter than OR, and OR
///                               tighter than words next to each other
///   Integr*                     the words that begin with "integr" (at least two letters;
///                               the 200 most frequent)
/// A query has at most 1000 characters and 64 words.
///
/// Filters combine with AND across --author, --institution and --year, and with OR within one
/// of them. Without an index, one is built from --corpus first.
#[derive(Args)]
#[command(verbatim_doc_comment)]
#[command(after_help = "Examples:\n  \
    integra search \"Integration Kommunen\"\n  \
    integra search Kommunen -Integration --limit 3\n  \
    integra search Flüchtlingsintegration --year 2015..2018\n  \
    integra search '\"Integration vor Ort\" -Bertelsmann' --json\n  \
    integra search Integration --limit 100 --format bibtex > treffer.bib\n  \
    integra search '(Kita OR Schule) AND Integr*' NOT Bertelsmann\n  \
    integra search Kita --institution \"Bertelsmann Stiftung\" --institution DESI\n  \
    integra search title:Integration --author \"Roland Roth\" --limit 3\n  \
    integra search Zuwanderung --explain          # which forms matched, and their scores\n  \
    integra search Kita --exact                   # without Kindertagesstätte, Kindergarten …")]
pub struct SearchArgs {
    /// The query; several arguments are joined with spaces. -word may stand anywhere, also
    /// first; options may follow the query. Words after `--` are all query, even --word.
    #[arg(
        required = true,
        num_args = 1..,
        value_name = "QUERY",
        allow_hyphen_values = true
    )]
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
    /// Only the words as typed (with their inflections, spellings, gender forms and compound
    /// parts): no derived forms (Zuwanderer for Zuwanderung) and no words of the thesaurus.
    #[arg(long)]
    exact: bool,
    /// Whether the best words of the first hits are added to an --any search (pseudo-relevance
    /// feedback): auto for a subject of three words or more (not a question), on for every
    /// search of words alone, off never. --exact turns it off.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    feedback: integra::Feedback,
    /// Say for each hit which forms of each query word it has (exact, compound parts, prefix,
    /// inflected, derived, synonym, related, feedback) and what each scored.
    #[arg(long)]
    explain: bool,
    /// How many passages to show of each hit, best first, each with its page.
    #[arg(long, value_name = "N", default_value_t = 1)]
    passages: usize,
    /// How many values to show for each facet (0 for all).
    #[arg(long, value_name = "N", default_value_t = 10)]
    facets: usize,
    /// What to print: text for people, one JSON object for scripts, or the hits of this page
    /// for a reference manager (bibtex, ris, csl-json) or a spreadsheet (csv).
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Text)]
    format: OutputFormat,
    /// Print one JSON object for scripts instead of text: the same as --format json.
    #[arg(long)]
    json: bool,
    /// Take the words as typed: no "Did you mean" and no search of a corrected query when
    /// the query has no hits.
    #[arg(long)]
    no_correct: bool,
    #[command(flatten)]
    index: IndexDir,
    #[command(flatten)]
    corpus: CorpusDir,
}

/// What `integra search` prints.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// Hits, passages and facets for people.
    Text,
    /// The `--json` object.
    Json,
    /// BibTeX entries.
    Bibtex,
    /// RIS records.
    Ris,
    /// A CSL-JSON array.
    CslJson,
    /// A CSV table with a header row.
    Csv,
}

impl OutputFormat {
    /// The library's export format, for the formats that are one.
    fn export(self) -> Option<ExportFormat> {
        match self {
            OutputFormat::Text | OutputFormat::Json => None,
            OutputFormat::Bibtex => Some(ExportFormat::BibTex),
            OutputFormat::Ris => Some(ExportFormat::Ris),
            OutputFormat::CslJson => Some(ExportFormat::CslJson),
            OutputFormat::Csv => Some(ExportFormat::Csv),
        }
    }
}

fn parse_years(s: &str) -> Result<YearRange, String> {
    s.parse()
}

/// Takes the options that clap read as query words out of the query and reads them.
///
/// The query allows values that begin with a hyphen, so that `-Integration` excludes a word
/// wherever it stands; clap then reads everything after the first word as query, options
/// included. The options are picked out of the query here, by their names, and read as clap
/// would have read them; `--` ends the options, and the words after it are query.
/// How long a search may look at the sources for files changed since the last run.
const STALENESS_BUDGET: std::time::Duration = std::time::Duration::from_millis(200);

/// The global option that may stand after the query too.
const COLOR: &str = "--color";

/// Whether `word` has the form of a long option: two hyphens and a letter.
fn is_long_option(word: &str) -> bool {
    word.strip_prefix("--")
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphabetic)
}

/// The known option nearest to `name` by edit distance, if it is near enough to be a typo
/// (`--mode` is not near `--any`; `--limt` is near `--limit`).
fn nearest_option<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut previous = row[0];
            row[0] = i + 1;
            for (j, &cb) in b.iter().enumerate() {
                let current = row[j + 1];
                row[j + 1] = (previous + usize::from(ca != cb))
                    .min(row[j] + 1)
                    .min(current + 1);
                previous = current;
            }
        }
        row[b.len()]
    }
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|&(d, k)| d <= 2 && d < k.len() / 2)
        .min()
        .map(|(_, k)| k)
}

fn options_after_query(mut args: SearchArgs) -> SearchArgs {
    let command = SearchArgs::augment_args(clap::Command::new("integra search"));
    let takes_value: Vec<(String, bool)> = command
        .get_arguments()
        .filter_map(|arg| {
            let long = arg.get_long()?;
            Some((format!("--{long}"), arg.get_action().takes_values()))
        })
        .chain([("--help".to_string(), false), ("-h".to_string(), false)])
        .chain([(COLOR.to_string(), true)])
        .collect();
    let mut words = Vec::new();
    let mut options = Vec::new();
    let mut rest = std::mem::take(&mut args.query).into_iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            words.extend(rest.by_ref());
            break;
        }
        let name = word.split_once('=').map_or(word.as_str(), |(name, _)| name);
        match takes_value.iter().find(|(long, _)| long == name) {
            // The global --color, which `SearchArgs` does not hold: read and set here.
            Some(_) if name == COLOR => {
                let value = match word.split_once('=') {
                    Some((_, value)) => Some(value.to_string()),
                    None => rest.next(),
                };
                let choice = value
                    .as_deref()
                    .map(|v| <ColorChoice as clap::ValueEnum>::from_str(v, false));
                match choice {
                    Some(Ok(choice)) => set_color(choice),
                    _ => SearchArgs::augment_args(clap::Command::new("integra search"))
                        .error(
                            clap::error::ErrorKind::InvalidValue,
                            "--color takes auto, always or never",
                        )
                        .exit(),
                }
            }
            Some((_, takes_value)) => {
                let value_follows = *takes_value && !word.contains('=');
                options.push(word);
                if value_follows && let Some(value) = rest.next() {
                    options.push(value);
                }
            }
            // `--mode` is a mistyped option, not a word to search for: no query word begins
            // with two hyphens, and searching "--mode any Kita" would find nothing, silently.
            // (Unless the command line has a `--`, which clap may have taken itself before the
            // first word of the query: then the user knows how to search for such a word.)
            None if is_long_option(name) && !std::env::args().any(|a| a == "--") => {
                let known: Vec<&str> = takes_value.iter().map(|(long, _)| long.as_str()).collect();
                let mut message = format!("unknown option '{name}'");
                if let Some(near) = nearest_option(name, &known) {
                    message += &format!(" (did you mean '{near}'?)");
                }
                message += &format!(
                    "; to search for the word, put it after '--': integra search -- {word}"
                );
                SearchArgs::augment_args(clap::Command::new("integra search"))
                    .error(clap::error::ErrorKind::UnknownArgument, message)
                    .exit()
            }
            None => words.push(word),
        }
    }
    args.query = words;
    if options.is_empty() {
        return args;
    }
    // The query is given after `--` so that the options alone are read here.
    let argv = std::iter::once("integra search".to_string())
        .chain(options)
        .chain(["--".to_string(), "query".to_string()]);
    let matches = command
        .try_get_matches_from(argv)
        .unwrap_or_else(|err| err.exit());
    let later = SearchArgs::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    // Repeated options add to those before the query; the others replace their value.
    if given("author") {
        args.author.extend(later.author);
    }
    if given("institution") {
        args.institution.extend(later.institution);
    }
    if given("year") {
        args.year.extend(later.year);
    }
    if given("limit") {
        args.limit = later.limit;
    }
    if given("offset") {
        args.offset = later.offset;
    }
    if given("passages") {
        args.passages = later.passages;
    }
    if given("facets") {
        args.facets = later.facets;
    }
    if given("format") {
        args.format = later.format;
    }
    if given("feedback") {
        args.feedback = later.feedback;
    }
    args.any |= later.any;
    args.exact |= later.exact;
    args.explain |= later.explain;
    args.json |= later.json;
    args.no_correct |= later.no_correct;
    if given("index") {
        args.index = later.index;
    }
    if given("corpus") {
        args.corpus = later.corpus;
    }
    args
}

pub fn run(args: SearchArgs) -> Result<Outcome> {
    let mut args = options_after_query(args);
    if args.json {
        if !matches!(args.format, OutputFormat::Text | OutputFormat::Json) {
            SearchArgs::augment_args(clap::Command::new("integra search"))
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    "--json is --format json: give one of them",
                )
                .exit();
        }
        args.format = OutputFormat::Json;
    }
    if args.query.is_empty() {
        // Only options after the first word: clap's own message for a missing query.
        SearchArgs::augment_args(clap::Command::new("integra search"))
            .error(
                clap::error::ErrorKind::MissingRequiredArgument,
                "a query is needed: integra search QUERY [OPTIONS]",
            )
            .exit();
    }
    let index = &args.index.path;
    build_if_missing(&args.corpus.path, index)?;
    let library = Library::open(index)?;
    if library.num_documents() == 0 {
        // Not "no documents match": nothing could have.
        eprintln!(
            "integra: the index {} is empty: its last run found no documents, or its first run \
             did not finish (interrupted or failed); run 'integra index'",
            index.display()
        );
    }
    // A cheap look at the sources, so that a search does not silently miss what was added or
    // changed since the last run.
    let stale = library
        .staleness(STALENESS_BUDGET)
        .ok()
        .filter(|stale| stale.changed > 0);
    if let Some(stale) = stale {
        let (files, are) = if stale.changed == 1 {
            ("file", "is")
        } else {
            ("files", "are")
        };
        eprintln!(
            "warning: {}{} {files} of the index's sources {are} new, changed or gone since the \
             last 'integra index': run it to search them",
            if stale.complete { "" } else { "at least " },
            stale.changed
        );
    }
    let filters = describe_filters(&args);
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
        correct: !args.no_correct,
        exact: args.exact,
        explain: args.explain,
        feedback: args.feedback,
        ..Default::default()
    };
    let results = library
        .search(&request)
        .with_context(|| format!("search in {} failed", index.display()))?;
    let mut out = std::io::stdout().lock();
    if let Some(format) = args.format.export() {
        write_export(&mut out, &results.hits, format)?;
    } else if args.format == OutputFormat::Json {
        serde_json::to_writer(
            &mut out,
            &integra::SearchOutput {
                results: &results,
                stale,
            },
        )?;
        writeln!(out)?;
    } else {
        let page = Page {
            offset: request.offset,
            filters: &filters,
            any: args.any,
        };
        print_results(&mut out, &results, &page, &Style::detect())?;
    }
    out.flush()?;
    Ok(if results.total > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

/// What the request asked for beyond the query, as the lines about the results say it.
struct Page<'a> {
    /// Hits skipped, `--offset`.
    offset: usize,
    /// The filters given, as typed (`--author "Roland Roth" --year 2016`); empty for none.
    filters: &'a str,
    /// Whether `--any` was given.
    any: bool,
}

/// The filters of a search as options to type again: `--author "Roland Roth" --year 2016`.
fn describe_filters(args: &SearchArgs) -> String {
    let quoted = |value: &str| {
        if value.contains(char::is_whitespace) || value.is_empty() {
            format!("\"{value}\"")
        } else {
            value.to_string()
        }
    };
    let authors = args
        .author
        .iter()
        .map(|a| format!("--author {}", quoted(a)));
    let institutions = args
        .institution
        .iter()
        .map(|i| format!("--institution {}", quoted(i)));
    let years = args
        .year
        .iter()
        .map(|y| format!("--year {}", year_range(y)));
    authors
        .chain(institutions)
        .chain(years)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A year range as `--year` takes it: `2016`, `2015..2018`, `2015..` or `..2018`.
fn year_range(range: &YearRange) -> String {
    let end = |year: u16, open: u16| {
        if year == open {
            String::new()
        } else {
            year.to_string()
        }
    };
    if range.from == range.to {
        range.from.to_string()
    } else {
        format!("{}..{}", end(range.from, 0), end(range.to, u16::MAX))
    }
}

fn print_results(
    out: &mut impl Write,
    results: &SearchResults,
    page: &Page,
    style: &Style,
) -> std::io::Result<()> {
    let shown = results.hits.len();
    let offset = page.offset;
    match &results.suggestion {
        Some(suggestion) if suggestion.searched => writeln!(
            out,
            "no documents match \"{}\"; showing results for \"{}\"",
            results.query,
            style.bold(&suggestion.query)
        )?,
        Some(suggestion) => writeln!(out, "Did you mean: {}", style.bold(&suggestion.query))?,
        None => {}
    }
    if !results.feedback.is_empty() {
        let words: Vec<String> = results
            .feedback
            .iter()
            .map(|w| clean(w).into_owned())
            .collect();
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "also searched, from the first hits (--exact for the words alone): {}",
                words.join(", ")
            ))
        )?;
    }
    let noun = if results.total == 1 {
        "document matches"
    } else {
        "documents match"
    };
    if results.total == 0 {
        // Say what else narrowed the search, and how to widen it.
        // Words that may match: not those excluded, not operators.
        let words = results
            .query
            .split_whitespace()
            .filter(|w| !w.starts_with('-') && !matches!(*w, "OR" | "AND" | "NOT"))
            .count();
        let any = if page.any || words < 2 {
            ""
        } else {
            " or use --any to find documents with any of the words"
        };
        if page.filters.is_empty() {
            writeln!(out, "no documents match \"{}\"", results.query)?;
            if !any.is_empty() {
                writeln!(out, "hint: {}", any.trim_start_matches(" or "))?;
            }
        } else {
            writeln!(
                out,
                "no documents match \"{}\" with the filters {}",
                results.query, page.filters
            )?;
            writeln!(out, "hint: drop a filter{any}")?;
        }
        return Ok(());
    }
    let showing = if shown > 0 {
        format!(", showing {}–{}", offset + 1, offset + shown)
    } else if offset > 0 {
        format!(", none after --offset {offset}")
    } else {
        String::new()
    };
    // After an automatic correction, the count is that of the query searched.
    let searched = match &results.suggestion {
        Some(suggestion) if suggestion.searched => &suggestion.query,
        _ => &results.query,
    };
    writeln!(out, "{} {noun} \"{searched}\"{showing}", results.total)?;
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
            writeln!(out, "   {}", clean(&meta.join(" · ")))?;
        }
        // The path opens the file at the best passage's page where a viewer can (a PDF).
        let path = shown_path(&hit.path);
        let location = match hit.snippet.page_number {
            Some(number) if is_pdf(&hit.path) => format!("{path}#page={number}"),
            _ => path,
        };
        writeln!(
            out,
            "   {}",
            style.dim(&format!("{location} · score {:.2}", hit.score))
        )?;
        for snippet in hit.snippets.iter().filter(|s| !s.text.is_empty()) {
            let passage = style.passage(snippet);
            match &snippet.page {
                Some(page) => {
                    let page = style.bold(&format!("{} {page}", page_word(&hit.path)));
                    writeln!(out, "   {page}: {passage}")?;
                }
                None => writeln!(out, "   {passage}")?,
            }
        }
        if let Some(explanation) = &hit.explain {
            print_explanation(out, explanation, style)?;
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
        .map(|v| format!("{} ({})", clean(&v.value), v.count))
        .collect::<Vec<_>>()
        .join(", ")
}
