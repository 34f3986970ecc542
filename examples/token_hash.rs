//! Hashes every token the German analyzer makes (text, offsets, position) over the first 8 MiB
//! of the Bundestag speeches, the seed corpus and a list of queries, so that a change to the
//! analyzer's code can show that the tokens stayed the same to the bit.
//!
//! ```text
//! cargo run --release --example token_hash -- [SPEECHES.jsonl.gz] [CORPUS_DIR] [QUERIES]
//! ```
//!
//! The defaults are `../shared/bench/bundestag-reden.jsonl.gz`, `corpus` and
//! `../shared/bench/queries-de.txt`. It prints one line per source: the number of tokens and a
//! 64-bit FNV-1a hash over them. Documents go through the index-time chain (titles and texts; the speeches also
//! through the chain without decompounding),
//! queries through `analyze_query` (terms, parts and offsets).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use anyhow::{Context, Result};
use flate2::read::GzDecoder;
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

/// How much of the speeches is read: the first lines up to this many bytes.
const SPEECH_BYTES: usize = 8 << 20;

/// FNV-1a over the bytes fed to it.
struct Fnv(u64, u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325, 0)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn number(&mut self, n: usize) {
        self.bytes(&(n as u64).to_le_bytes());
    }

    /// Hashes every token of `analyzer` over `text`.
    fn text(&mut self, analyzer: &mut TextAnalyzer, text: &str) {
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            self.bytes(token.text.as_bytes());
            self.bytes(&[0xff]);
            self.number(token.offset_from);
            self.number(token.offset_to);
            self.number(token.position);
            self.1 += 1;
        }
        // A document boundary: the same tokens split differently hash differently.
        self.bytes(&[0xfe]);
    }

    fn report(&self, what: &str) {
        println!("{what}: {} tokens, hash {:016x}", self.1, self.0);
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let speeches = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/bench/bundestag-reden.jsonl.gz".into()),
    );
    let corpus = PathBuf::from(args.next().unwrap_or_else(|| "corpus".into()));
    let queries = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "../shared/bench/queries-de.txt".into()),
    );

    let mut full = integra::analysis::index_analyzer();
    let mut without = integra::analysis::analyzer_without_decompounding();
    let (mut hash, mut baseline) = (Fnv::new(), Fnv::new());
    let file = std::fs::File::open(&speeches)
        .with_context(|| format!("cannot open {}", speeches.display()))?;
    let mut read = 0;
    for line in BufReader::new(GzDecoder::new(file)).lines() {
        let line = line.with_context(|| format!("cannot read {}", speeches.display()))?;
        read += line.len() + 1;
        let speech: serde_json::Value = serde_json::from_str(&line)?;
        for field in ["title", "text"] {
            let text = speech[field].as_str().unwrap_or("");
            hash.text(&mut full, text);
            baseline.text(&mut without, text);
        }
        if read >= SPEECH_BYTES {
            break;
        }
    }
    hash.report(&format!("speeches ({read} bytes)"));
    baseline.report("speeches without decompounding");

    let mut hash = Fnv::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .with_context(|| format!("cannot read {}", corpus.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        hash.text(&mut full, &text);
    }
    hash.report(&format!("corpus {}", corpus.display()));

    let mut hash = Fnv::new();
    let text = std::fs::read_to_string(&queries)
        .with_context(|| format!("cannot read {}", queries.display()))?;
    for query in text.lines() {
        for term in integra::analysis::analyze_query(query) {
            hash.bytes(term.term.as_bytes());
            for part in &term.parts {
                hash.bytes(&[0xfd]);
                hash.bytes(part.as_bytes());
            }
            hash.number(term.offset_from);
            hash.number(term.offset_to);
            hash.1 += 1;
        }
        hash.bytes(&[0xfe]);
    }
    hash.report(&format!("queries {}", queries.display()));
    Ok(())
}
