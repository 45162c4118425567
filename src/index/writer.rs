//! The indexing run: walk → (read → extract → enrich, in parallel) → one atomic commit.
//! Owns incrementality (size+mtime, then content hash), deletions of vanished files,
//! the writer lock and budget, per-file error containment and the commit payload.
//! Must not know how pages are parsed: it calls `extract` and `gazetteer` and nothing
//! below them.

use std::collections::HashMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::indexer::IndexWriterOptions;
use tantivy::schema::Value;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::document::{to_document, Source};
use super::walk::{walk_corpus, CorpusFile};
use super::{open_or_create, IndexError, IndexHandle};
use crate::extract::{extract_article, Hints};
use crate::gazetteer::{Place, Vocabulary};

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    pub corpus: PathBuf,
    pub index_dir: PathBuf,
    pub threads: usize,
    /// Total memory budget of the tantivy writer, in bytes.
    pub writer_memory: usize,
    /// Pages larger than this are refused (and counted as failed).
    pub max_file_size: u64,
    pub rebuild: bool,
    pub follow_links: bool,
    pub progress: bool,
}

/// One file that could not be indexed, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileFailure {
    pub path: String,
    pub reason: String,
}

/// The outcome of a run, for the summary line and `stats`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexReport {
    pub seen: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub failed: Vec<FileFailure>,
    pub bytes_read: u64,
    pub seconds: f64,
    pub documents: u64,
}

/// Stored with every commit (atomically, in tantivy's meta.json).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct CommitPayload {
    pub format: u32,
    pub corpus: String,
    pub committed_at: String,
    pub failed_count: u64,
    /// The first failures of the last run (capped, so the payload stays small).
    pub failed: Vec<FileFailure>,
}

const MAX_FAILURES_IN_PAYLOAD: usize = 1000;

/// Segments are merged into segments of at most this many documents. A merge holds
/// memory in proportion to what it merges, and tantivy's log merge policy ends up merging
/// the whole index: at 190k pages that made peak memory grow with the archive, past the
/// writer budget. Bounded merges keep an archive at a handful of segments per 50k pages.
pub const MAX_MERGED_DOCS: u32 = 50_000;

/// tantivy's log merge policy, with every merge it proposes cut into groups of at most
/// [`MAX_MERGED_DOCS`] documents (smallest segments first, two segments at least).
#[derive(Debug, Default)]
struct BoundedMergePolicy {
    log: tantivy::indexer::LogMergePolicy,
}

impl tantivy::indexer::MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[tantivy::SegmentMeta]) -> Vec<tantivy::indexer::MergeCandidate> {
        let docs: HashMap<tantivy::index::SegmentId, u32> = segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        let mut out = Vec::new();
        for candidate in self.log.compute_merge_candidates(segments) {
            let mut ids = candidate.0;
            ids.sort_by_key(|id| (docs.get(id).copied().unwrap_or(0), *id));
            let mut group: Vec<tantivy::index::SegmentId> = Vec::new();
            let mut group_docs = 0u32;
            for id in ids {
                let n = docs.get(&id).copied().unwrap_or(0);
                if group_docs + n > MAX_MERGED_DOCS && !group.is_empty() {
                    if group.len() > 1 {
                        out.push(tantivy::indexer::MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    group_docs = 0;
                }
                if n < MAX_MERGED_DOCS {
                    group.push(id);
                    group_docs += n;
                }
            }
            if group.len() > 1 {
                out.push(tantivy::indexer::MergeCandidate(group));
            }
        }
        out
    }
}

thread_local! {
    /// Set while a page is being processed, so the panic hook stays quiet: the panic is
    /// reported as that file's error line instead.
    static IN_PAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that is silent for panics inside per-page work and prints the
/// usual message otherwise. Call once at start-up.
pub fn install_quiet_page_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_PAGE.with(|f| f.get()) {
            default(info);
        }
    }));
}

fn panic_reason(payload: Box<dyn std::any::Any + Send>) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("internal error while extracting (panic: {msg})")
}

