//! Builds the word-frequency lexicon the decompounder splits German compounds with.
//!
//! ```text
//! cargo run --release --example build_lexicon -- \
//!     ../shared/bench/bundestag-reden.jsonl.gz data/lexicon.fst 5
//! cargo run --release --example build_lexicon -- data/lexicon.fst
//! ```
//!
//! The lexicon is written twice: as an fst map (`lexicon.fst`, compact, the reference the tests
//! hold the other to) and as the same automaton in flat records beside it (`lexicon.flat`, what
//! the analyzer embeds: a step reads a node without decoding it, see `src/analysis/decompound/lexicon.rs`
//! for the layout). Given an `.fst` file instead of a corpus (the second command), only the flat
//! file is rewritten from it, and deterministically: the same fst gives the same bytes.
//!
//! The flat file also marks the words the decompounder does not split (NEVER_SPLIT), which saves
//! it the search for them, and `lexicon.splits` beside it holds the parts of the words it does
//! split, which saves the search for those. To know them, this program runs the decompounder
//! over every word, without the marks, and the decompounder reads the lexicon compiled into
//! this program: the `lexicon.flat` of the previous run. The words and frequencies of that file
//! must be those of the fst, so the marks and the splits are set only by the second command;
//! the first writes the flat file without marks and an empty table of splits (correct, only
//! slower), and must be followed by the second, which then compiles the new lexicon in. Run the
//! second command too whenever the decompounder's rules or constants change; two tests
//! (`never_split_flags_agree_with_the_decompounder`,
//! `stored_splits_agree_with_the_decompounder`) fail until then.
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
use std::path::Path;

use anyhow::{Context, Result, bail};
use fst::Streamer;
use fst::raw::{Fst, Node};
use integra::analysis::decompound::parts_for_lexicon;
use integra::analysis::{
    INDEX_TIME, Step, WordSteps, WordTokenizer, splits_without_lexicon_flags, write_lexicon_splits,
};
// The bits of a record's header in the flat file, as the analyzer reads them.
use integra::analysis::lexicon_header::{
    FIRST_IS_NEXT, NEVER_SPLIT, OUTPUTS, TRANSITIONS, WIDE, WORD, WORD_E, WORD_EN,
};
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
    if input.ends_with(".fst") {
        let bytes = std::fs::read(&input).with_context(|| format!("cannot read {input}"))?;
        let map = fst::Map::new(bytes).with_context(|| format!("{input} is not an fst map"))?;
        write_flat(&map, &input, Flags::Compute)?;
        return write_splits(&map, &input, Flags::Compute);
    }
    let output = args
        .next()
        .unwrap_or_else(|| "data/lexicon.fst".to_string());
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
    // The words as the decompounder sees them: the index-time chain up to it.
    let mut analyzer = TextAnalyzer::builder(WordTokenizer::default())
        .filter(WordSteps::new(INDEX_TIME.before(Step::Decompound)))
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
    let bytes = std::fs::read(&output).with_context(|| format!("cannot read {output}"))?;
    let map = fst::Map::new(bytes)?;
    write_flat(&map, &output, Flags::Clear)?;
    write_splits(&map, &output, Flags::Clear)?;
    eprintln!(
        "no word is flagged never split yet: set the flags with \
         `cargo run --release --example build_lexicon -- {output}`"
    );
    Ok(())
}

/// Whether to ask the decompounder which words it splits, for the NEVER_SPLIT flags.
#[derive(Clone, Copy, PartialEq)]
enum Flags {
    /// Ask it: it reads the lexicon compiled into this program, which must hold the same words
    /// and frequencies as the fst.
    Compute,
    /// Set no flag: the lexicon compiled into this program is not the fst just built.
    Clear,
}

/// A node of the flat automaton: a node of the fst, whether the path to it is a word the
/// decompounder does not split, and the ids of its targets.
#[derive(Clone, PartialEq, Eq, Hash)]
struct FlatNode {
    addr: usize,
    never_split: bool,
    targets: Vec<usize>,
}

