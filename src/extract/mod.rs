//! Stage 2-3 of indexing: page bytes → [`Article`]. Pure: no file system, no index, no
//! places. decode (charset) → dom (parse once) → content (main text) + metadata (title,
//! date, author, language, labels) → lang (fallback detection).

pub mod author;
pub mod content;
pub mod dates;
pub mod decode;
pub mod dom;
pub mod hints;
pub mod html;
pub mod lang;
pub mod metadata;
pub mod mojibake;

use thiserror::Error;

pub use content::{Block, BlockKind};
pub use dates::Published;
pub use hints::Hints;
pub use metadata::{Label, LabelSource};

/// Why a page could not be read as an article. One line each, for the user.
#[derive(Debug, Error)]
pub enum ExtractError {
    #[error("empty file")]
    Empty,
    #[error("not HTML: looks like {0}")]
    Binary(&'static str),
    #[error("no title and no text found")]
    NoText,
    #[error("elements nested more than {0} deep (a broken or hostile page)")]
    TooDeep(usize),
    #[error("an element with more than {0} attributes (a broken or hostile page)")]
    TooManyAttributes(usize),
    #[error("more than {0} elements (a broken or hostile page)")]
    TooManyElements(usize),
}

/// What a page says, as found on it: text blocks and metadata, labels not yet
/// interpreted (that is the gazetteer's job).
#[derive(Debug, Clone)]
pub struct Article {
    pub title: Option<String>,
    pub published: Option<Published>,
    pub author: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub labels: Vec<Label>,
    pub blocks: Vec<Block>,
    /// Name of the encoding the page was decoded with.
    pub encoding: &'static str,
}

impl Article {
    /// The body as plain text, blocks separated by a blank line.
    pub fn body_text(&self) -> String {
        self.blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n")
    }

