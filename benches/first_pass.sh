#!/usr/bin/env bash
# First passes of `Library::index_corpus` (what `integra index` runs) over a corpus, with
# integra's German analyzer and with tantivy's default tokenizer in turn, each in a new process
# so that the German analyzer's word memo starts empty every time. Prints the wall and CPU
# seconds of every run, the ratio of each pair (tantivy default / German: the German analyzer's
# throughput relative to the default tokenizer's) and the median ratios.
#
#   benches/first_pass.sh [CORPUS] [PAIRS]
#
# CORPUS defaults to all 63,130 Bundestag speeches (../shared/bench/bundestag-reden.jsonl.gz),
# PAIRS to 5. Current figures: benches/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/bench/bundestag-reden.jsonl.gz}
pairs=${2:-5}
if [[ ! -e $corpus ]]; then
    echo "first_pass.sh: no corpus at $corpus" >&2
    exit 2
fi
cargo build --release --quiet --example index_with
bin=target/release/examples/index_with

# Prints "wall cpu" in seconds for one run of the example with analyzer $1.
run() {
    local TIMEFORMAT='%R %U %S' times
    times=$({ time "$bin" "$1" "$corpus" >/dev/null; } 2>&1)
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' <<<"$times"
}

ratios=()
for ((i = 1; i <= pairs; i++)); do
    read -r german_wall german_cpu < <(run full)
    read -r default_wall default_cpu < <(run tantivy-default)
    ratio=$(awk -v g="$german_wall" -v d="$default_wall" -v gc="$german_cpu" -v dc="$default_cpu" \
        'BEGIN { printf "%.3f %.3f", d / g, dc / gc }')
    ratios+=("$ratio")
    echo "pair $i: German ${german_wall} s wall, ${german_cpu} s CPU;" \
        "tantivy default ${default_wall} s wall, ${default_cpu} s CPU; ratio (wall CPU) $ratio"
done
# The median of column $1 of the ratios.
median() {
    printf '%s\n' "${ratios[@]}" | awk -v c="$1" '{ print $c }' | sort -n |
        awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf "%.3f", NR % 2 ? v[m] : (v[m] + v[m + 1]) / 2 }'
}
echo "median ratio over $pairs pairs: $(median 1) wall, $(median 2) CPU"
