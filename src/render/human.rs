//! Human-readable output for a terminal or a pipe: results with bold highlights (plain
//! when piped or NO_COLOR is set), facet counts, the extracted article as wrapped text.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::extract::Article;
use crate::gazetteer::Facets;
use crate::search::SearchResults;

const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// "Asia-Pacific (9), Americas (4)": largest count first, then by name.
fn counts_by_size(m: &BTreeMap<String, u64>) -> String {
    let mut v: Vec<(&String, &u64)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter().map(|(k, n)| format!("{k} ({n})")).collect::<Vec<_>>().join(", ")
}

/// Whether to use ANSI styling on stdout.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn highlight(text: &str, ranges: &[(usize, usize)], color: bool) -> String {
    let (on, off) = if color { (BOLD, RESET) } else { ("", "") };
    if !color {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if ranges.iter().any(|&(s, _)| s == i) {
            out.push_str(on);
        }
        out.push(c);
        if ranges.iter().any(|&(_, e)| e == i + 1) {
            out.push_str(off);
        }
    }
    out
}

/// A score's parts as an indented tree, one line per part, deepest parts last.
fn explanation_lines(out: &mut String, e: &crate::search::ScoreExplanation, depth: usize, (d, x): (&str, &str)) {
    let _ = writeln!(out, "{:indent$}{:>9.3}  {d}{}{x}", "", e.score, e.what, indent = depth * 2);
    for p in &e.parts {
        explanation_lines(out, p, depth + 1, (d, x));
    }
}

pub fn search_results(r: &SearchResults, color: bool) -> String {
    let mut out = String::new();
    let (b, d, x) = if color { (BOLD, DIM, RESET) } else { ("", "", "") };
    for h in &r.hits {
        let a = &h.article;
        let _ = writeln!(out, "{:>3}. {b}{}{x}", h.rank, a.title.as_deref().unwrap_or("(untitled)"));
        let mut line = Vec::new();
        if let Some(date) = a.date {
            line.push(date.format("%Y-%m-%d").to_string());
        }
        if !a.countries.is_empty() {
            line.push(a.countries.join(", "));
        } else if !a.regions.is_empty() {
            line.push(a.regions.join(", "));
        }
        if !a.types.is_empty() {
            line.push(a.types.join(", "));
        }
        if !a.categories.is_empty() {
            line.push(a.categories.join(", "));
        }
        if !line.is_empty() {
            let _ = writeln!(out, "     {d}{}{x}", line.join(" · "));
        }
        let _ = writeln!(out, "     {d}{}{x}", a.id);
        if h.copies > 0 {
            let more = h.copies - h.duplicates.len();
            let tail = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            let _ = writeln!(out, "     {d}same story: {}{tail}{x}", h.duplicates.join(", "));
        }
        if !h.snippet.text.is_empty() {
            let _ = writeln!(out, "     {}", highlight(&h.snippet.text, &h.snippet.highlights, color));
        }
        if let Some(why) = &h.explanation {
            let _ = writeln!(out, "     {d}why: score {:.3}{x}", h.score);
            explanation_lines(&mut out, why, 3, (d, x));
        }
        out.push('\n');
    }
    let shown = r.hits.len();
    let _ = writeln!(
        out,
        "{} result{} ({shown} shown, {:.1} ms)",
        r.total,
        if r.total == 1 { "" } else { "s" },
        r.elapsed_ms
    );
    let facet_line = |name: &str, key: &str, m: &BTreeMap<String, u64>| {
        if m.is_empty() {
            return String::new();
        }
        match r.facets.omitted.get(key) {
            Some(more) => format!("{name}: {}, and {more} more\n", counts_by_size(m)),
            None => format!("{name}: {}\n", counts_by_size(m)),
        }
    };
    out.push_str(&facet_line("regions", "region", &r.facets.region));
    out.push_str(&facet_line("countries", "country", &r.facets.country));
    out.push_str(&facet_line("types", "type", &r.facets.kind));
    out.push_str(&facet_line("categories", "category", &r.facets.category));
    out.push_str(&facet_line("years", "year", &r.facets.year));
    out
}

/// The extracted article for reading on a terminal: a metadata header, then the body
/// rendered by html2text from the article's clean HTML.
pub fn article(path: &str, a: &Article, f: &Facets, width: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "== {path}");
    let field = |out: &mut String, k: &str, v: Option<String>| {
        let _ = writeln!(out, "{k:>10}: {}", v.unwrap_or_else(|| "-".into()));
    };
    field(&mut out, "title", a.title.clone());
    field(&mut out, "date", a.published.map(|p| p.instant.map_or_else(|| p.date.to_string(), |i| i.to_rfc3339())));
    field(&mut out, "author", a.author.clone());
    field(&mut out, "language", a.language.clone());
    field(&mut out, "url", a.url.clone());
    field(&mut out, "regions", Some(f.regions.join(", ")));
    field(&mut out, "countries", Some(f.countries.join(", ")));
    field(&mut out, "types", Some(f.types.join(", ")));
    field(&mut out, "categories", Some(f.categories.join(", ")));
    field(&mut out, "tags", Some(f.tags.join(", ")));
    field(&mut out, "encoding", Some(a.encoding.to_string()));
    let words: usize = a.blocks.iter().map(|b| b.text.split_whitespace().count()).sum();
    field(&mut out, "body", Some(format!("{} blocks, {words} words", a.blocks.len())));
    out.push('\n');
    let html = a.to_html();
    let rendered = std::panic::catch_unwind(|| {
        html2text::config::plain()
            .link_footnotes(false)
            .allow_width_overflow()
            .string_from_read(html.as_bytes(), width.max(20))
    });
    match rendered {
        Ok(Ok(text)) => out.push_str(&text),
        _ => out.push_str(&a.body_text()),
    }
    out
}

/// `dossier stats` for people.
pub fn stats(s: &super::json::StatsOutput) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "index       {}", s.index);
    let _ = writeln!(out, "corpus      {}", s.corpus.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "last commit {}", s.last_commit.as_deref().unwrap_or("-"));
    let _ = writeln!(out, "documents   {}", s.documents);
    let _ = writeln!(out, "segments    {}", s.segments);
    let _ = writeln!(out, "size        {:.1} MB", s.bytes_on_disk as f64 / 1e6);
    let _ = writeln!(out, "failed      {} file(s) at the last run", s.failed_count);
    for f in &s.failed {
        let _ = writeln!(out, "            {}: {}", f.path, f.reason);
    }
    let line = |name: &str, m: &BTreeMap<String, u64>| format!("{name:<11} {}\n", counts_by_size(m));
    out.push_str(&line("regions", &s.facets.region));
    out.push_str(&line("countries", &s.facets.country));
    out.push_str(&line("types", &s.facets.kind));
    out.push_str(&line("categories", &s.facets.category));
    out.push_str(&line("years", &s.facets.year));
    out.push_str(&line("languages", &s.languages));
    out
}
