//! Shared by the benches: where the sample corpus is and how they index it.

use std::path::{Path, PathBuf};

use dossier::index::IndexOptions;
use dossier::search::Filters;

/// Only the given region, or no filter.
pub fn region_filter(region: Option<&str>) -> Filters {
    Filters { regions: region.map(|r| vec![r.to_string()]).unwrap_or_default(), ..Default::default() }
}

pub fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Indexing the sample corpus into `dir/index` with two threads.
pub fn sample_options(dir: &Path) -> IndexOptions {
    IndexOptions {
        corpus: corpus(),
        index_dir: dir.join("index"),
        threads: 2,
        writer_memory: 100_000_000,
        max_file_size: 50_000_000,
        rebuild: false,
        follow_links: false,
        progress: false,
    }
}
