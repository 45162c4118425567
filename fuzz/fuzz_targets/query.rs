//! Any text → `search` on an index of the sample corpus: the query parser, the filters and
//! ranking must answer (hits, or an error for a bad filter), never panic. The first byte
//! picks the sort order and expansion; a second line, if any, is a `--since` bound, a
//! third a `--region`, a fourth a `--category` (a type or a topic) and `--language`.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use dossier::extract::Hints;
use dossier::gazetteer::Vocabulary;
use dossier::index::{index_corpus, open_index, IndexHandle, IndexOptions};
use dossier::search::{search, Filters, SearchRequest, SortOrder};
use libfuzzer_sys::fuzz_target;

fn setup() -> &'static (IndexHandle, Vocabulary) {
    static SETUP: OnceLock<(IndexHandle, Vocabulary)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let vocabulary = Vocabulary::load(None).expect("built-in vocabulary");
        let index_dir = std::env::temp_dir().join(format!("dossier-fuzz-query-{}", std::process::id()));
        let opts = IndexOptions {
            corpus: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus"),
            index_dir: index_dir.clone(),
            threads: 1,
            writer_memory: 15_000_000,
            max_file_size: 50_000_000,
            rebuild: true,
            follow_links: false,
            progress: false,
        };
        index_corpus(&opts, &vocabulary, &Hints::default()).expect("sample corpus indexes");
        (open_index(&index_dir).expect("index opens"), vocabulary)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut lines = text.splitn(4, '\n');
    let query = lines.next().unwrap_or_default().to_string();
    let since = lines.next().map(String::from);
    let regions = lines.next().map(|r| vec![r.to_string()]).unwrap_or_default();
    let fourth: Vec<String> = lines.next().map(|c| vec![c.to_string()]).unwrap_or_default();
    let (handle, vocabulary) = setup();
    let request = SearchRequest {
        text: query,
        filters: Filters { regions, categories: fourth.clone(), languages: fourth, since, until: None },
        limit: 1 + usize::from(flags >> 4),
        offset: usize::from(flags & 3),
        sort: [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest][usize::from(flags >> 2 & 3) % 3],
        expand: flags & 0x80 != 0,
        explain: flags & 0x40 != 0,
        boost_recent: (flags & 0x20 != 0).then_some(30),
        keep_duplicates: flags & 0x10 != 0,
        facet_limit: usize::from(flags & 0x0c),
    };
    let _ = search(handle, vocabulary, &request);
});
