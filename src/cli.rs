//! Every command-line flag, declared once (clap derive). Help text comes from here.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::search::SortOrder;

#[derive(Debug, Parser)]
#[command(name = "dossier", version, about = "Search engine for archives of analysis articles")]
pub struct Cli {
    /// Extra places, article types and topics (TOML, same shape as the built-in gazetteer),
    /// or a topic table (`.tsv`: CODE<TAB>NAME per line). A topic list makes topics a
    /// controlled vocabulary: labels map to its names and other labels are not topics.
    /// Changing it needs `index --rebuild`.
    #[arg(long, global = true, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,
    /// Extra boilerplate/content hints (TOML, same keys as the built-in hints).
    #[arg(long, global = true, value_name = "FILE")]
    pub hints: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index (or re-index incrementally) a folder of HTML pages.
    Index(IndexArgs),
    /// Search the index.
    Search(SearchArgs),
    /// Show what the normaliser makes of pages (the debugging view).
    Extract(ExtractArgs),
    /// Serve a search page and a JSON API over HTTP (http://127.0.0.1:7700 by default).
    Serve(ServeArgs),
    /// What the index holds: documents, segments, size, last run, counts, failures.
    Stats(StatsArgs),
    /// Articles like a given one ("more like this"), by its path in the corpus.
    Related(RelatedArgs),
}

#[derive(Debug, Args)]
pub struct RelatedArgs {
    /// The article: its path as search results show it (relative to the corpus), or a file path.
    pub path: PathBuf,
    /// Index location.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// One JSON object on stdout (the `search --json` shape).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Index location.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// One JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Folder of .html/.htm pages [default: the folder the index was built from, else `corpus`]
    pub corpus: Option<PathBuf>,
    /// Index location.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Start from an empty index (replaces an index of another corpus or version).
    #[arg(long)]
    pub rebuild: bool,
    /// Worker threads for extraction and indexing [default: number of cores]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Memory budget of the index writer, in MB (at least 15 per thread).
    #[arg(long, default_value_t = 256)]
    pub writer_memory_mb: usize,
    /// Pages larger than this many MB are skipped and reported.
    #[arg(long, default_value_t = 50)]
    pub max_file_size_mb: u64,
    /// Follow symbolic links inside the corpus (loops are detected and reported).
    #[arg(long)]
    pub follow_links: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "quoted phrases", +required, -excluded, AND/OR/NOT, title:word; several
    /// arguments are joined with spaces. Empty lists all. A query that starts with `-`
    /// goes after `--`.
    pub query: Vec<String>,
    /// Index location.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, value_enum, default_value_t = SortOrder::Relevance)]
    pub sort: SortOrder,
    /// Search the words typed only: no words added from the top results (by default, plain
    /// queries are expanded with them: pseudo-relevance feedback, RM3).
    #[arg(long)]
    pub no_expand: bool,
    /// The default (kept so scripts that ask for feedback keep working).
    #[arg(long, hide = true, conflicts_with = "no_expand")]
    pub expand: bool,
    /// Prefer recent articles: relevance times 0.5 + 0.5 × 2^(−age/DAYS), the age counted
    /// from the newest article of the index (default half-life 365 days).
    #[arg(long, value_name = "DAYS", num_args = 0..=1, require_equals = true, default_missing_value = "365",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub boost_recent: Option<u32>,
    /// Facet values listed per dimension (regions, countries, categories, types, years),
    /// the most frequent first; 0 lists all.
    #[arg(long, value_name = "N", default_value_t = crate::search::facets::DEFAULT_FACET_LIMIT)]
    pub facet_limit: usize,
    /// Show near-identical articles (the same story on two sites, a page saved twice) as
    /// hits of their own; by default each story is one hit with its copies listed.
    #[arg(long)]
    pub keep_duplicates: bool,
    /// Show why each hit ranks where it does: the score's parts (BM25 per field and
    /// word, the all-words tier, proximity and phrase boosts).
    #[arg(long)]
    pub explain: bool,
    /// One JSON object on stdout (see README for the format).
    #[arg(long)]
    pub json: bool,
}

/// The filters of `search` and `related`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only this region or country (repeatable: any of them), e.g. asia-pacific, Mongolia.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
    /// Only this category (repeatable: any of them), e.g. Analysis.
    #[arg(long = "category", value_name = "CATEGORY")]
    pub categories: Vec<String>,
    /// Only pages in this language (repeatable: any of them), an ISO 639-1 code, e.g. de.
    #[arg(long = "language", value_name = "CODE")]
    pub languages: Vec<String>,
    /// Published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; inclusive).
    #[arg(long)]
    pub until: Option<String>,
}

impl From<FilterArgs> for crate::search::Filters {
    fn from(a: FilterArgs) -> Self {
        crate::search::Filters {
            regions: a.regions,
            categories: a.categories,
            languages: a.languages,
            since: a.since,
            until: a.until,
        }
    }
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Pages to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// One JSON object per file and line.
    #[arg(long)]
    pub json: bool,
    /// Also show why: the chosen article container and what was zoned out as chrome.
    #[arg(long, conflicts_with = "json")]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Index location.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Address to listen on. Another address than loopback exposes the archive to the
    /// network (a warning is printed). Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub addr: SocketAddr,
    /// Folder of the original pages, for "saved page" links [default: the folder the
    /// index was built from, when it still exists]
    #[arg(long)]
    pub corpus: Option<PathBuf>,
}
