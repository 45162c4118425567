//! Near-identical articles in one result list (the same wire story on two sites, a page
//! saved twice): each story is shown once, at the rank of its best copy, with its other
//! copies listed under it. Owns only that collapse; the fingerprints and the rule for
//! "the same article" are index::fingerprint's.

use std::collections::HashMap;

use tantivy::columnar::Column;
use tantivy::{DocAddress, Searcher};

use crate::index::fingerprint::{bucket_keys, same_article};
use crate::index::schema::{FINGERPRINT_FIELD, WORDS_FIELD};

/// One story of a ranked list: its best copy (score, address) and the other copies.
pub struct Story {
    pub score: f32,
    pub address: DocAddress,
    pub copies: Vec<DocAddress>,
}

/// Collapses `ranked` (best first) into stories, keeping the order of first copies.
/// A segment's fingerprint and word-count columns.
type Prints = (Option<Column<u64>>, Option<Column<u64>>);

pub fn collapse(searcher: &Searcher, ranked: Vec<(f32, DocAddress)>) -> Vec<Story> {
    let columns: Vec<Prints> = searcher
        .segment_readers()
        .iter()
        .map(|r| (r.fast_fields().u64(FINGERPRINT_FIELD).ok(), r.fast_fields().u64(WORDS_FIELD).ok()))
        .collect();
    let print_of = |a: DocAddress| -> (u64, usize) {
        let Some((Some(prints), Some(words))) = columns.get(a.segment_ord as usize) else { return (0, 0) };
        (prints.first(a.doc_id).unwrap_or(0), words.first(a.doc_id).unwrap_or(0) as usize)
    };
    let mut stories: Vec<Story> = Vec::new();
    let mut prints: Vec<(u64, usize)> = Vec::new();
    // Look only at stories sharing a bucket (fingerprint.rs: the same article always does).
    let mut by_bucket: HashMap<(u8, u64), Vec<usize>> = HashMap::new();
    for (score, address) in ranked {
        let print = print_of(address);
        let same = bucket_keys(print.0)
            .iter()
            .filter_map(|key| by_bucket.get(key))
            .flatten()
            .copied()
            .filter(|&i| same_article(prints[i], print))
            .min();
        match same {
            Some(i) => stories[i].copies.push(address),
            None => {
                let i = stories.len();
                stories.push(Story { score, address, copies: Vec::new() });
                prints.push(print);
                if print.1 > 0 {
                    for key in bucket_keys(print.0) {
                        by_bucket.entry(key).or_default().push(i);
                    }
                }
            }
        }
    }
    stories
}
