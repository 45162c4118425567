//! Finds the article's main text in the page and cuts it into blocks (paragraphs,
//! headings, list items). Owns the zoning of the page (site chrome / article furniture /
//! normal) and the content scoring; must not read metadata or know about places.
//!
//! How: every element is zoned by its own markup and its ancestors' (hints.rs). Text in
//! normal zones is measured bottom-up (characters, link characters, commas). Each text
//! block gives a score to its parent and, diminishing, to two more ancestors, so the
//! container that holds most of the prose wins; a marked content container gets a bonus.
//! The winner's siblings that look like prose join it. Link lists, meta lines and the
//! title repeated in the body are dropped when the blocks are cut.

use super::dates::{find_date_in_text, DayOrder};
use super::dom::{push_collapsed, visible_chars, Dom, NodeIx};
use super::hints::{Hints, Role};

/// Where a node stands, inherited from its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Normal,
    Furniture,
    Site,
}

/// One unit of article text; the index stores one value per block so phrases never
/// match across blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    Quote,
    Preformatted,
    Cell,
}

/// Zones every node. A class hint cannot make chrome of an element that contains a
/// marked content container (pages put `has-sidebar` on the wrapper of everything).
pub fn zone_page(dom: &Dom, hints: &Hints) -> (Vec<Zone>, Vec<Role>) {
    zone_with(dom, hints, hints.roles(dom))
}

/// Zones from given roles (`zone_page` uses the hints' roles of the page).
pub fn zone_with(dom: &Dom, hints: &Hints, roles: Vec<Role>) -> (Vec<Zone>, Vec<Role>) {
    let n = dom.len();
    let mut holds_content = vec![false; n];
    for i in (0..n).rev() {
        // An <article> named as a reader comment (WordPress sets each one as `<article
        // class="comment-body">`) protects nothing around it: the thread stays chrome.
        let own = roles[i] == Role::Content
            || (matches!(dom.tag(i), Some("article" | "main")) && !hints.names_thread(dom, i));
        if own {
            holds_content[i] = true;
        }
        if holds_content[i] {
            if let Some(p) = dom.nodes[i].parent {
                holds_content[p] = true;
            }
        }
    }
    // Raw text per subtree: a class hint cannot zone out most of the page's text.
    let mut raw = vec![0u32; n];
    for i in (0..n).rev() {
        if matches!(dom.tag(i), Some("script" | "style" | "noscript" | "template")) {
            raw[i] = 0;
            continue;
        }
        if let Some(t) = dom.text(i) {
            // Script and style text is zeroed with its element just below: not counted.
            let hidden = dom.nodes[i]
                .parent
                .is_some_and(|p| matches!(dom.tag(p), Some("script" | "style" | "noscript" | "template")));
            if !hidden {
                raw[i] = visible_chars(t) as u32;
            }
        }
        if let Some(p) = dom.nodes[i].parent {
            raw[p] += raw[i];
        }
    }
    let page_chars = raw.first().copied().unwrap_or(0);
    let most_of_page = |i: NodeIx| raw[i] as u64 * 2 > page_chars as u64 && page_chars > 500;
    // A chrome element left open by a broken page (an `<aside>` banner whose `<a>` and
    // `<span>` never close) swallows the rest of it: holding the article and most of the
    // page's text, it is a mis-nesting, not chrome.
    let swallows_page = |i: NodeIx| {
        matches!(dom.tag(i), Some("aside" | "nav" | "menu" | "dialog")) && holds_content[i] && most_of_page(i)
    };
    let mut zones = vec![Zone::Normal; n];
    for i in 0..n {
        let inherited = dom.nodes[i].parent.map_or(Zone::Normal, |p| zones[p]);
        let tag = dom.tag(i);
        let structural = matches!(tag, Some("html" | "body"));
        let own = match roles[i] {
            Role::Site if hints.is_site_tag(tag) && !swallows_page(i) => Zone::Site,
            Role::Site if !holds_content[i] && !structural && !most_of_page(i) => Zone::Site,
            Role::Furniture if !holds_content[i] && !structural && !most_of_page(i) && !is_text_figure(dom, i) => {
                Zone::Furniture
            }
            _ => Zone::Normal,
        };
        zones[i] = match (inherited, own) {
            (Zone::Site, _) | (_, Zone::Site) => Zone::Site,
            (Zone::Furniture, _) | (_, Zone::Furniture) => Zone::Furniture,
            _ => Zone::Normal,
        };
    }
    (zones, roles)
}

/// Whether `i` is a `<figure>` set around text: a quotation (a testimonial, a quote block
/// of a page builder), a table (WordPress wraps every table in one) or a code listing
/// (documentation sites). Its text is the page's, unlike a picture's caption.
fn is_text_figure(dom: &Dom, i: NodeIx) -> bool {
    dom.tag(i) == Some("figure") && dom.children(i).any(|c| matches!(dom.tag(c), Some("blockquote" | "table" | "pre")))
}

/// Whether the body found is a sliver of a page with plenty of text: under a tenth of
/// the page's visible characters, on a page of at least 3,000.
pub fn starved(dom: &Dom, blocks: &[Block]) -> bool {
    let mut hidden = vec![false; dom.len()];
    let mut page_chars = 0usize;
    for i in 0..dom.len() {
        hidden[i] = dom.nodes[i].parent.is_some_and(|p| hidden[p])
            || matches!(dom.tag(i), Some("script" | "style" | "noscript" | "template" | "head"));
        if !hidden[i] && dom.text(i).is_some() {
            page_chars += dom.visible_chars(i) as usize;
        }
    }
    let body_chars: usize = blocks.iter().map(|b| visible_chars(&b.text)).sum();
    page_chars >= 3000 && body_chars * 10 < page_chars
}

/// Text measures of a subtree, counting only normal-zone text.
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    chars: u32,
    link_chars: u32,
    commas: u32,
    direct_chars: u32,
}

impl Measure {
    fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }
}

fn measure(dom: &Dom, zones: &[Zone], hints: &Hints) -> Vec<Measure> {
    let mut m = vec![Measure::default(); dom.len()];
    measure_range(dom, zones, hints, 0..dom.len(), &mut m);
    m
}

/// [`measure`] of the nodes in `range` (whole subtrees), into `m`.
fn measure_range(dom: &Dom, zones: &[Zone], hints: &Hints, range: std::ops::Range<NodeIx>, m: &mut [Measure]) {
    for i in range.rev() {
        if zones[i] != Zone::Normal {
            continue;
        }
        if let Some(t) = dom.text(i) {
            m[i].chars = dom.visible_chars(i);
            m[i].commas = t.matches([',', '，', '、']).count() as u32;
            // Small print weighs like links: present, but not prose.
            if hints.is_legal(t) {
                m[i].link_chars = m[i].chars;
            }
            if let Some(p) = dom.nodes[i].parent {
                m[p].direct_chars += m[i].chars;
            }
        }
        if matches!(dom.tag(i), Some("script" | "style")) {
            m[i] = Measure::default();
            continue;
        }
        if let Some(p) = dom.nodes[i].parent {
            let child = m[i];
            let is_link = dom.tag(p) == Some("a");
            m[p].chars += child.chars;
            m[p].commas += child.commas;
            m[p].link_chars += if is_link { child.chars } else { child.link_chars };
        }
    }
}

const TEXT_BLOCK_TAGS: &[&str] = &["p", "pre", "blockquote", "td", "li", "dd", "h2", "h3", "h4", "h5", "h6"];
const MIN_BLOCK_CHARS: u32 = 25;
const MIN_SHORT_BLOCK_CHARS: u32 = 10;
const SHORT_BLOCK_SCORE: f32 = 0.5;

fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "table"
            | "tbody"
            | "thead"
            | "tr"
            | "td"
            | "th"
            | "dl"
            | "dt"
            | "dd"
            | "br"
            | "hr"
            | "figure"
            | "header"
            | "footer"
            | "address"
            | "center"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "caption"
            | "body"
    )
}

/// Below this share of the page's (normal-zone, non-link) text, the best container is
/// not "the article" and the whole page minus chrome is taken instead. Chosen on the
/// WCXB dev pages (0.3-0.8 all within 0.02 word F1 of each other; 0.6 best).
const MIN_SHARE_OF_PAGE_PROSE: f32 = 0.6;

/// A container of at least this many characters whose text is over 90% links is read
/// with its links (on the WCXB dev pages, listings went from empty to their cards; the
/// archive templates' short articles beside "other stories" lists are unchanged).
const MIN_LISTING_CHARS: usize = 1000;

/// Chooses the article's text and cuts it into blocks. `title` is used to drop the
/// headline where the body repeats it.
pub fn extract_blocks(dom: &Dom, zones: &[Zone], roles: &[Role], hints: &Hints, title: Option<&str>) -> Vec<Block> {
    let m = measure(dom, zones, hints);
    let mut roots = choose_roots(dom, zones, roles, &m);
    // When the best container holds only a small part of the page's prose, the page is
    // not one article in one box (service pages, listings, threads): take all of it.
    let mut whole_page = false;
    if let Some(body) = body(dom) {
        let prose = |i: NodeIx| (m[i].chars - m[i].link_chars.min(m[i].chars)) as f32;
        // A card's text inside a link is link text on the page's measure too.
        let chosen: f32 = roots.iter().filter(|&&r| !in_link(dom, r)).map(|&r| prose(r)).sum();
        if chosen < MIN_SHARE_OF_PAGE_PROSE * prose(body) {
            roots = vec![body];
            whole_page = true;
        }
    }
    let title_key = title.map(fold_key);
    let keep = |b: &Block| {
        !b.text.is_empty()
            && !title_key.as_deref().is_some_and(|k| folds_to(&b.text, k))
            && !is_meta_line(&b.text, hints)
    };
    let cut = |keep_links: bool| {
        let mut blocks = Vec::new();
        for &root in &roots {
            cut_blocks(dom, zones, &m, hints, root, keep_links, &mut blocks);
        }
        blocks.retain(keep);
        blocks
    };
    let mut blocks = cut(false);
    // A page whose chosen text is nearly all links (a listing of events, a page of cards
    // each one link) is its links: without them it has no body at all. A short article
    // beside a list of other stories keeps its own text only. A list that won as the
    // article (a catalogue, search results, a shop's grid) is its items, links and all,
    // once it would lose more than half its text without them.
    let chosen = roots.iter().map(|&r| m[r].chars as usize).sum::<usize>();
    let found: usize = blocks.iter().map(|b| b.text.len()).sum();
    let list_root = matches!(roots.as_slice(), [r] if matches!(dom.tag(*r), Some("ul" | "ol")));
    if chosen >= MIN_LISTING_CHARS && (found * 10 < chosen || list_root && found * 2 < chosen) {
        blocks = cut(true);
    }
    drop_repeated_runs(&mut blocks);
    if let Some(end) = blocks.iter().skip(1).position(|b| hints.is_end_marker(&b.text)) {
        blocks.truncate(end + 1);
    }
    // A related/share/subscribe line starts the site's tail when it comes in the text's
    // last 30%; a heading does anywhere after the first block when what follows it is not
    // prose (a run of headlines, labels and teasers, however long). A "Read more" button
    // early on a product page is no heading.
    let total: usize = blocks.iter().map(|b| b.text.len()).sum();
    let mut before = 0;
    if let Some(end) = blocks.iter().enumerate().position(|(i, b)| {
        let late = before * 10 >= total * TAIL_STARTS_AFTER_TENTHS;
        before += b.text.len();
        let heading = matches!(b.kind, BlockKind::Heading(_));
        i > 0 && hints.is_tail_marker(&b.text) && (late || heading && !reads_as_prose(&blocks[i + 1..]))
    }) {
        blocks.truncate(end);
    }
    trim_edges(&mut blocks);
    // "Subscribe to our e-edition for the full story", "Follow us on Telegram": the site's
    // calls to action after the article's last paragraph.
    while blocks.len() > 1 && blocks.last().is_some_and(|b| hints.is_call_to_action(&b.text)) {
        blocks.pop();
    }
    // The lead goes in front once the container's own text is trimmed: a prose lead must
    // not make short lines of a listing look like the tail after the last paragraph.
    if !whole_page {
        if let Some(&first) = roots.first() {
            let mut lead = lead_blocks(dom, zones, roles, hints, first);
            lead.retain(keep);
            blocks.splice(0..0, lead);
        }
    }
    blocks
}

/// Why the page's text went where it did: the containers chosen as the article, and for
/// every sizeable text outside them, the element whose markup zoned it out. For
/// `dossier extract --explain`.
pub fn explain(dom: &Dom, zones: &[Zone], roles: &[Role], hints: &Hints) -> String {
    use std::fmt::Write;
    let describe = |i: NodeIx| {
        let mut d = format!("<{}", dom.tag(i).unwrap_or("#"));
        for a in ["id", "class", "role", "itemprop"] {
            if let Some(v) = dom.attr(i, a) {
                let v: String = v.chars().take(60).collect();
                let _ = write!(d, " {a}=\"{v}\"");
            }
        }
        d + ">"
    };
    let m = measure(dom, zones, hints);
    let mut out = String::new();
    let blocks_root = choose_roots(dom, zones, roles, &m);
    for r in &blocks_root {
        let _ = writeln!(out, "article container: {} ({} chars)", describe(*r), m[*r].chars);
    }
    let mut i = 0;
    while i < dom.len() {
        if zones[i] != Zone::Normal && dom.tag(i).is_some() {
            let parent_normal = dom.nodes[i].parent.is_none_or(|p| zones[p] == Zone::Normal);
            let text = dom.text_content(i);
            if parent_normal && text.chars().count() >= 80 && !matches!(dom.tag(i), Some("script" | "style")) {
                let head: String = text.chars().take(70).collect();
                let _ = writeln!(out, "{:?} by {}: {head}…", zones[i], describe(i));
            }
            if parent_normal {
                i = dom.nodes[i].end;
                continue;
            }
        }
        i += 1;
    }
    let _ = hints;
    out
}

/// Whether blocks read as an article's prose rather than a list of other stories: under
/// two fifths of them headings or short lines (labels such as "News", headlines). After
/// an inline "Read also" box the article goes on in paragraphs with a subheading now and
/// then; a related list is a headline, a label or a date for every teaser.
fn reads_as_prose(blocks: &[Block]) -> bool {
    let listing = blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)) || b.text.chars().count() < SHORT_LINE_CHARS)
        .count();
    listing * 5 < blocks.len() * 2
}

/// A line shorter than this (characters) is a label or a headline, not prose.
const SHORT_LINE_CHARS: usize = 40;

/// A tail marker ends the text only after this many tenths of its characters.
const TAIL_STARTS_AFTER_TENTHS: usize = 7;

