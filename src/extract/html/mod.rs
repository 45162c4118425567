//! Our HTML parser: page text → the tree a browser builds, as one flat pre-ordered list
//! of nodes. Written for extraction's cost: a page is tokenized zero-copy (names, values
//! and text borrow the page), built with the standard's tree rules that change what a
//! reader sees, and flattened once. It replaced html5ever, whose full parse cost about
//! as much as all the rest of indexing together.
//!
//! Owns tokenizing ([`tokenizer`]) and tree building ([`tree`]). Must not judge content:
//! that is `content`'s job, over the [`crate::extract::dom::Dom`] built from this.

mod tokenizer;
mod tree;

use std::borrow::Cow;
use std::ops::Range;

pub use tokenizer::Attribute;

#[derive(Debug, Clone, PartialEq)]
pub enum NodeData<'a> {
    Document,
    /// Lower-case name; attributes as a range of [`Parsed::attrs`].
    Element {
        name: Cow<'a, str>,
        attrs: Range<u32>,
    },
    Text(Cow<'a, str>),
    Comment,
}

#[derive(Debug)]
pub struct Node<'a> {
    pub data: NodeData<'a>,
    pub parent: Option<usize>,
    /// One past the last node of this node's subtree.
    pub end: usize,
    pub depth: u32,
}

/// A parsed page: nodes in document order (the document node first), attributes of all
/// elements in one list.
pub struct Parsed<'a> {
    pub nodes: Vec<Node<'a>>,
    pub attrs: Vec<Attribute<'a>>,
}

/// Deepest element nesting we build. The tree rules walk the stack of open elements for
/// every start tag, so parse time grows with the square of the depth (100,000 nested
/// `<div>`s took html5ever over half a minute); browsers cap depth for the same reason.
/// Real pages stay far below this.
pub const MAX_NESTING: usize = 5_000;

/// Most attributes we read on one tag. Every new attribute is checked against the tag's
/// others (the first of a name wins), so time grows with the square of their number.
/// Real elements carry a few dozen.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Most elements we build for one page. Each costs about 400 bytes while the page is
/// indexed (998,000 `<b>`s in an 8 MB page peak at 431 MB), so the count, not the page
/// size, bounds the memory of element-dense pages. The largest of 2,478 real pages in our
/// evaluation sets has 15,800.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// Why a page was not parsed: it is past one of the limits above (a broken or hostile
/// page), found while parsing, so no page pays for a separate scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    TooDeep,
    TooManyAttributes,
    TooManyElements,
}

