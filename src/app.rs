//! The commands: glue from parsed flags to the library stages and the renderers, and
//! the exit code policy (0 ok, 1 no hits / some files failed, 2 fatal). The only module
//! that prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::cli::{Cli, Command, ExtractArgs, IndexArgs, RelatedArgs, SearchArgs, ServeArgs, StatsArgs};
use crate::extract::Hints;
use crate::gazetteer::Vocabulary;
use crate::index::{index_corpus, open_index, IndexOptions};
use crate::render::{human, json};
use crate::search::{search, SearchRequest};

/// Exit codes.
pub const OK: u8 = 0;
pub const PARTIAL: u8 = 1;
pub const FATAL: u8 = 2;

fn load_vocabulary(path: Option<&Path>) -> Result<Vocabulary> {
    let Some(p) = path else {
        return Vocabulary::load(None).context("built-in vocabulary");
    };
    let text = std::fs::read_to_string(p).with_context(|| format!("{}: cannot read vocabulary file", p.display()))?;
    // A .tsv file is a topic table (CODE<TAB>NAME); anything else is the TOML vocabulary.
    let is_table = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let loaded = if is_table { Vocabulary::with_topic_table(&text) } else { Vocabulary::load(Some(&text)) };
    loaded.with_context(|| format!("{}: invalid vocabulary", p.display()))
}

fn load_hints(path: Option<&Path>) -> Result<Hints> {
    let mut hints = Hints::default();
    if let Some(p) = path {
        let text = std::fs::read_to_string(p).with_context(|| format!("{}: cannot read hints file", p.display()))?;
        hints.merge(Hints::from_toml(&text).with_context(|| format!("{}: invalid hints", p.display()))?);
    }
    Ok(hints)
}

pub fn run(cli: Cli) -> Result<u8> {
    let vocabulary = load_vocabulary(cli.vocabulary.as_deref())?;
    // Only the extractor reads the boilerplate hints; searches skip parsing them.
    let hints = || load_hints(cli.hints.as_deref());
    match cli.command {
        Command::Index(args) => run_index(args, &vocabulary, &hints()?),
        Command::Search(args) => run_search(args, &vocabulary),
        Command::Extract(args) => run_extract(args, &vocabulary, &hints()?),
        Command::Stats(args) => run_stats(args, &vocabulary),
        Command::Related(args) => run_related(args, &vocabulary),
        Command::Serve(args) => run_serve(args, vocabulary),
    }
}

fn run_index(args: IndexArgs, vocabulary: &Vocabulary, hints: &Hints) -> Result<u8> {
    use std::io::IsTerminal;
    let corpus = match args.corpus {
        Some(c) => c,
        None => open_index(&args.index)
            .ok()
            .and_then(|h| h.payload())
            .map(|p| PathBuf::from(p.corpus))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("corpus")),
    };
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let opts = IndexOptions {
        corpus: corpus.clone(),
        index_dir: args.index.clone(),
        threads,
        writer_memory: args.writer_memory_mb.max(15) * 1_000_000,
        max_file_size: args.max_file_size_mb.max(1) * 1_000_000,
        rebuild: args.rebuild,
        follow_links: args.follow_links,
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    crate::index::writer::install_quiet_page_panics();
    let report = index_corpus(&opts, vocabulary, hints)
        .with_context(|| format!("indexing {} into {}", corpus.display(), args.index.display()))?;
    let mut err = std::io::stderr().lock();
    for f in &report.failed {
        let _ = writeln!(err, "dossier: {}: {}", f.path, f.reason);
    }
    let mb = report.bytes_read as f64 / 1e6;
    println!(
        "indexed {}: {} files seen, {} added, {} updated, {} unchanged, {} removed, {} failed; {} documents; {:.1} MB in {:.2} s ({:.1} MB/s)",
        corpus.display(),
        report.seen,
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.failed.len(),
        report.documents,
        mb,
        report.seconds,
        if report.seconds > 0.0 { mb / report.seconds } else { 0.0 }
    );
    Ok(if report.failed.is_empty() { OK } else { PARTIAL })
}

fn run_search(args: SearchArgs, vocabulary: &Vocabulary) -> Result<u8> {
    let handle = open_index(&args.index).with_context(|| format!("opening index {}", args.index.display()))?;
    let text = args.query.join(" ");
    let req = SearchRequest {
        text: text.clone(),
        filters: args.filters.into(),
        limit: args.limit,
        offset: args.offset,
        sort: args.sort,
        expand: !args.no_expand,
        explain: args.explain,
        boost_recent: args.boost_recent,
        keep_duplicates: args.keep_duplicates,
        facet_limit: args.facet_limit,
    };
    let results = search(&handle, vocabulary, &req)?;
    for w in &results.warnings {
        eprintln!("dossier: warning: {w}");
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &json::search_output(&text, &results))?;
        writeln!(out)?;
    } else {
        write!(out, "{}", human::search_results(&results, human::use_color()))?;
    }
    Ok(if results.total > 0 { OK } else { PARTIAL })
}