/// A lead block is at least this long (shorter lines there are bylines, dates, labels).
const LEAD_MIN_CHARS: usize = 40;
/// A lead line this short that holds a date is a dateline or byline, not the lead.
const LEAD_DATED_LINE_CHARS: usize = 120;
/// More text than this between headline and container is not a lead: the "headline" is
/// some other `<h1>` far above the article (a site title), and what lies between is page.
const LEAD_MAX_CHARS: usize = 1000;
/// A lead is prose: at most this share of its text is links.
const LEAD_MAX_LINK_DENSITY: f32 = 0.3;

/// The article's lead (standfirst, teaser, subtitle): prose between the headline and the
/// container chosen as the article, which the container's score leaves out because it is
/// one short paragraph in a block of its own, or because it sits in the `<header>` with
/// the headline (article furniture). Taken only when headline and container share an
/// article block below `<body>`, and only as a few prose lines: no lists, tables, forms,
/// figures, link lists, bylines or datelines. On the trafilatura set 99 of 284 missed
/// segments were such leads.
fn lead_blocks(dom: &Dom, zones: &[Zone], roles: &[Role], hints: &Hints, root: NodeIx) -> Vec<Block> {
    let Some(headline) = (0..root).rev().find(|&i| dom.tag(i) == Some("h1") && dom.nodes[i].end <= root) else {
        return Vec::new();
    };
    // The lowest element holding both: the first of the headline's ancestors whose range
    // holds the container.
    let shared = dom.ancestors(headline).find(|&a| dom.within(root, a));
    if shared.is_none_or(|a| matches!(dom.tag(a), Some("body" | "html"))) || zones[headline] == Zone::Site {
        return Vec::new();
    }
    // The headline's `<header>` often holds the lead: there, `<header>` counts as plain
    // markup, while whatever else inside it is marked (byline, share, caption, address)
    // stays furniture. Only the gap is zoned again and measured.
    let mut relaxed = zones.to_vec();
    let mut m = vec![Measure::default(); dom.len()];
    let mut out = Vec::new();
    let mut i = dom.nodes[headline].end;
    while i < root {
        let end = dom.nodes[i].end;
        if end > root {
            // An ancestor of the container: only what precedes the container inside it.
            i += 1;
            continue;
        }
        if zones[i] == Zone::Furniture && furniture_only_from_header(dom, zones, roles, i) {
            for k in i..end {
                let marked = matches!(roles[k], Role::Furniture | Role::Site) && dom.tag(k) != Some("header");
                let parent_plain = k == i || dom.nodes[k].parent.is_some_and(|p| relaxed[p] == Zone::Normal);
                if zones[k] == Zone::Furniture && parent_plain && !marked {
                    relaxed[k] = Zone::Normal;
                }
            }
        }
        measure_range(dom, &relaxed, hints, i..end, &mut m);
        let prose = relaxed[i] == Zone::Normal
            && !matches!(
                dom.tag(i),
                Some("ul" | "ol" | "dl" | "table" | "form" | "figure" | "h1" | "script" | "style")
            )
            && m[i].link_density() <= LEAD_MAX_LINK_DENSITY;
        if prose {
            cut_blocks(dom, &relaxed, &m, hints, i, false, &mut out);
        }
        i = end;
    }
    out.retain(|b| {
        let chars = visible_chars(&b.text);
        chars >= LEAD_MIN_CHARS
            && matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading(_) | BlockKind::Quote)
            && !is_byline(&b.text)
            && !(chars < LEAD_DATED_LINE_CHARS && find_date_in_text(&b.text, DayOrder::DayFirst).is_some())
    });
    if out.iter().map(|b| visible_chars(&b.text)).sum::<usize>() > LEAD_MAX_CHARS {
        return Vec::new();
    }
    out
}

/// Whether node `i` is furniture only because it lies in a `<header>`: the highest
/// furniture on its path is a `<header>` and nothing below it up to `i` is marked.
fn furniture_only_from_header(dom: &Dom, zones: &[Zone], roles: &[Role], i: NodeIx) -> bool {
    let mut k = i;
    while let Some(p) = dom.nodes[k].parent.filter(|&p| zones[p] == Zone::Furniture) {
        if matches!(roles[k], Role::Furniture | Role::Site) {
            return false;
        }
        k = p;
    }
    dom.tag(k) == Some("header") && roles[k] == Role::Furniture
}

/// Blocks long enough to be prose rather than a label, button or caption.
const PROSE_CHARS: usize = 80;
/// Shorter blocks after the last prose block are page furniture the markup did not mark
/// ("No comments yet.", "Other stories"); so is a byline left at the top.
const EDGE_CHARS: usize = 30;

fn trim_edges(blocks: &mut Vec<Block>) {
    let is_prose = |b: &Block| b.text.chars().count() >= PROSE_CHARS;
    let Some(last) = blocks.iter().rposition(is_prose) else {
        return;
    };
    let mut i = 0;
    blocks.retain(|b| {
        let keep = (i <= last || b.text.chars().count() >= EDGE_CHARS) && !(i < 3 && is_byline(&b.text));
        i += 1;
        keep
    });
}

/// A paragraph at least this long (characters) said twice on a page is the page
/// repeating itself, not the article making a point twice.
const SAID_TWICE_MIN_CHARS: usize = 80;

/// Distinct long paragraphs a run must repeat, in order, to be a copy. With two, a
/// Readability test page of two lorem paragraphs said three times lost a third of its
/// text, and pricing tables repeating a plan's features lost more; one paragraph repeated
/// alone (a documentation page's "Optional." notes) is never a copy.
const REPEATED_RUN_MIN_PARAGRAPHS: usize = 3;

/// Keeps once a run of blocks the page repeats word for word: responsive layouts render
/// their text once per screen size and hide the copies by CSS, which a reading without
/// styles cannot see, and forum replies quote whole posts. A copy is found by a long
/// paragraph seen before, and is the longest run around it (its headings and labels
/// included) that matches the first rendering block for block without overlapping it;
/// it goes when it holds `REPEATED_RUN_MIN_PARAGRAPHS` distinct long paragraphs.
fn drop_repeated_runs(blocks: &mut Vec<Block>) {
    let n = blocks.len();
    let long = |k: usize| blocks[k].text.chars().count() >= SAID_TWICE_MIN_CHARS;
    let mut drop = vec![false; n];
    let mut first: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for i in 0..n {
        if drop[i] || !long(i) {
            continue;
        }
        let Some(&j) = first.get(blocks[i].text.as_str()) else {
            first.insert(blocks[i].text.as_str(), i);
            continue;
        };
        // The copy [s, s + len) against the first rendering [r, r + len), which it may
        // not overlap: back to the copy's heading, on while the blocks match.
        let (mut s, mut r) = (i, j);
        while r > 0 && !drop[s - 1] && blocks[s - 1].text == blocks[r - 1].text {
            s -= 1;
            r -= 1;
        }
        let mut len = 0;
        while s + len < n && r + len < s && blocks[s + len].text == blocks[r + len].text {
            len += 1;
        }
        let distinct: std::collections::HashSet<&str> =
            (s..s + len).filter(|&k| long(k)).map(|k| blocks[k].text.as_str()).collect();
        if distinct.len() >= REPEATED_RUN_MIN_PARAGRAPHS {
            drop[s..s + len].iter_mut().for_each(|d| *d = true);
        }
    }
    let mut i = 0;
    blocks.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}

/// "by Jane Doe", "By Jane Doe and John Roe": a byline left in the text.
fn is_byline(text: &str) -> bool {
    let lower = text.to_lowercase();
    (lower.starts_with("by ") || lower.starts_with("von "))
        && text.split_whitespace().count() <= 7
        && !text.contains('.')
}

