//! Ranking policy for plain word queries, on top of BM25 over title (boosted), body and
//! author: function words are dropped at query time (stopwords.txt), documents holding
//! every remaining word come first, query words close together (same paragraph) and the
//! exact phrase score more, and `--expand` adds pseudo-relevance feedback words (RM3).
//! Owns only the shape of the scoring query; queries with syntax are query.rs's.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Explanation, Occur, PhraseQuery, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{DocId, DocSet, Index, Score, Searcher, SegmentReader, TantivyDocument, TantivyError, Term};

use crate::index::schema::{ENGLISH, NAMES};
use crate::index::Fields;

use super::bm25::Bm25TermQuery;
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

/// BM25 (our k1 and b, bm25.rs) for one analyzed word in one field.
fn bm25_in(field: tantivy::schema::Field, t: &str, boost: f32) -> Box<dyn Query> {
    Box::new(Bm25TermQuery::new(Term::from_field_text(field, t), boost))
}

fn term_in(field: tantivy::schema::Field, t: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqsAndPositions))
}

const STOPWORDS: &str = include_str!("stopwords.txt");

fn is_stopword(word: &str) -> bool {
    STOPWORDS.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).any(|w| w == word)
}

/// The words of a plain query that carry meaning: function words dropped (unless the
/// query has nothing else), then analyzed like the index (folded, stemmed), deduplicated.
pub fn content_terms(index: &Index, text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !is_stopword(w)).collect();
    let chosen = if kept.is_empty() { words } else { kept };
    let mut out: Vec<String> = Vec::new();
    for w in chosen {
        for t in analyzed_terms(index, w) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// The query's words as the author field analyzes them (folded, not stemmed).
fn name_terms(index: &Index, text: &str) -> Vec<String> {
    let Some(mut analyzer) = index.tokenizers().get(NAMES) else { return Vec::new() };
    let mut stream = analyzer.token_stream(text);
    let mut out: Vec<String> = Vec::new();
    while stream.advance() {
        let t = stream.token().text.clone();
        if t.len() > 1 && !is_stopword(&t) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// BM25 over title (boosted) and body for weighted terms.
fn weighted_terms_query(f: &Fields, terms: &[(String, f32)]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .flat_map(|(t, w)| {
            [(Occur::Should, bm25_in(f.title, t, TITLE_BOOST * w)), (Occur::Should, bm25_in(f.body, t, *w))]
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Pseudo-relevance feedback (RM3): the words that best characterise the top documents
/// of a first BM25 pass, weighted by how much each document matched, mixed with the
/// query's own words. Returns the mixed, weighted term list.
fn relevance_model(
    searcher: &Searcher,
    index: &Index,
    f: &Fields,
    terms: &[String],
    first: &dyn Query,
) -> Vec<(String, f32)> {
    let (fb_docs, fb_terms, orig_w) = (FEEDBACK_DOCS, FEEDBACK_TERMS, ORIGINAL_QUERY_WEIGHT);
    let original: Vec<(String, f32)> = terms.iter().map(|t| (t.clone(), 1.0 / terms.len() as f32)).collect();
    if fb_docs == 0 || fb_terms == 0 {
        return original;
    }
    let Ok(top) = searcher.search(first, &TopDocs::with_limit(fb_docs).order_by_score()) else { return original };
    let Some(mut analyzer) = index.tokenizers().get(ENGLISH) else { return original };
    let stop: HashSet<String> = STOPWORDS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .flat_map(|w| analyzed_terms(index, w))
        .collect();
    // A word in more than a tenth of all documents ("cacm", a dateline's month) describes
    // the collection, not the topic, and is never a feedback word.
    let n_docs = searcher.num_docs().max(1) as f32;
    let specific = |t: &str| {
        let df = searcher.doc_freq(&Term::from_field_text(f.body, t)).unwrap_or(0) as f32;
        t.len() <= 20 && df / n_docs <= MAX_FEEDBACK_DF
    };
    let mut model: HashMap<String, f32> = HashMap::new();
    for (score, addr) in top {
        // The all-words tier is a rank, not evidence of how well the document matches.
        let score = if score >= ALL_TERMS_BONUS { score - ALL_TERMS_BONUS } else { score };
        let Ok(doc) = searcher.doc::<TantivyDocument>(addr) else { continue };
        let mut tf: HashMap<String, f32> = HashMap::new();
        for field in [f.title, f.body] {
            for v in doc.get_all(field).filter_map(|v| v.as_str()) {
                let mut stream = analyzer.token_stream(v);
                while stream.advance() {
                    let t = &stream.token().text;
                    if t.len() < 2 || t.chars().all(|c| c.is_ascii_digit()) || stop.contains(t) {
                        continue;
                    }
                    *tf.entry(t.clone()).or_default() += 1.0;
                }
            }
        }
        // Each document votes with its own most frequent specific words, as a
        // distribution (they sum to 1), weighted by how well it matched.
        let mut words: Vec<(String, f32)> = tf.into_iter().filter(|(t, _)| specific(t)).collect();
        words.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        words.truncate(fb_terms);
        let norm: f32 = words.iter().map(|(_, n)| n).sum();
        if norm <= 0.0 {
            continue;
        }
        for (t, n) in words {
            *model.entry(t).or_default() += score * n / norm;
        }
    }
    let mut expansion: Vec<(String, f32)> = model.into_iter().collect();
    expansion.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    expansion.truncate(fb_terms);
    let total: f32 = expansion.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return original;
    }
    let mut mixed: HashMap<String, f32> = HashMap::new();
    for (t, w) in &original {
        *mixed.entry(t.clone()).or_default() += orig_w * w;
    }
    for (t, w) in expansion {
        *mixed.entry(t).or_default() += (1.0 - orig_w) * w / total;
    }
    let mut out: Vec<(String, f32)> = mixed.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Scale so the query's own words keep weights near 1 (the tier and proximity boosts
    // are calibrated against unit weights).
    let scale = terms.len() as f32;
    out.into_iter().map(|(t, w)| (t, w * scale)).collect()
}

/// Documents used for feedback, terms kept, and the weight of the original query (RM3's
/// usual settings).
pub const FEEDBACK_DOCS: usize = 10;
pub const FEEDBACK_TERMS: usize = 10;
pub const ORIGINAL_QUERY_WEIGHT: f32 = 0.5;
/// Feedback words must be in at most this share of the documents.
pub const MAX_FEEDBACK_DF: f32 = 0.1;

/// The scoring query for plain words: BM25 over title (boosted) and body for each content
/// word (with feedback words when `expand`), plus the all-words tier and proximity/phrase
/// boosts on the user's own words.
pub fn plain_query(searcher: &Searcher, index: &Index, f: &Fields, text: &str, expand: bool) -> Option<Box<dyn Query>> {
    let terms = content_terms(index, text);
    if terms.is_empty() {
        return None;
    }
    // Names are indexed unstemmed: match the user's own words against the author field.
    let names = name_terms(index, text);
    let unit: Vec<(String, f32)> = terms.iter().map(|t| (t.clone(), 1.0)).collect();
    if !expand {
        return Some(scoring_query(f, &terms, &unit, &names));
    }
    // The first pass is plain BM25: the tier and proximity boosts on the full query gave
    // worse feedback documents (CACM MAP with --expand 0.305 against 0.306).
    let first = weighted_terms_query(f, &unit);
    let weighted = relevance_model(searcher, index, f, &terms, &*first);
    Some(scoring_query(f, &terms, &weighted, &names))
}

/// BM25 of the weighted words, the author field for names, then the all-words tier and
/// the proximity and phrase boosts on the user's own `terms`.
fn scoring_query(f: &Fields, terms: &[String], weighted: &[(String, f32)], names: &[String]) -> Box<dyn Query> {
    let mut base = weighted_terms_query(f, weighted);
    if !names.is_empty() {
        let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, base)];
        either.extend(names.iter().map(|n| (Occur::Should, bm25_in(f.author, n, 1.0))));
        base = Box::new(BooleanQuery::new(either));
    }
    if terms.len() < 2 || terms.len() > 32 {
        return base;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
    {
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
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(all_terms)), ALL_TERMS_BONUS)),
        ));
    }
    {
        let prox = PROXIMITY_BOOST;
        for pair in terms.windows(2) {
            let near = PhraseQuery::new_with_offset_and_slop(
                vec![(0, Term::from_field_text(f.body, &pair[0])), (1, Term::from_field_text(f.body, &pair[1]))],
                PROXIMITY_SLOP,
            );
            let near = Box::new(ForwardOnlyExplain(near));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(near, prox))));
        }
    }
    {
        let phr = PHRASE_BOOST;
        for field in [f.title, f.body] {
            let phrase = PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(field, t)).collect());
            let boost = if field == f.title { phr * TITLE_BOOST } else { phr };
            let phrase = Box::new(ForwardOnlyExplain(phrase));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(phrase, boost))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A phrase query whose explanation is safe for documents before its first match.