/// Parses a whole page. Like a browser, it repairs what it must; it refuses only pages
/// past the limits.
pub fn parse(text: &str) -> Result<Parsed<'_>, Refused> {
    tree::build(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree as nested tags with text, e.g. `html(head body(p("a")))`.
    fn outline(src: &str) -> String {
        let parsed = parse(src).expect("parses");
        let mut out = String::new();
        let mut closes: Vec<usize> = Vec::new();
        for (i, n) in parsed.nodes.iter().enumerate() {
            while closes.last().is_some_and(|&e| e <= i) {
                closes.pop();
                out.push(')');
            }
            if !out.is_empty() && !out.ends_with('(') {
                out.push(' ');
            }
            match &n.data {
                NodeData::Document => out.push('#'),
                NodeData::Element { name, .. } => out.push_str(name),
                NodeData::Text(t) => out.push_str(&format!("{t:?}")),
                NodeData::Comment => out.push_str("<!>"),
            }
            if n.end > i + 1 {
                out.push('(');
                closes.push(n.end);
            }
        }
        for _ in closes {
            out.push(')');
        }
        out.replace("#(html(head", "(head")
    }

    fn body(src: &str) -> String {
        let o = outline(&format!("<!doctype html><body>{src}"));
        let start = o.find("body(").map(|i| i + 5).unwrap_or(o.len());
        o[start..o.len().saturating_sub(3)].to_string()
    }

    #[test]
    fn implied_structure() {
        assert_eq!(outline("<title>T</title><p>x"), "(head(title(\"T\")) body(p(\"x\"))))");
        assert_eq!(body("<p>a<p>b<div>c</div>"), "p(\"a\") p(\"b\") div(\"c\")");
        assert_eq!(body("<ul><li>a<li>b</ul>"), "ul(li(\"a\") li(\"b\"))");
        assert_eq!(body("<dl><dt>a<dd>b<dt>c</dl>"), "dl(dt(\"a\") dd(\"b\") dt(\"c\"))");
        assert_eq!(body("<h1>a<h2>b"), "h1(\"a\") h2(\"b\")");
        assert_eq!(body("a</p>b"), "\"a\" p \"b\"");
    }

    #[test]
    fn scope_checks_see_only_open_elements() {
        // Counted open elements answer "none open" at once; an open one is still found
        // through the elements above it.
        assert_eq!(body("<div><h2>a<div>b</h2>c</div>"), "div(h2(\"a\" div(\"b\")) \"c\")");
        assert_eq!(body(&format!("{}x{}y", "<div>".repeat(50), "</h2></li></td>".repeat(20))), {
            let mut s = String::new();
            for _ in 0..50 {
                s.push_str("div(");
            }
            s + "\"xy\"" + &")".repeat(50)
        });
        // `</b>` across a block: the open `<i>` is cloned around the block and stays open.
        assert_eq!(body("<b><i><div>x</b>y</div>z"), "b(i) i(div(b(\"x\") \"y\") \"z\")");
    }

    #[test]
    fn formatting_is_reopened_and_misnesting_repaired() {
        assert_eq!(body("<p><b>x<p>y</b>z"), "p(b(\"x\")) p(b(\"y\") \"z\")");
        assert_eq!(body("<b>1<p>2</b>3</p>"), "b(\"1\") p(b(\"2\") \"3\")");
        assert_eq!(body("<a href=1>x<a href=2>y</a>"), "a(\"x\") a(\"y\")");
        assert_eq!(body("<i>a<div>b</i>c</div>d"), "i(\"a\") div(i(\"b\") \"c\") \"d\"");
    }

    #[test]
    fn tables_get_their_parts_and_move_strays_before_them() {
        assert_eq!(
            body("<table><tr><td>a<td>b<tr><td>c</table>"),
            "table(tbody(tr(td(\"a\") td(\"b\")) tr(td(\"c\"))))"
        );
        assert_eq!(body("<table><tr><td>a</td></tr><b>x</b></table>"), "b(\"x\") table(tbody(tr(td(\"a\"))))");
        assert_eq!(body("<table><td><div>a<td>b</table>after"), "table(tbody(tr(td(div(\"a\")) td(\"b\")))) \"after\"");
        assert_eq!(body("<td>stray</td>"), "\"stray\"");
    }

    #[test]
    fn raw_text_and_foreign_content() {
        assert_eq!(body("<p>y<script>a<b>c</script>z"), "p(\"y\" script(\"a<b>c\") \"z\")");
        assert_eq!(body("<noscript><p>x</p></noscript>"), "noscript(\"<p>x</p>\")");
        assert_eq!(body("<textarea>\n&lt;x</textarea>"), "textarea(\"<x\")");
        assert_eq!(body("<svg><path/><title>t</title></svg><p>x"), "svg(path title(\"t\")) p(\"x\")");
        assert_eq!(body("<svg><g><p>x"), "svg(g) p(\"x\")");
    }

    #[test]
    fn a_template_in_the_head_does_not_start_the_body() {
        // Real pattern: a chat widget's markup in a <template> before the page's <title>.
        assert_eq!(
            outline(
                "<!doctype html><head><template><button><div>Chat</div></button></template><title>T</title></head><p>x"
            ),
            "(head(template(button(div(\"Chat\"))) title(\"T\")) body(p(\"x\"))))"
        );
    }

    #[test]
    fn quirks_mode_keeps_a_table_inside_a_paragraph() {
        assert!(outline("<p>a<table><tr><td>b</table>").contains("p(\"a\" table"));
        assert!(!outline("<!DOCTYPE html><p>a<table><tr><td>b</table>").contains("p(\"a\" table"));
    }

    #[test]
    fn attributes_of_later_html_and_body_tags_are_merged() {
        let parsed = parse("<html lang=de><body class=a><html lang=en dir=ltr><body id=b>").expect("parses");
        let names: Vec<String> = parsed.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert!(names.contains(&"dir=ltr".to_string()) && names.contains(&"id=b".to_string()));
        let html =
            parsed.nodes.iter().find(|n| matches!(&n.data, NodeData::Element { name, .. } if name == "html")).unwrap();
        let NodeData::Element { attrs, .. } = &html.data else { unreachable!() };
        let own: Vec<_> =
            parsed.attrs[attrs.start as usize..attrs.end as usize].iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(own, ["lang=de", "dir=ltr"]);
    }

    #[test]
    fn hostile_nesting_stays_bounded() {
        let fonts: String = (0..5000).map(|i| format!("<p><font color={i}>x</p>")).collect();
        let parsed = parse(&fonts).expect("parses");
        assert!(parsed.nodes.len() < 5000 * (tree::MAX_FORMATTING + 4), "{}", parsed.nodes.len());
    }

    #[test]
    fn pages_past_the_limits_are_refused() {
        assert_eq!(parse(&"<div>".repeat(MAX_NESTING + 1)).err(), Some(Refused::TooDeep));
        // The parser ignores the slash of `<div/>`: each one opens a div.
        assert_eq!(parse(&"<div/>".repeat(MAX_NESTING + 1)).err(), Some(Refused::TooDeep));
        assert!(parse(&"<p>a".repeat(3 * MAX_NESTING)).is_ok(), "paragraphs close each other");
        assert!(parse(&format!("<svg>{}</svg>", "<path d=x />".repeat(MAX_NESTING + 1))).is_ok());
        let attrs: String = (0..=MAX_ATTRIBUTES).map(|i| format!(" a{i}=x")).collect();
        assert_eq!(parse(&format!("<div{attrs}>")).err(), Some(Refused::TooManyAttributes));
        assert!(parse(&format!("<div{}>", " a=x".repeat(5 * MAX_ATTRIBUTES))).is_ok(), "repeats are dropped");
        assert_eq!(parse(&"<b>w</b>".repeat(MAX_ELEMENTS)).err(), Some(Refused::TooManyElements));
    }
}