/// The article's containers: the best-scoring one and its prose siblings, or the body.
fn choose_roots(dom: &Dom, zones: &[Zone], roles: &[Role], m: &[Measure]) -> Vec<NodeIx> {
    let n = dom.len();
    let mut score = vec![0f32; n];
    // Only the body's text is the article: a long `<title>` must not make `<head>` a
    // candidate on a page whose body is mostly links.
    let body_range = body(dom).map_or(0..n, |b| b..dom.nodes[b].end);
    for i in body_range.clone() {
        if zones[i] != Zone::Normal {
            continue;
        }
        let Some(tag) = dom.tag(i) else { continue };
        let text_block = TEXT_BLOCK_TAGS.contains(&tag) || (m[i].direct_chars >= MIN_BLOCK_CHARS && tag != "body");
        if !text_block || m[i].chars < MIN_SHORT_BLOCK_CHARS {
            continue;
        }
        // Short lines (figures in a results table, list items) count a little: pages made
        // of them are still articles.
        let base = if m[i].chars < MIN_BLOCK_CHARS { SHORT_BLOCK_SCORE } else { 1.0 };
        let s =
            (base + m[i].commas.min(20) as f32 + (m[i].chars as f32 / 100.0).min(3.0)) * (1.0 - m[i].link_density());
        for (level, a) in dom.ancestors(i).take(3).enumerate() {
            score[a] += match level {
                0 => s,
                1 => s / 2.0,
                _ => s / 6.0,
            };
        }
    }
    let candidate_score = |i: NodeIx| -> f32 {
        if score[i] <= 0.0 {
            return 0.0;
        }
        let bonus = match (roles[i], dom.tag(i)) {
            (Role::Content, _) => 25.0,
            (_, Some("article")) => 10.0,
            (_, Some("main")) => 5.0,
            (_, Some("div" | "section" | "td")) => 3.0,
            (_, Some("ul" | "ol" | "li" | "form" | "table")) => -3.0,
            _ => 0.0,
        };
        (score[i] + bonus) * (1.0 - m[i].link_density())
    };
    let best = body_range
        .filter(|&i| zones[i] == Zone::Normal && dom.tag(i).is_some())
        .max_by(|&a, &b| candidate_score(a).total_cmp(&candidate_score(b)));
    match best {
        Some(top) if candidate_score(top) > 0.0 => {
            let roots = with_prose_siblings(dom, zones, m, top, candidate_score(top), &candidate_score);
            with_repeated_containers(dom, zones, m, top, roots)
        }
        _ => body(dom).into_iter().collect(),
    }
}

/// How far up from the winning container its repeats are looked for.
const REPEAT_LEVELS: usize = 3;
/// A repeat joins when it holds at least this much text, at most this share links.
const REPEAT_MIN_CHARS: u32 = 80;
const REPEAT_MAX_LINK_DENSITY: f32 = 0.25;

/// Adds the containers that repeat the winner's markup (same tag and class) near it:
/// page builders (TYPO3, Elementor, WPBakery, Neos) set an article as a run of text
/// modules, each its own wrapper, and the winner is only one of them. Repeats are looked
/// for within three levels up (never from `<body>`) and must read as prose; link-dense
/// repeats (cards of related posts) stay out.
fn with_repeated_containers(dom: &Dom, zones: &[Zone], m: &[Measure], top: NodeIx, roots: Vec<NodeIx>) -> Vec<NodeIx> {
    let Some(class) = dom.attr(top, "class").filter(|c| !c.trim().is_empty()) else { return roots };
    let mut scope = top;
    for _ in 0..REPEAT_LEVELS {
        match dom.nodes[scope].parent {
            Some(p) if !matches!(dom.tag(p), Some("body" | "html")) => scope = p,
            _ => break,
        }
    }
    // A page that declares itself a question and its answers (schema.org `QAPage`) sets
    // each answer's text in the question's markup, however far apart.
    if let Some(qa) = qa_page(dom, top) {
        scope = qa;
    }
    if scope == top {
        return roots;
    }
    let mut out = roots;
    let mut i = scope + 1;
    while i < dom.nodes[scope].end {
        let chosen = out.iter().any(|&r| dom.within(i, r));
        let repeat = !chosen
            && zones[i] == Zone::Normal
            && dom.tag(i) == dom.tag(top)
            && dom.attr(i, "class") == Some(class)
            && m[i].chars >= REPEAT_MIN_CHARS
            && m[i].link_density() <= REPEAT_MAX_LINK_DENSITY;
        if repeat {
            // A repeat that holds chosen roots replaces them (none of them holds it).
            out.retain(|&r| !dom.within(r, i));
            out.push(i);
            i = dom.nodes[i].end;
        } else {
            i += 1;
        }
    }
    out.sort_unstable();
    out
}

/// Whether an ancestor of `i` below `<body>` is a link.
fn in_link(dom: &Dom, i: NodeIx) -> bool {
    dom.ancestors(i).take_while(|&a| !matches!(dom.tag(a), Some("body" | "html"))).any(|a| dom.tag(a) == Some("a"))
}

/// The ancestor of `i` that declares the page a question with its answers
/// (`itemtype="https://schema.org/QAPage"`).
fn qa_page(dom: &Dom, i: NodeIx) -> Option<NodeIx> {
    dom.ancestors(i).find(|&a| {
        dom.attr(a, "itemtype").is_some_and(|t| {
            t.split_ascii_whitespace()
                .any(|t| t.rsplit('/').next().is_some_and(|name| name.eq_ignore_ascii_case("QAPage")))
        })
    })
}

fn body(dom: &Dom) -> Option<NodeIx> {
    (0..dom.len()).find(|&i| dom.tag(i) == Some("body"))
}

/// The top candidate plus those of its siblings that read as prose (the article split
/// over several containers, or paragraphs beside the winning one).
fn with_prose_siblings(
    dom: &Dom,
    zones: &[Zone],
    m: &[Measure],
    top: NodeIx,
    top_score: f32,
    candidate_score: &dyn Fn(NodeIx) -> f32,
) -> Vec<NodeIx> {
    let Some(parent) = dom.nodes[top].parent else {
        return vec![top];
    };
    let threshold = (top_score * 0.2).max(10.0);
    dom.children(parent)
        .filter(|&s| {
            if s == top {
                return true;
            }
            if zones[s] != Zone::Normal || dom.tag(s).is_none() {
                return false;
            }
            let ld = m[s].link_density();
            candidate_score(s) >= threshold || (dom.tag(s) == Some("p") && m[s].chars >= 80 && ld < 0.25)
        })
        .collect()
}

