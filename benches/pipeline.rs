//! Criterion benches for the three costs users feel: normalising pages (MB/s), indexing
//! (docs/s) and searching with facets and snippets (latency). On the sample corpus; set
//! DOSSIER_BENCH_PAGES=DIR to normalise another folder of pages instead (e.g. an unpacked
//! ../shared extraction set).

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dossier::extract::Hints;
use dossier::gazetteer::Vocabulary;
use dossier::index::{index_corpus, open_index};
use dossier::search::{search, SearchRequest};

mod common;
use common::{corpus, sample_options};

fn pages(dir: &Path, limit: usize) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| dossier::index::walk::is_page(e.path()))
        .take(limit)
        .filter_map(|e| Some((e.path().display().to_string(), std::fs::read(e.path()).ok()?)))
        .collect()
}

fn normalise(c: &mut Criterion) {
    let dir = std::env::var_os("DOSSIER_BENCH_PAGES").map(PathBuf::from).unwrap_or_else(corpus);
    let pages = pages(&dir, 500);
    let bytes: usize = pages.iter().map(|(_, b)| b.len()).sum();
    let hints = Hints::default();
    let vocabulary = Vocabulary::load(None).expect("built-in vocabulary");
    let mut group = c.benchmark_group("normalise");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(BenchmarkId::new("pages", pages.len()), |b| {
        b.iter(|| {
            for (path, page) in &pages {
                let _ = std::hint::black_box(dossier::normalise_page(page, Some(path), &hints, &vocabulary));
            }
        })
    });
    group.finish();
}

fn index(c: &mut Criterion) {
    let n = pages(&corpus(), usize::MAX).len();
    let hints = Hints::default();
    let vocabulary = Vocabulary::load(None).expect("built-in vocabulary");
    let mut group = c.benchmark_group("index");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("sample_corpus_full", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            index_corpus(&sample_options(dir.path()), &vocabulary, &hints).expect("indexing works")
        })
    });
    group.finish();
}

fn search_latency(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let hints = Hints::default();
    let vocabulary = Vocabulary::load(None).expect("built-in vocabulary");
    let opts = sample_options(dir.path());
    index_corpus(&opts, &vocabulary, &hints).expect("indexing works");
    let handle = open_index(&opts.index_dir).expect("index opens");
    let mut group = c.benchmark_group("search");
    for (name, text, region) in [
        ("one_word", "Mongolia", None),
        ("three_words", "rare earth Mongolia", None),
        ("three_words_region", "rare earth Mongolia", Some("asia-pacific")),
        ("phrase", "\"critical minerals\"", None),
        ("five_words_region", "election protests opposition parliament vote", Some("europe")),
    ] {
        let req = SearchRequest { filters: common::region_filter(region), ..SearchRequest::new(text) };
        group.bench_function(name, |b| b.iter(|| search(&handle, &vocabulary, &req).expect("search works")));
    }
    group.finish();
}

criterion_group!(benches, normalise, index, search_latency);
criterion_main!(benches);