/// Reads at most `limit` bytes; a larger file is an error, not a truncation. `listed_size`
/// (from the walk) refuses a file known to be too large without reading any of it; the
/// `take` catches one that grew since.
fn read_page(path: &Path, listed_size: u64, limit: u64) -> Result<Vec<u8>, String> {
    let too_large = || format!("file is larger than the {} MB page limit (--max-file-size-mb)", limit / 1_000_000);
    if listed_size > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(listed_size as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

struct Known {
    size: u64,
    mtime: i64,
    hash: u64,
}

/// The indexed documents by id. Fx hashing: 190,000 ids are hashed on every run, and
/// they are file paths, not input an attacker chooses to collide.
type KnownDocuments = rustc_hash::FxHashMap<String, Known>;

/// Reads id, size, mtime and hash of every live document from the fast fields.
fn known_documents(handle: &IndexHandle) -> Result<KnownDocuments, IndexError> {
    let searcher = handle.reader.searcher();
    let mut known = KnownDocuments::default();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let ids = ff.str(super::schema::ID_FIELD)?.ok_or_else(|| IndexError::Damaged("id column missing".into()))?;
        let sizes = ff.u64(super::schema::SIZE_FIELD)?;
        let mtimes = ff.i64(super::schema::MTIME_FIELD)?;
        let hashes = ff.u64(super::schema::HASH_FIELD)?;
        // Every id of the segment, read in one pass over the column's dictionary: looking
        // each up by ordinal decodes a dictionary block per document.
        let mut names: Vec<String> = Vec::with_capacity(ids.dictionary().num_terms());
        let mut stream = ids.dictionary().stream()?;
        while stream.advance() {
            names.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        for doc in segment.doc_ids_alive() {
            let Some(ord) = ids.term_ords(doc).next() else { continue };
            let Some(id) = names.get(ord as usize) else { continue };
            known.insert(
                id.clone(),
                Known {
                    size: sizes.first(doc).unwrap_or(0),
                    mtime: mtimes.first(doc).unwrap_or(0),
                    hash: hashes.first(doc).unwrap_or(0),
                },
            );
        }
    }
    Ok(known)
}

enum Outcome {
    Indexed { bytes: u64 },
    Unchanged { bytes: u64 },
    Failed(FileFailure),
}

/// Runs one indexing pass. Every page is either indexed, unchanged or reported failed;
/// all changes become visible in one commit at the end, or not at all.
pub fn index_corpus(opts: &IndexOptions, vocabulary: &Vocabulary, hints: &Hints) -> Result<IndexReport, IndexError> {
    index_corpus_with(opts, vocabulary, hints, &|_| {}).map_err(|e| e.about_storage(&opts.index_dir))
}

/// [`index_corpus`], calling `after_walk` with the listed pages before any is read: the
/// tests use it to change the corpus in that window (a file deleted after the walk).
fn index_corpus_with(
    opts: &IndexOptions,
    vocabulary: &Vocabulary,
    hints: &Hints,
    after_walk: &dyn Fn(&[CorpusFile]),
) -> Result<IndexReport, IndexError> {
    let started = Instant::now();
    if !opts.corpus.is_dir() {
        return Err(IndexError::CorpusMissing(opts.corpus.clone()));
    }
    let handle = open_or_create(&opts.index_dir, opts.rebuild)?;
    let corpus_name = opts.corpus.canonicalize().unwrap_or_else(|_| opts.corpus.clone()).display().to_string();
    if !opts.rebuild {
        if let Some(previous) = handle.payload() {
            if !previous.corpus.is_empty() && previous.corpus != corpus_name {
                return Err(IndexError::OtherCorpus { index: opts.index_dir.clone(), corpus: previous.corpus });
            }
        }
    }
    let mut writer: IndexWriter<TantivyDocument> = handle
        .index
        .writer_with_options(
            IndexWriterOptions::builder()
                .num_worker_threads(opts.threads.max(1))
                .memory_budget_per_thread((opts.writer_memory / opts.threads.max(1)).max(15_000_000))
                .num_merge_threads(1)
                .build(),
        )
        .map_err(IndexError::from_writer)?;
    writer.set_merge_policy(Box::new(BoundedMergePolicy::default()));
    match write_run(&mut writer, &handle, opts, vocabulary, hints, corpus_name, after_walk) {
        Ok(mut report) => {
            writer.wait_merging_threads()?;
            handle.reader.reload()?;
            report.documents = handle.reader.searcher().num_docs();
            report.seconds = started.elapsed().as_secs_f64();
            Ok(report)
        }
        Err(e) => {
            discard_uncommitted(&mut writer);
            Err(e)
        }
    }
}

/// After a failed run: forget its documents and delete the segment files it wrote, so a
/// full disk is not left fuller by the attempt. Best effort: the previous commit is intact
/// whatever happens here.
fn discard_uncommitted(writer: &mut IndexWriter<TantivyDocument>) {
    if writer.rollback().is_ok() {
        let _ = writer.garbage_collect_files().wait();
    }
}

/// Everything between opening the writer and the commit.
fn write_run(
    writer: &mut IndexWriter<TantivyDocument>,
    handle: &IndexHandle,
    opts: &IndexOptions,
    vocabulary: &Vocabulary,
    hints: &Hints,
    corpus_name: String,
    after_walk: &dyn Fn(&[CorpusFile]),
) -> Result<IndexReport, IndexError> {
    let f = handle.fields;
    let known = if opts.rebuild {
        writer.delete_all_documents()?;
        KnownDocuments::default()
    } else {
        known_documents(handle)?
    };

    let (files, walk_failures) = walk_corpus(&opts.corpus, opts.follow_links);
    after_walk(&files);
    let mut report = IndexReport { seen: files.len() as u64, ..Default::default() };
    report.failed.extend(
        walk_failures.into_iter().map(|w| FileFailure { path: w.path.display().to_string(), reason: w.reason }),
    );

    let present: std::collections::HashSet<&str> = files.iter().map(|f| f.id.as_str()).collect();
    for id in known.keys().filter(|id| !present.contains(String::as_str(id))) {
        writer.delete_term(Term::from_field_text(f.id, id));
        report.removed += 1;
    }
    let (unchanged, todo): (Vec<&CorpusFile>, Vec<&CorpusFile>) = files
        .iter()
        .partition(|file| known.get(&file.id).is_some_and(|k| k.size == file.size && k.mtime == file.mtime));
    report.unchanged = unchanged.len() as u64;

    let progress =
        if opts.progress { indicatif::ProgressBar::new(todo.len() as u64) } else { indicatif::ProgressBar::hidden() };
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} pages [{elapsed_precise}] {bar:30} {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let region_of = |country: &str| match vocabulary.resolve(country) {
        Some(Place::Country(c)) => Some(vocabulary.region_name(vocabulary.country_region(c)).to_string()),
        _ => None,
    };
    let added = AtomicU64::new(0);
    let updated = AtomicU64::new(0);
    let write_error: Mutex<Option<tantivy::TantivyError>> = Mutex::new(None);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| IndexError::Io(std::io::Error::other(e.to_string())))?;
    let shared: &IndexWriter<TantivyDocument> = writer;
    let outcomes: Vec<Outcome> = pool.install(|| {
        todo.par_iter()
            .map(|file| {
                let outcome = process_file(
                    file,
                    opts,
                    vocabulary,
                    hints,
                    &known,
                    &|doc, existed| {
                        if existed {
                            shared.delete_term(Term::from_field_text(f.id, &file.id));
                        }
                        match shared.add_document(doc) {
                            Ok(_) => {
                                if existed { &updated } else { &added }.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                if let Ok(mut slot) = write_error.lock() {
                                    slot.get_or_insert(e);
                                }
                            }
                        }
                    },
                    &f,
                    &region_of,
                );
                progress.inc(1);
                outcome
            })
            .collect()
    });
    progress.finish_and_clear();
    if let Some(e) = write_error.into_inner().ok().flatten() {
        // A worker thread died (a full disk, most often) and add_document only says it was
        // killed; joining the workers, which prepare_commit does, returns their own error.
        return Err(match writer.prepare_commit() {
            Err(cause) => cause.into(),
            Ok(prepared) => {
                let _ = prepared.abort();
                e.into()
            }
        });
    }
    for o in outcomes {
        match o {
            Outcome::Indexed { bytes } => report.bytes_read += bytes,
            Outcome::Unchanged { bytes } => {
                report.bytes_read += bytes;
                report.unchanged += 1;
            }
            Outcome::Failed(failure) => report.failed.push(failure),
        }
    }
    report.failed.sort();
    report.added = added.load(Ordering::Relaxed);
    report.updated = updated.load(Ordering::Relaxed);

    let payload = CommitPayload {
        format: super::schema::FORMAT_VERSION,
        corpus: corpus_name,
        committed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        failed_count: report.failed.len() as u64,
        failed: report.failed.iter().take(MAX_FAILURES_IN_PAYLOAD).cloned().collect(),
    };
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
    prepared.commit()?;
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
fn process_file(
    file: &CorpusFile,
    opts: &IndexOptions,
    vocabulary: &Vocabulary,
    hints: &Hints,
    known: &KnownDocuments,
    write: &(dyn Fn(TantivyDocument, bool) + Sync),
    fields: &super::schema::Fields,
    region_of: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Outcome {
    let fail = |reason: String| Outcome::Failed(FileFailure { path: file.path.display().to_string(), reason });
    let bytes = match read_page(&file.path, file.size, opts.max_file_size) {
        Ok(b) => b,
        Err(reason) => return fail(reason),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let previous = known.get(&file.id);
    if previous.is_some_and(|k| k.hash == hash) && previous.is_some_and(|k| k.size == bytes.len() as u64) {
        // Touched but not changed: keep the document (its stored mtime stays stale, so
        // the next run hashes it again; cheap next to extraction).
        return Outcome::Unchanged { bytes: bytes.len() as u64 };
    }
    IN_PAGE.with(|f| f.set(true));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let article = extract_article(&bytes, Some(&file.id), hints)?;
        let facets = vocabulary.enrich(&article);
        let source = Source { id: file.id.clone(), content_hash: hash, size: file.size, mtime: file.mtime };
        Ok::<_, crate::extract::ExtractError>(to_document(fields, &source, &article, &facets, region_of))
    }));
    IN_PAGE.with(|f| f.set(false));
    match result {
        Ok(Ok(doc)) => {
            write(doc, previous.is_some());
            Outcome::Indexed { bytes: bytes.len() as u64 }
        }
        Ok(Err(e)) => fail(e.to_string()),
        Err(panic) => fail(panic_reason(panic)),
    }
}

/// Reads the stored document ids, for tests and `stats`.
pub fn stored_ids(handle: &IndexHandle) -> Result<Vec<String>, IndexError> {
    let searcher = handle.reader.searcher();
    let mut ids = Vec::new();
    for (seg_ord, segment) in searcher.segment_readers().iter().enumerate() {
        for doc in segment.doc_ids_alive() {
            let d: TantivyDocument = searcher.doc(tantivy::DocAddress::new(seg_ord as u32, doc))?;
            if let Some(id) = d.get_first(handle.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
    }
    ids.sort();
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_never_exceed_the_bound() {
        use tantivy::indexer::MergePolicy;
        let (schema, _) = crate::index::schema::build_schema();
        let index = tantivy::Index::create_in_ram(schema);
        let segments: Vec<tantivy::SegmentMeta> =
            (0..10).map(|_| index.new_segment_meta(tantivy::index::SegmentId::generate_random(), 20_000)).collect();
        let candidates = BoundedMergePolicy::default().compute_merge_candidates(&segments);
        assert!(!candidates.is_empty(), "ten equal segments are worth merging");
        for c in &candidates {
            assert!(c.0.len() >= 2);
            assert!(c.0.len() as u32 * 20_000 <= MAX_MERGED_DOCS, "{} segments of 20k docs", c.0.len());
        }
    }

    fn options(dir: &Path) -> IndexOptions {
        IndexOptions {
            corpus: dir.join("corpus"),
            index_dir: dir.join("index"),
            threads: 1,
            writer_memory: 15_000_000,
            max_file_size: 1_000_000,
            rebuild: false,
            follow_links: false,
            progress: false,
        }
    }

    /// A page the walk listed as too large is refused before it is opened (the 200 MB page
    /// used to be read up to the limit, 50 MB, before being refused).
    #[test]
    fn a_page_listed_too_large_is_not_read() {
        let never_opened = Path::new("/nonexistent/page.html");
        let refused = read_page(never_opened, 2_000_000, 1_000_000).expect_err("refused");
        assert!(refused.contains("larger than the 1 MB page limit"), "{refused}");
    }

    /// A page listed by the walk and gone when its turn comes is that page's failure (with
    /// its path and the system's reason); the run goes on and commits the others.
    #[test]
    fn a_file_deleted_between_walk_and_read_is_one_failure() {
        let dir = tempfile::tempdir().expect("temp dir");
        let opts = options(dir.path());
        std::fs::create_dir_all(&opts.corpus).expect("corpus");
        let page = |title: &str| {
            format!("<html><head><title>{title}</title></head><body><p>A paragraph about {title}.</p></body></html>")
        };
        for name in ["a", "b", "c"] {
            std::fs::write(opts.corpus.join(format!("{name}.html")), page(name)).expect("write");
        }
        let vocabulary = Vocabulary::load(None).expect("vocabulary");
        let doomed = opts.corpus.join("b.html");
        let report = index_corpus_with(&opts, &vocabulary, &Hints::default(), &|files| {
            assert_eq!(files.len(), 3, "the walk saw b.html");
            std::fs::remove_file(&doomed).expect("delete");
        })
        .expect("the run completes");
        assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
        assert_eq!(report.failed[0].path, doomed.display().to_string());
        assert!(report.failed[0].reason.contains("No such file or directory"), "{:?}", report.failed);
        assert_eq!((report.added, report.documents), (2, 2));
    }
}
