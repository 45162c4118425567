//! The fragment of the body that shows why a document matched: the densest window of
//! query matches, highlights in Unicode character offsets. The body is read with the
//! analyzer of the page's language, so a stemmed variant ("Häuser" for "Haus" on a German
//! page) is highlighted the way search matched it. Falls back to the start of the body
//! when the match was in the title only. Owns nothing but that.

use std::collections::BTreeMap;

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Score, Searcher};

use crate::index::analysis;
use crate::index::document::StoredArticle;
use crate::index::Fields;

pub const SNIPPET_CHARS: usize = 220;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
}

pub struct Snippets {
    /// The query's body terms, rarer ones weighing more (as tantivy weighs them).
    terms: BTreeMap<String, Score>,
    field: tantivy::schema::Field,
}

impl Snippets {
    /// The body terms of `query` to find and highlight; only those in `shown` when given
    /// (the user's own words, not the feedback words a search added).
    pub fn new(searcher: &Searcher, query: &dyn Query, f: &Fields, shown: Option<&[String]>) -> Snippets {
        let mut terms = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            if term.field() != f.body {
                return;
            }
            if let Some(text) = term.value().as_str() {
                if shown.is_some_and(|words| !words.iter().any(|w| w == text)) {
                    return;
                }
                let df = searcher.doc_freq(term).unwrap_or(0);
                if df > 0 {
                    terms.insert(text.to_string(), 1.0 / (1.0 + df as Score));
                }
            }
        });
        Snippets { terms, field: f.body }
    }

    pub fn for_article(&self, article: &StoredArticle) -> Snippet {
        if !self.terms.is_empty() {
            let analysis = analysis::analysis_for(article.language.as_deref());
            let words: Vec<String> = self.terms.keys().cloned().collect();
            let g = SnippetGenerator::new(
                self.terms.clone(),
                analysis::finder(analysis, &words),
                self.field,
                SNIPPET_CHARS,
            );
            let text = article.body.join(" ");
            let s = g.snippet(text.trim());
            if !s.is_empty() && !s.highlighted().is_empty() {
                let frag = s.fragment();
                let highlights = s
                    .highlighted()
                    .iter()
                    .filter_map(|r| {
                        let start = frag.get(..r.start)?.chars().count();
                        let len = frag.get(r.clone())?.chars().count();
                        Some((start, start + len))
                    })
                    .collect();
                return Snippet { text: frag.to_string(), highlights };
            }
        }
        Snippet { text: lead(&article.body), highlights: Vec::new() }
    }
}
/// The first characters of the body, cut at a word boundary.
fn lead(body: &[String]) -> String {
    let first = body.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(" ");
    if first.chars().count() <= SNIPPET_CHARS {
        return first;
    }
    let cut: String = first.chars().take(SNIPPET_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", cut[..i].trim_end()),
        None => format!("{cut}…"),
    }
}
