//! User query text and filters → a tantivy query. Owns the query syntax (tantivy's
//! parser, used leniently so punctuation never fails), the filters (which never change
//! scores) and their resolution against the vocabulary. Ranking boosts are rank.rs's.

use std::ops::Bound;

use chrono::{Datelike, NaiveDate};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring, Explanation, Occur, Query,
    QueryParser, RangeQuery, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DocId, DocSet, Index, Score, SegmentReader, Term};

use super::SearchError;
use crate::gazetteer::{normalise, Place, Vocabulary};
use crate::index::analysis::Analysis;
use crate::index::document::{category_facet, day_to_datetime, region_facet, type_facet};
use crate::index::{schema, Fields};

/// Title matches count this much more than body matches. Measured (MAP / P@30 on CACM,
/// MAP on the Reuters topics, feedback on): 1.0 0.3809 / 0.2218 / 0.5025; 1.5 0.3830 /
/// 0.2224 / 0.4994; 2.0 0.3735 / 0.2205 / 0.4983; 3.0 0.3623 / 0.2109. Below 1.5 a
/// headline match stops outranking the same word deep in a long body.
pub const TITLE_BOOST: f32 = 1.5;
/// Longest query we parse; the rest is dropped with a warning.
pub const MAX_QUERY_CHARS: usize = 4096;

/// The user's text query, parsed.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    pub warnings: Vec<String>,
    /// Whether the user wrote query syntax (quotes, operators, fields); boosts are only
    /// added to plain word queries.
    pub has_syntax: bool,
    pub is_empty: bool,
}

/// The parser for queries with syntax, over title, body and tags. The title boost is added by
/// `guard` (outside the guard wrappers), not by the parser.
pub fn query_parser(index: &Index, f: &Fields) -> QueryParser {
    QueryParser::for_index(index, vec![f.title, f.body, f.tags])
}

/// Whether the user wrote query syntax rather than natural language with punctuation:
/// quotes, a `field:` prefix naming a field of the index, a word marked `+` or `-`, or an
/// upper-case operator. Parentheses, colons and dashes in prose ("TSS (Time Sharing
/// System)", "Examples: troff", "algorithms - concurrent") are not syntax.
fn has_syntax(schema: &tantivy::schema::Schema, q: &str) -> bool {
    let field_prefix = |w: &str| w.split_once(':').is_some_and(|(name, _)| schema.get_field(name).is_ok());
    let marked = |w: &str| {
        let mut chars = w.chars();
        matches!(chars.next(), Some('+' | '-')) && chars.next().is_some_and(|c| c.is_alphanumeric() || c == '"')
    };
    q.contains('"')
        || q.split_whitespace().any(|w| {
            let w = w.trim_start_matches('(');
            field_prefix(w) || marked(w) || matches!(w, "AND" | "OR" | "NOT")
        })
}

/// Parses the text query. Never fails: syntax errors become warnings and the parser's
/// best effort is used.
/// A query with syntax is read once per language of the index (`analyses`, English first)
/// and a page scores by the reading that suits it best (the maximum, not the sum).
pub fn parse_text_query(index: &Index, f: &Fields, text: &str, analyses: &[Analysis]) -> ParsedQuery {
    let mut warnings = Vec::new();
    let mut text: String = text.chars().filter(|c| !c.is_control()).collect();
    if text.chars().count() > MAX_QUERY_CHARS {
        text = text.chars().take(MAX_QUERY_CHARS).collect();
        warnings.push(format!("query truncated to its first {MAX_QUERY_CHARS} characters"));
    }
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        // Every document, each scoring 1. Wrapped: tantivy drops a bare AllQuery's score
        // inside a conjunction, so with a filter every hit scored 0 instead of 1.
        let all = Box::new(ConstScoreQuery::new(Box::new(AllQuery), 1.0));
        return ParsedQuery { query: all, warnings, has_syntax: false, is_empty: true };
    }
    let qp = query_parser(index, f);
    let (query, errors) = qp.parse_query_lenient(trimmed);
    for e in errors {
        warnings.push(format!("query: {e}"));
    }
    let query = guard(query, f);
    let syntax = has_syntax(&index.schema(), trimmed);
    if !syntax || analyses.len() < 2 {
        return ParsedQuery { query, warnings, has_syntax: syntax, is_empty: false };
    }
    let mut readings: Vec<Box<dyn Query>> = vec![query];
    let mut seen = vec![format!("{:?}", readings[0])];
    for &analysis in &analyses[1..] {
        let parser = QueryParser::new(index.schema(), vec![f.title, f.body], schema::query_tokenizers(analysis));
        let (reading, _) = parser.parse_query_lenient(trimmed);
        let reading = guard(reading, f);
        let key = format!("{reading:?}");
        if !seen.contains(&key) {
            seen.push(key);
            readings.push(reading);
        }
    }
    let query: Box<dyn Query> =
        if readings.len() == 1 { readings.remove(0) } else { Box::new(DisjunctionMaxQuery::new(readings)) };
    ParsedQuery { query, warnings, has_syntax: true, is_empty: false }
}

