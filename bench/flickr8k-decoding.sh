#!/usr/bin/env bash
# Flickr8k validation (or test) scores of one model or an ensemble under several decoding settings, one line each:
# how the README's decoding choices were made. Decide on val; print test only for the setting chosen there.
# Usage: bench/flickr8k-decoding.sh SPLIT "DECODING FLAGS" ["DECODING FLAGS" ...] -- MODEL_DIR [MODEL_DIR ...]
#   e.g. bench/flickr8k-decoding.sh val "--beam 1" "--beam 3" "--beam 3 --length-penalty 0" -- runs/a runs/b
# The data is read from ../shared (or $CAPTION4J_SHARED): flickr8k-1k images, captions and splits.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="${CAPTION4J_SHARED:-$root/../shared}"
split="$1"; shift
settings=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do settings+=("$1"); shift; done
[ "$#" -gt 1 ] || { echo "usage: $0 SPLIT \"FLAGS\"... -- MODEL_DIR..." >&2; exit 2; }
shift
models=()
for m in "$@"; do models+=(--model "$m"); done
data=(--images "$shared/data/flickr8k-1k/images" --captions "$shared/data/flickr8k-1k/captions.csv"
      --splits "$shared/data/flickr8k-1k/splits.json" --split "$split")
echo "models: $*; split: $split"
printf '%-40s %8s %8s %8s\n' decoding Bleu_4 ROUGE_L CIDEr
for flags in "${settings[@]}"; do
  # shellcheck disable=SC2086 # the flags are words on purpose
  "$root/caption4j" evaluate "${models[@]}" "${data[@]}" $flags --json 2> /dev/null \
    | python3 -c 'import json,sys; s=json.load(sys.stdin); print("%-40s %8.4f %8.4f %8.4f" % (sys.argv[1], s["Bleu_4"], s["ROUGE_L"], s["CIDEr"]))' "$flags"
done
