//! Ranking policy for plain word queries, on top of BM25 over title (boosted), body and
//! author: function words are dropped at query time (stopwords.txt), documents holding
//! every remaining word come first, query words close together (same paragraph) and the
//! exact phrase score more, and `--expand` adds pseudo-relevance feedback words (RM3).
//! Owns only the shape of the scoring query; queries with syntax are query.rs's.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::{Index, Score, Searcher, TantivyDocument, Term};

use crate::index::analysis::{self, Analysis};
use crate::index::schema::{ENGLISH, NAMES};
use crate::index::Fields;

use super::bm25::Bm25TermQuery;
use super::query::{ForwardOnly, TITLE_BOOST};

/// Added to every document that contains all query words (in title, body or tags), so that
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

/// The word in title, body or tags (the fields a plain query searches), unscored.
fn in_text_fields(f: &Fields, t: &str) -> [Box<dyn Query>; 3] {
    [term_in(f.title, t), term_in(f.body, t), term_in(f.tags, t)]
}

fn term_in(field: tantivy::schema::Field, t: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqsAndPositions))
}

const STOPWORDS: &str = include_str!("stopwords.txt");

fn is_stopword(word: &str) -> bool {
    STOPWORDS.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace).any(|w| w == word)
}

/// The analyses (page languages) an index holds, English first.
pub fn index_analyses(searcher: &Searcher, f: &Fields) -> Vec<Analysis> {
    let codes = crate::index::language_codes(searcher, f);
    analysis::analyses_of(codes.iter().map(String::as_str))
}

/// The words of a plain query that carry meaning (function words dropped unless the query
/// has nothing else), each analysed in every language of the index: `groups[i][j]` is
/// word i under analysis j, English first. An English-only index has one stem a word.
pub struct QueryWords {
    groups: Vec<Vec<String>>,
    /// How many times each word is in the query.
    counts: Vec<u32>,
}

impl QueryWords {
    pub fn new(analyses: &[Analysis], text: &str) -> QueryWords {
        let lower = text.to_lowercase();
        let words: Vec<&str> =
            lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
        let kept: Vec<&str> = words.iter().copied().filter(|w| !is_stopword(w)).collect();
        let chosen = if kept.is_empty() { words } else { kept };
        let mut analyzers: Vec<TextAnalyzer> = analyses.iter().map(|a| analysis::analyzer(*a)).collect();
        let mut groups: Vec<Vec<String>> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        for w in chosen {
            let per_analysis: Vec<Vec<String>> = analyzers.iter_mut().map(|an| analysis::tokens_with(an, w)).collect();
            let english = &per_analysis[0];
            for (k, stem) in english.iter().enumerate() {
                if let Some(g) = groups.iter().position(|g| &g[0] == stem) {
                    counts[g] += 1;
                    continue;
                }
                counts.push(1);
                // Every analysis splits a word alike (one tokenizer); only stems differ.
                groups.push(per_analysis.iter().map(|toks| toks.get(k).unwrap_or(stem).clone()).collect());
            }
        }
        QueryWords { groups, counts }
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every stem of every word, once.
    pub fn stems(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for stem in self.groups.iter().flatten() {
            if !out.contains(stem) {
                out.push(stem.clone());
            }
        }
        out
    }

    /// Every stem with the number of times its word is in the query: a word the query
    /// repeats weighs more, as in BM25's query-frequency part (Lucene sums repeated
    /// clauses). Long natural-language queries repeat their topic ("... systems ...
    /// operating systems"); CACM MAP 0.3358 → 0.3468, short queries unchanged.
    pub fn counted_stems(&self) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        for (g, &n) in self.groups.iter().zip(&self.counts) {
            for stem in Self::variants(g) {
                if !out.iter().any(|(s, _)| s == stem) {
                    out.push((stem.clone(), n as f32));
                }
            }
        }
        out
    }

    /// The stems of one word, once each.
    fn variants(group: &[String]) -> Vec<&String> {
        let mut out: Vec<&String> = Vec::new();
        for stem in group {
            if !out.contains(&stem) {
                out.push(stem);
            }
        }
        out
    }

