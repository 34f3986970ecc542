//! Builds the word-frequency lexicon the decompounder splits German compounds with.
//!
//! ```text
//! cargo run --release --example build_lexicon -- \
//!     ../shared/bench/bundestag-reden.jsonl.gz src/analysis/lexicon.fst 5
//! ```
//!
//! The input is JSON Lines (optionally gzip-compressed), one document a line with a `text`
//! field; we use the 63,130 speeches of the German Bundestag, which are public domain (official
//! works, § 5 UrhG), so the lexicon derived from them can be embedded in the binary. Words are
//! counted after the analyzer's own tokenizer, gender folding and normalization, so that they
//! look exactly like the words the decompounder looks up; the parts of hyphenated compounds are
//! counted on their own. Words shorter than three letters, words with digits and words seen fewer
//! than `min-freq` times (default 5) are left out. Rebuild the lexicon, and bump
//! `ANALYZER_VERSION`, whenever tokenization or normalization changes.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use anyhow::{Context, Result};
use integra::analysis::{GenderFolder, GermanNormalizer, WordTokenizer};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

#[derive(serde::Deserialize)]
struct Document {
    text: String,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let input = args
        .next()
        .unwrap_or_else(|| "../shared/bench/bundestag-reden.jsonl.gz".to_string());
    let output = args
        .next()
        .unwrap_or_else(|| "src/analysis/lexicon.fst".to_string());
    let min_freq: u64 = match args.next() {
        Some(arg) => arg.parse().context("min-freq must be a number")?,
        None => 5,
    };

    let file = File::open(&input).with_context(|| format!("cannot open {input}"))?;
    let reader: Box<dyn Read> = if input.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
        .filter(GenderFolder)
        .filter(GermanNormalizer)
        .build();
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut documents = 0usize;
    for line in BufReader::with_capacity(1 << 20, reader).lines() {
        let line = line.with_context(|| format!("cannot read {input}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let document: Document = serde_json::from_str(&line)
            .with_context(|| format!("{input}: line {} is not a document", documents + 1))?;
        documents += 1;
        let mut stream = analyzer.token_stream(&document.text);
        while stream.advance() {
            for word in stream.token().text.split('-') {
                if word.chars().count() < 3 || !word.chars().all(char::is_alphabetic) {
                    continue;
                }
                match counts.get_mut(word) {
                    Some(count) => *count += 1,
                    None => {
                        counts.insert(word.to_string(), 1);
                    }
                }
            }
        }
    }

    let mut words: Vec<(String, u64)> = counts
        .into_iter()
        .filter(|&(_, count)| count >= min_freq)
        .collect();
    words.sort_unstable();
    let mut builder = fst::MapBuilder::new(std::io::BufWriter::new(
        File::create(&output).with_context(|| format!("cannot create {output}"))?,
    ))?;
    for (word, count) in &words {
        builder.insert(word, *count)?;
    }
    builder.finish()?;
    eprintln!(
        "{documents} documents, {} words with frequency >= {min_freq} written to {output}",
        words.len()
    );
    Ok(())
}
