//! Ranking policy on top of BM25: documents holding every query word come first, then
//! query words close together (in the same paragraph) and the exact phrase score more.
//! Owns only the shape of the scoring query; the syntax is query.rs's.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, Term};

use crate::index::schema::ENGLISH;
use crate::index::Fields;

use super::query::TITLE_BOOST;

/// Added to every document that contains all query words (in title or body), so that
/// they rank above documents with only some; order inside each group stays BM25's.
pub const ALL_TERMS_BONUS: f32 = 1000.0;
/// Words within this many positions of each other, in order, count as near.
pub const PROXIMITY_SLOP: u32 = 3;
pub const PROXIMITY_BOOST: f32 = 1.0;
pub const PHRASE_BOOST: f32 = 2.0;

/// The query's words as the index analyzed them (stemmed, folded), deduplicated.
pub fn analyzed_terms(index: &Index, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = index.tokenizers().get(ENGLISH).ok_or(()) else { return Vec::new() };
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while stream.advance() {
        let t = stream.token().text.clone();
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn term_in(field: tantivy::schema::Field, t: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqsAndPositions))
}

/// Wraps the parsed query with the all-words tier and proximity/phrase boosts.
pub fn with_ranking_boosts(index: &Index, f: &Fields, base: Box<dyn Query>, text: &str) -> Box<dyn Query> {
    let terms = analyzed_terms(index, text);
    if terms.len() < 2 || terms.len() > 32 {
        return base;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
    let all_terms: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Should, term_in(f.title, t)),
                (Occur::Should, term_in(f.body, t)),
            ]));
            (Occur::Must, either)
        })
        .collect();
    clauses
        .push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(all_terms)), ALL_TERMS_BONUS))));
    for pair in terms.windows(2) {
        let near = PhraseQuery::new_with_offset_and_slop(
            vec![(0, Term::from_field_text(f.body, &pair[0])), (1, Term::from_field_text(f.body, &pair[1]))],
            PROXIMITY_SLOP,
        );
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(near), PROXIMITY_BOOST))));
    }
    for field in [f.title, f.body] {
        let phrase = PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(field, t)).collect());
        let boost = if field == f.title { PHRASE_BOOST * TITLE_BOOST } else { PHRASE_BOOST };
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(phrase), boost))));
    }
    Box::new(BooleanQuery::new(clauses))
}
