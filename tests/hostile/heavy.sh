#!/usr/bin/env bash
# The heavy hostile pages (a 200 MB page, one 50 MB text node): refused under the default
# page limit, indexed under a raised one, peak memory of each run measured with GNU time.
# Minutes of CPU and 250 MB of temporary files, so not part of `cargo test`.
#   tests/hostile/heavy.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; } >/dev/null 2>&1 || true
target=${CARGO_TARGET_DIR:-target}
nice -n 19 cargo build --release --locked
DOSSIER_BIN="$target/release/dossier" nice -n 19 cargo test --locked --test hostile -- --ignored --nocapture --test-threads 1
