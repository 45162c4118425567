//! Facet counts for the result set, collected in the same pass as the top documents,
//! and the facet values an index holds (for resolving filter names). Owns nothing else.

use std::collections::BTreeMap;

use tantivy::collector::{FacetCollector, FacetCounts};
use tantivy::schema::{Facet, Field};
use tantivy::Searcher;

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

/// The collectors for one search: regions, countries (children of every region present),
/// categories, years. Adding "/" and "/Africa" to one collector panics in tantivy, so
/// countries get their own collector.
pub fn collectors(regions_present: &[String]) -> (FacetCollector, FacetCollector, FacetCollector, FacetCollector) {
    let mut region = FacetCollector::for_field(REGION_FIELD);
    region.add_facet("/");
    let mut country = FacetCollector::for_field(REGION_FIELD);
    for r in regions_present {
        country.add_facet(Facet::from_path([r.as_str()]));
    }
    let mut category = FacetCollector::for_field(CATEGORY_FIELD);
    category.add_facet(Facet::from_path([TOPIC_ROOT]));
    category.add_facet(Facet::from_path([TYPE_ROOT]));
    let mut year = FacetCollector::for_field(YEAR_FIELD);
    year.add_facet("/");
    (region, country, category, year)
}

fn label(f: &Facet) -> String {
    f.to_path().last().map(|s| s.replace('∕', "/")).unwrap_or_default()
}

pub fn table(
    region: &FacetCounts,
    country: &FacetCounts,
    category: &FacetCounts,
    year: &FacetCounts,
    regions_present: &[String],
) -> FacetTable {
    let mut t = FacetTable::default();
    for (facet, n) in region.get("/") {
        t.region.insert(label(facet), n);
    }
    for r in regions_present {
        for (facet, n) in country.get(&format!("/{r}")) {
            *t.country.entry(label(facet)).or_default() += n;
            t.country_region.entry(label(facet)).or_insert_with(|| r.replace('∕', "/"));
        }
    }
    for (facet, n) in category.get(&format!("/{TOPIC_ROOT}")) {
        t.category.insert(label(facet), n);
    }
    for (facet, n) in category.get(&format!("/{TYPE_ROOT}")) {
        t.kind.insert(label(facet), n);
    }
    for (facet, n) in year.get("/") {
        t.year.insert(label(facet), n);
    }
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