/// The nodes of the flat automaton, built from the fst's. The fst shares a node between all
/// words that end alike; a flag is a property of a word, so where words of both kinds would
/// share a node, each kind gets its own copy of it. Nodes that agree in their fst node, their
/// flag and their targets are one node, so that without flags the automaton is the fst's.
struct FlatNodes<'f> {
    fst: &'f Fst<Vec<u8>>,
    flags: Flags,
    ids: HashMap<FlatNode, usize>,
    nodes: Vec<FlatNode>,
    /// How many words are flagged.
    never_split_words: usize,
}

impl FlatNodes<'_> {
    /// The id of the node reached by `path` at the fst node `addr`, and those of the nodes
    /// below it.
    fn add(&mut self, addr: usize, path: &mut Vec<u8>) -> Result<usize> {
        let node = self.fst.node(addr);
        let mut targets = Vec::with_capacity(node.len());
        for t in node.transitions() {
            path.push(t.inp);
            targets.push(self.add(t.addr, path)?);
            path.pop();
        }
        let never_split = node.is_final()
            && self.flags == Flags::Compute
            && !splits_without_lexicon_flags(std::str::from_utf8(path)?);
        self.never_split_words += usize::from(never_split);
        let node = FlatNode {
            addr,
            never_split,
            targets,
        };
        if let Some(&id) = self.ids.get(&node) {
            return Ok(id);
        }
        self.nodes.push(node.clone());
        self.ids.insert(node, self.nodes.len() - 1);
        Ok(self.nodes.len() - 1)
    }
}

/// One node's record in the flat file, before the offsets of its targets are known.
struct Record {
    header: u16,
    inputs: Vec<u8>,
    /// Frequencies (as flagged in the header), then outputs (if any is not 0).
    values: Vec<u64>,
    /// Node ids, without the first if it is the next record.
    targets: Vec<usize>,
}

impl Record {
    fn len(&self) -> usize {
        let value_bytes = if self.header & WIDE != 0 { 4 } else { 2 };
        2 + self.inputs.len() + value_bytes * self.values.len() + 3 * self.targets.len()
    }
}

