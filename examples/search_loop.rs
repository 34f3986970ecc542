//! Runs searches in a loop, for profilers (`perf record`, `valgrind --tool=callgrind`):
//! `cargo run --release --example search_loop -- INDEX QUERIES-FILE ROUNDS [any] [exact]
//! [feedback=auto|on|off] [related=all|derived|thesaurus|none] [FILTER…]`, where a filter is `institution=SPD`, `author=NAME` or `years=2019..2023`. Prints the five
//! slowest queries and the mean time per search.

use std::time::Instant;

use integra::{Library, MatchMode, RelatedWords, SearchRequest};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [index, queries, rounds, rest @ ..] = args.as_slice() else {
        anyhow::bail!("usage: search_loop INDEX QUERIES-FILE ROUNDS [any] [FILTER…]");
    };
    let library = Library::open(index)?;
    let queries: Vec<String> = std::fs::read_to_string(queries)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let rounds: usize = rounds.parse()?;
    let mut template = SearchRequest::default();
    for arg in rest {
        match arg.split_once('=') {
            None if arg == "any" => template.mode = MatchMode::Any,
            None if arg == "exact" => template.exact = true,
            Some(("feedback", v)) => template.feedback = v.parse().map_err(anyhow::Error::msg)?,
            Some(("related", v)) => {
                template.related = RelatedWords {
                    derived_forms: v == "all" || v == "derived",
                    thesaurus: v == "all" || v == "thesaurus",
                }
            }
            Some(("institution", v)) => template.institutions.push(v.into()),
            Some(("author", v)) => template.authors.push(v.into()),
            Some(("years", v)) => template.years.push(v.parse().map_err(anyhow::Error::msg)?),
            _ => anyhow::bail!("unknown argument {arg}"),
        }
    }
    let started = Instant::now();
    let mut found = 0;
    let mut per_query = vec![0.0; queries.len()];
    for _ in 0..rounds {
        for (query, took) in queries.iter().zip(&mut per_query) {
            let request = SearchRequest {
                query: query.clone(),
                ..template.clone()
            };
            let one = Instant::now();
            found += library.search(&request)?.total;
            *took += one.elapsed().as_secs_f64() * 1e3 / rounds as f64;
        }
    }
    let mut slowest: Vec<(f64, &String)> = per_query.into_iter().zip(&queries).collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, query) in slowest.iter().take(5) {
        println!("{ms:8.3} ms  {query}");
    }
    let searches = (rounds * queries.len()).max(1);
    println!(
        "{searches} searches, {found} matches, {:.3} ms per search",
        started.elapsed().as_secs_f64() * 1e3 / searches as f64
    );
    Ok(())
}
