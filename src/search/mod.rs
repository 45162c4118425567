//! The search path: query → parse (query.rs) → rank (rank.rs) → collect top documents and
//! facet counts in one pass (facets.rs) → snippets (snippet.rs). Returns plain data for
//! render/. Knows nothing of HTML or of how pages were extracted.

pub mod bm25;
pub mod dedup;
pub mod facets;
pub mod query;
pub mod rank;
pub mod recency;
pub mod snippet;

use std::time::Instant;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::query::{EnableScoring, Scorer};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DateTime, DocAddress, DocSet, Order, Searcher, TantivyDocument, Term, TERMINATED};
use thiserror::Error;

use crate::gazetteer::Vocabulary;
use crate::index::analysis;
use crate::index::document::{from_document, StoredArticle};
use crate::index::{Fields, IndexError, IndexHandle};
pub use facets::FacetTable;
pub use query::Filters;
pub use snippet::Snippet;

#[derive(Debug, Error)]
pub enum SearchError {
    #[error("unknown region or country {0:?} (try a region such as asia-pacific, or a country such as Mongolia)")]
    UnknownRegion(String),
    #[error("invalid date {0:?}: use YYYY, YYYY-MM or YYYY-MM-DD")]
    BadDate(String),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub text: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    pub sort: SortOrder,
    /// Add pseudo-relevance feedback words (RM3) to plain queries.
    pub expand: bool,
    /// Attach to each hit the breakdown of its score.
    pub explain: bool,
    /// Scale relevance by recency, with this half-life in days (recency.rs).
    pub boost_recent: Option<u32>,
    /// Show near-identical articles as hits of their own instead of under their best copy.
    pub keep_duplicates: bool,
    /// Facet values shown per dimension, the largest counts first (`0`: all).
    pub facet_limit: usize,
}

impl SearchRequest {
    /// `text` with the defaults of `dossier search`: the first 10 hits by relevance, no
    /// filters, explanations or recency, feedback on, near-identical articles collapsed.
    pub fn new(text: impl Into<String>) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            sort: SortOrder::Relevance,
            expand: true,
            explain: false,
            boost_recent: None,
            keep_duplicates: false,
            facet_limit: facets::DEFAULT_FACET_LIMIT,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub rank: usize,
    pub score: f32,
    pub article: StoredArticle,
    pub snippet: Snippet,
    /// Why the hit scored what it did (with `explain`).
    pub explanation: Option<ScoreExplanation>,
    /// Ids of near-identical articles collapsed into this hit (at most
    /// [`MAX_COPIES_LISTED`]; `copies` counts them all).
    pub duplicates: Vec<String>,
    pub copies: usize,
}

/// Copies listed under a hit; more are only counted.
pub const MAX_COPIES_LISTED: usize = 10;

/// One part of a hit's score: what it is, what it adds, and the parts it is made of.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoreExplanation {
    pub what: String,
    pub score: f32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ScoreExplanation>,
}

impl ScoreExplanation {
    /// From tantivy's explanation, through its serialised form (its fields are private).
    /// Parts that add nothing are left out, a sum of one part is that part, and tantivy's
    /// labels are named for what they are in our scoring query (rank.rs).
    fn from_tantivy(e: &tantivy::query::Explanation) -> ScoreExplanation {
        fn convert(v: &serde_json::Value) -> ScoreExplanation {
            let label = v.get("description").and_then(|d| d.as_str()).unwrap_or_default();
            let score = v.get("value").and_then(|d| d.as_f64()).unwrap_or_default() as f32;
            let mut parts: Vec<ScoreExplanation> = v
                .get("details")
                .and_then(|d| d.as_array())
                .map(|a| a.iter().map(convert).filter(|p| p.score != 0.0 || !p.parts.is_empty()).collect())
                .unwrap_or_default();
            let what = match label {
                "BooleanClause. sum of ..." => {
                    if parts.len() == 1 {
                        return parts.remove(0);
                    }
                    "sum of".to_string()
                }
                "Const" if score == rank::ALL_TERMS_BONUS => "every query word present (ranks above the rest)".into(),
                "Phrase Scorer" => "words in order, near each other (tantivy's BM25 of the phrase)".into(),
                other => other.to_string(),
            };
            ScoreExplanation { what, score, parts }
        }
        convert(&serde_json::to_value(e).unwrap_or_default())
    }
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    pub facets: FacetTable,
    pub warnings: Vec<String>,
    pub elapsed_ms: f64,
    /// Near-identical articles folded into other hits among those read for this page.
    pub duplicates_hidden: usize,
}

