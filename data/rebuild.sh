#!/usr/bin/env bash
# Rebuilds the decompounder's lexicon (lexicon.fst, lexicon.flat, lexicon.splits in this folder)
# from the public Bundestag speeches, in the two passes examples/build_lexicon.rs describes: the
# first counts the words and writes the automaton without the never-split marks and with an
# empty table of splits; the second, compiled with that automaton, asks the decompounder about
# every word and writes the marks and the splits. The same speeches give the same bytes.
#
#   data/rebuild.sh [SPEECHES.jsonl.gz] [MIN_FREQ]
#
# Defaults: ../shared/bench/bundestag-reden.jsonl.gz, 5. Bump ANALYZER_VERSION in
# src/analysis/mod.rs when the files change.
set -euo pipefail
cd "$(dirname "$0")/.."
speeches=${1:-../shared/bench/bundestag-reden.jsonl.gz}
min_freq=${2:-5}
if [[ ! -e $speeches ]]; then
    echo "rebuild.sh: no speeches at $speeches" >&2
    exit 2
fi
cargo run --release --quiet --example build_lexicon -- "$speeches" data/lexicon.fst "$min_freq"
# The second pass must be compiled with the automaton the first one wrote: cargo sees the
# changed file that the analyzer embeds and rebuilds.
cargo run --release --quiet --example build_lexicon -- data/lexicon.fst
