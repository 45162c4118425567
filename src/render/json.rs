//! The public JSON shapes of `search --json` and `extract --json`. This module is an
//! interface: field names and types change only with a version note in the README.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::extract::Article;
use crate::gazetteer::Facets;
use crate::index::document::StoredArticle;
use crate::search::{ScoreExplanation, SearchResults};

#[derive(Debug, Serialize)]
pub struct SearchOutput<'a> {
    pub query: &'a str,
    pub total: usize,
    pub elapsed_ms: f64,
    /// Near-identical articles folded into the hits (see each hit's `duplicates`).
    pub duplicates_hidden: usize,
    pub hits: Vec<HitOutput>,
    pub facets: FacetsOutput,
}

#[derive(Debug, Serialize)]
pub struct HitOutput {
    pub rank: usize,
    pub score: f32,
    pub path: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub language: Option<String>,
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    pub categories: Vec<String>,
    pub types: Vec<String>,
    /// The tags the site filed the article under (searched, not a facet).
    pub tags: Vec<String>,
    pub snippet: SnippetOutput,
    /// Paths of near-identical articles shown as this one (the first 10), and how many.
    pub duplicates: Vec<String>,
    pub copies: usize,
    /// With `--explain` only: the parts of `score`, as a tree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ScoreExplanation>,
}

#[derive(Debug, Serialize)]
pub struct SnippetOutput {
    pub text: String,
    /// `[start, end)` pairs in Unicode characters of `text`.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Serialize)]
pub struct FacetsOutput {
    pub region: BTreeMap<String, u64>,
    pub country: BTreeMap<String, u64>,
    pub category: BTreeMap<String, u64>,
    #[serde(rename = "type")]
    pub kind: BTreeMap<String, u64>,
    pub year: BTreeMap<String, u64>,
    /// Values left out per dimension by `--facet-limit` (only dimensions with some).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub omitted: BTreeMap<&'static str, usize>,
}

pub fn search_output<'a>(query: &'a str, r: &SearchResults) -> SearchOutput<'a> {
    SearchOutput {
        query,
        total: r.total,
        elapsed_ms: (r.elapsed_ms * 1000.0).round() / 1000.0,
        duplicates_hidden: r.duplicates_hidden,
        hits: r
            .hits
            .iter()
            .map(|h| HitOutput {
                rank: h.rank,
                score: h.score,
                path: h.article.id.clone(),
                url: h.article.url.clone(),
                title: h.article.title.clone(),
                date: h.article.date.map(|d| d.format("%Y-%m-%d").to_string()),
                language: h.article.language.clone(),
                regions: h.article.regions.clone(),
                countries: h.article.countries.clone(),
                tags: h.article.tags.clone(),
                categories: h.article.categories.clone(),
                types: h.article.types.clone(),
                snippet: SnippetOutput {
                    text: h.snippet.text.clone(),
                    highlights: h.snippet.highlights.iter().map(|&(s, e)| [s, e]).collect(),
                },
                duplicates: h.duplicates.clone(),
                copies: h.copies,
                explanation: h.explanation.clone(),
            })
            .collect(),
        facets: FacetsOutput {
            region: r.facets.region.clone(),
            country: r.facets.country.clone(),
            category: r.facets.category.clone(),
            kind: r.facets.kind.clone(),
            year: r.facets.year.clone(),
            omitted: r.facets.omitted.clone(),
        },
    }
}

#[derive(Debug, Serialize)]
pub struct ExtractOutput {
    pub path: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub published: Option<String>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    pub categories: Vec<String>,
    pub types: Vec<String>,
    pub tags: Vec<String>,
    pub body: String,
    pub error: Option<String>,
}

pub fn extract_output(path: &str, result: Result<&(Article, Facets), String>) -> ExtractOutput {
    match result {
        Ok((a, f)) => ExtractOutput {
            path: path.to_string(),
            title: a.title.clone(),
            date: a.published.map(|p| p.date.format("%Y-%m-%d").to_string()),
            published: a.published.and_then(|p| p.instant).map(|i| i.to_rfc3339()),
            author: a.author.clone(),
            language: a.language.clone(),
            url: a.url.clone(),
            regions: f.regions.clone(),
            countries: f.countries.clone(),
            categories: f.categories.clone(),
            types: f.types.clone(),
            tags: f.tags.clone(),
            body: a.body_text(),
            error: None,
        },
        Err(reason) => ExtractOutput {
            path: path.to_string(),
            title: None,
            date: None,
            published: None,
            author: None,
            language: None,
            url: None,
            regions: Vec::new(),
            countries: Vec::new(),
            categories: Vec::new(),
            types: Vec::new(),
            tags: Vec::new(),
            body: String::new(),
            error: Some(reason),
        },
    }
}

#[derive(Debug, Serialize)]
pub struct StatsOutput {
    pub index: String,
    pub documents: u64,
    pub segments: usize,
    pub bytes_on_disk: u64,
    pub corpus: Option<String>,
    pub last_commit: Option<String>,
    pub failed_count: u64,
    pub failed: Vec<crate::index::FileFailure>,
    pub facets: FacetsOutput,
    /// Documents per page language.
    pub languages: BTreeMap<String, u64>,
}

pub fn stats_output(index: &str, info: &crate::index::IndexInfo, facets: &crate::search::FacetTable) -> StatsOutput {
    let payload = info.payload.clone().unwrap_or_default();
    StatsOutput {
        index: index.to_string(),
        documents: info.documents,
        segments: info.segments,
        bytes_on_disk: info.bytes_on_disk,
        corpus: info.payload.as_ref().map(|p| p.corpus.clone()),
        last_commit: info.payload.as_ref().map(|p| p.committed_at.clone()),
        failed_count: payload.failed_count,
        failed: payload.failed,
        facets: FacetsOutput {
            region: facets.region.clone(),
            country: facets.country.clone(),
            category: facets.category.clone(),
            kind: facets.kind.clone(),
            year: facets.year.clone(),
            omitted: facets.omitted.clone(),
        },
        languages: info.languages.clone(),
    }
}

/// The `extract --json` object of a document as the index stored it (for `serve`'s
/// `/api/doc`): the same shape, read back rather than re-extracted.
pub fn stored_extract_output(a: &StoredArticle) -> ExtractOutput {
    ExtractOutput {
        path: a.id.clone(),
        title: a.title.clone(),
        date: a.date.map(|d| d.format("%Y-%m-%d").to_string()),
        published: a.published.clone(),
        author: a.author.clone(),
        language: a.language.clone(),
        url: a.url.clone(),
        regions: a.regions.clone(),
        countries: a.countries.clone(),
        categories: a.categories.clone(),
        types: a.types.clone(),
        tags: a.tags.clone(),
        body: a.body.join("\n\n"),
        error: None,
    }
}
