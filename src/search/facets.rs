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
    /// Values left out of each dimension by the limit ("region", "country", "category",
    /// "type", "year"; only those with some).
    pub omitted: BTreeMap<&'static str, usize>,
}

/// Documents per facet value at one depth of a facet field: depth 1 counts `/Asia`,
/// depth 2 `/Asia/China` (a document with several values under one counts once).
///
/// Ours rather than tantivy's `FacetCollector`, which names each counted value with its
/// own term-dictionary lookup when the search ends, decoding a dictionary block per value:
/// that was half of a search process's instructions. The dictionary is read once here, in
/// order, when the segment's first hit is counted, and the names are kept from that pass;
/// counts stay in encoded form (no `Facet` is built) until the table names them.
///
/// One counter counts a field at several depths (regions and countries) in one read of
/// each hit's facets.
pub struct FacetCounter {
    field: &'static str,
    depths: &'static [usize],
}

impl FacetCounter {
    pub fn new(field: &'static str, depths: &'static [usize]) -> FacetCounter {
        FacetCounter { field, depths }
    }
}

pub struct SegmentFacetCounter {
    reader: FacetReader,
    depths: &'static [usize],
    /// One per depth, built when the segment's first hit is counted (a segment without
    /// hits never reads its dictionary).
    index: Option<Vec<ValueIndex>>,
    /// The value last counted at each depth for the current document.
    previous: Vec<u32>,
}

/// A segment's facet values at one depth counted.
struct ValueIndex {
    /// For each facet ordinal of the segment, the index of its value at the depth counted
    /// (`NO_VALUE` for facets shallower than it).
    value_of_ord: Vec<u32>,
    /// Encoded facets of the values, in dictionary order, end to end (one allocation, not
    /// one per value); `ends[i]` is where value `i` ends.
    text: Vec<u8>,
    ends: Vec<usize>,
    counts: Vec<u64>,
}