/// Walks `root` in document order and emits one block per run of inline text between
/// block boundaries, skipping chrome, furniture and (unless `keep_links`) link lists, but
/// not a list the text announces (`introduces_list`).
fn cut_blocks(
    dom: &Dom,
    zones: &[Zone],
    m: &[Measure],
    hints: &Hints,
    root: NodeIx,
    keep_links: bool,
    out: &mut Vec<Block>,
) {
    let end = dom.nodes[root].end;
    // The end of a link list kept because the text announced it: its items are kept too.
    let mut announced_until = 0;
    let mut open: Vec<(NodeIx, BlockKind)> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, kind: BlockKind, out: &mut Vec<Block>| {
        let text = current.trim();
        if !text.is_empty() {
            out.push(Block { kind, text: text.to_string() });
        }
        current.clear();
    };
    let kind_of = |open: &[(NodeIx, BlockKind)]| open.last().map_or(BlockKind::Paragraph, |&(_, k)| k);
    let mut i = root;
    while i < end {
        while let Some(&(ended, _)) = open.last() {
            if dom.nodes[ended].end > i {
                break;
            }
            flush(&mut current, kind_of(&open), out);
            open.pop();
        }
        if zones[i] != Zone::Normal {
            i = dom.nodes[i].end;
            continue;
        }
        if let Some(t) = dom.text(i) {
            push_collapsed(&mut current, t);
            i += 1;
            continue;
        }
        let Some(tag) = dom.tag(i) else {
            i += 1;
            continue;
        };
        if matches!(tag, "script" | "style") {
            i = dom.nodes[i].end;
            continue;
        }
        if is_block_tag(tag) {
            let link_list = !keep_links && m[i].chars > 0 && m[i].link_density() > 0.6 && i != root;
            if link_list && i >= announced_until && !own_text_is_prose(dom, zones, m, i) {
                let before = if current.trim().is_empty() {
                    out.last().filter(|b| b.kind == BlockKind::Paragraph).map_or("", |b| b.text.as_str())
                } else {
                    &current
                };
                let announced = introduces_list(before, hints)
                    && is_list_of_items(dom, m, i)
                    && prose_follows(dom, zones, m, dom.nodes[i].end, end);
                if !announced {
                    i = dom.nodes[i].end;
                    continue;
                }
                announced_until = dom.nodes[i].end;
            }
            flush(&mut current, kind_of(&open), out);
            let kind = match tag {
                "h2" => BlockKind::Heading(2),
                "h3" => BlockKind::Heading(3),
                "h4" | "h5" | "h6" => BlockKind::Heading(4),
                "li" | "dt" | "dd" => BlockKind::ListItem,
                "blockquote" => BlockKind::Quote,
                "pre" => BlockKind::Preformatted,
                "td" | "th" => BlockKind::Cell,
                _ => kind_of(&open),
            };
            if tag != "br" && tag != "hr" {
                open.push((i, kind));
            }
        }
        i += 1;
    }
    flush(&mut current, kind_of(&open), out);
}

/// Whether the paragraph before a link list announces it as part of the article: a
/// sentence of five or more words ending in a colon ("Here's what was merged this month:",
/// then the merged changes, each a link), unless it opens with a tail marker ("Related
/// articles from our blog:"). The list must be a list (`is_list_of_items`) and the article
/// must go on after it (`prose_follows`): a list of other stories ends an article.
fn introduces_list(before: &str, hints: &Hints) -> bool {
    let text = before.trim_end();
    text.ends_with(':') && text.split_whitespace().count() >= 5 && !hints.opens_with_tail_marker(text)
}

/// Whether a paragraph of prose (80 characters or more, few of them links) lies in
/// `from..to`.
fn prose_follows(dom: &Dom, zones: &[Zone], m: &[Measure], from: NodeIx, to: NodeIx) -> bool {
    (from..to)
        .any(|j| zones[j] == Zone::Normal && dom.tag(j) == Some("p") && m[j].chars >= 80 && m[j].link_density() < 0.3)
}

/// Whether an element is a list (or wraps one holding nearly all its text) of at least
/// two items: what a sentence ending in a colon announces, not a box of cards or one button.
fn is_list_of_items(dom: &Dom, m: &[Measure], i: NodeIx) -> bool {
    let list = (i..dom.nodes[i].end).find(|&j| matches!(dom.tag(j), Some("ul" | "ol")));
    list.is_some_and(|l| {
        m[l].chars * 10 >= m[i].chars * 9 && dom.children(l).filter(|&c| dom.tag(c) == Some("li")).count() >= 2
    })
}

/// Whether a link-dense element's links are all in nested blocks and its own text is not
/// links: an unclosed `<P>` holding the article's last line swallows the list of other
/// stories after it (HTML's quirks mode puts a `<table>` inside the open paragraph). Such
/// an element is read block by block; a list with a heading, a menu, a tag cloud is not.
fn own_text_is_prose(dom: &Dom, zones: &[Zone], m: &[Measure], i: NodeIx) -> bool {
    let (mut chars, mut link_chars) = (m[i].chars, m[i].link_chars);
    for c in dom.children(i) {
        if zones[c] == Zone::Normal && dom.tag(c).is_some_and(|t| is_block_tag(t) && t != "br" && t != "hr") {
            chars -= m[c].chars.min(chars);
            link_chars -= m[c].link_chars.min(link_chars);
        }
    }
    chars as usize >= MIN_OWN_PROSE_CHARS && link_chars * 2 < chars
}

/// Own text of a link-dense element long enough to be a line of the article.
const MIN_OWN_PROSE_CHARS: usize = 20;

/// Lines that carry metadata, not prose: "Filed under: Europe · Germany", picture credits,
/// "Published 14 March 2015", "Last updated: 12 June 2016".
fn is_meta_line(text: &str, hints: &Hints) -> bool {
    if hints.is_credit_line(text) {
        return true;
    }
    if let Some((label, _)) = text.split_once(':') {
        let label = label.to_lowercase();
        if hints.label_lines.iter().any(|l| l == label.trim()) {
            return true;
        }
    }
    is_date_line(text) || is_utility_bar(text)
}

/// "Published 14 March 2015", "Last updated: 12 June 2016": a short line with a date.
fn is_date_line(text: &str) -> bool {
    let words = text.split_whitespace().count();
    words <= 8 && text.chars().count() < 80 && find_date_in_text(text, DayOrder::DayFirst).is_some()
}

/// A site's utility bar that shows a date: "Last updated: June 21, 1988 • Free trial
/// subscription • Daily fax edition", "12 May 2021 | Print | Share". Three or more parts
/// between the separators, each a few words, one of them a date line ("Tech World:
/// January 6, 2026 | Las Vegas, NV" is an event's heading).
fn is_utility_bar(text: &str) -> bool {
    let parts: Vec<&str> = text.split(['•', '|', '·']).map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.len() >= 3
        && parts.iter().all(|p| p.split_whitespace().count() <= UTILITY_PART_WORDS)
        && parts.iter().any(|p| is_date_line(p))
}

/// Words in one part of a utility bar ("Free trial subscription", "Share on Facebook").
const UTILITY_PART_WORDS: usize = 6;

/// Case- and space-insensitive comparison key.
pub fn fold_key(s: &str) -> String {
    folded_words(s).collect::<Vec<_>>().join(" ")
}

pub(crate) fn folded_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
}

