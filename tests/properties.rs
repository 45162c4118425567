//! Property tests (proptest) for the invariants ARCHITECTURE.md states:
//!
//! 1. Extraction never panics, on generated pages and on arbitrary bytes, and the body it
//!    returns is a subset of the page's text. Precisely: every word of the body (a maximal
//!    run of alphanumeric characters) is a word of a text node of the page that is not
//!    inside `<script>`, `<style>`, `<template>` or a comment; no word that occurs only in
//!    attribute values, scripts, styles or comments ever reaches the body. The generator
//!    draws the words of each of those places from its own vocabulary, so the check is exact.
//! 2. A filter never changes the score of a hit it keeps: for any query of one or more
//!    words (plain, phrase, excluded, field) and any filter (regions or countries,
//!    categories, since/until), each filtered hit has the score the same document has
//!    without the filter, and the filtered hits are the unfiltered ones that pass, in the
//!    same order. (Not yet for the empty query: see the ignored test below.)
//! 3. The same corpus gives the same index content with 1 or 2 threads: the same stored
//!    documents (every field) under the same ids, and the same hits with the same scores.
//!    (Hits of equal score may come in another order: see the ignored test below.)
//!
//! The two ignored tests are findings of these properties that belong to `search/`: they
//! fail today and are kept as their reproductions (`cargo test --test properties -- --ignored`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use dossier::extract::{extract_article, Hints};
use dossier::gazetteer::Vocabulary;
use dossier::index::{index_corpus, open_index, IndexHandle, IndexOptions};
use dossier::search::{search, Filters, SearchRequest};
use proptest::prelude::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Words that may appear in text nodes, and the words of the places text must not come from.
const TEXT_WORDS: [&str; 12] =
    ["mongolia", "copper", "tender", "ministry", "railway", "border", "coal", "trade", "north", "delay", "2023", "ore"];
const ATTRIBUTE_WORDS: [&str; 3] = ["attrzeta", "attrkappa", "attromega"];
const HIDDEN_WORDS: [&str; 3] = ["scriptsigma", "stylerho", "commentphi"];

/// A page as a tree: elements of the tags real articles use, text, and the hidden parts.
#[derive(Debug, Clone)]
enum Node {
    Text(Vec<&'static str>),
    Element { tag: &'static str, class: Option<&'static str>, attribute: Option<&'static str>, children: Vec<Node> },
    Script,
    Style,
    Comment,
}

fn node() -> impl Strategy<Value = Node> {
    let text = prop::collection::vec(prop::sample::select(&TEXT_WORDS[..]), 1..40).prop_map(Node::Text);
    let leaf = prop_oneof![6 => text, 1 => Just(Node::Script), 1 => Just(Node::Style), 1 => Just(Node::Comment)];
    leaf.prop_recursive(6, 120, 8, |inner| {
        (
            prop::sample::select(
                &[
                    "div",
                    "p",
                    "article",
                    "section",
                    "main",
                    "nav",
                    "aside",
                    "footer",
                    "header",
                    "h1",
                    "h2",
                    "ul",
                    "li",
                    "span",
                    "a",
                    "em",
                    "blockquote",
                    "table",
                    "td",
                    "figure",
                    "figcaption",
                ][..],
            ),
            prop::option::of(prop::sample::select(&["content", "sidebar", "related", "menu", "post-body"][..])),
            prop::option::of(prop::sample::select(&ATTRIBUTE_WORDS[..])),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(tag, class, attribute, children)| Node::Element { tag, class, attribute, children })
    })
}

fn render(node: &Node, out: &mut String) {
    match node {
        Node::Text(words) => {
            out.push_str(&words.join(" "));
            out.push(' ');
        }
        Node::Element { tag, class, attribute, children } => {
            out.push_str(&format!("<{tag}"));
            if let Some(c) = class {
                out.push_str(&format!(" class=\"{c}\""));
            }
            if let Some(a) = attribute {
                out.push_str(&format!(" title=\"{a}\" data-note=\"{a} {a}\""));
            }
            out.push('>');
            for child in children {
                render(child, out);
            }
            out.push_str(&format!("</{tag}>"));
        }
        Node::Script => out.push_str(&format!("<script>var x = \"{}\";</script>", HIDDEN_WORDS[0])),
        Node::Style => out.push_str(&format!("<style>.{} {{ color: red }}</style>", HIDDEN_WORDS[1])),
        Node::Comment => out.push_str(&format!("<!-- {} -->", HIDDEN_WORDS[2])),
    }
}

fn page(title: &[&str], body: &[Node]) -> String {
    let mut out = format!("<!doctype html><html><head><title>{}</title></head><body>", title.join(" "));
    for n in body {
        render(n, &mut out);
    }
    out.push_str("</body></html>");
    out
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn extraction_body_is_made_of_the_pages_text(
        title in prop::collection::vec(prop::sample::select(&TEXT_WORDS[..]), 0..6),
        body in prop::collection::vec(node(), 0..6),
    ) {
        let html = page(&title, &body);
        let allowed: BTreeSet<String> = TEXT_WORDS.iter().map(|w| w.to_string()).collect();
        if let Ok(article) = extract_article(html.as_bytes(), None, &Hints::default()) {
            for word in words(&article.body_text()) {
                prop_assert!(allowed.contains(&word), "{word:?} is not a text word of the page:\n{html}");
            }
        }
    }

    #[test]
    fn extraction_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = extract_article(&bytes, Some("2020/01/02/x.html"), &Hints::default());
    }

    #[test]
    fn extraction_never_panics_on_tag_soup(
        parts in prop::collection::vec(
            prop::sample::select(&[
                "<div>", "</div>", "<p>", "</p>", "<table>", "<td>", "<li>", "<svg>", "<math>", "</svg>", "<a href=x>",
                "<!--", "-->", "<script>", "</script>", "<title>", "</title>", "<meta charset=utf-16>", "<br/>", "&amp;",
                "&#0;", "&#x110000;", "\u{0}", "é", "<h1>", "text", " ", "<time datetime=2023-02-30>", "<template>",
                "<frameset>", "<plaintext>", "<select><option>",
            ][..]),
            0..200,
        ),
    ) {
        let html: String = parts.concat();
        let _ = extract_article(html.as_bytes(), None, &Hints::default());
    }
}

/// The sample corpus, indexed once for the search properties.
fn sample_index() -> &'static (tempfile::TempDir, IndexHandle, Vocabulary) {
    static INDEX: OnceLock<(tempfile::TempDir, IndexHandle, Vocabulary)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let vocabulary = Vocabulary::load(None).expect("vocabulary");
        let opts = options(&repo().join("corpus"), &dir.path().join("index"), 2);
        index_corpus(&opts, &vocabulary, &Hints::default()).expect("indexes");
        let handle = open_index(&opts.index_dir).expect("opens");
        (dir, handle, vocabulary)
    })
}