impl ValueIndex {
    fn value(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The segment's values at each of `depths`, from one pass over its dictionary.
    fn read(reader: &FacetReader, depths: &[usize]) -> Vec<ValueIndex> {
        let dict = reader.facet_dict();
        let mut indexes: Vec<ValueIndex> = depths
            .iter()
            .map(|_| ValueIndex {
                value_of_ord: vec![NO_VALUE; dict.num_terms()],
                text: Vec::new(),
                ends: Vec::new(),
                counts: Vec::new(),
            })
            .collect();
        if let Ok(mut stream) = dict.stream() {
            while stream.advance() {
                let (key, ord) = (stream.key(), stream.term_ord() as usize);
                for (index, &depth) in indexes.iter_mut().zip(depths) {
                    let Some(prefix) = ancestor(key, depth) else { continue };
                    // Facets sort under their ancestors, so one value's facets are adjacent.
                    let n = index.ends.len();
                    if n == 0 || index.value(n - 1) != prefix {
                        index.text.extend_from_slice(prefix);
                        index.ends.push(index.text.len());
                    }
                    if let Some(slot) = index.value_of_ord.get_mut(ord) {
                        *slot = (index.ends.len() - 1) as u32;
                    }
                }
            }
        }
        for index in &mut indexes {
            index.counts = vec![0; index.ends.len()];
        }
        indexes
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
    /// Counts at each depth, in the order of `depths`.
    type Fruit = Vec<Counts>;
    type Child = SegmentFacetCounter;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentFacetCounter> {
        Ok(SegmentFacetCounter {
            reader: segment.facet_reader(self.field)?,
            depths: self.depths,
            index: None,
            previous: vec![NO_VALUE; self.depths.len()],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Counts>>) -> tantivy::Result<Vec<Counts>> {
        let mut by_depth: Vec<Counts> = vec![Vec::new(); self.depths.len()];
        for fruit in fruits {
            for (all, counts) in by_depth.iter_mut().zip(fruit) {
                all.extend(counts);
            }
        }
        Ok(by_depth.into_iter().map(merge_counts).collect())
    }
}

/// Segments' counts added up per facet, in encoded order.
fn merge_counts(mut all: Counts) -> Counts {
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut total: Counts = Vec::with_capacity(all.len());
    for (facet, n) in all {
        match total.last_mut() {
            Some((last, m)) if *last == facet => *m += n,
            _ => total.push((facet, n)),
        }
    }
    total
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = Vec<Counts>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let (reader, depths) = (&self.reader, self.depths);
        let indexes = self.index.get_or_insert_with(|| ValueIndex::read(reader, depths));
        self.previous.fill(NO_VALUE);
        for ord in self.reader.facet_ords(doc) {
            for (index, previous) in indexes.iter_mut().zip(self.previous.iter_mut()) {
                let value = index.value_of_ord.get(ord as usize).copied().unwrap_or(NO_VALUE);
                // A document's ordinals are sorted, so its facets under one value are adjacent.
                if value != NO_VALUE && value != *previous {
                    index.counts[value as usize] += 1;
                }
                *previous = value;
            }
        }
    }

    fn harvest(self) -> Vec<Counts> {
        let Some(indexes) = self.index else { return vec![Vec::new(); self.depths.len()] };
        indexes
            .into_iter()
            .map(|index| {
                (0..index.ends.len())
                    .filter(|&i| index.counts[i] > 0)
                    .filter_map(|i| Some((std::str::from_utf8(index.value(i)).ok()?.to_owned(), index.counts[i])))
                    .collect()
            })
            .collect()
    }
}

/// Counts of one search, collected with the top documents: (encoded facet, documents),
/// in encoded order. An encoded facet is its path's segments joined by NUL.
pub type Counts = Vec<(String, u64)>;

/// What the counters of [`collectors`] return: per counter, one [`Counts`] per depth.
pub type Counted = (Vec<Counts>, Vec<Counts>, Vec<Counts>);

/// The counters for one search: regions and countries (region children) in one,
/// categories (topics and types, children of their roots), years.
pub fn collectors() -> (FacetCounter, FacetCounter, FacetCounter) {
    (
        FacetCounter::new(REGION_FIELD, &[1, 2]),
        FacetCounter::new(CATEGORY_FIELD, &[2]),
        FacetCounter::new(YEAR_FIELD, &[1]),
    )
}

/// Counts under `parent` (a facet path such as `["topic"]`): its children's encoded labels
/// and counts, borrowed (labels are decoded only for the values a table keeps).
fn children<'c>(counts: &'c Counts, parent: &[&str]) -> impl Iterator<Item = (&'c str, u64)> + 'c {
    let parent = parent.join("\u{0}");
    counts.iter().filter_map(move |(e, n)| {
        let (up, last) = e.rsplit_once('\u{0}').unwrap_or(("", e));
        (!e.is_empty() && up == parent).then_some((last, *n))
    })
}

/// A label as users see it (a `/` inside a facet segment is stored as `∕`).
fn label(encoded: &str) -> String {
    encoded.replace('∕', "/")
}

/// The `limit` values with the most documents (ties by label; `0` keeps all), and how
/// many were left out.
fn top<'c>(values: impl Iterator<Item = (&'c str, u64)>, limit: usize) -> (BTreeMap<String, u64>, usize) {
    let mut v: Vec<(&str, u64)> = values.collect();
    let omitted = if limit > 0 && v.len() > limit {
        v.select_nth_unstable_by(limit - 1, |a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let n = v.len() - limit;
        v.truncate(limit);
        n
    } else {
        0
    };
    (v.into_iter().map(|(k, n)| (label(k), n)).collect(), omitted)
}

/// The table users see: each dimension's `limit` largest values (`0`: all of them), with
/// the number left out in `omitted`.
pub fn table(counted: &Counted, regions_present: &[String], limit: usize) -> FacetTable {
    // One `Counts` per depth each counter of `collectors` counts.
    let ([region, country], [category], [year]) = (&counted.0[..], &counted.1[..], &counted.2[..]) else {
        unreachable!("collectors count regions at two depths, categories and years at one")
    };
    let mut omitted = BTreeMap::new();
    let mut omit = |name: &'static str, (map, n): (BTreeMap<String, u64>, usize)| {
        if n > 0 {
            omitted.insert(name, n);
        }
        map
    };
    let regions = omit("region", top(children(region, &[]), limit));
    // A country is counted under each region it sits under; its total is their sum.
    let mut by_country: BTreeMap<&str, (u64, &str)> = BTreeMap::new();
    for r in regions_present {
        for (name, n) in children(country, &[r.as_str()]) {
            let entry = by_country.entry(name).or_insert((0, r.as_str()));
            entry.0 += n;
        }
    }
    let countries = omit("country", top(by_country.iter().map(|(&c, &(n, _))| (c, n)), limit));
    let topics = omit("category", top(children(category, &[TOPIC_ROOT]), limit));
    let kinds = omit("type", top(children(category, &[TYPE_ROOT]), limit));
    let years = omit("year", top(children(year, &[]), limit));
    let country_region = by_country
        .iter()
        .map(|(c, (_, r))| (label(c), r))
        .filter(|(name, _)| countries.contains_key(name))
        .map(|(name, r)| (name, label(r)))
        .collect();
    FacetTable {
        region: regions,
        country: countries,
        category: topics,
        kind: kinds,
        year: years,
        country_region,
        omitted,
    }
}

/// Facet values a table shows by default, per dimension (the rest are counted in
/// `omitted`): a search over many sites' pages can count a thousand site sections.
pub const DEFAULT_FACET_LIMIT: usize = 50;

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

