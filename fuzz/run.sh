#!/usr/bin/env bash
# Runs one fuzz target for a while, niced and in one forked worker that carries on past a
# finding (each lands in fuzz/artifacts/TARGET/), seeded from our own fixtures.
#   fuzz/run.sh extract|dates|query [SECONDS=1800]
# Prints libFuzzer's final stats.
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-1800}
seeds=corpus/$target
mkdir -p "$seeds" "artifacts/$target"
case $target in
  extract)
    cp ../tests/fixtures/*.htm* "$seeds"/ 2>/dev/null || true
    find ../corpus -name '*.htm*' | head -20 | while read -r f; do cp "$f" "$seeds/$(echo "$f" | md5sum | cut -c1-12).html"; done ;;
  dates)
    printf '%s\n' '2023-08-02T14:30:00+08:00' 'Wed, 02 Aug 2023 14:30:00 GMT' '2 August 2023' 'Aug. 2, 2023' \
      '02.08.2023' '02/08/2023' '/2023/08/02/story.html' 'Published 3 March 2021 by' '2020-03' |
      while read -r d; do printf '%s' "$d" > "$seeds/$(printf '%s' "$d" | md5sum | cut -c1-12)"; done ;;
  query)
    printf '%s\n' 'rare earth' '"rare earth" mongolia' '+copper -coal' 'title:mongolia OR china' \
      '(security AND trade) NOT election' 'mongolia*' 'body:"a b"~2' |
      while read -r q; do printf '\x00%s' "$q" > "$seeds/$(printf '%s' "$q" | md5sum | cut -c1-12)"; done
    printf '\x85mongolia\n2020\nasia-pacific' > "$seeds/filters" ;;
esac
: "${CARGO_TARGET_DIR:=target}"
# Safe Rust: AddressSanitizer finds little here and costs half the speed.
exec nice -n 19 cargo +nightly fuzz run --sanitizer none --target-dir "$CARGO_TARGET_DIR" "$target" "$seeds" -- \
  -fork=1 -ignore_crashes=1 -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