/// tantivy's phrase weight explains by seeking a fresh scorer to the document, and a
/// phrase scorer starts on its first match and cannot seek backwards (a debug assertion
/// in tantivy 0.27): such a document simply does not match the phrase.
#[derive(Clone, Debug)]
struct ForwardOnlyExplain(PhraseQuery);

impl Query for ForwardOnlyExplain {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ForwardOnlyExplainWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ForwardOnlyExplainWeight(Box<dyn Weight>);

impl Weight for ForwardOnlyExplainWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.0.scorer(reader, 1.0)?.doc() > doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match the phrase")));
        }
        self.0.explain(reader, doc)
    }
}

/// Words kept to describe an article for "related articles".
pub const RELATED_TERMS: usize = 25;

/// A weighted query of an article's most characteristic words: frequent in its title and
/// body, rare in the index (tf-idf), function words left out.
pub fn characteristic_terms_query(
    searcher: &Searcher,
    index: &Index,
    f: &Fields,
    article: &crate::index::document::StoredArticle,
) -> Box<dyn Query> {
    let mut tf: HashMap<String, f32> = HashMap::new();
    if let Some(mut analyzer) = index.tokenizers().get(ENGLISH) {
        let title = article.title.iter().map(String::as_str);
        for (weight, text) in title.map(|t| (2.0, t)).chain(article.body.iter().map(|p| (1.0, p.as_str()))) {
            let mut stream = analyzer.token_stream(text);
            while stream.advance() {
                let t = &stream.token().text;
                if t.len() > 2 && !t.chars().all(|c| c.is_ascii_digit()) && !is_stopword(t) {
                    *tf.entry(t.clone()).or_default() += weight;
                }
            }
        }
    }
    let n_docs = searcher.num_docs().max(1) as f32;
    let mut weighted: Vec<(String, f32)> = tf
        .into_iter()
        .map(|(t, n)| {
            let df = searcher.doc_freq(&Term::from_field_text(f.body, &t)).unwrap_or(0).max(1) as f32;
            let w = n.ln_1p() * (n_docs / df).ln().max(0.0);
            (t, w)
        })
        .filter(|(_, w)| *w > 0.0)
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(RELATED_TERMS);
    let top = weighted.first().map_or(1.0, |(_, w)| *w);
    let normalised: Vec<(String, f32)> = weighted.into_iter().map(|(t, w)| (t, w / top)).collect();
    weighted_terms_query(f, &normalised)
}
