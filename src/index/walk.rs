//! Stage 1 of indexing: the corpus folder → the list of page files with their size and
//! modification time. Owns which files count as pages, symlink policy and file ids.
//! Must not read file contents.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// One page file found in the corpus.
#[derive(Debug, Clone)]
pub struct CorpusFile {
    pub path: PathBuf,
    /// Path relative to the corpus root with `/` separators: the document id.
    pub id: String,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 when unknown).
    pub mtime: i64,
}

/// A file or folder that could not be listed.
#[derive(Debug, Clone)]
pub struct WalkFailure {
    pub path: PathBuf,
    pub reason: String,
}

pub fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// Lists the pages under `root` in a stable order (sorted by name at every level).
/// Symlinks are not followed unless asked; with `follow_links`, loops are reported.
/// Listing is sequential; the sizes and times are read in parallel, since on a re-run with
/// nothing changed those 190,000 `stat` calls were most of the run.
pub fn walk_corpus(root: &Path, follow_links: bool) -> (Vec<CorpusFile>, Vec<WalkFailure>) {
    use rayon::prelude::*;
    let mut found: Vec<Result<(PathBuf, String), WalkFailure>> = Vec::new();
    let walker = WalkDir::new(root).follow_links(follow_links).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                let reason = if e.loop_ancestor().is_some() {
                    "symlink loop".to_string()
                } else {
                    e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
                };
                found.push(Err(WalkFailure { path, reason }));
                continue;
            }
        };
        if !entry.file_type().is_file() || !is_page(entry.path()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else { continue };
        let Some(id) = rel.to_str().map(|s| s.replace(std::path::MAIN_SEPARATOR, "/")) else {
            found.push(Err(WalkFailure {
                path: entry.path().to_path_buf(),
                reason: "file name is not valid UTF-8".into(),
            }));
            continue;
        };
        found.push(Ok((entry.into_path(), id)));
    }
    let stated: Vec<Result<CorpusFile, WalkFailure>> = found
        .into_par_iter()
        .map(|f| {
            let (path, id) = f?;
            // `entry.metadata()` above would have followed the link when asked to; so does this.
            let meta = if follow_links { std::fs::metadata(&path) } else { std::fs::symlink_metadata(&path) };
            match meta {
                Ok(m) => Ok(CorpusFile {
                    size: m.len(),
                    mtime: m
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map_or(0, |d| d.as_nanos() as i64),
                    path,
                    id,
                }),
                Err(e) => Err(WalkFailure { path, reason: e.to_string() }),
            }
        })
        .collect();
    let mut files = Vec::with_capacity(stated.len());
    let mut failures = Vec::new();
    for s in stated {
        match s {
            Ok(f) => files.push(f),
            Err(e) => failures.push(e),
        }
    }
    (files, failures)
}
