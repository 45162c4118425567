//! Facet counts for the result set, collected in the same pass as the top documents,
//! and the facet values an index holds (for resolving filter names). Owns nothing else.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::{Facet, Field};
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::index::document::{TOPIC_ROOT, TYPE_ROOT};
use crate::index::schema::{CATEGORY_FIELD, REGION_FIELD, YEAR_FIELD};

/// Counts by region, country, topic, article type and year; names as shown to users.
#[derive(Debug, Clone, Default)]
pub struct FacetTable {
    pub region: BTreeMap<String, u64>,
    pub country: BTreeMap<String, u64>,
    /// Topics.
    pub category: BTreeMap<String, u64>,
    /// Article types.
    pub kind: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    /// The region each counted country sits under (for showing countries as a tree).
    pub country_region: BTreeMap<String, String>,
}

/// Documents per facet value at one depth of a facet field: depth 1 counts `/Asia`,
/// depth 2 `/Asia/China` (a document with several values under one counts once).
///
/// Ours rather than tantivy's `FacetCollector`, which names each counted value with its
/// own term-dictionary lookup when the search ends, decoding a dictionary block per value:
/// that was half of a search process's instructions. The dictionary is read once here, in
/// order, when the segment's first hit is counted, and the names are kept from that pass;
/// counts stay in encoded form (no `Facet` is built) until the table names them.
pub struct FacetCounter {
    field: &'static str,
    depth: usize,
}

impl FacetCounter {
    pub fn new(field: &'static str, depth: usize) -> FacetCounter {
        FacetCounter { field, depth }
    }
}

pub struct SegmentFacetCounter {
    reader: FacetReader,
    depth: usize,
    /// Built when the segment's first hit is counted (a segment without hits never reads
    /// its dictionary).
    index: Option<ValueIndex>,
}

/// A segment's facet values at the depth counted, read from its dictionary in one pass.
struct ValueIndex {
    /// For each facet ordinal of the segment, the index of its value at the depth counted
    /// (`NO_VALUE` for facets shallower than it).
    value_of_ord: Vec<u32>,
    /// Encoded facet of each value, in dictionary order.
    values: Vec<Vec<u8>>,
    counts: Vec<u64>,
}

impl ValueIndex {
    fn read(reader: &FacetReader, depth: usize) -> ValueIndex {
        let dict = reader.facet_dict();
        let mut value_of_ord = vec![NO_VALUE; dict.num_terms()];
        let mut values: Vec<Vec<u8>> = Vec::new();
        if let Ok(mut stream) = dict.stream() {
            while stream.advance() {
                if let Some(prefix) = ancestor(stream.key(), depth) {
                    // Facets sort under their ancestors, so one value's facets are adjacent.
                    if values.last().map(Vec::as_slice) != Some(prefix) {
                        values.push(prefix.to_vec());
                    }
                    if let Some(slot) = value_of_ord.get_mut(stream.term_ord() as usize) {
                        *slot = (values.len() - 1) as u32;
                    }
                }
            }
        }
        let counts = vec![0; values.len()];
        ValueIndex { value_of_ord, values, counts }
    }
}

const NO_VALUE: u32 = u32::MAX;

/// The first `depth` segments of an encoded facet (segments are separated by NUL), or
/// `None` when it has fewer.
fn ancestor(encoded: &[u8], depth: usize) -> Option<&[u8]> {
    if encoded.is_empty() || depth == 0 {
        return None;
    }
    match encoded.iter().enumerate().filter(|&(_, &b)| b == 0).nth(depth - 1) {
        Some((at, _)) => Some(&encoded[..at]),
        None => (encoded.iter().filter(|&&b| b == 0).count() + 1 == depth).then_some(encoded),
    }
}

