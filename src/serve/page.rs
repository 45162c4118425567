//! The HTML of `dossier serve`, rendered on the server so the basic search works without
//! JavaScript; `assets/app.js` only fetches the same results area (`/results`) and swaps it
//! in. Owns the markup and the escaping: every string that came from a page or a URL goes
//! through [`esc`], and only `http(s)` URLs become links. Must not search or read files.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::params::{sort_name, SearchParams};
use crate::gazetteer::{normalise, Vocabulary};
use crate::index::document::StoredArticle;
use crate::search::{SearchHit, SearchResults, SortOrder};

pub const APP_JS: &str = include_str!("assets/app.js");
pub const APP_CSS: &str = include_str!("assets/app.css");

/// A whole page, or only the results area (for the script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Full,
    Fragment,
}

/// Escapes text for HTML content and quoted attribute values (the one escaper the
/// crate has, shared with the extractor's clean-article HTML).
pub fn esc(s: &str) -> String {
    crate::extract::escape_html(s)
}

/// The URL if it may become a link: `http` or `https` only (never `javascript:`, `data:`).
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(u)
}

/// Percent-encodes a document id for a path, keeping its `/` separators.
fn encode_id(id: &str) -> String {
    id.split('/')
        .map(|seg| form_urlencoded::byte_serialize(seg.as_bytes()).collect::<String>())
        .collect::<Vec<_>>()
        .join("/")
        // byte_serialize writes spaces as '+', which a path would keep literally.
        .replace('+', "%20")
}

/// `text` escaped, with `[start, end)` character ranges wrapped in `<mark>`.
fn marked_chars(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut bytes = Vec::with_capacity(ranges.len());
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    for &(s, e) in ranges {
        if let (Some(&bs), Some(&be)) = (offsets.get(s), offsets.get(e)) {
            bytes.push((bs, be));
        }
    }
    marked_bytes(text, &bytes)
}

/// `text` escaped, with `[start, end)` byte ranges (on char boundaries) wrapped in `<mark>`.
fn marked_bytes(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut ranges: Vec<(usize, usize)> = ranges
        .iter()
        .copied()
        .filter(|&(s, e)| s < e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e))
        .collect();
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for (s, e) in ranges {
        if s < at {
            continue;
        }
        out.push_str(&esc(&text[at..s]));
        let _ = write!(out, "<mark>{}</mark>", esc(&text[s..e]));
        at = e;
    }
    out.push_str(&esc(&text[at..]));
    out
}

fn same_place(vocabulary: &Vocabulary, a: &str, b: &str) -> bool {
    match (vocabulary.resolve(a), vocabulary.resolve(b)) {
        (Some(x), Some(y)) => x == y,
        _ => normalise(a) == normalise(b),
    }
}

fn shell(title: &str, header: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <script src=\"/assets/app.js\" defer></script></head>\n<body>\n{header}\n{main}\n</body></html>\n",
        title = esc(title)
    )
}

fn search_box(q: &str) -> String {
    format!(
        "<header class=\"top\"><a class=\"brand\" href=\"/\">Dossier</a>\
         <input id=\"q\" type=\"search\" name=\"q\" value=\"{}\" placeholder=\"Search articles (press /)\" \
         aria-label=\"Search\" autocomplete=\"off\" spellcheck=\"false\">\
         <button type=\"submit\">Search</button></header>",
        esc(q)
    )
}

fn hidden_filters(p: &SearchParams) -> String {
    let mut out = String::new();
    let mut hidden = |name: &str, value: &str| {
        let _ = write!(out, "<input type=\"hidden\" name=\"{name}\" value=\"{}\">", esc(value));
    };
    for r in &p.regions {
        hidden("region", r);
    }
    for c in &p.categories {
        hidden("category", c);
    }
    if let Some(d) = &p.since {
        hidden("since", d);
    }
    if let Some(d) = &p.until {
        hidden("until", d);
    }
    if p.limit != super::params::PAGE_DEFAULT_LIMIT {
        hidden("limit", &p.limit.to_string());
    }
    out
}

fn page_title(p: &SearchParams) -> String {
    if p.q.trim().is_empty() {
        "Dossier".into()
    } else {
        format!("{} — Dossier", p.q.trim())
    }
}

