//! Stage 5 of indexing and the storage search reads from: the tantivy index on disk.
//! Owns opening/creating it (with our analyzers registered on every handle), its errors
//! (missing, locked, damaged, built from another corpus), and the indexing run.
//!
//! - schema.rs: the one schema ("which fields exist and how is text analysed?")
//! - analysis.rs: "which stemmer does a page's language get, and a query word's stems?"
//! - document.rs: "how does an article become a document, and back?"
//! - fingerprint.rs: "are these two articles the same story?"
//! - readonly.rs: "search an index on media we may not write"
//! - walk.rs: "which files are pages?"
//! - writer.rs: "what changed since the last run, and commit it atomically"

pub mod analysis;
pub mod document;
pub mod fingerprint;
pub mod readonly;
pub mod schema;
pub mod walk;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::directory::error::{LockError, OpenDirectoryError, OpenWriteError};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyError};
use thiserror::Error;

pub use schema::Fields;
pub use writer::{index_corpus, CommitPayload, FileFailure, IndexOptions, IndexReport};

#[derive(Debug, Error)]
pub enum IndexError {
    #[error("no index at {0}: run `dossier index CORPUS` first")]
    Missing(PathBuf),
    #[error("corpus folder {0} does not exist or is not a folder")]
    CorpusMissing(PathBuf),
    #[error("index is locked by another process (another `dossier index` is running on it)")]
    Locked,
    #[error("the index at {index} was built from {corpus}; use --rebuild to replace it, or --index to choose another location")]
    OtherCorpus { index: PathBuf, corpus: String },
    #[error(
        "the index at {0} was written by an incompatible version of dossier; rebuild it with `dossier index --rebuild`"
    )]
    Incompatible(PathBuf),
    #[error("the index is damaged ({0}); rebuild it with `dossier index --rebuild`")]
    Damaged(String),
    #[error(
        "the disk holding the index at {dir} is full ({reason}); nothing of this run was committed and the \
         previous index is intact: free some space, or choose another --index location, and run again"
    )]
    DiskFull { dir: PathBuf, reason: String },
    #[error(
        "the index folder {dir} cannot be written ({reason}): make it writable or choose another --index location \
         (an index already there can still be searched)"
    )]
    ReadOnly { dir: PathBuf, reason: String },
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("index error: {0}")]
    Tantivy(#[from] TantivyError),
}

impl IndexError {
    fn from_writer(e: TantivyError) -> IndexError {
        match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Locked,
            other => IndexError::Tantivy(other),
        }
    }

    /// Names the two ways a disk refuses writes (full, read-only) for the index at `dir`;
    /// any other error is returned as it is.
    pub fn about_storage(self, dir: &Path) -> IndexError {
        let cause = match &self {
            IndexError::Io(io) => Some(io_again(io)),
            IndexError::Tantivy(e) => io_cause(e),
            _ => None,
        };
        let Some(io) = cause else { return self };
        let (dir, reason) = (dir.to_path_buf(), io.to_string());
        let io = &io;
        match io.kind() {
            // EFBIG too: a file-size limit (RLIMIT_FSIZE, a FAT volume) is a full disk for us.
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded | std::io::ErrorKind::FileTooLarge => {
                IndexError::DiskFull { dir, reason }
            }
            _ if readonly::is_unwritable(io) => IndexError::ReadOnly { dir, reason },
            _ => self,
        }
    }
}

/// The operating system's error under a tantivy error, when there is one. Some of
/// tantivy's paths keep only its text ("... (os error 28)"): the number is read back.
fn io_cause(e: &TantivyError) -> Option<std::io::Error> {
    match e {
        TantivyError::IoError(io) => Some(io_again(io)),
        TantivyError::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => Some(io_again(io_error)),
        TantivyError::LockFailure(LockError::IoError(io), _) => Some(io_again(io)),
        TantivyError::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => Some(io_again(io_error)),
        TantivyError::InternalError(text) | TantivyError::ErrorInThread(text) | TantivyError::SystemError(text) => {
            os_error_in(text)
        }
        _ => None,
    }
}

/// A copy of an I/O error (they are not `Clone`), keeping its OS code when it has one,
/// also when it is an error wrapped in another (its text then quotes the code).
fn io_again(io: &std::io::Error) -> std::io::Error {
    match io.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => os_error_in(&io.to_string()).unwrap_or_else(|| std::io::Error::new(io.kind(), io.to_string())),
    }
}

/// The error whose `(os error N)` a message quotes.
fn os_error_in(text: &str) -> Option<std::io::Error> {
    let (_, rest) = text.split_once("(os error ")?;
    let code = rest.split(')').next()?.parse().ok()?;
    Some(std::io::Error::from_raw_os_error(code))
}

impl From<tantivy::directory::error::OpenReadError> for IndexError {
    fn from(e: tantivy::directory::error::OpenReadError) -> Self {
        IndexError::Damaged(e.to_string())
    }
}

/// An open index with our analyzers and a reader that reloads only when told.
pub struct IndexHandle {
    pub index: Index,
    pub fields: Fields,
    pub reader: IndexReader,
}

