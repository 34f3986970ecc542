//! The chain of steps a word goes through, defined once.
//!
//! Each [`Step`] works on one [`Word`]: its tokens (the whole word first, then the parts of a
//! compound), each with the byte range of the original word it stands for. A [`Chain`] is one
//! static list of steps; the index-time, query-time and baseline chains are the same list with
//! a step swapped. Everything that analyzes text runs a chain: the
//! [`GermanAnalyzer`](super::GermanAnalyzer) behind every index and query, with its cache of
//! words, and the [`WordSteps`](super::WordSteps) token filter for other tokenizers.
//!
//! Steps depend on nothing but the word, so a word's analysis can be computed once and
//! remembered. The one thing that looks beyond a word is the completion of elliptical
//! coordinations ("Sprach- und Integrationskurse"): its step notes, for each word, what
//! completion needs (a truncated word's text, a compound's last part), and the analyzer joins
//! the words and runs the steps after it over the joined word (see [`super::ellipsis`]).

use super::{decompound, ellipsis, gender, normalize, stem};

/// One token of a word: its text, and the byte range of the original word it stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The token's text as the steps so far made it.
    pub text: String,
    /// Byte offset of its first character in the original word.
    pub from: usize,
    /// Byte offset just past its last character in the original word.
    pub to: usize,
}

/// A word on its way through the steps.
#[derive(Clone, Debug)]
pub struct Word<'a> {
    /// The word as it stands in the text, without a truncation mark: what the ranges of its
    /// tokens point into.
    pub original: &'a str,
    /// Its tokens: the whole word first, then the parts of a compound.
    pub tokens: Vec<Piece>,
    /// Whether the whole word was truncated ("Sprach-"): set by the ellipsis step, which
    /// removes the mark.
    pub truncated: bool,
    /// Whether the whole word is a conjunction that a coordination passes over: set by the
    /// ellipsis step.
    pub conjunction: bool,
}

impl<'a> Word<'a> {
    /// A word of one token, `text`, standing for all of `original`.
    pub fn new(original: &'a str, text: &str) -> Self {
        Word {
            original,
            tokens: vec![Piece {
                text: text.to_string(),
                from: 0,
                to: original.len(),
            }],
            truncated: false,
            conjunction: false,
        }
    }
}

/// Buffers the steps reuse from word to word.
#[derive(Clone, Default)]
pub struct Scratch {
    /// A string a step writes a token's new text into before swapping it in.
    pub(crate) buffer: String,
    pub(crate) decompound: decompound::Scratch,
    /// The tokens of the last word, kept for the next so that its whole needs no new string.
    tokens: Vec<Piece>,
}

/// One step of the analysis of a word, each defined in its own module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Step {
    /// Gender-inclusive and feminine forms fold onto the base form ([`gender`]).
    FoldGender,
    /// Lowercase; umlauts, their transliterations and ß fold ([`normalize`]).
    Normalize,
    /// Compounds get their parts, found with the lexicon ([`decompound`]).
    Decompound,
    /// Hyphenated compounds get their parts, other words stay whole: the baseline without the
    /// lexicon ([`decompound`]).
    SplitHyphens,
    /// Truncated words are completed by the head of the compound that ends their coordination
    /// ([`ellipsis`]); over one word, it removes the truncation mark and notes what completion
    /// needs.
    CompleteEllipses,
    /// Truncated words lose their mark and are not completed: at query time, where a completed
    /// word would be taken for a part that must match ([`ellipsis`]).
    DropTruncationMark,
    /// Snowball German stemming ([`stem`]).
    Stem,
}

impl Step {
    /// The step's name, as a report of the analysis shows it.
    pub fn name(self) -> &'static str {
        match self {
            Step::FoldGender => "fold-gender",
            Step::Normalize => "normalize",
            Step::Decompound => "decompound",
            Step::SplitHyphens => "split-hyphens",
            Step::CompleteEllipses => "complete-ellipses",
            Step::DropTruncationMark => "drop-truncation-mark",
            Step::Stem => "stem",
        }
    }

    /// Runs the step over `word`.
    pub fn run(self, word: &mut Word, scratch: &mut Scratch) {
        match self {
            Step::FoldGender => gender::fold(word, scratch),
            Step::Normalize => normalize::normalize(word, scratch),
            Step::Decompound => decompound::decompound(word, scratch),
            Step::SplitHyphens => decompound::split_hyphens(word, scratch),
            Step::CompleteEllipses | Step::DropTruncationMark => ellipsis::drop_mark(word),
            Step::Stem => stem::stem(word, scratch),
        }
    }
}

/// A list of steps, run in order over every word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain {
    steps: &'static [Step],
}

/// The chain every index uses for its texts.
///
/// Gender folding runs before lowercasing, since the inner capital I of "MigrantInnen" is only
/// visible in the case of the letters; decompounding after normalization, since the lexicon
/// holds normalized words; ellipsis completion after decompounding, since it needs the last
/// part of a compound; stemming last, so that a completed word is stemmed as a whole.
pub const INDEX_TIME: Chain = Chain {
    steps: &[
        Step::FoldGender,
        Step::Normalize,
        Step::Decompound,
        Step::CompleteEllipses,
        Step::Stem,
    ],
};