fn run_extract(args: ExtractArgs, vocabulary: &Vocabulary, hints: &Hints) -> Result<u8> {
    crate::index::writer::install_quiet_page_panics();
    let results: Vec<(String, Result<_, String>)> = args
        .files
        .par_iter()
        .map(|path| {
            let shown = path.display().to_string();
            let result = std::fs::read(path).map_err(|e| e.to_string()).and_then(|bytes| {
                crate::normalise_page(&bytes, Some(&shown), hints, vocabulary).map_err(|e| e.to_string())
            });
            (shown, result)
        })
        .collect();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    let width = 100;
    for (path, result) in &results {
        if let Err(reason) = result {
            failed = true;
            eprintln!("dossier: {path}: {reason}");
        }
        if args.json {
            serde_json::to_writer(&mut out, &json::extract_output(path, result.as_ref().map_err(Clone::clone)))?;
            writeln!(out)?;
        } else if let Ok((article, facets)) = result {
            writeln!(out, "{}", human::article(path, article, facets, width))?;
            if args.explain {
                let bytes = std::fs::read(path).with_context(|| format!("{path}: cannot read"))?;
                writeln!(out, "-- why\n{}", crate::extract::explain_page(&bytes, hints).unwrap_or_default())?;
            }
        }
    }
    Ok(if failed { PARTIAL } else { OK })
}

fn run_stats(args: StatsArgs, vocabulary: &Vocabulary) -> Result<u8> {
    let handle = open_index(&args.index).with_context(|| format!("opening index {}", args.index.display()))?;
    let info = handle.info(&args.index);
    let everything = SearchRequest { limit: 1, keep_duplicates: true, facet_limit: 0, ..SearchRequest::new("") };
    let results = search(&handle, vocabulary, &everything)?;
    let stats = json::stats_output(&args.index.display().to_string(), &info, &results.facets);
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &stats)?;
        writeln!(out)?;
    } else {
        write!(out, "{}", human::stats(&stats))?;
    }
    Ok(OK)
}

fn run_serve(args: ServeArgs, vocabulary: Vocabulary) -> Result<u8> {
    let handle = open_index(&args.index).with_context(|| format!("opening index {}", args.index.display()))?;
    let corpus = match &args.corpus {
        Some(c) => Some(c.canonicalize().with_context(|| format!("{}: corpus folder not found", c.display()))?),
        None => handle
            .payload()
            .map(|p| PathBuf::from(p.corpus))
            .filter(|p| !p.as_os_str().is_empty())
            .and_then(|p| p.canonicalize().ok()),
    };
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "dossier: warning: listening on {}: anyone who can reach this machine can search the archive and read its pages",
            args.addr
        );
    }
    let index_shown = args.index.display().to_string();
    let options = crate::serve::ServeOptions { addr: args.addr, corpus };
    crate::serve::run(handle, vocabulary, options, |addr| {
        println!("dossier: serving {index_shown} on http://{addr}/ (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
    })?;
    Ok(OK)
}

fn run_related(args: RelatedArgs, vocabulary: &Vocabulary) -> Result<u8> {
    let handle = open_index(&args.index).with_context(|| format!("opening index {}", args.index.display()))?;
    let req = SearchRequest { filters: args.filters.into(), limit: args.limit, ..SearchRequest::new("") };
    // The id as search shows it, else a file path inside the corpus the index was built from.
    let given = args.path.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
    let mut candidates = vec![given.clone()];
    if let (Some(payload), Ok(file)) = (handle.payload(), args.path.canonicalize()) {
        if let Ok(rel) = file.strip_prefix(&payload.corpus) {
            candidates.push(rel.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/"));
        }
    }
    for id in &candidates {
        if let Some(results) = crate::search::related(&handle, vocabulary, id, &req)? {
            let shown = format!("related:{id}");
            let mut out = std::io::stdout().lock();
            if args.json {
                serde_json::to_writer(&mut out, &json::search_output(&shown, &results))?;
                writeln!(out)?;
            } else {
                write!(out, "{}", human::search_results(&results, human::use_color()))?;
            }
            return Ok(if results.total > 0 { OK } else { PARTIAL });
        }
    }
    anyhow::bail!("{given}: no such document in the index {}", args.index.display())
}
