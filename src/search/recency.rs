//! `--boost-recent`: relevance scaled by how recent an article is, relative to the newest
//! article of the index (an archive of 1987 wires is not "old" in itself). The factor is
//! `0.5 + 0.5 × 2^(−age / half-life)`: 1 for the newest article, 0.75 one half-life
//! earlier, never below 0.5, and 0.5 for an article without a date. It scales the part of
//! the score it wraps (rank.rs wraps BM25, not the all-words tier: recency reorders within
//! a tier and never lifts a partial match over a complete one).
//! Owns only that factor; which part of the score it scales is rank.rs's.

use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DateTime, DocId, DocSet, Score, Searcher, SegmentReader, Term};

use crate::index::schema::DATE_FIELD;

const SECONDS_PER_DAY: f64 = 86_400.0;

/// The date of the newest dated article, if any.
pub fn newest_date(searcher: &Searcher) -> Option<DateTime> {
    searcher
        .segment_readers()
        .iter()
        .filter_map(|segment| segment.fast_fields().date(DATE_FIELD).ok())
        .filter(|column| column.values.num_vals() > 0)
        .map(|column| column.max_value())
        .max()
}

/// The factor for an article `age_days` older than the newest.
pub fn factor(age_days: f64, half_life_days: f64) -> f32 {
    (0.5 + 0.5 * (-age_days.max(0.0) / half_life_days.max(1.0)).exp2()) as f32
}

/// `inner`, its score times the recency factor of each document.
#[derive(Debug)]
pub struct RecencyBoost {
    inner: Box<dyn Query>,
    newest: DateTime,
    half_life_days: f64,
}

impl RecencyBoost {
    pub fn new(inner: Box<dyn Query>, newest: DateTime, half_life_days: u32) -> RecencyBoost {
        RecencyBoost { inner, newest, half_life_days: f64::from(half_life_days) }
    }
}

impl Clone for RecencyBoost {
    fn clone(&self) -> Self {
        RecencyBoost { inner: self.inner.box_clone(), newest: self.newest, half_life_days: self.half_life_days }
    }
}

impl Query for RecencyBoost {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(RecencyWeight {
            inner: self.inner.weight(enable_scoring)?,
            newest: self.newest,
            half_life_days: self.half_life_days,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct RecencyWeight {
    inner: Box<dyn Weight>,
    newest: DateTime,
    half_life_days: f64,
}

fn dates(reader: &SegmentReader) -> Option<Column<DateTime>> {
    reader.fast_fields().date(DATE_FIELD).ok()
}

/// The factor of one document of a segment: 0.5 without a date.
fn factor_of(dates: Option<&Column<DateTime>>, doc: DocId, newest: DateTime, half_life_days: f64) -> f32 {
    match dates.and_then(|c| c.first(doc)) {
        Some(date) => {
            let age = (newest.into_timestamp_secs() - date.into_timestamp_secs()) as f64 / SECONDS_PER_DAY;
            factor(age, half_life_days)
        }
        None => 0.5,
    }
}

impl Weight for RecencyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        Ok(Box::new(RecencyScorer {
            inner,
            dates: dates(reader),
            newest: self.newest,
            half_life_days: self.half_life_days,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let f = factor_of(dates(reader).as_ref(), doc, self.newest, self.half_life_days);
        let mut e = Explanation::new_with_string(
            format!("recency ×{f:.3} (half-life {} days)", self.half_life_days),
            inner.value() * f,
        );
        e.add_detail(inner);
        Ok(e)
    }
}

struct RecencyScorer {
    inner: Box<dyn Scorer>,
    dates: Option<Column<DateTime>>,
    newest: DateTime,
    half_life_days: f64,
}

impl DocSet for RecencyScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }
}

impl Scorer for RecencyScorer {
    fn score(&mut self) -> Score {
        let f = factor_of(self.dates.as_ref(), self.inner.doc(), self.newest, self.half_life_days);
        self.inner.score() * f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_factor_halves_at_most() {
        assert_eq!(factor(0.0, 365.0), 1.0);
        assert!((factor(365.0, 365.0) - 0.75).abs() < 1e-6);
        assert!(factor(100_000.0, 365.0) >= 0.5);
        assert!(factor(10.0, 365.0) > factor(20.0, 365.0));
        // A date after the newest (clock skew) counts as the newest.
        assert_eq!(factor(-5.0, 365.0), 1.0);
    }
}