    /// The article as minimal, safe HTML (escaped text in `<p>`, `<h2>`, `<li>`...), for
    /// rendering it as text on a terminal or in a reader view.
    pub fn to_html(&self) -> String {
        let mut out = String::new();
        if let Some(t) = &self.title {
            out.push_str(&format!("<h1>{}</h1>\n", escape_html(t)));
        }
        let mut in_list = false;
        for b in &self.blocks {
            let is_item = b.kind == BlockKind::ListItem;
            if is_item != in_list {
                out.push_str(if is_item { "<ul>\n" } else { "</ul>\n" });
                in_list = is_item;
            }
            let tag = match b.kind {
                BlockKind::Heading(2) => "h2",
                BlockKind::Heading(_) => "h3",
                BlockKind::ListItem => "li",
                BlockKind::Quote => "blockquote",
                BlockKind::Preformatted => "pre",
                BlockKind::Paragraph | BlockKind::Cell => "p",
            };
            out.push_str(&format!("<{tag}>{}</{tag}>\n", escape_html(&b.text)));
        }
        if in_list {
            out.push_str("</ul>\n");
        }
        out
    }
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Parses a decoded page, or says which limit a broken or hostile page is past.
fn parse_checked(text: &str) -> Result<dom::Dom<'_>, ExtractError> {
    dom::parse(text).map_err(|refused| match refused {
        html::Refused::TooDeep => ExtractError::TooDeep(html::MAX_NESTING),
        html::Refused::TooManyAttributes => ExtractError::TooManyAttributes(html::MAX_ATTRIBUTES),
        html::Refused::TooManyElements => ExtractError::TooManyElements(html::MAX_ELEMENTS),
    })
}

/// The extractor's reasoning on one page, for `dossier extract --explain`.
pub fn explain_page(bytes: &[u8], hints: &Hints) -> Result<String, ExtractError> {
    let decoded = decode::decode_page(bytes)?;
    let dom = parse_checked(&decoded.text)?;
    let (zones, roles) = content::zone_page(&dom, hints);
    Ok(format!("encoding: {}\n{}", decoded.encoding.name(), content::explain(&dom, &zones, &roles, hints)))
}

/// Reads one page. `location` (the file's path or URL) is only used for a date in it.
pub fn extract_article(bytes: &[u8], location: Option<&str>, hints: &Hints) -> Result<Article, ExtractError> {
    let decoded = decode::decode_page(bytes)?;
    let dom = parse_checked(&decoded.text)?;
    let (zones, roles) = content::zone_page(&dom, hints);
    let mut md = metadata::read_metadata(&dom, &zones, hints, location);
    let mut blocks = content::extract_blocks(&dom, &zones, &roles, hints, md.title.as_deref());
    if content::starved(&dom, &blocks) {
        // Class names zoned out nearly all of the page's text ("skip-item" sections,
        // "toc-para" paragraphs): ask the page's structure alone, and keep that answer if
        // it finds much more text. A post of article length keeps its comment thread out
        // (the thread is what outweighs it); a forum page, whose posts carry the same
        // names and leave the first answer a few lines, does not.
        let keep_threads = text_len(&blocks) >= MIN_POST_CHARS;
        let retry = read_with_roles(&dom, hints, hints.structural_roles(&dom, keep_threads), md.title.as_deref());
        if text_len(&retry) > 3 * text_len(&blocks) {
            blocks = retry;
        }
    }
    if text_len(&blocks) < NEARLY_EMPTY_CHARS {
        // Next to nothing found (a heading, a label): the page's text may be all teasers
        // or product cards in elements an article's furniture is made of. Read them as
        // text, and keep that answer if it finds a listing's worth more.
        let retry =
            read_with_roles(&dom, hints, hints::roles_with_furniture_as_text(&dom, &roles), md.title.as_deref());
        let (found, retried) = (text_len(&blocks), text_len(&retry));
        if retried > 3 * found && retried >= MIN_LISTING_RETRY_CHARS {
            blocks = retry;
        }
    }
    if let Some(fallback) = noscript_article(&dom, hints, md.title.as_deref(), &blocks) {
        blocks = fallback;
    }
    if let Some(declared) = declared_article(md.article_body.as_deref(), hints, md.title.as_deref(), &blocks) {
        blocks = declared;
    }
    if md.title.is_none() && blocks.is_empty() {
        return Err(ExtractError::NoText);
    }
    repair_misread(&mut md, &mut blocks);
    let language = md.language.or_else(|| {
        let sample: String = blocks.iter().take(10).map(|b| b.text.as_str()).collect::<Vec<_>>().join(" ");
        lang::detect_language(&sample)
    });
    Ok(Article {
        title: md.title,
        published: md.published,
        author: md.author,
        language,
        url: md.url,
        labels: md.labels,
        blocks,
        encoding: decoded.encoding.name(),
    })
}

/// Undoes UTF-8 read as windows-1252 upstream ("isnâ€™t") in everything the page says,
/// when the whole of it shows that mistake (mojibake.rs decides what is proof).
fn repair_misread(md: &mut metadata::Metadata, blocks: &mut [Block]) {
    let texts = || {
        md.title
            .iter()
            .chain(md.author.iter())
            .chain(md.labels.iter().map(|l| &l.text))
            .chain(blocks.iter().map(|b| &b.text))
    };
    let (short, long) = texts().map(|t| mojibake::count(t)).fold((0, 0), |(s, l), (s2, l2)| (s + s2, l + l2));
    if !mojibake::is_misread((short, long)) {
        return;
    }
    let fix = |t: &mut String| *t = mojibake::repair(t);
    md.title.iter_mut().for_each(fix);
    md.author.iter_mut().for_each(fix);
    md.labels.iter_mut().for_each(|l| fix(&mut l.text));
    blocks.iter_mut().for_each(|b| fix(&mut b.text));
}

/// Pages drawn by script (forums such as Discourse and Flarum) put their text for readers
/// without script in `<noscript>`, which a browser-faithful parse keeps as raw markup.
/// When that markup holds much more than the body found, its article is the page's.
fn noscript_article(dom: &dom::Dom, hints: &Hints, title: Option<&str>, found: &[Block]) -> Option<Vec<Block>> {
    let found_chars = text_len(found);
    let largest = (0..dom.len())
        .filter(|&i| dom.tag(i) == Some("noscript"))
        .map(|i| (i + 1..dom.nodes[i].end).filter_map(|j| dom.text(j)).collect::<String>())
        .max_by_key(String::len)?;
    // A cheap test before a second parse: the markup must dwarf the text already found.
    if largest.len() < 4000 || largest.len() < 4 * found_chars || !largest.contains('<') {
        return None;
    }
    let blocks = markup_article(&largest, hints, title)?;
    let chars = text_len(&blocks);
    (chars > 3 * found_chars && chars > 500).then_some(blocks)
}

/// Pages drawn by script (news sites whose article arrives as data) may carry the
/// whole text only in JSON-LD's `articleBody`. When that text dwarfs the body found (three
/// times as long, 500 bytes at least), it is the article: plain text split at its line
/// breaks, or markup read like a page.
fn declared_article(declared: Option<&str>, hints: &Hints, title: Option<&str>, found: &[Block]) -> Option<Vec<Block>> {
    let declared = declared?;
    let found_chars = text_len(found);
    if declared.len() < 500 || declared.len() < 3 * found_chars {
        return None;
    }
    let blocks = if declared.contains('<') && declared.contains('>') {
        markup_article(declared, hints, title)?
    } else {
        declared
            .split('\n')
            .map(|line| {
                // Collapsed as page text is: no soft hyphens or stray BOMs inside words.
                let mut text = String::new();
                dom::push_collapsed(&mut text, line);
                text.trim_end().to_string()
            })
            .filter(|line| !line.is_empty())
            .map(|text| Block { kind: content::BlockKind::Paragraph, text })
            .collect()
    };
    let chars = text_len(&blocks);
    (chars > 3 * found_chars && chars >= 500).then_some(blocks)
}

/// The page's blocks read again with other roles: a second opinion on the same DOM.
fn read_with_roles(dom: &dom::Dom, hints: &Hints, roles: Vec<hints::Role>, title: Option<&str>) -> Vec<Block> {
    let (zones, roles) = content::zone_with(dom, hints, roles);
    content::extract_blocks(dom, &zones, &roles, hints, title)
}

/// The article of markup found inside a page (`<noscript>` text, a JSON-LD body), read
/// like a page of its own.
fn markup_article(markup: &str, hints: &Hints, title: Option<&str>) -> Option<Vec<Block>> {
    let inner = dom::parse(markup).ok()?;
    let (zones, roles) = content::zone_page(&inner, hints);
    Some(content::extract_blocks(&inner, &zones, &roles, hints, title))
}

/// Bytes of text a first reading must hold to be a post whose comment thread the
/// structural retry keeps zoned out (about 300 words: the forum pages of the evaluation
/// sets read 7 to 190 words at first, a blog post under a long thread 650).
const MIN_POST_CHARS: usize = 2000;

/// Bytes of body text under which a reading found next to nothing: a heading, a label, a
/// line of a banner (about 50 words). With up to 800, a video page's short description
/// took the list of the show's other episodes (trafilatura-eval, -0.5) while three
/// listings with an intro gained: left at the safe side.
const NEARLY_EMPTY_CHARS: usize = 300;

/// Bytes of text a reading with furniture as text must find to replace a nearly empty one.
const MIN_LISTING_RETRY_CHARS: usize = 500;

/// Bytes of text in blocks: how two readings of a page compare.
fn text_len(blocks: &[Block]) -> usize {
    blocks.iter().map(|b| b.text.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_links_the_text_announces_is_part_of_the_article() {
        // Real pattern: a progress report lists the changes merged, each a link, after
        // "Here's what has been done during the past months:"; a link list is dropped as
        // chrome everywhere else, and was here too.
        let changes: String = ["Fix memory use on deep expressions", "Support the m68k target", "Update the sysroot"]
            .iter()
            .enumerate()
            .map(|(k, c)| format!("<li><p><a href=\"/pull/{k}\">{c}</a></p></li>"))
            .collect();
        let stories: String = ["Why compilers matter", "A history of GCC"]
            .iter()
            .map(|c| format!("<li><a href=\"/story\">{c}</a></li>"))
            .collect();
        let page = format!(
            "<html><body><article><h1>Progress report</h1>\
             <p>This month went mostly into cross-compiling, which is where my focus is now.</p>\
             <p>Here's what has been done during the past months:</p><div class=\"ulist\"><ul>{changes}</ul></div>\
             <p>With those, a native compiler builds for the new target with very few workarounds left, though a few crates still need patches before they build.</p>\
             <p>Related articles from this blog, for the curious:</p><ul>{stories}</ul>\
             <p>Next month I plan to make more of the test suite pass on the new target, and to write down how to reproduce the build.</p>\
             <p>Readers of this report also enjoyed these other pages:</p><ul>{stories}</ul>\
             </article></body></html>"
        );
        let body = extract_article(page.as_bytes(), None, &Hints::default()).unwrap().body_text();
        assert!(body.contains("Support the m68k target"), "{body}");
        // A list a tail marker opens, or one the article does not go on after, is still not it.
        assert!(!body.contains("A history of GCC"), "{body}");
    }

    #[test]
    fn a_listing_of_teasers_each_in_its_own_header_is_the_pages_text() {
        // Real pattern: a topic page of a news site sets every teaser's headline and
        // summary in the `<header>` of its own `<article>`; headers are an article's
        // furniture, so the body was only the list's label, "Latest News".
        let teasers: String = [
            ("New firmware for wireless headphones", "The update fixes pairing with older phones and adds a battery saver for long flights. It is rolling out now."),
            ("Studio headphones get new colours", "Three new finishes arrive next month at the same price as the current models in stores. Pre-orders open on Friday."),
            ("Hands on with live translation", "We tried the new translation feature on a trip abroad and found it quick but literal at times. Menus were its strong point."),
            ("Older cable adapter discontinued", "The adapter that let older phones use wired headphones is gone from the store for good."),
            ("Heart rate sensing in earbuds", "Readings matched a chest strap on easy runs but drifted during intervals on the track."),
        ]
        .iter()
        .map(|(h, p)| format!("<article><header><h2><a href=\"/story\">{h}</a></h2><p>{p}</p></header></article>"))
        .collect();
        let page = format!(
            "<html><body><nav><a href=\"/\">Home</a> <a href=\"/mac\">Mac</a> <a href=\"/phones\">Phones</a></nav>\
             <div class=\"block-header\"><h2>Latest News</h2></div><div class=\"river\">{teasers}</div>\
             <footer><p>Copyright 2026 Example Media, all rights reserved. Terms of use and privacy policy apply.</p></footer>\
             </body></html>"
        );
        let body = extract_article(page.as_bytes(), None, &Hints::default()).unwrap().body_text();
        assert!(body.contains("adds a battery saver for long flights"), "{body}");
        assert!(body.contains("quick but literal at times"), "{body}");
        assert!(!body.contains("Copyright 2026"), "{body}");
        // A short article keeps its own text only: its header's byline stays furniture.
        let page = "<html><body><article><header><h1>Rates held</h1><p class=\"byline\">By A. Writer, staff reporter at the desk</p></header>\
            <p>The central bank held its main rate at four per cent on Tuesday, as markets had expected it would.</p>\
            <p>Officials said inflation was easing but that it was too early to cut, pointing to wages and rents.</p>\
            <p>The next decision is due in six weeks, after new figures on prices and jobs have been published.</p></article></body></html>";
        let body = extract_article(page.as_bytes(), None, &Hints::default()).unwrap().body_text();
        assert!(body.contains("too early to cut"), "{body}");
        assert!(!body.contains("staff reporter"), "{body}");
    }

    #[test]
    fn a_syntax_highlighters_class_names_inside_code_are_not_chrome() {
        // Real pattern: highlight.js marks a comment in code `<span class="hljs-comment">`,
        // and "comment" names a reader thread, so every code comment left the article.
        let page = "<html><body><article><h1>A brief intro to git</h1>\
            <p>Git is flexible, and a few commands carry most of the daily work with it.</p>\
            <pre><code><span class=\"hljs-comment\"># stage only the files you name</span>\n\
            git add path/to/file\n<span class=\"token comment\"># commit what is staged</span>\n\
            git commit -m message</code></pre>\
            <p>Each of these commands has options of its own, described in the git manual.</p>\
            </article><div class=\"comments\"><p>Great post, thanks for writing it up!</p></div></body></html>";
        let body = extract_article(page.as_bytes(), None, &Hints::default()).unwrap().body_text();
        assert!(body.contains("# stage only the files you name git add"), "{body}");
        assert!(body.contains("# commit what is staged"), "{body}");
        // Outside code the same names still mean a comment thread.
        assert!(!body.contains("Great post"), "{body}");
    }

    #[test]
    fn text_encoded_twice_upstream_is_read_as_written() {
        // Real pattern: a site whose database was UTF-8 re-encoded as if Latin-1, so its
        // page says "isnâ€™t" (here as entities, as one page had it; another as the bytes
        // C3 A2 C2 80 C2 99). The page is consistent, so only the text shows it.
        let page = "<html><head><meta charset=utf-8><title>Caf&Atilde;&copy; society</title></head><body>\
            <article><h1>Caf&Atilde;&copy; society</h1><p>It isn&acirc;&euro;&trade;t just coffee \
            &acirc;&euro;&rdquo; it&acirc;&#128;&#153;s a way of life for the regulars.</p></article></body></html>";
        let a = extract_article(page.as_bytes(), None, &Hints::default()).unwrap();
        assert_eq!(a.title.as_deref(), Some("Café society"));
        assert_eq!(a.body_text(), "It isn’t just coffee — it’s a way of life for the regulars.");
        // The same letters in a page that was read right stay as they are.
        let right = "<html><body><article><p>Ã is a letter of Portuguese: IRMÃ, AMANHÃ.</p></article></body></html>";
        let a = extract_article(right.as_bytes(), None, &Hints::default()).unwrap();
        assert_eq!(a.body_text(), "Ã is a letter of Portuguese: IRMÃ, AMANHÃ.");
    }

    #[test]
    fn a_page_drawn_by_script_is_read_from_its_noscript_markup() {
        // Real pattern (Discourse, Flarum): a loading splash for browsers, the thread as
        // markup inside <noscript> for everyone else.
        let posts: String = (1..=6)
            .map(|i| {
                format!(
                    "<div class=\"post\" id=\"post_{i}\"><span class=\"creator\">user{i}</span><p>{}</p></div>",
                    "Reply about configuring the reverse proxy so that websockets reach the app server. ".repeat(10)
                )
            })
            .collect();
        let page = format!(
            "<html><head><title>Proxy help</title></head><body><section id=\"d-splash\"><p>Loading…</p></section>\
             <noscript><header><a href=/>Forum</a></header><div id=\"main-outlet\"><h1>Proxy help</h1>{posts}</div>\
             <footer>Powered by forum software</footer></noscript></body></html>"
        );
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        let text = a.body_text();
        assert!(text.matches("reverse proxy").count() >= 6, "{text}");
        assert!(!text.contains("Loading"));
    }

    #[test]
    fn legal_small_print_never_outweighs_a_short_article() {
        // Real pattern: a table layout whose three-line story is shorter than the footer's
        // copyright lines, so the footer won as the page's prose.
        let page = "<html><body><table><tr><td><a href=/>Front page</a><br><a href=/m>Markets</a></td>\
            <td><font size=+2><b>Quarterly dividend</b></font><br><p>Qtly div ten cts vs ten cts\
            <p>Pay April 1 to holders</td></tr></table><hr><center><a href=/>Home</a> | <a href=/s>Search</a><br>\
            Copyright © 1985–1999 International Economic Letter Ltd. All rights reserved.<br>\
            Reproduction in whole or in part without written permission is prohibited.<br>\
            This site is best viewed with Netscape Navigator 4.0 at 800×600.</center></body></html>";
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        let text = a.body_text();
        assert!(text.contains("Qtly div ten cts") && text.contains("Pay April 1"), "{text}");
        assert!(!text.contains("Copyright") && !text.contains("best viewed"), "{text}");
    }

    #[test]
    fn sections_zoned_out_by_their_class_names_are_read_by_structure() {
        // Real pattern: every section of a guide carries "skip-item" (a site part, as in
        // skip links), so the class hints left the article empty.
        let section = |i: usize| {
            format!(
                "<div id=\"topic{i}\" class=\"skip-item\"><h2>Part {i} of the guide</h2><p>{}</p></div>",
                "This paragraph explains one part of how home networks reach every room of a house. ".repeat(8)
            )
        };
        let sections: String = (1..=8).map(section).collect();
        let page = format!(
            "<html><body><nav class=\"menu\"><a href=/>Home</a><a href=/blog>Blog</a></nav><main><h1>A guide</h1>\
             {sections}</main><footer>Copyright</footer></body></html>"
        );
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        let words: usize = a.blocks.iter().map(|b| b.text.split_whitespace().count()).sum();
        assert!(words > 500, "{words} words: {:?}", a.blocks.first());
        assert!(!a.body_text().contains("Copyright"));
    }

    #[test]
    fn a_long_comment_thread_under_a_short_post_stays_out() {
        // Real pattern (a school blog): a 400-word post under 40 long reader comments.
        // The thread is over nine tenths of the page, so the page looked starved and the
        // structural retry, which ignores class names, took the thread for the article.
        let post: String = (1..=30)
            .map(|i| {
                format!("<p>In week {i} students choose one question about human dignity and write a first draft.</p>")
            })
            .collect();
        let comment = |i: usize| {
            format!(
                "<li class=\"comment depth-1\" id=\"li-comment-{i}\"><div class=\"comment-author\">reader{i} says:</div>\
                 <div class=\"comment-body\"><p>{}</p></div></li>",
                "My answer to the question is long and it goes on about refugees and their rights. ".repeat(10)
            )
        };
        let thread: String = (1..=40).map(comment).collect();
        let page = format!(
            "<html><body><div id=\"content\"><div class=\"post\"><h1>A project on dignity</h1>\
             <div class=\"entry-content\">{post}</div></div>\
             <div id=\"comments\"><h3>40 replies</h3><ol class=\"commentlist\">{thread}</ol></div></div></body></html>"
        );
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        let text = a.body_text();
        assert_eq!(text.matches("first draft").count(), 30, "{text:.300}");
        assert!(!text.contains("refugees"), "{text:.300}");
    }

    #[test]
    fn a_forum_thread_whose_posts_are_named_comments_is_the_text() {
        // Real pattern (Reddit-like forums): every post is a "comment"; the first reading
        // keeps a few lines, and the thread is the page's text.
        let reply = |i: usize| {
            format!(
                "<div class=\"Comment thing\" id=\"comment-{i}\"><p>{}</p></div>",
                "Reply about tuning the garden pond pump so the filter never runs dry overnight. ".repeat(6)
            )
        };
        let thread: String = (1..=30).map(reply).collect();
        let page = format!(
            "<html><body><div class=\"thread\"><h1>Pond pump question</h1><p>Which pump for a small pond?</p>\
             <div class=\"comments\">{thread}</div></div></body></html>"
        );
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        assert!(a.body_text().matches("garden pond pump").count() >= 150, "{:?}", a.blocks.first());
    }

    #[test]
    fn an_article_drawn_by_script_is_read_from_its_json_ld_body() {
        // Real pattern (a news site rendered in the browser): the page holds the headline
        // and a caption; the text is only in the JSON-LD's articleBody.
        // A soft hyphen inside a word is dropped, as in page text.
        let text = "The chief executive lowered the age thres\u{ad}hold for the transport discount. ".repeat(10);
        let ld = format!(
            r#"{{"@context":"https://schema.org","@type":"NewsArticle","headline":"A playbook","articleBody":"{text}\nA second paragraph follows."}}"#
        );
        let page = format!(
            "<html><head><script type=\"application/ld+json\">{ld}</script></head><body><article><h1>A playbook</h1>\
             <div class=\"content-body\"><p>The president speaks during a televised debate. Photo: AP</p></div></article></body></html>"
        );
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        assert_eq!(a.blocks.len(), 2, "{:?}", a.blocks);
        assert!(
            a.blocks[0].text.starts_with("The chief executive") && a.blocks[1].text == "A second paragraph follows."
        );
        assert!(a.blocks[0].text.contains("age threshold for"), "{:?}", a.blocks[0]);
        // A page that shows its text keeps it, whatever its JSON-LD says.
        let shown = page.replace("The president speaks during a televised debate.", &text.repeat(2));
        let a = extract_article(shown.as_bytes(), None, &Hints::default()).expect("article");
        assert!(!a.body_text().contains("second paragraph"));
    }

    #[test]
    fn ruby_readings_are_not_text() {
        let page = "<html><body><article><h1>Kids news</h1><p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt><rp>)</rp></ruby>をなくすための法律ができました。</p></article></body></html>";
        let a = extract_article(page.as_bytes(), None, &Hints::default()).expect("article");
        assert_eq!(a.body_text(), "子どもへの虐待をなくすための法律ができました。");
    }
}
