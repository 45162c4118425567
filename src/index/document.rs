//! Article ⇄ tantivy document. Owns how an [`Article`] and its [`Facets`] are laid out in
//! the fields of schema.rs, and how a stored document is read back. Must not decide
//! anything about the content itself.

use chrono::{NaiveDate, NaiveTime};
use tantivy::schema::{Facet, Value};
use tantivy::{DateTime, TantivyDocument};

use super::analysis;
use super::schema::Fields;
use crate::extract::Article;
use crate::gazetteer::Facets;

/// The file an article came from: its stable id and the change-detection facts.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub content_hash: u64,
    pub size: u64,
    pub mtime: i64,
}

/// A facet path segment may not contain `/`; names like "Iron/Steel" keep their meaning.
fn facet_segment(s: &str) -> String {
    s.replace('/', "∕")
}

pub fn region_facet(region: &str, country: Option<&str>) -> Facet {
    match country {
        Some(c) => Facet::from_path([facet_segment(region), facet_segment(c)]),
        None => Facet::from_path([facet_segment(region)]),
    }
}

/// Topics live under `/topic`, article types under `/type`, in one facet field.
pub fn category_facet(category: &str) -> Facet {
    Facet::from_path([TOPIC_ROOT, &facet_segment(category)])
}

pub fn type_facet(kind: &str) -> Facet {
    Facet::from_path([TYPE_ROOT, &facet_segment(kind)])
}

pub const TOPIC_ROOT: &str = "topic";
pub const TYPE_ROOT: &str = "type";

/// The day as tantivy's date (nanoseconds in an i64: years 1677 to 2262). Days outside
/// are clamped to the ends: a `--since 2820` then matches nothing, as it should, where the
/// multiplication overflowed (a panic in debug builds, a wrong filter in release; found
/// by fuzzing the query target).
pub fn day_to_datetime(date: NaiveDate) -> DateTime {
    const NANOS: i64 = 1_000_000_000;
    let secs = date.and_time(NaiveTime::MIN).and_utc().timestamp();
    DateTime::from_timestamp_secs(secs.clamp(i64::MIN / NANOS, i64::MAX / NANOS))
}

pub fn datetime_to_day(dt: DateTime) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(dt.into_timestamp_secs(), 0).map(|d| d.date_naive())
}

/// Lays an article out as a document. `country_regions` maps each country to its region.
pub fn to_document(
    f: &Fields,
    source: &Source,
    article: &Article,
    facets: &Facets,
    region_of: &dyn Fn(&str) -> Option<String>,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &source.id);
    if let Some(url) = &article.url {
        doc.add_text(f.url, url);
    }
    // Searched in the page's language, shown as the page wrote it.
    let language = article.language.as_deref();
    if let Some(t) = &article.title {
        doc.add_text(f.title, analysis::mark(language, t));
        doc.add_text(f.stored_title, t);
    }
    for b in &article.blocks {
        doc.add_text(f.body, analysis::mark(language, &b.text));
        doc.add_text(f.stored_body, &b.text);
    }
    if let Some(a) = &article.author {
        doc.add_text(f.author, a);
    }
    for t in &facets.tags {
        doc.add_text(f.tags, analysis::mark(language, t));
        doc.add_text(f.stored_tags, t);
    }
    if let Some(l) = &article.language {
        doc.add_text(f.language, l);
    }
    if let Some(p) = &article.published {
        doc.add_date(f.date, day_to_datetime(p.date));
        doc.add_facet(
            f.year,
            Facet::from_path([
                format!("{:04}", chrono::Datelike::year(&p.date)),
                format!("{:02}", chrono::Datelike::month(&p.date)),
            ]),
        );
        if let Some(instant) = p.instant {
            doc.add_text(f.published, instant.to_rfc3339());
        }
    }
    let mut regions_with_country = Vec::new();
    for c in &facets.countries {
        if let Some(r) = region_of(c) {
            doc.add_facet(f.region, region_facet(&r, Some(c)));
            regions_with_country.push(r);
        }
    }
    for r in &facets.regions {
        if !regions_with_country.contains(r) {
            doc.add_facet(f.region, region_facet(r, None));
        }
    }
    for c in &facets.categories {
        doc.add_facet(f.category, category_facet(c));
    }
    for t in &facets.types {
        doc.add_facet(f.category, type_facet(t));
    }
    doc.add_u64(f.content_hash, source.content_hash);
    doc.add_u64(f.id_key, id_key(&source.id));
    let texts = article.title.iter().map(String::as_str).chain(article.blocks.iter().map(|b| b.text.as_str()));
    let (print, words) = super::fingerprint::fingerprint(texts);
    doc.add_u64(f.fingerprint, print);
    doc.add_u64(f.words, words as u64);
    doc.add_u64(f.file_size, source.size);
    doc.add_i64(f.file_mtime, source.mtime);
    doc
}