    /// The query as each analysis reads it, each distinct reading once.
    pub fn readings(&self) -> Vec<Vec<String>> {
        let n = self.groups.first().map_or(0, Vec::len);
        let mut out: Vec<Vec<String>> = Vec::new();
        for j in 0..n {
            let reading: Vec<String> = self.groups.iter().map(|g| g[j].clone()).collect();
            if !out.contains(&reading) {
                out.push(reading);
            }
        }
        out
    }
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

/// BM25 over title (boosted), body and tags for weighted terms.
fn weighted_terms_query(f: &Fields, terms: &[(String, f32)]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .flat_map(|(t, w)| {
            [
                (Occur::Should, bm25_in(f.title, t, TITLE_BOOST * w)),
                (Occur::Should, bm25_in(f.body, t, *w)),
                (Occur::Should, bm25_in(f.tags, t, *w)),
            ]
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
    words: &QueryWords,
    first: &dyn Query,
) -> Vec<(String, f32)> {
    let (fb_docs, fb_terms, orig_w) = (FEEDBACK_DOCS, FEEDBACK_TERMS, ORIGINAL_QUERY_WEIGHT);
    // A word's stems in other languages share its weight: a page matches one of them.
    let counted = words.counted_stems();
    let total_count: f32 = words.counts.iter().map(|&n| n as f32).sum();
    let original: Vec<(String, f32)> = counted.into_iter().map(|(t, n)| (t, n / total_count)).collect();
    if fb_docs == 0 || fb_terms == 0 {
        return original;
    }
    // Ties by document id, as in the ranking itself: the feedback must not depend on the
    // segment layout.
    let Ok(top) = searcher.search(first, &TopDocs::with_limit(fb_docs).order_by(super::by_score_then_id())) else {
        return original;
    };
    let top: Vec<(Score, tantivy::DocAddress)> = top.into_iter().map(|((score, _), addr)| (score, addr)).collect();
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
    // Each document votes with its own most frequent specific words, as a distribution
    // (they sum to 1), weighted by how well it matched. Each distinct word of them all is
    // stemmed once (most of the cost), and the votes are added in rank order. All of it
    // runs on this thread: rayon's pool cost a one-shot search more than it saved (the 21
    // compare queries as processes: wall 0.87x, CPU 0.81x sequential, on a quiet machine).
    let read: Vec<(Score, Analysis, FxHashMap<String, u32>)> = top
        .into_iter()
        .filter_map(|(score, addr)| {
            // The all-words tier is a rank, not evidence of how well the document matches.
            let score = if score >= ALL_TERMS_BONUS { score - ALL_TERMS_BONUS } else { score };
            // A document votes with its score squared: the model leans on the best matches
            // (as query likelihood does, a product over the query's words) rather than
            // letting the tenth document speak almost as loud as the first. Scale-free, as
            // the votes are normalised. CACM MAP 0.3667 -> 0.3735, P@30 0.2141 -> 0.2205;
            // Reuters topics 0.4981 -> 0.4983. Linear (Anserini's RM3) and the cube were
            // measured too: see FEEDBACK_SCORE_POWER.
            let score = score.powi(FEEDBACK_SCORE_POWER);
            let doc = searcher.doc::<TantivyDocument>(addr).ok()?;
            let analysis = analysis::analysis_for(doc.get_first(f.language).and_then(|v| v.as_str()));
            let texts = [f.stored_title, f.stored_tags, f.stored_body]
                .into_iter()
                .flat_map(|field| doc.get_all(field).filter_map(|v| v.as_str()));
            Some((score, analysis, analysis::word_counts(texts, FEEDBACK_WORDS)))
        })
        .collect();
    let mut analyses: Vec<Analysis> = Vec::new();
    for (_, a, _) in &read {
        if !analyses.contains(a) {
            analyses.push(*a);
        }
    }
    let stems: Vec<(Analysis, FxHashMap<String, String>)> = analyses
        .into_iter()
        .map(|a| {
            let mut words: Vec<&str> =
                read.iter().filter(|(_, b, _)| *b == a).flat_map(|(_, _, w)| w.keys().map(String::as_str)).collect();
            words.sort_unstable();
            words.dedup();
            (a, analysis::stems_of(a, words))
        })
        .collect();
    let votes: Vec<(Score, Vec<(String, f32)>)> = read
        .into_iter()
        .map(|(score, a, words)| {
            let stem = &stems.iter().find(|(b, _)| *b == a).expect("stemmed above").1;
            let tf = analysis::terms_of(words, stem);
            // Most frequent first, the document frequency looked up only until enough
            // words pass (a lookup per distinct word was most of a feedback search's time).
            let mut terms: Vec<(String, u32)> =
                tf.into_iter().filter(|(t, _)| t.len() >= 2 && !stop.contains(t)).collect();
            terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let terms: Vec<(String, f32)> =
                terms.into_iter().filter(|(t, _)| specific(t)).take(fb_terms).map(|(t, n)| (t, n as f32)).collect();
            (score, terms)
        })
        .collect();
    let mut model: HashMap<String, f32> = HashMap::new();
    for (score, words) in votes {
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
    let scale = words.len() as f32;
    out.into_iter().map(|(t, w)| (t, w * scale)).collect()
}

/// Documents used for feedback and terms kept (RM3's usual settings), and the weight of
/// the original query. With TITLE_BOOST 1.5, CACM MAP / P@30 and Reuters topics MAP for
/// weights 0.3 / 0.35 / 0.4 / 0.45 / 0.5: 0.3829 / 0.2231 / 0.5006, 0.3826 / 0.2218 /
/// 0.5004, 0.3829 / 0.2263 / 0.5003, 0.3832 / 0.2263 / 0.4998, 0.3830 / 0.2224 / 0.4994.
/// P@30 moves by one or two judged documents between neighbours (52 topics); 0.45 is the
/// middle of the best two and the closest to RM3's usual 0.5 (less drift on short queries).
pub const FEEDBACK_DOCS: usize = 10;
pub const FEEDBACK_TERMS: usize = 10;
pub const ORIGINAL_QUERY_WEIGHT: f32 = 0.45;
/// Feedback reads the first this many words of a document (title, tags, then body): an
/// abstract or a short news item whole, the lead of a long article. Against 1,000 words:
/// CACM MAP 0.3667 / 0.3653, Reuters 0.4981 / 0.4989, a fifth fewer instructions a search.
pub const FEEDBACK_WORDS: usize = 300;
/// A feedback document's vote is its first-pass score to this power. Measured on CACM
/// (MAP / P@30) and Reuters topics (MAP): 1 (Anserini's RM3) 0.3667 / 0.2141 / 0.4981;
/// 1.5: 0.3714 / 0.2186 / 0.4984; 2: 0.3735 / 0.2205 / 0.4983; 3: 0.3797 / 0.2173 / 0.4983.
/// A softmax of the scores did as well on MAP but swung P@30 by 0.01 between neighbouring
/// temperatures; the power is the smooth choice.
pub const FEEDBACK_SCORE_POWER: i32 = 2;
/// Feedback words must be in at most this share of the documents.
pub const MAX_FEEDBACK_DF: f32 = 0.1;

/// The scoring query for plain words: BM25 over title (boosted) and body for each content
/// word (with feedback words when `expand`), plus the all-words tier and proximity/phrase
/// boosts on the user's own words.
pub fn plain_query(
    searcher: &Searcher,
    index: &Index,
    f: &Fields,
    text: &str,
    analyses: &[Analysis],
    expand: bool,
    recency: Option<(tantivy::DateTime, u32)>,
) -> Option<Box<dyn Query>> {
    let words = QueryWords::new(analyses, text);
    if words.is_empty() {
        return None;
    }
    // Names are indexed unstemmed: match the user's own words against the author field.
    let names = name_terms(index, text);
    let unit: Vec<(String, f32)> = words.counted_stems();
    if !expand {
        return Some(scoring_query(f, &words, &unit, &names, recency));
    }
    // The first pass is plain BM25: the tier and proximity boosts on the full query gave
    // worse feedback documents (CACM MAP with --expand 0.305 against 0.306).
    let first = weighted_terms_query(f, &unit);
    let weighted = relevance_model(searcher, index, f, &words, &*first);
    Some(scoring_query(f, &words, &weighted, &names, recency))
}

/// BM25 of the weighted words, the author field for names, then the all-words tier and
/// the proximity and phrase boosts on the user's own `terms`.
fn scoring_query(
    f: &Fields,
    words: &QueryWords,
    weighted: &[(String, f32)],
    names: &[String],
    recency: Option<(tantivy::DateTime, u32)>,
) -> Box<dyn Query> {
    let mut base = weighted_terms_query(f, weighted);
    if !names.is_empty() {
        let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, base)];
        either.extend(names.iter().map(|n| (Occur::Should, bm25_in(f.author, n, 1.0))));
        base = Box::new(BooleanQuery::new(either));
    }
    // Feedback words reorder the documents holding a typed word; they never bring in a
    // document holding none (a search for a rare name lists only the pages naming it).
    if weighted.len() > words.stems().len() {
        let typed: Vec<(Occur, Box<dyn Query>)> = words
            .stems()
            .iter()
            .flat_map(|t| in_text_fields(f, t))
            .chain(names.iter().map(|n| term_in(f.author, n)))
            .map(|q| (Occur::Should, q))
            .collect();
        let typed = ForwardOnly::guard(Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(typed)), 0.0)));
        base = Box::new(BooleanQuery::new(vec![(Occur::Must, typed), (Occur::Must, base)]));
    }
    // Recency scales relevance only: the all-words tier stays a tier.
    if let Some((newest, days)) = recency {
        base = Box::new(super::recency::RecencyBoost::new(base, newest, days));
    }
    if words.len() < 2 || words.len() > 32 {
        return base;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, base)];
    {
        // Each word, in any of its stems, in title, body or tags.
        let all_words: Vec<(Occur, Box<dyn Query>)> = words
            .groups
            .iter()
            .map(|g| {
                let either: Vec<(Occur, Box<dyn Query>)> = QueryWords::variants(g)
                    .into_iter()
                    .flat_map(|t| in_text_fields(f, t))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (Occur::Must, Box::new(BooleanQuery::new(either)) as Box<dyn Query>)
            })
            .collect();
        clauses.push((
            Occur::Should,
            // Guarded: explained in a segment lacking one of the words, the tier is an empty
            // scorer that tantivy would seek backwards.
            ForwardOnly::guard(Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(all_words)), ALL_TERMS_BONUS))),
        ));
    }
    // Proximity and phrase boosts for the query as each language of the index reads it.
    let readings = words.readings();
    let mut pairs: Vec<&[String]> = Vec::new();
    for reading in &readings {
        for pair in reading.windows(2) {
            if pairs.contains(&pair) {
                continue;
            }
            pairs.push(pair);
            let near = PhraseQuery::new_with_offset_and_slop(
                vec![(0, Term::from_field_text(f.body, &pair[0])), (1, Term::from_field_text(f.body, &pair[1]))],
                PROXIMITY_SLOP,
            );
            let near = ForwardOnly::guard(Box::new(near));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(near, PROXIMITY_BOOST))));
        }
    }
    for reading in &readings {
        for field in [f.title, f.body] {
            let phrase = PhraseQuery::new(reading.iter().map(|t| Term::from_field_text(field, t)).collect());
            let boost = if field == f.title { PHRASE_BOOST * TITLE_BOOST } else { PHRASE_BOOST };
            let phrase = ForwardOnly::guard(Box::new(phrase));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(phrase, boost))));
        }
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Words kept to describe an article for "related articles".
pub const RELATED_TERMS: usize = 25;

/// A weighted query of an article's most characteristic words: frequent in its title and
/// body, rare in the index (tf-idf), function words left out.
pub fn characteristic_terms_query(
    searcher: &Searcher,
    f: &Fields,
    article: &crate::index::document::StoredArticle,
) -> Box<dyn Query> {
    let mut tf: HashMap<String, f32> = HashMap::new();
    let analysis = analysis::analysis_for(article.language.as_deref());
    let title = analysis::term_counts(analysis, article.title.iter().map(String::as_str));
    let body = analysis::term_counts(analysis, article.body.iter().map(String::as_str));
    for (weight, counts) in [(2.0, title), (1.0, body)] {
        for (t, n) in counts {
            if t.len() > 2 && !t.chars().all(|c| c.is_ascii_digit()) && !is_stopword(&t) {
                *tf.entry(t).or_default() += weight * n as f32;
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