/// Guards a parsed query against tantivy 0.27 seeking phrase scorers backwards (debug
/// assertions, found by fuzzing): its exclusion asks an excluded scorer about documents
/// before the one it stands on (`china -"rare earth"`), and explanations seek a fresh
/// scorer to a document that may precede its first match (`--explain` with a phrase).
/// Every clause, leaf or boolean, and every excluded clause, is rewrapped to move forward only; the
/// title boost is applied here, outside the guard (a boost hides the query it holds).
fn guard(query: Box<dyn Query>, f: &Fields) -> Box<dyn Query> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, q)| {
                let q = guard(q.box_clone(), f);
                let q: Box<dyn Query> = if *occur == Occur::MustNot { ForwardOnly::guard(q) } else { q };
                (*occur, q)
            })
            .collect();
        // The clause as a whole too: explaining a document, tantivy seeks a boolean's own
        // scorer to it, and a boolean that cannot match in a segment is an empty scorer
        // whose seek asserts (found by fuzzing: `80 ( +0 2` with --explain).
        return ForwardOnly::guard(Box::new(BooleanQuery::new(clauses)));
    }
    // A boost the user wrote (`word^2`): its inner query cannot be reached, so it is
    // explained by its score alone.
    let opaque = query.downcast_ref::<tantivy::query::BoostQuery>().is_some();
    let mut in_title = false;
    query.query_terms(&mut |term, _| in_title |= term.field() == f.title);
    let guarded: Box<dyn Query> = Box::new(ForwardOnly { query, opaque });
    if in_title && !opaque {
        Box::new(tantivy::query::BoostQuery::new(guarded, TITLE_BOOST))
    } else {
        guarded
    }
}

/// A query whose scorers never seek backwards nor enter tantivy's "danger" seeking, and
/// whose explanation first checks, moving forward, that the document matches. Also what
/// rank.rs wraps its proximity and phrase boosts in.
#[derive(Debug)]
pub(super) struct ForwardOnly {
    query: Box<dyn Query>,
    opaque: bool,
}

impl ForwardOnly {
    /// `query`, moved forward only and explained in full.
    pub(super) fn guard(query: Box<dyn Query>) -> Box<dyn Query> {
        Box::new(ForwardOnly { query, opaque: false })
    }
}

impl Clone for ForwardOnly {
    fn clone(&self) -> Self {
        ForwardOnly { query: self.query.box_clone(), opaque: self.opaque }
    }
}