/// Writes the automaton of `map` in the flat layout (see `src/analysis/decompound/lexicon.rs`) beside
/// `fst_path`, with the extension `.flat`. Records are laid out in depth-first order from the
/// root, so that a walk down a word mostly reads on in the same few cache lines.
fn write_flat(map: &fst::Map<Vec<u8>>, fst_path: &str, flags: Flags) -> Result<()> {
    let fst = map.as_fst();
    let mut flat = FlatNodes {
        fst,
        flags,
        ids: HashMap::new(),
        nodes: Vec::new(),
        never_split_words: 0,
    };
    let root = flat.add(fst.root().addr(), &mut Vec::new())?;
    let (nodes, never_split_words) = (flat.nodes, flat.never_split_words);
    let fst_nodes = nodes
        .iter()
        .map(|node| node.addr)
        .collect::<std::collections::HashSet<_>>()
        .len();
    // Number the nodes in depth-first preorder, a node's transitions in input order.
    let mut ids: HashMap<usize, usize> = HashMap::new();
    let mut order = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if ids.contains_key(&node) {
            continue;
        }
        ids.insert(node, order.len());
        order.push(node);
        stack.extend(nodes[node].targets.iter().rev());
    }

    let mut records = Vec::with_capacity(order.len());
    for (id, &flat_node) in order.iter().enumerate() {
        let FlatNode {
            addr,
            never_split,
            ref targets,
        } = nodes[flat_node];
        let node = fst.node(addr);
        if node.len() > usize::from(TRANSITIONS) {
            bail!("{fst_path}: a node with {} transitions", node.len());
        }
        let mut record = Record {
            header: node.len() as u16,
            inputs: node.transitions().map(|t| t.inp).collect(),
            values: Vec::new(),
            targets: targets.iter().map(|target| ids[target]).collect(),
        };
        if record.targets.first() == Some(&(id + 1)) {
            record.header |= FIRST_IS_NEXT;
            record.targets.remove(0);
        }
        if never_split {
            record.header |= NEVER_SPLIT;
        }
        // The frequencies of the word + "e" and + "en", relative to the output on arrival
        // here, so that the decompounder's look-ahead takes no further step.
        let e = step(fst, &node, b'e');
        let word_e = e.and_then(|(out, e)| Some(out + final_output(&e)?));
        let word_en = e.and_then(|(out, e)| {
            let (out_n, en) = step(fst, &e, b'n')?;
            Some(out + out_n + final_output(&en)?)
        });
        for (bit, frequency) in [
            (WORD, final_output(&node)),
            (WORD_E, word_e),
            (WORD_EN, word_en),
        ] {
            if let Some(frequency) = frequency {
                record.header |= bit;
                record.values.push(frequency);
            }
        }
        if node.transitions().any(|t| t.out.value() != 0) {
            record.header |= OUTPUTS;
            record
                .values
                .extend(node.transitions().map(|t| t.out.value()));
        }
        if record.values.iter().any(|&v| v > u64::from(u16::MAX)) {
            record.header |= WIDE;
        }
        records.push(record);
    }
    let mut offsets = Vec::with_capacity(order.len());
    let mut offset = 0usize;
    for record in &records {
        offsets.push(offset);
        offset += record.len();
    }
    if offset >= 1 << 24 {
        bail!("{fst_path}: too large for 24-bit offsets");
    }

    let mut bytes = Vec::with_capacity(offset);
    for record in &records {
        bytes.extend(record.header.to_le_bytes());
        bytes.extend(&record.inputs);
        for &value in &record.values {
            if record.header & WIDE != 0 {
                bytes.extend(u32::try_from(value)?.to_le_bytes());
            } else {
                bytes.extend((value as u16).to_le_bytes());
            }
        }
        for &target in &record.targets {
            bytes.extend(&(offsets[target] as u32).to_le_bytes()[..3]);
        }
    }
    assert_eq!(bytes.len(), offset);

    let path = Path::new(fst_path).with_extension("flat");
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "{} nodes ({fst_nodes} in the fst), {never_split_words} of {} words flagged never \
         split, {} bytes written to {}",
        order.len(),
        map.len(),
        bytes.len(),
        path.display()
    );
    Ok(())
}

/// Writes the stored splits (see `src/analysis/decompound/lexicon.rs`) of the words of `map` beside
/// `fst_path`, with the extension `.splits`: the parts the decompounder's search finds for each
/// word it splits, asked of the decompounder compiled into this program as for the flags, so
/// none with `Flags::Clear`.
fn write_splits(map: &fst::Map<Vec<u8>>, fst_path: &str, flags: Flags) -> Result<()> {
    let mut splits = Vec::new();
    if flags == Flags::Compute {
        let mut stream = map.stream();
        while let Some((word, _)) = stream.next() {
            let word = std::str::from_utf8(word)?;
            if let Some(parts) = parts_for_lexicon(word) {
                splits.push((word.as_bytes().to_vec(), parts));
            }
        }
    }
    let bytes = write_lexicon_splits(&splits);
    let path = Path::new(fst_path).with_extension("splits");
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "the splits of {} of {} words, {} bytes written to {}",
        splits.len(),
        map.len(),
        bytes.len(),
        path.display()
    );
    Ok(())
}

/// The output of `node` as a final state, if it is one.
fn final_output(node: &Node) -> Option<u64> {
    node.is_final().then(|| node.final_output().value())
}

/// The output and the target of the transition of `node` on `input`.
fn step<'f>(fst: &'f Fst<Vec<u8>>, node: &Node, input: u8) -> Option<(u64, Node<'f>)> {
    let t = node.transition(node.find_input(input)?);
    Some((t.out.value(), fst.node(t.addr)))
}