impl Collector for FacetCounter {
    type Fruit = Counts;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacetCounter> {
        Ok(SegmentFacetCounter { reader: segment.facet_reader(self.field)?, depth: self.depth, index: None })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all: Counts = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        let mut total: Counts = Vec::with_capacity(all.len());
        for (facet, n) in all {
            match total.last_mut() {
                Some((last, m)) if *last == facet => *m += n,
                _ => total.push((facet, n)),
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let (reader, depth) = (&self.reader, self.depth);
        let index = self.index.get_or_insert_with(|| ValueIndex::read(reader, depth));
        let mut previous = NO_VALUE;
        for ord in self.reader.facet_ords(doc) {
            let value = index.value_of_ord.get(ord as usize).copied().unwrap_or(NO_VALUE);
            // A document's ordinals are sorted, so its facets under one value are adjacent.
            if value != NO_VALUE && value != previous {
                index.counts[value as usize] += 1;
            }
            previous = value;
        }
    }

    fn harvest(self) -> Counts {
        let Some(index) = self.index else { return Vec::new() };
        index
            .values
            .into_iter()
            .zip(index.counts)
            .filter(|&(_, n)| n > 0)
            .filter_map(|(bytes, n)| Some((String::from_utf8(bytes).ok()?, n)))
            .collect()
    }
}

/// Counts of one search, collected with the top documents: (encoded facet, documents),
/// in encoded order. An encoded facet is its path's segments joined by NUL.
pub type Counts = Vec<(String, u64)>;

/// The counters for one search: regions, countries (region children), categories (topics
/// and types, children of their roots), years.
pub fn collectors() -> (FacetCounter, FacetCounter, FacetCounter, FacetCounter) {
    (
        FacetCounter::new(REGION_FIELD, 1),
        FacetCounter::new(REGION_FIELD, 2),
        FacetCounter::new(CATEGORY_FIELD, 2),
        FacetCounter::new(YEAR_FIELD, 1),
    )
}

/// Counts under `parent` (a facet path such as `["topic"]`): its children's labels and
/// counts. Reads the encoded paths without splitting them.
fn children<'c>(counts: &'c Counts, parent: &[&str]) -> impl Iterator<Item = (String, u64)> + 'c {
    let parent = parent.join("\u{0}");
    counts.iter().filter_map(move |(e, n)| {
        let (up, last) = e.rsplit_once('\u{0}').unwrap_or(("", e));
        (!e.is_empty() && up == parent).then(|| (last.replace('∕', "/"), *n))
    })
}

pub fn table(
    region: &Counts,
    country: &Counts,
    category: &Counts,
    year: &Counts,
    regions_present: &[String],
) -> FacetTable {
    let mut t = FacetTable::default();
    t.region.extend(children(region, &[]));
    for r in regions_present {
        for (name, n) in children(country, &[r.as_str()]) {
            t.country_region.entry(name.clone()).or_insert_with(|| r.replace('∕', "/"));
            *t.country.entry(name).or_default() += n;
        }
    }
    t.category.extend(children(category, &[TOPIC_ROOT]));
    t.kind.extend(children(category, &[TYPE_ROOT]));
    t.year.extend(children(year, &[]));
    t
}

/// Every facet value of `field` in the index (from the term dictionaries).
pub fn facet_values(searcher: &Searcher, field: Field) -> Vec<Facet> {
    let mut out: std::collections::BTreeSet<Facet> = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else { continue };
        let Ok(mut stream) = inverted.terms().stream() else { continue };
        while stream.advance() {
            if let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) {
                out.insert(facet);
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_are_cut_at_segment_boundaries() {
        let f = Facet::from_path(["Asia", "China", "Beijing"]);
        let e = f.encoded_str().as_bytes();
        assert_eq!(ancestor(e, 1), Some(Facet::from_path(["Asia"]).encoded_str().as_bytes()));
        assert_eq!(ancestor(e, 2), Some(Facet::from_path(["Asia", "China"]).encoded_str().as_bytes()));
        assert_eq!(ancestor(e, 3), Some(e));
        assert_eq!(ancestor(e, 4), None);
        assert_eq!(ancestor(b"", 1), None);
    }
}