/// Upper bound on hits returned at once, whatever `--limit` says.
pub const MAX_LIMIT: usize = 10_000;

pub fn search(
    handle: &IndexHandle,
    vocabulary: &Vocabulary,
    req: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    let started = Instant::now();
    let f = &handle.fields;
    let searcher = handle.reader.searcher();
    let analyses = rank::index_analyses(&searcher, f);
    let parsed = query::parse_text_query(&handle.index, f, &req.text, &analyses);
    let recency = req.boost_recent.and_then(|days| recency::newest_date(&searcher).map(|newest| (newest, days)));
    let plain = !(parsed.has_syntax || parsed.is_empty);
    let text_query = if !plain {
        match recency {
            Some((newest, days)) => Box::new(recency::RecencyBoost::new(parsed.query, newest, days)),
            None => parsed.query,
        }
    } else {
        rank::plain_query(&searcher, &handle.index, f, &req.text, &analyses, req.expand, recency)
            .unwrap_or(parsed.query)
    };
    let shown_words = (plain && req.expand).then(|| rank::QueryWords::new(&analyses, &req.text).stems());
    let text = TextQuery { query: text_query, warnings: parsed.warnings, not_copies_of: None, shown_words };
    run_search(handle, vocabulary, req, &searcher, text, started)
}

/// Articles like the one stored under `id` ("more like this"): its most characteristic
/// words (frequent in it, rare in the index) as a weighted query, itself excluded. The
/// filters, sorting and paging of `req` apply; its text is ignored. `None` for an unknown id.
pub fn related(
    handle: &IndexHandle,
    vocabulary: &Vocabulary,
    id: &str,
    req: &SearchRequest,
) -> Result<Option<SearchResults>, SearchError> {
    let started = Instant::now();
    let f = &handle.fields;
    let searcher = handle.reader.searcher();
    let Some(source) = address_by_id(&searcher, f, id)? else { return Ok(None) };
    let article = from_document(f, &searcher.doc(source)?);
    let like = rank::characteristic_terms_query(&searcher, f, &article);
    let text_query: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
        (Occur::Must, like),
        (
            Occur::MustNot,
            Box::new(TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic)) as Box<dyn Query>,
        ),
    ]));
    // Its copies elsewhere are the article itself, not articles like it.
    let text = TextQuery { query: text_query, warnings: Vec::new(), not_copies_of: Some(source), shown_words: None };
    run_search(handle, vocabulary, req, &searcher, text, started).map(Some)
}

/// What to search for, before filters: the scoring query, the warnings met making it, and
/// the document whose copies must not be hits ("related" to it).
struct TextQuery {
    query: Box<dyn Query>,
    warnings: Vec<String>,
    not_copies_of: Option<DocAddress>,
    /// The words snippets highlight when not every word of `query` (feedback words are
    /// searched, not shown).
    shown_words: Option<Vec<String>>,
}