/// The search page (or its results area) for `params`.
pub fn results(
    params: &SearchParams,
    results: Result<&SearchResults, &str>,
    vocabulary: &Vocabulary,
    frame: Frame,
) -> String {
    let mut area = format!("<div class=\"frag\" data-title=\"{}\">", esc(&page_title(params)));
    area.push_str(&hidden_filters(params));
    match results {
        Err(message) => {
            let _ = write!(area, "<p class=\"error\" role=\"alert\">{}</p>", esc(message));
            area.push_str(&chips(params, vocabulary));
        }
        Ok(r) => {
            let _ = write!(
                area,
                "<p class=\"status\"><span id=\"total\">{}</span> {} <span class=\"ms\">({:.1} ms)</span></p>",
                r.total,
                if r.total == 1 { "article" } else { "articles" },
                r.elapsed_ms
            );
            for w in &r.warnings {
                let _ = write!(area, "<p class=\"warning\">{}</p>", esc(w));
            }
            area.push_str(&chips(params, vocabulary));
            area.push_str("<div class=\"cols\"><aside class=\"facets\" aria-label=\"Refine\">");
            area.push_str(&region_tree(params, r, vocabulary));
            area.push_str(&category_list(params, r));
            area.push_str(&year_histogram(params, r));
            area.push_str("</aside><section class=\"hitcol\">");
            area.push_str(&toolbar(params, r));
            area.push_str(&hit_list(params, r));
            area.push_str(&pager(params, r));
            area.push_str("</section></div>");
        }
    }
    area.push_str("</div>");
    match frame {
        Frame::Fragment => area,
        Frame::Full => shell(
            &page_title(params),
            "",
            &format!(
                "<form id=\"search\" action=\"/\" method=\"get\" role=\"search\">{}\
                 <main id=\"results\" aria-live=\"polite\">{area}</main></form>",
                search_box(&params.q)
            ),
        ),
    }
}

fn chips(p: &SearchParams, _vocabulary: &Vocabulary) -> String {
    let mut chips: Vec<(String, SearchParams)> = Vec::new();
    for (i, r) in p.regions.iter().enumerate() {
        chips.push((r.clone(), p.with(|n| drop(n.regions.remove(i)))));
    }
    for (i, c) in p.categories.iter().enumerate() {
        chips.push((c.clone(), p.with(|n| drop(n.categories.remove(i)))));
    }
    match (&p.since, &p.until) {
        (Some(s), Some(u)) if s == u => chips.push((s.clone(), p.with(|n| (n.since, n.until) = (None, None)))),
        (Some(s), Some(u)) => chips.push((format!("{s} – {u}"), p.with(|n| (n.since, n.until) = (None, None)))),
        (Some(s), None) => chips.push((format!("since {s}"), p.with(|n| n.since = None))),
        (None, Some(u)) => chips.push((format!("until {u}"), p.with(|n| n.until = None))),
        (None, None) => {}
    }
    if chips.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"chips\" aria-label=\"Filters\">");
    for (label, without) in &chips {
        let _ = write!(
            out,
            "<li><a class=\"chip\" href=\"{}\" title=\"Remove this filter\">{} <span aria-hidden=\"true\">×</span></a></li>",
            esc(&without.href()),
            esc(label)
        );
    }
    if chips.len() > 1 {
        let clear = p.with(|n| {
            n.regions.clear();
            n.categories.clear();
            (n.since, n.until) = (None, None);
        });
        let _ = write!(out, "<li><a class=\"clear\" href=\"{}\">clear all</a></li>", esc(&clear.href()));
    }
    out.push_str("</ul>");
    out
}

fn facet_link(label: &str, count: u64, on: bool, target: &SearchParams) -> String {
    format!(
        "<a class=\"facet{}\" href=\"{}\"{}><span class=\"name\">{}</span> <span class=\"n\">{count}</span></a>",
        if on { " on" } else { "" },
        esc(&target.href()),
        if on { " aria-current=\"true\"" } else { "" },
        esc(label)
    )
}