    #[test]
    fn one_counter_counts_each_depth_once_per_document() {
        use tantivy::collector::Count;
        use tantivy::query::AllQuery;
        use tantivy::schema::{FacetOptions, Schema};
        use tantivy::{doc, Index};
        let mut builder = Schema::builder();
        let region = builder.add_facet_field(REGION_FIELD, FacetOptions::default());
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let f = |p: &[&str]| Facet::from_path(p.iter().copied());
        // Two countries under one region count the region once; a region alone counts no country.
        writer.add_document(doc!(region => f(&["Asia", "China"]), region => f(&["Asia", "Japan"]))).unwrap();
        writer.add_document(doc!(region => f(&["Asia", "China"]), region => f(&["Europe", "France"]))).unwrap();
        writer.add_document(doc!(region => f(&["Europe"]))).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let (n, counts) = searcher.search(&AllQuery, &(Count, FacetCounter::new(REGION_FIELD, &[1, 2]))).unwrap();
        assert_eq!(n, 3);
        let named = |c: &Counts| c.iter().map(|(e, n)| (e.replace('\u{0}', "/"), *n)).collect::<Vec<_>>();
        assert_eq!(named(&counts[0]), [("Asia".to_string(), 2), ("Europe".to_string(), 2)]);
        assert_eq!(
            named(&counts[1]),
            [("Asia/China".to_string(), 2), ("Asia/Japan".to_string(), 1), ("Europe/France".to_string(), 1)]
        );
    }

    #[test]
    fn top_keeps_the_largest_counts_and_counts_the_rest() {
        let values = [("b", 5), ("a", 5), ("c", 9), ("d", 1), ("x∕y", 3)];
        let (kept, omitted) = top(values.iter().copied(), 3);
        let want: BTreeMap<String, u64> =
            [("a", 5), ("b", 5), ("c", 9)].iter().map(|&(k, n)| (k.to_string(), n)).collect();
        assert_eq!((kept, omitted), (want, 2));
        let (all, none) = top(values.iter().copied(), 0);
        assert_eq!((all.len(), none), (5, 0));
        assert_eq!(all.get("x/y"), Some(&3), "labels are decoded");
        assert_eq!(top(values.iter().copied(), 5).1, 0);
    }
}