fn options(corpus: &Path, index_dir: &Path, threads: usize) -> IndexOptions {
    IndexOptions {
        corpus: corpus.to_path_buf(),
        index_dir: index_dir.to_path_buf(),
        threads,
        writer_memory: 30_000_000,
        max_file_size: 50_000_000,
        rebuild: true,
        follow_links: false,
        progress: false,
    }
}

fn request(text: &str, filters: Filters) -> SearchRequest {
    SearchRequest { filters, limit: 1000, keep_duplicates: true, ..SearchRequest::new(text) }
}

const QUERY_WORDS: [&str; 14] = [
    "mongolia",
    "rare",
    "earth",
    "copper",
    "security",
    "china",
    "trade",
    "energy",
    "election",
    "water",
    "africa",
    "\"rare earth\"",
    "-mongolia",
    "title:mongolia",
];

fn filters() -> impl Strategy<Value = Filters> {
    let regions = prop::sample::select(
        &["asia-pacific", "europe", "africa", "americas", "middle-east", "Mongolia", "China", "Germany"][..],
    );
    let categories = prop::sample::select(&["Analysis", "News", "Opinion", "Interview"][..]);
    let years = prop::sample::select(&["2018", "2019-06", "2020", "2021-03-15", "2023"][..]);
    let languages = prop::sample::select(&["en", "de", "fr-FR"][..]);
    (
        prop::collection::vec(regions, 0..3),
        prop::collection::vec(categories, 0..2),
        prop::collection::vec(languages, 0..2),
        prop::option::of(years.clone()),
        prop::option::of(years),
    )
        .prop_map(|(regions, categories, languages, since, until)| Filters {
            regions: regions.into_iter().map(String::from).collect(),
            categories: categories.into_iter().map(String::from).collect(),
            languages: languages.into_iter().map(String::from).collect(),
            since: since.map(String::from),
            until: until.map(String::from),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    #[test]
    fn a_filter_never_changes_the_scores_it_keeps(
        query in prop::collection::vec(prop::sample::select(&QUERY_WORDS[..]), 1..4),
        filters in filters(),
    ) {
        let text = query.join(" ");
        assert_filter_keeps_scores(&text, &filters)?;
    }
}

fn assert_filter_keeps_scores(text: &str, filters: &Filters) -> Result<(), TestCaseError> {
    let (_, handle, vocabulary) = sample_index();
    let all = search(handle, vocabulary, &request(text, Filters::default())).expect("search");
    let Ok(kept) = search(handle, vocabulary, &request(text, filters.clone())) else {
        return Ok(()); // an unknown region is an error, not a filter
    };
    let unfiltered: Vec<(&str, f32)> = all.hits.iter().map(|h| (h.article.id.as_str(), h.score)).collect();
    let mut previous = 0;
    for hit in &kept.hits {
        let position = unfiltered.iter().position(|(id, _)| *id == hit.article.id);
        prop_assert!(position.is_some(), "{} is not a hit without the filter {filters:?}", hit.article.id);
        let position = position.unwrap_or_default();
        prop_assert_eq!(unfiltered[position].1, hit.score, "{} for {:?} with {:?}", hit.article.id, text, filters);
        prop_assert!(position >= previous, "the filtered hits keep their order");
        previous = position;
    }
    Ok(())
}

/// Finding, fixed in search/query.rs: with an empty query every document scored 1.0, but
/// 0.0 once a filter was added (tantivy drops a match-all clause from a conjunction, and
/// its score with it).
#[test]
fn a_filter_keeps_the_scores_of_an_empty_query() {
    let filters = Filters { since: Some("2018".into()), ..Filters::default() };
    assert_filter_keeps_scores("", &filters).expect("scores kept");
}

/// Every stored document, every field, sorted by id.
fn index_content(index_dir: &Path) -> Vec<String> {
    let handle = open_index(index_dir).expect("opens");
    let searcher = handle.reader.searcher();
    let mut docs: Vec<String> = Vec::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let stored: tantivy::TantivyDocument =
                searcher.doc(tantivy::DocAddress::new(segment_ord as u32, doc)).expect("stored");
            docs.push(format!("{:?}", dossier::index::document::from_document(&handle.fields, &stored)));
        }
    }
    docs.sort();
    docs
}

