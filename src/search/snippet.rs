//! The fragment of the body that shows why a document matched: the densest window of
//! query matches, highlights in Unicode character offsets. Falls back to the start of
//! the body when the match was in the title only. Owns nothing but that.

use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument};

use crate::index::Fields;

pub const SNIPPET_CHARS: usize = 220;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
}

pub struct Snippets {
    generator: Option<SnippetGenerator>,
}

impl Snippets {
    pub fn new(searcher: &Searcher, query: &dyn Query, f: &Fields) -> Snippets {
        let generator = SnippetGenerator::create(searcher, query, f.body).ok().map(|mut g| {
            g.set_max_num_chars(SNIPPET_CHARS);
            g
        });
        Snippets { generator }
    }

    pub fn for_doc(&self, doc: &TantivyDocument, body: &[String]) -> Snippet {
        if let Some(g) = &self.generator {
            let s = g.snippet_from_doc(doc);
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
        Snippet { text: lead(body), highlights: Vec::new() }
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