/// Whether `fold_key(s) == key`, folding only as many words of `s` as match: every block
/// and text node of a page is compared with the title, and nearly all differ at once.
pub fn folds_to(s: &str, key: &str) -> bool {
    let mut words = folded_words(s);
    let mut keys = key.split(' ').filter(|k| !k.is_empty());
    loop {
        match (words.next(), keys.next()) {
            (None, None) => return true,
            (Some(w), Some(k)) if w == k => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::parse;

    fn blocks(html: &str, title: Option<&str>) -> Vec<String> {
        let dom = parse(html).expect("parses");
        let hints = Hints::default();
        let (zones, roles) = zone_page(&dom, &hints);
        extract_blocks(&dom, &zones, &roles, &hints, title).into_iter().map(|b| b.text).collect()
    }

    const PROSE: &str =
        "The talks covered mining, aviation and security, officials said, and both sides agreed to meet again.";

    #[test]
    fn a_section_the_page_renders_twice_is_read_once() {
        // Real pattern: a builder renders each section once for wide screens and once for
        // phones, hiding one copy by CSS; the body said everything two or three times.
        let section = "<h2>Permits and fees</h2>\
            <p>Most remodels in the state need a building permit, and the fee depends on the value of the work planned.</p>\
            <p>Kitchens and bathrooms cost the most per square foot, because of plumbing, wiring and fixed cabinets.</p>\
            <p>A contingency of a tenth to a fifth of the budget covers what opening the walls usually reveals.</p>";
        let page = format!(
            "<html><body><article><h1>What a remodel costs</h1><div class=\"desktop-only\">{section}</div>\
             <div class=\"mobile-only\">{section}</div><p>Ask three contractors for a written quote before you sign anything at all.</p></article></body></html>"
        );
        let got = blocks(&page, Some("What a remodel costs"));
        let count = |needle: &str| got.iter().filter(|b| b.contains(needle)).count();
        assert_eq!(count("contingency of a tenth"), 1, "{got:?}");
        assert_eq!(count("Permits and fees"), 1, "{got:?}");
        assert_eq!(count("Ask three contractors"), 1, "{got:?}");
        // A note repeated on its own, and a paragraph said again in a row, are the text.
        let note = "Optional. When set, the value is read from the environment before the file is parsed.";
        let page = format!(
            "<html><body><article><h1>Settings</h1><h3>path</h3><p>{note}</p><p>{PROSE}</p><h3>mode</h3><p>{note}</p>\
             <p>Sets how the server answers requests it cannot route, which by default is with a plain error page.</p></article></body></html>"
        );
        let got = blocks(&page, Some("Settings"));
        assert_eq!(got.iter().filter(|b| b.contains("Optional. When set")).count(), 2, "{got:?}");
    }

    #[test]
    fn the_lead_between_headline_and_article_body_is_kept() {
        let body = format!("<p>{PROSE}</p>").repeat(6);
        let lead = "Ulaanbaatar and Washington signed a minerals pact on Thursday, the first of its kind.";
        // The lead in a block of its own between the headline's block and the body.
        let own_block = format!(
            r#"<html><body><nav><a href=/>Home</a></nav><div class="news-single">
            <div class="header"><h1>Minerals pact</h1></div>
            <div class="teaser-text"><p>{lead}</p></div>
            <div class="media"><img src=a.jpg></div>
            <div class="news-text" itemprop="articleBody">{body}</div></div></body></html>"#
        );
        // The lead in the article's <header>, with the headline, a byline and a dateline.
        let in_header = format!(
            r#"<html><body><article><header><h1>Minerals pact</h1>
            <p class="intro">{lead}</p><p>By Jane Doe</p><p>Posted on 3 August 2023, 14:30</p></header>
            <div class="entry-content">{body}</div></article></body></html>"#
        );
        for page in [own_block, in_header] {
            let got = blocks(&page, Some("Minerals pact"));
            assert_eq!(got[0], lead, "{got:?}");
            assert_eq!(got[1], PROSE);
            assert_eq!(got.len(), 7, "no byline or dateline: {got:?}");
        }
        // A site's own <h1> (its name) right under <body> introduces no lead: what lies
        // between it and the article is page.
        let site_h1 = format!(
            r#"<html><body><h1>The Policy Review</h1><div class="promo"><p>{lead}</p></div>
            <div class="entry-content">{body}</div></body></html>"#
        );
        assert_eq!(blocks(&site_h1, None)[0], PROSE);
    }

    #[test]
    fn reader_comments_set_as_articles_stay_out() {
        // WordPress's own comment markup: each comment an <article class="comment-body">
        // whose name and date sit outside its content div.
        let comment = |who: &str| {
            format!(
                "<li class=\"comment\"><article class=\"comment-body\"><b class=\"fn\">{who}</b> <span class=\"says\">says:</span> \
                 <time datetime=\"2023-03-01\">March 1, 2023 at 8:06 am</time><div class=\"comment-content\"><p>I am not sure about these numbers at all.</p></div></article></li>"
            )
        };
        let page = format!(
            "<html><body><main><article class=\"post\"><h1>Dividend raised</h1><div class=\"entry-content\"><p>{PROSE}</p></div></article>\
             <div id=\"comments\" class=\"comments-area\"><ol class=\"comment-list\">{}{}</ol></div></main></body></html>",
            comment("Lena Fischer"),
            comment("Yusuf Demir")
        );
        assert_eq!(blocks(&page, Some("Dividend raised")), [PROSE]);
    }

    #[test]
    fn a_utility_bar_with_a_date_is_not_text() {
        let h = Hints::default();
        for bar in [
            "Last updated: June 21, 1988 • Free trial subscription • Daily fax edition",
            "12 May 2021 | Print | Share on Facebook",
        ] {
            assert!(is_meta_line(bar, &h), "{bar}");
        }
        for prose in [
            // Parts of prose length, or no date among them.
            "The vote on 12 May 2021 | a turning point for the party, which had lost three elections in a row",
            "Home | News | Sport | Weather",
            "Size: M · Colour: Red",
            "Tech World: January 6, 2026 | Las Vegas, NV",
        ] {
            assert!(!is_meta_line(prose, &h), "{prose}");
        }
    }

    #[test]
    fn calls_to_action_after_the_last_paragraph_are_dropped() {
        let body = format!("<p>{PROSE}</p>").repeat(4);
        let page = format!(
            "<html><body><article>{body}<p>Subscribe now to our e-edition for the full story.</p>\
             <p>Download the Courier apps for iOS and Android.</p></article></body></html>"
        );
        assert_eq!(blocks(&page, None).len(), 4);
        // Inside the text, the same line is the article's.
        let inside = format!(
            "<html><body><article><p>{PROSE}</p><p>Download the Courier apps for iOS and Android.</p>{body}</article></body></html>"
        );
        assert_eq!(blocks(&inside, None).len(), 6);
    }

    #[test]
    fn an_unclosed_paragraph_keeps_its_line_but_not_the_list_it_swallowed() {
        // A doctype without a system identifier (quirks mode): the <TABLE> of other
        // stories goes inside the last, never-closed <P>, which is then mostly links.
        let stories: String = (0..6)
            .map(|i| format!("<TR><TD>March 2{i}, 1987</TD><TD><A HREF=/s{i}.htm>Another story about grain and trade talks number {i}</A></TD></TR>"))
            .collect();
        let lines: String = (1..7).map(|i| format!("<P>Shr {i}.04 dlrs vs 1.35 dlrs")).collect();
        let page = format!(
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><HTML><BODY><TABLE><TR><TD>Menu</TD><TD>\
             <FONT SIZE=+2><B>Brown-Forman Net</B></FONT><BR><FONT>{lines}<P>Revs 1.59 billion vs 997.1 mln\n</FONT><BR>\
             <FONT SIZE=1><B>Filed under:</B> <A HREF=/x>UNITED STATES</A></FONT><BR><TABLE>{stories}</TABLE></TD></TR></TABLE></BODY></HTML>"
        );
        let got = blocks(&page, None);
        assert_eq!(got.last().map(String::as_str), Some("Revs 1.59 billion vs 997.1 mln"), "{got:?}");
        assert!(!got.iter().any(|b| b.contains("Another story")), "{got:?}");
        // A list under its own heading is still left out as a whole.
        let listed = format!(
            "<html><body><article><p>{PROSE}</p><p>{PROSE}</p><div><h3>More</h3><ul>{}</ul></div></article></body></html>",
            (0..6).map(|i| format!("<li><a href=/s{i}>Another story about grain and trade talks {i}</a></li>")).collect::<String>()
        );
        assert_eq!(blocks(&listed, None).len(), 2);
    }

    #[test]
    fn a_related_heading_late_in_the_text_ends_it_and_early_does_not() {
        let para = |i: usize| format!("<p>{PROSE} ({i})</p>");
        let body: String = (0..8).map(para).collect();
        let teaser = "<p>Three other stories about minerals, aviation and the talks of last year.</p>";
        let late = format!(
            "<html><body><article><div class=entry-content>{body}<h3>Related articles</h3>{teaser}</div></article></body></html>"
        );
        let got = blocks(&late, None);
        assert_eq!(got.len(), 8, "{got:?}");
        let early = format!(
            "<html><body><article><div class=entry-content>{}<h3>Read also</h3>{teaser}{}</div></article></body></html>",
            para(0),
            (1..8).map(para).collect::<String>()
        );
        assert_eq!(blocks(&early, None).len(), 10);
    }

    #[test]
    fn a_related_heading_early_ends_the_text_when_only_teasers_follow() {
        // Real pattern (trade press): three paragraphs, then "Das könnte Sie auch
        // interessieren" over a list of headlines and one-line teasers longer than the
        // article itself, so the heading is nowhere near the text's last 30%.
        let body: String = (0..3).map(|i| format!("<p>{PROSE} ({i})</p>")).collect();
        let teasers: String = (0..12)
            .map(|i| format!("<h3>Section {i}</h3><p>Another story of the week, told in one line number {i}.</p>"))
            .collect();
        let page = format!(
            "<html><body><article><div class=entry-content>{body}<h3>Das könnte Sie auch interessieren</h3>{teasers}</div></article></body></html>"
        );
        let got = blocks(&page, None);
        assert_eq!(got.len(), 3, "{got:?}");
        // Not a heading: a "Read more" line early in the text leaves it whole.
        let button = format!(
            "<html><body><article><div class=entry-content>{body}<p>Read more</p>{teasers}</div></article></body></html>"
        );
        let got = blocks(&button, None);
        assert!(got.iter().any(|b| b.contains("number 11")), "{got:?}");
    }

    #[test]
    fn an_article_set_as_repeated_text_modules_is_read_whole() {
        // Three text modules of one page builder, the middle one the longest (enough of
        // the page that it alone would be taken as the article), and cards that repeat
        // the modules' class but are links.
        let module = |i: usize, paragraphs: usize| {
            let text = format!("<p>{PROSE} ({i})</p>").repeat(paragraphs);
            format!(r#"<section id=c{i}><div class="frame"><div class="textpic-text">{text}</div></div></section>"#)
        };
        let card = |i: usize| {
            format!(
                r#"<div class="textpic-text"><a href=/s{i}>Another story about the minerals pact and its long aftermath, number {i}</a></div>"#
            )
        };
        let page = format!(
            r#"<html><body><div class=wrap><div class=col>{}{}{}</div><div class=more>{}{}</div></div></body></html>"#,
            module(1, 2),
            module(2, 8),
            module(3, 2),
            card(1),
            card(2)
        );
        let got = blocks(&page, None);
        assert_eq!(got.len(), 12, "all three modules, no cards: {got:?}");
        assert!(got[0].ends_with("(1)") && got[11].ends_with("(3)"), "{got:?}");
    }

    #[test]
    fn a_listing_whose_every_card_is_a_link_keeps_its_cards() {
        let card = |i: usize| {
            format!(
                "<div class=\"event\"><a href=\"/e/{i}\"><h3>Data Saturday {i}</h3>\
                 <p>Tech conference in Chicago, Illinois, for analysts and engineers, day {i}.</p></a></div>"
            )
        };
        let cards: String = (0..20).map(card).collect();
        let page = format!(
            "<html><body><nav><a href=/>Home</a><a href=/about>About</a></nav><main><h1>Tech conferences</h1>\
             {cards}</main><footer>Contact us</footer></body></html>"
        );
        let got = blocks(&page, Some("Tech conferences"));
        assert!(got.iter().any(|b| b == "Data Saturday 7"), "{got:?}");
        assert!(got.iter().any(|b| b.starts_with("Tech conference in Chicago")), "{got:?}");
        assert!(!got.iter().any(|b| b.contains("About") || b.contains("Contact")), "{got:?}");
        // An article keeps dropping the link lists beside its prose.
        let related: String = (0..6).map(|i| format!("<li><a href=/r/{i}>Related story number {i}</a></li>")).collect();
        let article = format!(
            "<html><body><article><h1>Talks</h1><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p><ul>{related}</ul>\
             </article></body></html>"
        );
        let got = blocks(&article, Some("Talks"));
        assert_eq!(got.len(), 3, "{got:?}");
    }

    #[test]
    fn a_listing_whose_cards_win_keeps_every_card_not_one() {
        // Each card is a link around a heading and a long description; the description
        // of one card is the best container on the page, and the page's only prose
        // outside links is a short introduction.
        let card = |i: usize| {
            format!(
                "<div class=\"item\"><a href=\"/p/{i}\"><div class=\"card-right\"><div class=\"card-head\">Certificate {i}</div>\
                 <div class=\"card-text\"><p>In this program, number {i}, you learn to lead, to plan, to build teams, \
                 and to weigh risks, costs and returns across an enterprise, online or in person.</p></div></div></a></div>"
            )
        };
        let cards: String = (0..8).map(card).collect();
        let page = format!(
            "<html><body><nav><a href=/>Home</a></nav><main><h1>Programs</h1>\
             <p>Award-winning faculty, transformative tools and a global reputation, for every career stage.</p>\
             <div class=\"list\">{cards}</div></main><footer>Contact us</footer></body></html>"
        );
        let got = blocks(&page, Some("Programs"));
        for i in 0..8 {
            assert!(got.iter().any(|b| b.contains(&format!("number {i},"))), "card {i}: {got:?}");
        }
        assert!(got.iter().any(|b| b.starts_with("Award-winning faculty")), "{got:?}");
        assert!(!got.iter().any(|b| b.contains("Contact")), "{got:?}");
    }

    #[test]
    fn a_list_chosen_as_the_article_keeps_its_linked_items() {
        // A catalogue: most entries are a linked title and a year, some a short linked
        // title and a note. Without its links the list loses two thirds of its text.
        let item = |i: usize| {
            if i.is_multiple_of(3) {
                format!("<li><a href=\"/b/{i}\"><cite>Hardware {i}</cite></a>, by the Buhl Sons Company of Detroit, page images at the library</li>")
            } else {
                format!(
                    "<li><a href=\"/b/{i}\"><cite>Wholesale hardware catalogue number {i}: tools, iron and steel, valves, \
                     pipe and fittings</cite></a> (1918)</li>"
                )
            }
        };
        let items: String = (0..15).map(item).collect();
        let page = format!(
            "<html><body><nav><a href=/>Home</a><a href=/deals>Deals</a></nav><main><h1>Hardware catalogs</h1>\
             <ul class=\"nodot\">{items}</ul></main><footer>Copyright 2026</footer></body></html>"
        );
        let got = blocks(&page, Some("Hardware catalogs"));
        assert_eq!(got.len(), 15, "{got:?}");
        assert!(got[1].starts_with("Wholesale hardware catalogue number 1:"), "{got:?}");
        assert!(!got.iter().any(|b| b.contains("Deals") || b.contains("Copyright")), "{got:?}");
    }

    #[test]
    fn a_quote_or_table_set_in_a_figure_is_text_and_a_caption_is_not() {
        let page = format!(
            "<html><body><article><h1>Classes</h1><p>{PROSE}</p>\
             <figure><img src=a.jpg><figcaption>The studio at night, photographed in May.</figcaption></figure>\
             <p>{PROSE}</p><figure class=\"quote\"><blockquote><p>Her classes are energising and fun, and I have \
             never felt better.</p></blockquote><figcaption>Jane, London</figcaption></figure>\
             <figure class=\"wp-block-table\"><table><tr><td>Premiums written by the largest insurer</td><td>107,764</td></tr>\
             </table><figcaption>Source: the association's analysis</figcaption></figure>\
             <figure class=\"code\"><pre>cargo run --release -- index corpus/</pre><figcaption>Listing 1</figcaption></figure>\
             </article></body></html>"
        );
        let got = blocks(&page, Some("Classes"));
        assert!(got.iter().any(|b| b.starts_with("Her classes are energising")), "{got:?}");
        assert!(got.iter().any(|b| b.starts_with("Premiums written")), "{got:?}");
        assert!(got.iter().any(|b| b.starts_with("cargo run --release")), "{got:?}");
        for caption in ["studio at night", "Jane, London", "Source:", "Listing 1"] {
            assert!(!got.iter().any(|b| b.contains(caption)), "{caption}: {got:?}");
        }
    }

    #[test]
    fn a_qa_page_keeps_the_answers_set_like_its_question() {
        let post = |text: &str| format!("<div class=\"post-body\"><p>{text} {PROSE}</p></div>");
        let answer = |i: usize| {
            format!(
                "<div class=\"answer\" id=\"a{i}\"><div class=\"layout\"><div class=\"votes\">{i}</div><div class=\"cell\">\
                 <div class=\"inner\">{}</div></div></div></div>",
                post(&format!("Answer {i}: use gather."))
            )
        };
        let page = |itemtype: &str| {
            format!(
                "<html><body itemscope itemtype=\"{itemtype}\"><div id=\"content\"><div class=\"question\" itemprop=\"mainEntity\" \
                 itemscope itemtype=\"https://schema.org/Question\"><h1 itemprop=\"name\">How do tasks run?</h1>\
                 <div class=\"layout\"><div class=\"cell\">{}</div></div></div><div id=\"answers\">{}{}</div></div></body></html>",
                post(&format!("Question: how do tasks run at once?{}", format!("</p><p>{PROSE}").repeat(5))),
                answer(1),
                answer(2)
            )
        };
        let got = blocks(&page("https://schema.org/QAPage"), None);
        assert!(got.iter().any(|b| b.starts_with("Question:")), "{got:?}");
        assert!(
            got.iter().any(|b| b.starts_with("Answer 1:")) && got.iter().any(|b| b.starts_with("Answer 2:")),
            "{got:?}"
        );
        // Without the declaration the posts are too far apart to be one text.
        let got = blocks(&page("https://schema.org/WebPage"), None);
        assert!(got.iter().any(|b| b.starts_with("Question:")), "{got:?}");
        assert!(!got.iter().any(|b| b.starts_with("Answer")), "{got:?}");
    }

    #[test]
    fn folding_compares_like_the_folded_key() {
        for (a, b) in [
            ("The  Talks, resumed.", "the talks resumed"),
            ("A - b", "a b"),
            ("", ""),
            ("x", ""),
            ("Ünïcode ÉTÉ", "ünïcode été"),
            ("a b", "a"),
        ] {
            assert_eq!(folds_to(a, b), fold_key(a) == b, "{a:?} {b:?}");
        }
    }

    #[test]
    fn menus_sidebars_and_comments_are_dropped() {
        let html = format!(
            r#"<body><nav><ul><li><a href=/africa>Africa</a></li><li><a href=/europe>Europe</a></li></ul></nav>
            <div class="layout has-sidebar"><main><article><h1>Title here</h1>
            <div class="entry-content"><p>{PROSE}</p><div class="read-also">Read also: <a href=/x>Other story</a></div><p>{PROSE} Second.</p></div>
            </article></main>
            <aside class="sidebar"><h3>Related articles</h3><p>Rare earths in Africa, a long teaser sentence, with commas, here.</p></aside></div>
            <div id="comments" class="comments-area"><p>{PROSE} A comment.</p></div>
            <footer>Africa Americas Europe</footer></body>"#
        );
        let b = blocks(&html, Some("Title here"));
        assert_eq!(b, vec![PROSE.to_string(), format!("{PROSE} Second.")]);
    }

    #[test]
    fn table_layout_with_unclosed_paragraphs() {
        let html = format!(
            r#"<BODY><TABLE><TR><TD class=left><A href=/a>Africa</A><BR><A href=/e>Europe</A></TD>
            <TD><FONT SIZE="+2"><B>Old headline</B></FONT><BR>Last updated: 12 June 2016<BR>Published 14 March 2015
            <P>{PROSE}<P>{PROSE} Again.<P>Filed under: Europe · Germany</TD></TR></TABLE></BODY>"#
        );
        let b = blocks(&html, Some("Old headline"));
        assert_eq!(b, vec![PROSE.to_string(), format!("{PROSE} Again.")]);
    }

    #[test]
    fn short_blocks_around_the_prose_are_dropped() {
        let html = format!(
            "<body><div class=story><p>by Jane Doe</p><p>{PROSE}</p><p>{PROSE} Two.</p><p>Updated August 5 to add details of the agreement.</p><p>No comments yet.</p><p>Other stories</p></div></body>"
        );
        let b = blocks(&html, None);
        assert_eq!(b.len(), 3, "{b:?}");
        assert!(b[2].starts_with("Updated August 5"));
    }

    #[test]
    fn paragraph_boundaries_are_kept() {
        let html = format!(
            "<body><div class=article-body><p>{PROSE}</p><h2>A heading</h2><ul><li>{PROSE} item</li></ul></div></body>"
        );
        let dom = parse(&html).expect("parses");
        let hints = Hints::default();
        let (zones, roles) = zone_page(&dom, &hints);
        let b = extract_blocks(&dom, &zones, &roles, &hints, None);
        assert_eq!(b.len(), 3);
        assert_eq!(b[1].kind, BlockKind::Heading(2));
        assert_eq!(b[2].kind, BlockKind::ListItem);
    }

    #[test]
    fn a_long_title_does_not_make_the_head_the_article() {
        // A catalogue page: one line of prose above an index of linked category names.
        // The `<title>` is longer than any of its blocks; the body is still the article.
        let links: String =
            ["Adapters", "Anchors", "Bolts", "Brackets", "Clamps", "Clips", "Hinges", "Hooks", "Latches", "Nuts"]
                .iter()
                .map(|n| format!("<a href=\"/c/{n}/\">{n} and other fittings</a>"))
                .collect();
        let html = format!(
            "<html><head><title>Fasteners and Hardware Catalogs on Example Supplier Directory</title></head>\
             <body><div id=\"catalogue\"><div><h1>Catalog Collection</h1>Find item details, images, \
             spec sheets and models.</div><div>{links}</div></div></body></html>"
        );
        let got = blocks(&html, Some("Fasteners and Hardware Catalogs on Example Supplier Directory")).join("\n");
        assert!(got.contains("Find item details"), "{got}");
    }

    #[test]
    fn an_aside_left_open_around_the_article_is_not_chrome() {
        // The announcement banner's `<aside>` is never closed: the parser nests the whole
        // page, article and all, inside it.
        let html = format!(
            "<html><body><aside class=\"announcement\"><div><a href=\"/news\"><span>News: we moved\
             </div></a><main><article><h1>Lessons</h1>{}</article></main></body></html>",
            format!("<p>{PROSE}</p>").repeat(8)
        );
        let got = blocks(&html, Some("Lessons"));
        assert!(got.iter().filter(|b| b.as_str() == PROSE).count() == 8, "{got:?}");
    }
}