/// Applies the request's filters to a text query, then collects hits, counts and facets
/// in one pass and cuts snippets.
fn run_search(
    handle: &IndexHandle,
    vocabulary: &Vocabulary,
    req: &SearchRequest,
    searcher: &Searcher,
    text: TextQuery,
    started: Instant,
) -> Result<SearchResults, SearchError> {
    let TextQuery { query: text_query, mut warnings, not_copies_of, shown_words } = text;
    let f = &handle.fields;
    // The index's own facet values are only needed to resolve filter names the
    // vocabulary does not know; reading them costs a pass over the term dictionaries.
    let known_categories: Vec<Facet> =
        if req.filters.categories.is_empty() { Vec::new() } else { facets::facet_values(searcher, f.category) };
    // Regions and countries of the index itself: they name the country counts' parents
    // and resolve filter names the vocabulary does not know.
    let known_regions = facets::facet_values(searcher, f.region);
    let filters = query::filter_clauses(f, &req.filters, vocabulary, &known_categories, &known_regions)?;
    let query: Box<dyn Query> = if filters.is_empty() {
        text_query
    } else {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        clauses.extend(filters.into_iter().map(|q| (Occur::Must, q)));
        Box::new(BooleanQuery::new(clauses))
    };

    // Countries are counted under every region the index holds (so a search without
    // filters never needs the vocabulary).
    let regions_present: Vec<String> = known_regions
        .iter()
        .filter_map(|r| match r.to_path()[..] {
            [region] if !region.is_empty() => Some(region.to_string()),
            _ => None,
        })
        .collect();
    let facet_collectors = facets::collectors();
    let num_docs = searcher.num_docs() as usize;
    if req.limit > MAX_LIMIT {
        warnings.push(format!("--limit capped at {MAX_LIMIT}"));
    }
    let limit = req.limit.min(MAX_LIMIT).min(num_docs.saturating_sub(req.offset)).max(1);
    let offset = req.offset.min(num_docs);
    // Collapsing near-identical articles needs more candidates than the page shows: read
    // three times the hits up to the page's end (and 20 more), from the top.
    let (read_limit, read_offset) =
        if req.keep_duplicates { (limit, offset) } else { (((offset + limit) * 3 + 20).min(3 * MAX_LIMIT), 0) };
    let (addresses, total, facet_counts): (Vec<(f32, DocAddress)>, usize, _) = match req.sort {
        SortOrder::Relevance => {
            let top = TopDocs::with_limit(read_limit).and_offset(read_offset).order_by(by_score_then_id());
            let (docs, total, fc) = searcher.search(&query, &(top, Count, facet_collectors))?;
            (docs.into_iter().map(|((score, _), addr)| (score, addr)).collect(), total, fc)
        }
        SortOrder::Newest | SortOrder::Oldest => {
            let order = if req.sort == SortOrder::Newest { Order::Desc } else { Order::Asc };
            let top = TopDocs::with_limit(read_limit)
                .and_offset(read_offset)
                .order_by_fast_field::<DateTime>(crate::index::schema::DATE_FIELD, order);
            let (docs, total, fc) = searcher.search(&query, &(top, Count, facet_collectors))?;
            // Scores are computed for the hits shown only, once collapsed.
            (docs.into_iter().map(|(_, addr)| (f32::NAN, addr)).collect(), total, fc)
        }
    };
    let prints = dedup::Fingerprints::new(searcher);
    let addresses: Vec<(f32, DocAddress)> = match not_copies_of.map(|a| prints.of(a)) {
        Some(source) => addresses
            .into_iter()
            .filter(|&(_, a)| !crate::index::fingerprint::same_article(prints.of(a), source))
            .collect(),
        None => addresses,
    };
    let (mut shown, duplicates_hidden): (Vec<dedup::Story>, usize) = if req.keep_duplicates {
        (addresses.into_iter().map(|(score, address)| dedup::Story { score, address, copies: Vec::new() }).collect(), 0)
    } else {
        let stories = dedup::collapse(&prints, addresses);
        let hidden = stories.iter().map(|s| s.copies.len()).sum();
        (stories.into_iter().skip(offset).take(limit).collect(), hidden)
    };
    if shown.iter().any(|s| s.score.is_nan()) {
        let addresses: Vec<DocAddress> = shown.iter().map(|s| s.address).collect();
        for (story, score) in shown.iter_mut().zip(scores_of(searcher, &*query, &addresses)?) {
            story.score = score;
        }
    }
    let facet_table = facets::table(&facet_counts, &regions_present, req.facet_limit);
    let snippets = snippet::Snippets::new(searcher, &*query, f, shown_words.as_deref());
    let mut hits = Vec::with_capacity(shown.len());
    let wanted = if req.limit == 0 { 0 } else { shown.len() };
    for (i, story) in shown.into_iter().take(wanted).enumerate() {
        let (score, addr) = (story.score, story.address);
        let doc: TantivyDocument = searcher.doc(addr)?;
        let article = from_document(f, &doc);
        let snippet = snippets.for_article(&article);
        let explanation = if req.explain {
            query.explain(searcher, addr).ok().map(|e| ScoreExplanation::from_tantivy(&e))
        } else {
            None
        };
        let mut duplicates = Vec::new();
        for &copy in story.copies.iter().take(MAX_COPIES_LISTED) {
            let d: TantivyDocument = searcher.doc(copy)?;
            duplicates.extend(d.get_first(f.id).and_then(|v| v.as_str()).map(str::to_string));
        }
        let copies = story.copies.len();
        hits.push(SearchHit { rank: req.offset + i + 1, score, article, snippet, explanation, duplicates, copies });
    }
    Ok(SearchResults {
        total,
        hits,
        facets: facet_table,
        warnings,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        duplicates_hidden,
    })
}