/// The chain for the words of a query: [`INDEX_TIME`] with truncated words left uncompleted,
/// since a completed word is an alternative to the truncated one, not a part that must match
/// as well.
pub const QUERY_TIME: Chain = Chain {
    steps: &[
        Step::FoldGender,
        Step::Normalize,
        Step::Decompound,
        Step::DropTruncationMark,
        Step::Stem,
    ],
};

/// [`INDEX_TIME`] with the lexicon's decompounding swapped for splitting at hyphens: the
/// baseline that measures what the lexicon is worth. Without hyphen splitting the baseline would
/// also lose what the hyphens give, which has nothing to do with the lexicon.
pub const INDEX_TIME_WITHOUT_DECOMPOUNDING: Chain = Chain {
    steps: &[
        Step::FoldGender,
        Step::Normalize,
        Step::SplitHyphens,
        Step::CompleteEllipses,
        Step::Stem,
    ],
};

/// [`QUERY_TIME`] with decompounding swapped for splitting at hyphens, as in
/// [`INDEX_TIME_WITHOUT_DECOMPOUNDING`].
pub const QUERY_TIME_WITHOUT_DECOMPOUNDING: Chain = Chain {
    steps: &[
        Step::FoldGender,
        Step::Normalize,
        Step::SplitHyphens,
        Step::DropTruncationMark,
        Step::Stem,
    ],
};

impl Chain {
    /// The steps of this chain before `step` (all of them if it has no such step): what a word
    /// looks like when it reaches `step`, for the tests of a step and for building the
    /// decompounder's lexicon from words as the decompounder sees them.
    pub fn before(self, step: Step) -> Chain {
        let end = self
            .steps
            .iter()
            .position(|&s| s == step)
            .unwrap_or(self.steps.len());
        Chain {
            steps: &self.steps[..end],
        }
    }

    /// The steps, in order.
    pub fn steps(self) -> &'static [Step] {
        self.steps
    }

    /// Whether the analyzer completes truncated words with this chain.
    pub(crate) fn completes_ellipses(self) -> bool {
        self.steps.contains(&Step::CompleteEllipses)
    }

    /// The tokens of `original` (truncated or not) in the form ellipsis completion joins:
    /// after the steps up to the ellipsis step.
    pub(crate) fn forms_to_join(
        self,
        original: &str,
        truncated: bool,
        scratch: &mut Scratch,
    ) -> Vec<Piece> {
        self.tokens(original, truncated, Some(Step::CompleteEllipses), scratch)
    }

    /// Runs every step over `word`.
    pub fn run(self, word: &mut Word, scratch: &mut Scratch) {
        for step in self.steps {
            step.run(word, scratch);
        }
    }

    /// The tokens of one word as the tokenizer cut it (`original` its text, `truncated` whether
    /// a hyphen marks it as truncated) after the steps up to `end` (all of them if `None`).
    pub(crate) fn tokens(
        self,
        original: &str,
        truncated: bool,
        end: Option<Step>,
        scratch: &mut Scratch,
    ) -> Vec<Piece> {
        let chain = end.map_or(self, |end| self.through(end));
        chain.analyze_with(original, truncated, scratch, |word| word.tokens.clone())
    }

    /// The steps of this chain up to and including `step`.
    fn through(self, step: Step) -> Chain {
        let end = self
            .steps
            .iter()
            .position(|&s| s == step)
            .map_or(self.steps.len(), |i| i + 1);
        Chain {
            steps: &self.steps[..end],
        }
    }

    /// Runs the steps over one word as the tokenizer cut it and hands the result to `f`, without
    /// keeping it: the word cache copies what it needs, and the buffers are reused for the next
    /// word.
    pub(crate) fn analyze_with<R>(
        self,
        original: &str,
        truncated: bool,
        scratch: &mut Scratch,
        f: impl FnOnce(&Word) -> R,
    ) -> R {
        let mut tokens = std::mem::take(&mut scratch.tokens);
        tokens.truncate(1);
        let whole = match tokens.first_mut() {
            Some(whole) => whole,
            None => {
                tokens.push(Piece {
                    text: String::new(),
                    from: 0,
                    to: 0,
                });
                &mut tokens[0]
            }
        };
        whole.text.clear();
        whole.text.push_str(original);
        if truncated {
            whole.text.push('-');
        }
        (whole.from, whole.to) = (0, original.len());
        let mut word = Word {
            original,
            tokens,
            truncated: false,
            conjunction: false,
        };
        self.run(&mut word, scratch);
        let result = f(&word);
        scratch.tokens = word.tokens;
        result
    }

    /// The token of a truncated word completed by `head`: the two joined, run through the steps
    /// after the ellipsis step.
    pub(crate) fn complete(self, truncated: &str, head: &str, scratch: &mut Scratch) -> String {
        let joined = format!("{truncated}{head}");
        let after = self
            .steps
            .iter()
            .position(|&step| step == Step::CompleteEllipses)
            .map_or(&[][..], |i| &self.steps[i + 1..]);
        let mut word = Word::new(&joined, &joined);
        for step in after {
            step.run(&mut word, scratch);
        }
        std::mem::take(&mut word.tokens[0].text)
    }
}
