//! In-process search latency percentiles (issue 5: p99 under 20 ms for queries of 1–5 words
//! with a region filter on the 190k-page archive). Criterion reports means and medians; a
//! tail target needs the whole distribution, so this bench runs every query many times and
//! prints p50, p90, p99 and the maximum, in one `RESULT` line per query set.
//!
//!     DOSSIER_BENCH_INDEX=/path/to/index cargo bench --bench latency
//!
//! Without DOSSIER_BENCH_INDEX it indexes the sample corpus into a temporary folder and uses
//! queries about it. `DOSSIER_BENCH_REPS` sets the runs per query (default 50);
//! `DOSSIER_BENCH_EXPAND=0` turns feedback off.

use std::path::PathBuf;
use std::time::Instant;

mod common;

use dossier::extract::Hints;
use dossier::gazetteer::Vocabulary;
use dossier::index::{index_corpus, open_index};
use dossier::search::{search, SearchRequest};

/// Queries of one to five words, each with and without a region filter. The archive set
/// uses newswire vocabulary (the archive is Reuters), the sample set the corpus's own.
const ARCHIVE_QUERIES: [&str; 10] = [
    "oil",
    "crude prices",
    "grain exports",
    "coffee quota talks",
    "central bank interest rates",
    "trade deficit",
    "gold mine output",
    "bank merger offer",
    "opec production ceiling agreement",
    "sugar",
];
const SAMPLE_QUERIES: [&str; 6] = [
    "Mongolia",
    "rare earth",
    "critical minerals supply",
    "election protests",
    "grain corridor",
    "rare earth Mongolia",
];
const REGIONS: [Option<&str>; 3] = [None, Some("asia-pacific"), Some("europe")];

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let ix = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[ix.min(sorted.len() - 1)]
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let vocabulary = Vocabulary::load(None).expect("built-in vocabulary");
    let temp = tempfile::tempdir().expect("temp dir");
    let (index_dir, queries, label): (PathBuf, &[&str], &str) = match std::env::var_os("DOSSIER_BENCH_INDEX") {
        Some(dir) => (PathBuf::from(dir), &ARCHIVE_QUERIES, "archive"),
        None => {
            let opts = common::sample_options(temp.path());
            index_corpus(&opts, &vocabulary, &Hints::default()).expect("indexing works");
            (opts.index_dir, &SAMPLE_QUERIES, "sample")
        }
    };
    // DOSSIER_BENCH_EXPAND=0 measures searches without pseudo-relevance feedback.
    let expand = std::env::var("DOSSIER_BENCH_EXPAND").map_or(true, |v| v != "0");
    let reps: usize = std::env::var("DOSSIER_BENCH_REPS").ok().and_then(|v| v.parse().ok()).unwrap_or(50);
    let handle = open_index(&index_dir).expect("index opens");
    let docs = handle.reader.searcher().num_docs();
    for (set, regions) in [("no_filter", &REGIONS[..1]), ("region_filter", &REGIONS[1..])] {
        let mut millis = Vec::new();
        for &text in queries {
            for region in regions {
                let req = SearchRequest { filters: common::region_filter(*region), expand, ..SearchRequest::new(text) };
                search(&handle, &vocabulary, &req).expect("search works");
                for _ in 0..reps {
                    let started = Instant::now();
                    std::hint::black_box(search(&handle, &vocabulary, &req).expect("search works"));
                    millis.push(started.elapsed().as_secs_f64() * 1000.0);
                }
            }
        }
        millis.sort_by(f64::total_cmp);
        println!(
            "RESULT latency index={label} docs={docs} set={set} searches={} p50_ms={:.2} p90_ms={:.2} p99_ms={:.2} max_ms={:.2}",
            millis.len(),
            percentile(&millis, 0.50),
            percentile(&millis, 0.90),
            percentile(&millis, 0.99),
            millis[millis.len() - 1]
        );
    }
}
