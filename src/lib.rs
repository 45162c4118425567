//! Dossier: a search engine for archives of analysis articles.
//!
//! Indexing reads top to bottom: `index::walk` → `extract` (decode → dom → content +
//! metadata) → `gazetteer` (enrich) → `index` (schema, writer). Searching:
//! `search` (query → rank → collect top docs + facets → snippet) → `render`, or `serve`
//! (the same search over HTTP).
//! See ARCHITECTURE.md for the map.

// The extractor walks a pre-ordered arena by index and reads several parallel arrays
// (zones, roles, measures) at once: index loops are the clearer form there.
#![allow(clippy::needless_range_loop)]

pub mod app;
pub mod cli;
pub mod extract;
pub mod gazetteer;
pub mod index;
pub mod render;
pub mod search;
pub mod serve;

use extract::{Article, ExtractError, Hints};
use gazetteer::{Facets, Vocabulary};

/// One page through the whole normaliser: bytes → article → places and categories.
/// Pure; used by `dossier extract` and by the indexer alike.
pub fn normalise_page(
    bytes: &[u8],
    location: Option<&str>,
    hints: &Hints,
    vocabulary: &Vocabulary,
) -> Result<(Article, Facets), ExtractError> {
    let article = extract::extract_article(bytes, location, hints)?;
    let facets = vocabulary.enrich(&article);
    Ok((article, facets))
}
