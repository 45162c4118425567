//! Any bytes → `extract_article` (and the whole normaliser): must return an article or an
//! `ExtractError`, never panic, and its body must be made of the page's words.
#![no_main]

use std::sync::OnceLock;

use dossier::extract::Hints;
use dossier::gazetteer::Vocabulary;
use libfuzzer_sys::fuzz_target;

fn setup() -> &'static (Hints, Vocabulary) {
    static SETUP: OnceLock<(Hints, Vocabulary)> = OnceLock::new();
    SETUP.get_or_init(|| (Hints::default(), Vocabulary::load(None).expect("built-in vocabulary")))
}

fuzz_target!(|data: &[u8]| {
    let (hints, vocabulary) = setup();
    if let Ok((article, _facets)) = dossier::normalise_page(data, Some("2023/08/02/page.html"), hints, vocabulary) {
        let _ = article.to_html();
        let _ = article.body_text();
    }
    let _ = dossier::extract::explain_page(data, hints);
});