/// Facts about an index that need no search: for `dossier stats`.
#[derive(Debug, Clone)]
pub struct IndexInfo {
    pub documents: u64,
    pub segments: usize,
    pub bytes_on_disk: u64,
    pub payload: Option<CommitPayload>,
    /// Documents per page language (ISO 639-1); pages of unknown language are not counted.
    pub languages: std::collections::BTreeMap<String, u64>,
}

impl IndexHandle {
    pub fn info(&self, dir: &Path) -> IndexInfo {
        let searcher = self.reader.searcher();
        let bytes_on_disk = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| e.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0);
        IndexInfo {
            documents: searcher.num_docs(),
            segments: searcher.segment_readers().len(),
            bytes_on_disk,
            payload: self.payload(),
            languages: self.languages(&searcher),
        }
    }

    /// Live documents per language: the language field's terms, each counted by a query
    /// (a term's document frequency would still count deleted documents).
    fn languages(&self, searcher: &tantivy::Searcher) -> std::collections::BTreeMap<String, u64> {
        language_codes(searcher, &self.fields)
            .into_iter()
            .filter_map(|code| {
                let term = tantivy::Term::from_field_text(self.fields.language, &code);
                let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
                let n = searcher.search(&query, &tantivy::collector::Count).ok()? as u64;
                (n > 0).then_some((code, n))
            })
            .collect()
    }

    /// The payload of the last commit, if any.
    pub fn payload(&self) -> Option<CommitPayload> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }
}

/// The page languages the index has terms for (deleted documents' included), each once.
pub fn language_codes(searcher: &tantivy::Searcher, fields: &Fields) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(fields.language) else { continue };
        let Ok(mut stream) = inverted.terms().stream() else { continue };
        while stream.advance() {
            let code = String::from_utf8_lossy(stream.key()).into_owned();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
}

fn handle(index: Index) -> Result<IndexHandle, IndexError> {
    schema::register_tokenizers(&index);
    let (expected, fields) = schema::build_schema();
    if index.schema() != expected {
        return Err(IndexError::Incompatible(PathBuf::new()));
    }
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    Ok(IndexHandle { index, fields, reader })
}

/// Opens an existing index for searching.
pub fn open_index(dir: &Path) -> Result<IndexHandle, IndexError> {
    if !dir.join("meta.json").is_file() {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let directory = MmapDirectory::open(dir).map_err(|e| match e {
        OpenDirectoryError::DoesNotExist(p) => IndexError::Missing(p),
        other => IndexError::Io(std::io::Error::other(other.to_string())),
    })?;
    let index = Index::open(readonly::ReadableDirectory::new(directory)).map_err(|e| match e {
        TantivyError::OpenReadError(e) => IndexError::Damaged(e.to_string()),
        TantivyError::DataCorruption(e) => IndexError::Damaged(format!("{e:?}")),
        other => IndexError::Tantivy(other),
    })?;
    handle(index).map_err(|e| match e {
        IndexError::Incompatible(_) => IndexError::Incompatible(dir.to_path_buf()),
        e @ IndexError::Tantivy(_) => IndexError::Damaged(e.to_string()),
        other => other,
    })
}

/// Opens the index for writing, creating it when absent. With `rebuild`, an index of
/// another schema is replaced; without, it is an error.
pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<IndexHandle, IndexError> {
    std::fs::create_dir_all(dir)?;
    if dir.join("meta.json").is_file() {
        match open_index(dir) {
            Ok(h) => return Ok(h),
            Err(IndexError::Incompatible(_) | IndexError::Damaged(_)) if rebuild => clear_index_files(dir)?,
            Err(e) => return Err(e),
        }
    }
    let (schema, _) = schema::build_schema();
    let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Io(std::io::Error::other(e.to_string())))?;
    let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
    handle(index)
}

/// Removes tantivy's files from an index folder, leaving anything else (a README) alone.
fn clear_index_files(dir: &Path) -> Result<(), IndexError> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let ours = name == "meta.json"
            || name == ".managed.json"
            || name.ends_with(".lock")
            || name.contains('.') && name.len() > 32;
        if ours && path.is_file() {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storage(e: TantivyError) -> IndexError {
        IndexError::Tantivy(e).about_storage(Path::new("ix"))
    }

    #[test]
    fn full_and_read_only_disks_are_named() {
        let os = |code| std::sync::Arc::new(std::io::Error::from_raw_os_error(code));
        assert!(matches!(storage(TantivyError::IoError(os(28))), IndexError::DiskFull { .. }));
        assert!(matches!(storage(TantivyError::IoError(os(27))), IndexError::DiskFull { .. }));
        let text = TantivyError::InternalError("No space left on device (os error 28)".into());
        assert!(matches!(storage(text), IndexError::DiskFull { .. }));
        let lock = TantivyError::LockFailure(LockError::IoError(os(30)), None);
        assert!(matches!(storage(lock), IndexError::ReadOnly { .. }));
        let wrapped = std::io::Error::other(std::io::Error::from_raw_os_error(27));
        assert!(matches!(storage(TantivyError::IoError(wrapped.into())), IndexError::DiskFull { .. }));
        assert!(matches!(storage(TantivyError::IoError(os(5))), IndexError::Tantivy(_)));
        assert!(matches!(storage(TantivyError::InternalError("other".into())), IndexError::Tantivy(_)));
    }
}