impl Query for ForwardOnly {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ForwardOnlyWeight {
            weight: self.query.weight(enable_scoring)?,
            opaque: self.opaque.then(|| format!("{:?}", self.query).chars().take(120).collect()),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct ForwardOnlyWeight {
    weight: Box<dyn Weight>,
    /// For a query explained by its score alone: what to call it.
    opaque: Option<String>,
}

impl Weight for ForwardOnlyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ForwardOnlyScorer(self.weight.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = ForwardOnlyScorer(self.weight.scorer(reader, 1.0)?);
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        match &self.opaque {
            Some(label) => Ok(Explanation::new_with_string(label.clone(), scorer.score())),
            None => self.weight.explain(reader, doc),
        }
    }
}

/// Moves its scorer only with `advance` and with `seek` to a later document; seek_danger
/// is DocSet's default, which does exactly that.
struct ForwardOnlyScorer(Box<dyn Scorer>);

impl DocSet for ForwardOnlyScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.0.doc() < target {
            self.0.seek(target)
        } else {
            self.0.doc()
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl Scorer for ForwardOnlyScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// Filters as the user gave them.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    /// Page languages, ISO 639-1 (`de`, or a tag such as `de-AT`); any of them.
    pub languages: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

/// A date bound: `2020`, `2020-03` or `2020-03-15`. `end` picks the last day of the
/// period instead of the first.
pub fn parse_date_bound(s: &str, end: bool) -> Option<NaiveDate> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let year: i32 = parts.first()?.parse().ok()?;
    match parts.len() {
        1 => NaiveDate::from_ymd_opt(year, if end { 12 } else { 1 }, if end { 31 } else { 1 }),
        2 => {
            let month: u32 = parts[1].parse().ok()?;
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            if end {
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                next.pred_opt()
            } else {
                Some(first)
            }
        }
        3 => NaiveDate::from_ymd_opt(year, parts[1].parse().ok()?, parts[2].parse().ok()?),
        _ => None,
    }
}

/// Builds the score-neutral filter clauses. Several regions (or categories) are
/// alternatives; different kinds of filter must all hold.
pub fn filter_clauses(
    f: &Fields,
    filters: &Filters,
    vocabulary: &Vocabulary,
    known_categories: &[Facet],
    known_regions: &[Facet],
) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    if !filters.regions.is_empty() {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for r in &filters.regions {
            let facet =
                resolve_region(r, vocabulary, known_regions).ok_or_else(|| SearchError::UnknownRegion(r.clone()))?;
            alternatives.push((
                Occur::Should,
                Box::new(TermQuery::new(Term::from_facet(f.region, &facet), IndexRecordOption::Basic)),
            ));
        }
        clauses.push(Box::new(BooleanQuery::new(alternatives)));
    }
    if !filters.categories.is_empty() {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for c in &filters.categories {
            // An article type by the vocabulary's name, else a topic or type of the index
            // in any case or accents, else the topic as written (which matches nothing).
            let facet = vocabulary
                .category(c)
                .map(type_facet)
                .or_else(|| {
                    known_categories
                        .iter()
                        .find(|k| k.to_path().last().is_some_and(|name| normalise(name) == normalise(c)))
                        .cloned()
                })
                .unwrap_or_else(|| category_facet(c));
            alternatives.push((
                Occur::Should,
                Box::new(TermQuery::new(Term::from_facet(f.category, &facet), IndexRecordOption::Basic)),
            ));
        }
        clauses.push(Box::new(BooleanQuery::new(alternatives)));
    }
    if !filters.languages.is_empty() {
        let alternatives: Vec<(Occur, Box<dyn Query>)> = filters
            .languages
            .iter()
            .map(|l| {
                let code = crate::extract::lang::primary_subtag(l).unwrap_or_else(|| l.to_lowercase());
                let term = Term::from_field_text(f.language, &code);
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
            })
            .collect();
        clauses.push(Box::new(BooleanQuery::new(alternatives)));
    }
    let since = match &filters.since {
        Some(s) => Some(parse_date_bound(s, false).ok_or_else(|| SearchError::BadDate(s.clone()))?),
        None => None,
    };
    let until = match &filters.until {
        Some(s) => Some(parse_date_bound(s, true).ok_or_else(|| SearchError::BadDate(s.clone()))?),
        None => None,
    };
    if since.is_some() || until.is_some() {
        let lower =
            since.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_date(f.date, day_to_datetime(d))));
        let upper =
            until.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_date(f.date, day_to_datetime(d))));
        clauses.push(Box::new(RangeQuery::new(lower, upper)));
    }
    Ok(clauses.into_iter().map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>).collect())
}

/// A region or country the user named: a gazetteer name or alias ("asia-pacific",
/// "US"), else any region/country facet of the index, compared without case or accents.
fn resolve_region(name: &str, vocabulary: &Vocabulary, known: &[Facet]) -> Option<Facet> {
    match vocabulary.resolve(name) {
        Some(Place::Region(r)) => return Some(region_facet(vocabulary.region_name(r), None)),
        Some(Place::Country(c)) => {
            return Some(region_facet(
                vocabulary.region_name(vocabulary.country_region(c)),
                Some(vocabulary.country_name(c)),
            ))
        }
        None => {}
    }
    let key = normalise(name);
    known.iter().find(|f| f.to_path().last().is_some_and(|last| normalise(last) == key)).cloned()
}

/// The year of a date, for the year facet.
pub fn year_of(d: NaiveDate) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> tantivy::schema::Schema {
        crate::index::schema::build_schema().0
    }

    #[test]
    fn punctuation_in_prose_is_not_syntax() {
        let s = schema();
        for q in [
            "What articles exist which deal with TSS (Time Sharing System), an operating system?",
            "distributed algorithms - concurrent programs",
            "Examples: t/nroff, scribe, bravo.",
            "rare earth Mongolia",
            "e-mail in 2023-24",
        ] {
            assert!(!has_syntax(&s, q), "{q}");
        }
    }

    #[test]
    fn operators_fields_and_quotes_are_syntax() {
        let s = schema();
        for q in [
            "\"rare earth\" Mongolia",
            "rare -China",
            "+rare earth",
            "title:mongolia",
            "rare AND earth",
            "(rare OR earth)",
        ] {
            assert!(has_syntax(&s, q), "{q}");
        }
    }
}