fn hits(index_dir: &Path, vocabulary: &Vocabulary, text: &str) -> Vec<(String, f32)> {
    let handle = open_index(index_dir).expect("opens");
    let results = search(&handle, vocabulary, &request(text, Filters::default())).expect("search");
    results.hits.iter().map(|h| (h.article.id.clone(), h.score)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn one_or_two_threads_give_the_same_index(keep in prop::collection::vec(any::<bool>(), 42)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let corpus = dir.path().join("corpus");
        let pages: Vec<PathBuf> = walkdir::WalkDir::new(repo().join("corpus"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        for (page, _) in pages.iter().zip(keep.iter().cycle()).filter(|(_, keep)| **keep) {
            let target = corpus.join(page.strip_prefix(repo().join("corpus")).expect("inside"));
            std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
            std::fs::copy(page, &target).expect("copy");
        }
        std::fs::create_dir_all(&corpus).expect("dir");
        let vocabulary = Vocabulary::load(None).expect("vocabulary");
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        index_corpus(&options(&corpus, &one, 1), &vocabulary, &Hints::default()).expect("1 thread");
        index_corpus(&options(&corpus, &two, 2), &vocabulary, &Hints::default()).expect("2 threads");
        prop_assert_eq!(index_content(&one), index_content(&two));
        for text in ["mongolia", "rare earth", "security cooperation", ""] {
            let by_score = |mut hits: Vec<(String, f32)>| {
                hits.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                hits
            };
            prop_assert_eq!(by_score(hits(&one, &vocabulary, text)), by_score(hits(&two, &vocabulary, text)));
        }
    }
}

/// Finding, fixed in search/mod.rs: hits of equal score came in index order, and that
/// order depends on how many threads wrote the index (one segment, or one per thread).
#[test]
fn one_or_two_threads_give_the_same_order_of_ties() {
    let dir = tempfile::tempdir().expect("temp dir");
    let vocabulary = Vocabulary::load(None).expect("vocabulary");
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    let corpus = repo().join("corpus");
    index_corpus(&options(&corpus, &one, 1), &vocabulary, &Hints::default()).expect("1 thread");
    index_corpus(&options(&corpus, &two, 2), &vocabulary, &Hints::default()).expect("2 threads");
    assert_eq!(hits(&one, &vocabulary, ""), hits(&two, &vocabulary, ""));
}