fn by_count(map: &BTreeMap<String, u64>) -> Vec<(&String, u64)> {
    let mut v: Vec<(&String, u64)> = map.iter().map(|(k, &n)| (k, n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v
}

fn region_tree(p: &SearchParams, r: &SearchResults, vocabulary: &Vocabulary) -> String {
    if r.facets.region.is_empty() {
        return String::new();
    }
    let selected = |name: &str, list: &[String]| list.iter().position(|x| same_place(vocabulary, x, name));
    let mut out = String::from("<section class=\"facet-group\"><h3>Regions</h3><ul class=\"tree\">");
    for (region, n) in by_count(&r.facets.region) {
        let on = selected(region, &p.regions);
        let target = match on {
            Some(i) => p.with(|t| drop(t.regions.remove(i))),
            None => p.with(|t| t.regions.push(region.clone())),
        };
        let _ = write!(out, "<li>{}", facet_link(region, n, on.is_some(), &target));
        let countries: Vec<(&String, u64)> = by_count(&r.facets.country)
            .into_iter()
            .filter(|(c, _)| r.facets.country_region.get(*c).is_some_and(|cr| cr == region))
            .collect();
        if !countries.is_empty() {
            out.push_str("<ul>");
            for (country, cn) in countries {
                let con = selected(country, &p.regions);
                let target = match con {
                    Some(i) => p.with(|t| drop(t.regions.remove(i))),
                    // Drilling down: the country replaces its region.
                    None => p.with(|t| {
                        t.regions.retain(|x| !same_place(vocabulary, x, region));
                        t.regions.push(country.clone());
                    }),
                };
                let _ = write!(out, "<li>{}</li>", facet_link(country, cn, con.is_some(), &target));
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></section>");
    out
}

fn category_list(p: &SearchParams, r: &SearchResults) -> String {
    // Types and topics filter through the same `category` parameter: the search tells a
    // type (by the vocabulary) from a topic.
    let mut out = String::new();
    for (heading, counts) in [("Types", &r.facets.kind), ("Categories", &r.facets.category)] {
        if counts.is_empty() {
            continue;
        }
        let _ = write!(out, "<section class=\"facet-group\"><h3>{heading}</h3><ul>");
        for (category, n) in by_count(counts) {
            let on = p.categories.iter().position(|x| normalise(x) == normalise(category));
            let target = match on {
                Some(i) => p.with(|t| drop(t.categories.remove(i))),
                None => p.with(|t| t.categories.push(category.clone())),
            };
            let _ = write!(out, "<li>{}</li>", facet_link(category, n, on.is_some(), &target));
        }
        out.push_str("</ul></section>");
    }
    out
}

fn year_of(bound: &Option<String>) -> Option<i32> {
    bound.as_deref().and_then(|s| s.get(..4)).and_then(|y| y.parse().ok())
}

/// Bars from the first to the last year with hits (empty years included, so the shape is
/// true); a click sets that year, a drag across bars (app.js) a range.
fn year_histogram(p: &SearchParams, r: &SearchResults) -> String {
    let years: BTreeMap<i32, u64> = r.facets.year.iter().filter_map(|(y, &n)| Some((y.parse().ok()?, n))).collect();
    let (Some((&first, _)), Some((&last, _))) = (years.first_key_value(), years.last_key_value()) else {
        return String::new();
    };
    let max = years.values().copied().max().unwrap_or(1).max(1);
    let (since, until) = (year_of(&p.since), year_of(&p.until));
    let mut out = String::from("<section class=\"facet-group\"><h3>Years</h3><div class=\"years\" role=\"list\">");
    for year in first..=last {
        let n = years.get(&year).copied().unwrap_or(0);
        let height = if n == 0 { 0 } else { 1 + (n * 9).div_ceil(max) };
        let in_range = since.is_some_and(|s| year >= s) && until.is_none_or(|u| year <= u)
            || since.is_none() && until.is_some_and(|u| year <= u);
        let on = in_range && (since.is_some() || until.is_some());
        let ys = year.to_string();
        if n == 0 {
            let _ = write!(
                out,
                "<span class=\"bar empty\" role=\"listitem\"><span class=\"col h0\"></span><span class=\"y\">{}</span></span>",
                &ys[2..]
            );
            continue;
        }
        let just_this = p.since.as_deref() == Some(&ys) && p.until.as_deref() == Some(&ys);
        let target = if just_this {
            p.with(|t| (t.since, t.until) = (None, None))
        } else {
            p.with(|t| (t.since, t.until) = (Some(ys.clone()), Some(ys.clone())))
        };
        let _ = write!(
            out,
            "<a class=\"bar{}\" role=\"listitem\" href=\"{}\" data-year=\"{year}\" title=\"{year}: {n}\">\
             <span class=\"col h{height}\"></span><span class=\"y\">{}</span></a>",
            if on { " on" } else { "" },
            esc(&target.href()),
            ys.get(2..).unwrap_or(&ys)
        );
    }
    out.push_str("</div></section>");
    out
}

fn toolbar(p: &SearchParams, r: &SearchResults) -> String {
    let shown = if r.hits.is_empty() {
        String::new()
    } else {
        format!("{}–{} of {}", p.offset + 1, p.offset + r.hits.len(), r.total)
    };
    let mut out = format!(
        "<div class=\"toolbar\"><span class=\"range\">{shown}</span>\
         <label>Sort <select name=\"sort\" id=\"sort\">"
    );
    for s in [SortOrder::Relevance, SortOrder::Newest, SortOrder::Oldest] {
        let _ = write!(
            out,
            "<option value=\"{0}\"{1}>{0}</option>",
            sort_name(s),
            if s == p.sort { " selected" } else { "" }
        );
    }
    out.push_str("</select></label><noscript><button type=\"submit\">Apply</button></noscript></div>");
    out
}

fn hit_list(p: &SearchParams, r: &SearchResults) -> String {
    if r.hits.is_empty() {
        return "<p class=\"none\">No articles match. Try fewer words or remove a filter.</p>".into();
    }
    let back = p.to_query();
    let mut out = format!("<ol class=\"hits\" start=\"{}\">", p.offset + 1);
    for hit in &r.hits {
        let a = &hit.article;
        let title = a.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&a.id);
        let href = if back.is_empty() {
            format!("/doc/{}", encode_id(&a.id))
        } else {
            format!("/doc/{}?{back}", encode_id(&a.id))
        };
        let _ = write!(out, "<li class=\"hit\"><h2><a class=\"open\" href=\"{}\">{}</a></h2>", esc(&href), esc(title));
        out.push_str(&meta_line(a));
        let _ = write!(out, "<p class=\"snippet\">{}</p>", marked_chars(&hit.snippet.text, &hit.snippet.highlights));
        let _ = write!(out, "<p class=\"where\"><span class=\"path\">{}</span>", esc(&a.id));
        if let Some(url) = a.url.as_deref().and_then(safe_url) {
            let _ = write!(
                out,
                " · <a class=\"url\" href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
                esc(url),
                esc(url)
            );
        }
        out.push_str("</p>");
        if hit.copies > 0 {
            let links: Vec<String> = hit
                .duplicates
                .iter()
                .map(|d| format!("<a href=\"/doc/{}\">{}</a>", esc(&encode_id(d)), esc(d)))
                .collect();
            let more = hit.copies - hit.duplicates.len();
            let tail = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            let _ = write!(out, "<p class=\"copies\">Same story: {}{tail}</p>", links.join(", "));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

fn meta_line(a: &StoredArticle) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = a.date {
        parts.push(format!("<time datetime=\"{0}\">{0}</time>", d.format("%Y-%m-%d")));
    }
    if !a.countries.is_empty() || !a.regions.is_empty() {
        let places = if a.countries.is_empty() { &a.regions } else { &a.countries };
        parts.push(format!("<span class=\"places\">{}</span>", esc(&places.join(", "))));
    }
    if !a.categories.is_empty() {
        parts.push(format!("<span class=\"cats\">{}</span>", esc(&a.categories.join(", "))));
    }
    format!("<p class=\"meta\">{}</p>", parts.join(" · "))
}

fn pager(p: &SearchParams, r: &SearchResults) -> String {
    if p.limit == 0 || r.total <= p.limit && p.offset == 0 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"pager\" aria-label=\"Pages\">");
    if p.offset > 0 {
        let prev = p.at_offset(p.offset.saturating_sub(p.limit));
        let _ = write!(out, "<a rel=\"prev\" href=\"{}\">← Previous</a>", esc(&prev.href()));
    }
    let page = p.offset / p.limit + 1;
    let pages = r.total.div_ceil(p.limit).max(1);
    let _ = write!(out, "<span>page {page} of {pages}</span>");
    if p.offset + p.limit < r.total {
        let next = p.at_offset(p.offset + p.limit);
        let _ = write!(out, "<a rel=\"next\" href=\"{}\">Next →</a>", esc(&next.href()));
    }
    out.push_str("</nav>");
    out
}

/// The reader view: the stored article, query words marked, links back and to the source.
pub fn document(
    a: &StoredArticle,
    matches: &[Vec<(usize, usize)>],
    p: &SearchParams,
    original: bool,
    related: &[SearchHit],
) -> String {
    let title = a.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&a.id);
    let header = format!(
        "<form id=\"search\" action=\"/\" method=\"get\" role=\"search\">{}{}</form>",
        search_box(&p.q),
        hidden_filters(p)
    );
    let mut main = format!(
        "<main class=\"reader\"><p><a class=\"back\" id=\"back\" href=\"{}\">← Results</a></p><article>\
         <h1>{}</h1>",
        esc(&p.href()),
        esc(title)
    );
    main.push_str(&meta_line(a));
    let mut facts: Vec<String> = Vec::new();
    if let Some(author) = a.author.as_deref().filter(|s| !s.trim().is_empty()) {
        facts.push(format!("by <span class=\"author\">{}</span>", esc(author)));
    }
    if !a.regions.is_empty() {
        facts.push(format!("regions: {}", esc(&a.regions.join(", "))));
    }
    if !a.tags.is_empty() {
        facts.push(format!("tags: {}", esc(&a.tags.join(", "))));
    }
    if let Some(lang) = &a.language {
        facts.push(format!("language: {}", esc(lang)));
    }
    if !facts.is_empty() {
        let _ = write!(main, "<p class=\"facts\">{}</p>", facts.join(" · "));
    }
    main.push_str("<div class=\"body\">");
    for (i, paragraph) in a.body.iter().enumerate() {
        let ranges = matches.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let _ = write!(main, "<p>{}</p>", marked_bytes(paragraph, ranges));
    }
    main.push_str("</div><footer class=\"source\">");
    let _ = write!(main, "<span class=\"path\">{}</span>", esc(&a.id));
    if let Some(url) = a.url.as_deref() {
        match safe_url(url) {
            Some(u) => {
                let _ = write!(
                    main,
                    " · <a class=\"url\" href=\"{}\" rel=\"noopener noreferrer nofollow\">{}</a>",
                    esc(u),
                    esc(u)
                );
            }
            None => {
                let _ = write!(main, " · <span class=\"url\">{}</span>", esc(url));
            }
        }
    }
    if original {
        let _ = write!(main, " · <a class=\"saved\" href=\"/file/{}\">saved page</a>", esc(&encode_id(&a.id)));
    }
    main.push_str("</footer></article>");
    if !related.is_empty() {
        main.push_str("<aside class=\"related\"><h2>Related articles</h2><ol>");
        for hit in related {
            let r = &hit.article;
            let r_title = r.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&r.id);
            let _ = write!(main, "<li><a href=\"/doc/{}\">{}</a>", esc(&encode_id(&r.id)), esc(r_title));
            if let Some(d) = r.date {
                let _ = write!(main, " <span class=\"date\">{}</span>", d.format("%Y-%m-%d"));
            }
            main.push_str("</li>");
        }
        main.push_str("</ol></aside>");
    }
    main.push_str("</main>");
    shell(&format!("{title} — Dossier"), &header, &main)
}

pub fn error(status: u16, message: &str) -> String {
    shell(
        "Dossier",
        &format!("<form id=\"search\" action=\"/\" method=\"get\" role=\"search\">{}</form>", search_box("")),
        &format!(
            "<main class=\"reader\"><h1>{status}</h1><p class=\"error\" role=\"alert\">{}</p></main>",
            esc(message)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_only_http_links() {
        assert_eq!(esc("<script>alert('1')</script>&\""), "&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;&amp;&quot;");
        assert_eq!(safe_url(" https://x.example/a "), Some("https://x.example/a"));
        assert_eq!(safe_url("HTTP://x"), Some("HTTP://x"));
        for bad in ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "//evil", "vbscript:x"] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn marks_ranges_and_escapes_between_them() {
        assert_eq!(
            marked_chars("Mongolia’s <rare> earth", &[(0, 8), (18, 23)]),
            "<mark>Mongolia</mark>’s &lt;rare&gt; <mark>earth</mark>"
        );
        // Out-of-range or overlapping ranges are dropped, never panic.
        assert_eq!(marked_chars("abc", &[(1, 9), (0, 2), (1, 3)]), "<mark>ab</mark>c");
        assert_eq!(marked_bytes("é<", &[(1, 2)]), "é&lt;");
    }

    #[test]
    fn ids_keep_slashes_and_encode_the_rest() {
        assert_eq!(encode_id("a b/c?d#e/index.html"), "a%20b/c%3Fd%23e/index.html");
    }
}