/// Relevance scores of the given documents (hits sorted by date still show their score).
/// Walks each segment's scorer forward only: `Query::explain` seeks, and a phrase scorer
/// cannot seek back before the document it starts on (a debug assertion in tantivy, so
/// `--sort newest` on several words panicked in debug builds).
fn scores_of(searcher: &Searcher, query: &dyn Query, addresses: &[DocAddress]) -> tantivy::Result<Vec<f32>> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..addresses.len()).collect();
    order.sort_by_key(|&i| (addresses[i].segment_ord, addresses[i].doc_id));
    let mut scores = vec![0.0; addresses.len()];
    let mut current: Option<(u32, Box<dyn Scorer>)> = None;
    for i in order {
        let addr = addresses[i];
        if current.as_ref().map(|(segment, _)| *segment) != Some(addr.segment_ord) {
            let reader = searcher.segment_reader(addr.segment_ord);
            current = Some((addr.segment_ord, weight.scorer(reader, 1.0)?));
        }
        if let Some((_, scorer)) = current.as_mut() {
            let mut doc = scorer.doc();
            while doc != TERMINATED && doc < addr.doc_id {
                doc = scorer.advance();
            }
            if doc == addr.doc_id {
                scores[i] = scorer.score();
            }
        }
    }
    Ok(scores)
}

/// The stored document whose id (path relative to the corpus) is `id`, read back from
/// the index (not re-extracted). `None` when the index holds no such document.
pub fn document_by_id(handle: &IndexHandle, id: &str) -> Result<Option<StoredArticle>, SearchError> {
    let searcher = handle.reader.searcher();
    match address_by_id(&searcher, &handle.fields, id)? {
        Some(addr) => Ok(Some(from_document(&handle.fields, &searcher.doc(addr)?))),
        None => Ok(None),
    }
}

/// Where the document stored under `id` is.
fn address_by_id(searcher: &Searcher, f: &Fields, id: &str) -> Result<Option<DocAddress>, SearchError> {
    let query = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
    Ok(searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?.first().map(|&(_, addr)| addr))
}

/// Relevance order: score, then the document id's hash (a number: comparing the id
/// strings decoded a dictionary block per candidate, 8% of a search). By address, equal
/// scores would follow the segment layout, which depends on the indexing thread count.
pub(crate) fn by_score_then_id() -> ((SortBySimilarityScore, Order), (SortByStaticFastValue<u64>, Order)) {
    (
        (SortBySimilarityScore, Order::Desc),
        (SortByStaticFastValue::for_field(crate::index::schema::ID_KEY_FIELD), Order::Asc),
    )
}

/// Where the words of `query_text` occur in each paragraph of a page in `language`:
/// `[start, end)` byte ranges, found by running that language's analyzer over the text,
/// so "earths" matches "rare earth" the way search does. For reader views; knows nothing
/// of how they are marked up.
pub fn term_matches(
    handle: &IndexHandle,
    query_text: &str,
    language: Option<&str>,
    paragraphs: &[String],
) -> Vec<Vec<(usize, usize)>> {
    let f = &handle.fields;
    let searcher = handle.reader.searcher();
    let analyses = rank::index_analyses(&searcher, f);
    let parsed = query::parse_text_query(&handle.index, f, query_text, &analyses);
    let mut words: Vec<String> = Vec::new();
    parsed.query.query_terms(&mut |term, _| {
        if term.field() == f.body || term.field() == f.title {
            if let Some(w) = term.value().as_str() {
                if !words.iter().any(|x| x == w) {
                    words.push(w.to_string());
                }
            }
        }
    });
    if !parsed.has_syntax && !parsed.is_empty {
        for stem in rank::QueryWords::new(&analyses, query_text).stems() {
            if !words.contains(&stem) {
                words.push(stem);
            }
        }
    }
    let mut matcher = analysis::WordMatcher::new(analysis::analysis_for(language), &words);
    paragraphs.iter().map(|p| matcher.find(p).into_iter().map(|(r, _)| (r.start, r.end)).collect()).collect()
}
