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

/// A segment's fingerprint and word-count columns.
type Prints = (Option<Column<u64>>, Option<Column<u64>>);

/// The fingerprints of a searcher's documents.
pub struct Fingerprints {
    columns: Vec<Prints>,
}

impl Fingerprints {
    pub fn new(searcher: &Searcher) -> Fingerprints {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|r| (r.fast_fields().u64(FINGERPRINT_FIELD).ok(), r.fast_fields().u64(WORDS_FIELD).ok()))
            .collect();
        Fingerprints { columns }
    }

    /// A document's fingerprint and word count; (0, 0), which matches nothing, if unknown.
    pub fn of(&self, a: DocAddress) -> (u64, usize) {
        let Some((Some(prints), Some(words))) = self.columns.get(a.segment_ord as usize) else { return (0, 0) };
        (prints.first(a.doc_id).unwrap_or(0), words.first(a.doc_id).unwrap_or(0) as usize)
    }
}

/// Collapses `ranked` (best first) into stories, keeping the order of first copies.
pub fn collapse(prints_of: &Fingerprints, ranked: Vec<(f32, DocAddress)>) -> Vec<Story> {
    let print_of = |a: DocAddress| prints_of.of(a);
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