/// A stored document read back for display.
#[derive(Debug, Clone, Default)]
pub struct StoredArticle {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub body: Vec<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub date: Option<NaiveDate>,
    pub published: Option<String>,
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    pub categories: Vec<String>,
    pub types: Vec<String>,
    pub tags: Vec<String>,
}

fn decode_facet(v: &str) -> Option<Vec<String>> {
    Facet::from_encoded(v.as_bytes().to_vec())
        .ok()
        .map(|f| f.to_path().into_iter().map(|s| s.replace('∕', "/")).collect())
}

pub fn from_document(f: &Fields, doc: &TantivyDocument) -> StoredArticle {
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
    let texts = |field| doc.get_all(field).filter_map(|v| v.as_str()).map(str::to_string).collect::<Vec<_>>();
    let mut a = StoredArticle {
        id: text(f.id).unwrap_or_default(),
        url: text(f.url),
        title: text(f.stored_title),
        body: texts(f.stored_body),
        author: text(f.author),
        language: text(f.language),
        date: doc.get_first(f.date).and_then(|v| v.as_datetime()).and_then(datetime_to_day),
        published: text(f.published),
        tags: texts(f.stored_tags),
        ..Default::default()
    };
    for v in doc.get_all(f.region).filter_map(|v| v.as_facet()) {
        if let Some(path) = decode_facet(v) {
            if let Some(r) = path.first() {
                if !a.regions.contains(r) {
                    a.regions.push(r.clone());
                }
            }
            if let Some(c) = path.get(1) {
                if !a.countries.contains(c) {
                    a.countries.push(c.clone());
                }
            }
        }
    }
    for v in doc.get_all(f.category).filter_map(|v| v.as_facet()) {
        if let Some(path) = decode_facet(v) {
            match (path.first().map(String::as_str), path.get(1)) {
                (Some(TOPIC_ROOT), Some(name)) => a.categories.push(name.clone()),
                (Some(TYPE_ROOT), Some(name)) => a.types.push(name.clone()),
                _ => {}
            }
        }
    }
    a.regions.sort();
    a.countries.sort();
    a
}

/// The FNV-1a hash of a document id: the same on every machine and run, so equal scores
/// are ordered the same whatever the segment layout.
pub fn id_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzz finding (query target): `--since 2820` overflowed tantivy's nanoseconds.
    #[test]
    fn days_beyond_tantivys_range_are_clamped() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        let far = day_to_datetime(day(2820, 1, 1));
        assert!(far > day_to_datetime(day(2100, 12, 31)));
        assert_eq!(far, day_to_datetime(day(9999, 12, 31)), "both clamp to the last representable instant");
        assert!(day_to_datetime(day(1000, 1, 1)) < day_to_datetime(day(1900, 1, 1)));
        assert_eq!(datetime_to_day(day_to_datetime(day(2023, 8, 2))), Some(day(2023, 8, 2)));
    }
}
