//! The parsed page as a flat, pre-ordered arena (built by our parser, [`super::html`]).
//! Owns the cheap structural queries the other extract stages share (tag, attributes,
//! class hints, subtree ranges, text) and the pre-parse guard against hostile pages
//! ([`estimated_shape`]). Must not decide what is content.
//!
//! Pre-order numbering makes every subtree a contiguous index range, so per-node
//! statistics are computed with one reverse sweep and "is inside X" is a range check.
//! Nothing here recurses, so absurdly deep pages cannot overflow the stack.

use super::html::{self, Attribute, NodeData};

/// Index of a node in [`Dom::nodes`].
pub type NodeIx = usize;

pub use super::html::Node as DomNode;

pub struct Dom<'a> {
    pub nodes: Vec<DomNode<'a>>,
    attrs: Vec<Attribute<'a>>,
}

/// Deepest element nesting we hand to the parser. A browser's tree rules walk the stack
/// of open elements for every start tag, so parse time grows with the square of the
/// depth (100,000 nested `<div>`s took html5ever over half a minute); browsers cap depth
/// for the same reason. Real pages stay far below this.
pub const MAX_NESTING: usize = 5_000;

/// Most attributes we let one element carry. The tokenizer checks every new attribute
/// against the element's others (the first of a name wins), so parse time grows with the
/// square of their number. Real elements carry a few dozen.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Most elements we parse on one page. Each costs about 400 bytes while the page is
/// indexed (998,000 `<b>`s in an 8 MB page peak at 431 MB), so the count, not the page
/// size, bounds the memory of element-dense pages. The largest of 2,478 real pages in our
/// evaluation sets has 15,800.
pub const MAX_ELEMENTS: usize = 1_000_000;

/// What a cheap scan of the tags says about a page before it is parsed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Deepest element nesting (an estimate, see [`estimated_shape`]).
    pub depth: usize,
    /// Most attributes found on one tag.
    pub attributes: usize,
    /// Start tags (an upper bound on the elements the parser creates from them).
    pub elements: usize,
}

/// Estimates the deepest nesting of a page with a cheap scan of its tags: end tags close,
/// void and self-closing tags do not open, and tags the parser closes implicitly
/// (`<p>`, `<li>`, `<td>`...) are not counted. Skips comments and script/style bodies.
/// `<div/>` opens a `<div>` like the parser does: a self-closing slash only counts inside
/// `<svg>` and `<math>`.
pub fn estimated_depth(text: &str) -> usize {
    estimated_shape(text).depth
}

/// One pass over the tags: nesting as [`estimated_depth`] counts it, and the attributes of
/// each tag read the way the tokenizer reads them (a quoted `>` does not end the tag).
pub fn estimated_shape(text: &str) -> Shape {
    let b = text.as_bytes();
    let mut shape = Shape::default();
    let (mut depth, mut i) = (0usize, 0usize);
    // Open `<svg>` and `<math>` elements: inside them `/>` closes.
    let mut foreign = 0usize;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        if b[i..].starts_with(b"!--") {
            i = find_from(b, i, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = b.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = b[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if len == 0 {
            continue;
        }
        // Tag names are short: lower-case them on the stack (every tag of every page
        // passes here). Longer names are none of the special ones below.
        let mut buf = [0u8; 16];
        let name = if len <= buf.len() {
            buf[..len].copy_from_slice(&b[start..start + len]);
            buf[..len].make_ascii_lowercase();
            std::str::from_utf8(&buf[..len]).unwrap_or_default()
        } else {
            ""
        };
        let tag = scan_attributes(b, start + len);
        shape.attributes = shape.attributes.max(tag.attributes);
        shape.elements += usize::from(!closing);
        let tag_end = tag.end;
        let is_foreign_root = matches!(name, "svg" | "math");
        if closing {
            depth = depth.saturating_sub(1);
            if is_foreign_root {
                foreign = foreign.saturating_sub(1);
            }
        } else if matches!(name, "script" | "style" | "textarea" | "title" | "xmp" | "noscript") {
            let close = format!("</{name}");
            i = find_from_ci(b, tag_end, close.as_bytes()).unwrap_or(b.len());
            continue;
        } else if tag.self_closing && (is_foreign_root || foreign > 0) {
            // `<path/>` inside an SVG opens nothing.
        } else if !is_void(name) && !is_implicitly_closed(name) {
            depth += 1;
            shape.depth = shape.depth.max(depth);
            if is_foreign_root {
                foreign += 1;
            }
        }
        i = tag_end.min(b.len());
    }
    shape
}

/// The rest of a tag after its name.
struct TagScan {
    /// Index of the closing `>` (or the end of the text).
    end: usize,
    attributes: usize,
    self_closing: bool,
}

/// Reads attributes from `from` to the tag's `>`: names end at space, `/`, `=` or `>`;
/// values are quoted (a `>` inside does not end the tag) or run to a space or `>`.
fn scan_attributes(b: &[u8], from: usize) -> TagScan {
    let mut i = from;
    let mut attributes = 0;
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return TagScan { end: i, attributes, self_closing };
        }
        self_closing = false;
        attributes += 1;
        // The tokenizer takes a leading `=` as part of the name.
        i += 1;
        while i < b.len() && !matches!(b[i], b'>' | b'/' | b'=') && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                i = b[i + 1..].iter().position(|&c| c == q).map_or(b.len(), |p| i + 1 + p + 1);
            }
            _ => {
                while i < b.len() && b[i] != b'>' && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
        }
    }
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    find_by_first_byte(hay, from, needle, |w, n| w == n)
}

fn find_from_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    find_by_first_byte(hay, from, needle, <[u8]>::eq_ignore_ascii_case)
}

/// The first place at or after `from` where `needle` matches, jumping between
/// occurrences of its first byte (a non-alphabetic `<` or `-` in our needles) rather than
/// comparing a window at every byte of a long script.
fn find_by_first_byte(hay: &[u8], from: usize, needle: &[u8], eq: impl Fn(&[u8], &[u8]) -> bool) -> Option<usize> {
    let first = *needle.first()?;
    debug_assert!(!first.is_ascii_alphabetic(), "the first byte is compared exactly");
    let mut i = from;
    while let Some(off) = hay.get(i..)?.iter().position(|&c| c == first) {
        let at = i + off;
        if hay.get(at..at + needle.len()).is_some_and(|w| eq(w, needle)) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "frame"
            | "isindex"
    )
}

fn is_implicitly_closed(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "td"
            | "th"
            | "tr"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tbody"
            | "thead"
            | "tfoot"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
            | "colgroup"
            | "caption"
    )
}

/// Parses a whole document. Never fails: the parser repairs what it must.
pub fn parse(text: &str) -> Dom<'_> {
    let parsed = html::parse(text);
    Dom { nodes: parsed.nodes, attrs: parsed.attrs }
}

impl<'a> Dom<'a> {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Lower-case local tag name, or `None` for text, comments and the document.
    pub fn tag(&self, ix: NodeIx) -> Option<&str> {
        match &self.nodes[ix].data {
            NodeData::Element { name, .. } => Some(name),
            _ => None,
        }
    }

    /// An attribute's value by (lower-case) name.
    pub fn attr(&self, ix: NodeIx, name: &str) -> Option<&str> {
        match &self.nodes[ix].data {
            NodeData::Element { attrs, .. } => {
                self.attrs[attrs.start as usize..attrs.end as usize].iter().find(|(k, _)| k == name).map(|(_, v)| &**v)
            }
            _ => None,
        }
    }

    pub fn text(&self, ix: NodeIx) -> Option<&str> {
        match &self.nodes[ix].data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Children in document order.
    pub fn children(&self, ix: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
        let end = self.nodes[ix].end;
        let mut next = ix + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let child = next;
            next = self.nodes[child].end;
            Some(child)
        })
    }

    /// All text below `ix`, whitespace collapsed, skipping `script`/`style`.
    pub fn text_content(&self, ix: NodeIx) -> String {
        let mut out = String::new();
        let mut i = ix;
        let end = self.nodes[ix].end;
        while i < end {
            if matches!(self.tag(i), Some("script" | "style" | "noscript" | "template")) {
                i = self.nodes[i].end;
                continue;
            }
            if let Some(t) = self.text(i) {
                push_collapsed(&mut out, t);
            } else if self.tag(i).is_some_and(|t| !is_inline(t)) && !out.is_empty() && !out.ends_with(' ') {
                // Block boundaries separate words even when the markup has no space.
                out.push(' ');
            }
            i += 1;
        }
        out.trim_end().to_string()
    }

    /// Whether `ix` lies inside the subtree of `ancestor` (or is it).
    pub fn within(&self, ix: NodeIx, ancestor: NodeIx) -> bool {
        ix >= ancestor && ix < self.nodes[ancestor].end
    }

    /// The class and id tokens of an element, lower-cased, for hint matching.
    pub fn class_id_tokens(&self, ix: NodeIx) -> impl Iterator<Item = String> + '_ {
        let class = self.attr(ix, "class").unwrap_or("");
        let id = self.attr(ix, "id").unwrap_or("");
        class.split_ascii_whitespace().chain(id.split_ascii_whitespace()).map(|t| t.to_ascii_lowercase())
    }
}

/// Elements that flow inside a line of text.
pub fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "b"
            | "i"
            | "em"
            | "strong"
            | "span"
            | "font"
            | "small"
            | "big"
            | "sup"
            | "sub"
            | "abbr"
            | "cite"
            | "code"
            | "mark"
            | "q"
            | "s"
            | "u"
            | "time"
            | "bdi"
            | "bdo"
            | "dfn"
            | "kbd"
            | "samp"
            | "var"
            | "wbr"
            | "label"
            | "tt"
            | "strike"
            | "ins"
            | "del"
            | "nobr"
    )
}

/// Appends `text` to `out`, collapsing runs of whitespace to one space (never leading).
pub fn push_collapsed(out: &mut String, text: &str) {
    let mut pending_space = text.starts_with(char::is_whitespace);
    for word in text.split_whitespace() {
        if pending_space && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
        pending_space = true;
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_needles_by_their_first_byte() {
        let hay = b"var a = '<'; x < y; </Script> -- - --> end";
        assert_eq!(find_from_ci(hay, 0, b"</script"), Some(20));
        assert_eq!(find_from(hay, 0, b"-->"), Some(35));
        assert_eq!(find_from(hay, 36, b"-->"), None);
        assert_eq!(find_from_ci(b"<scrip", 0, b"</script"), None);
    }

    #[test]
    fn long_tag_names_open_an_element() {
        let page = "<averyveryverylongcustomelement><b>x</b></averyveryverylongcustomelement>";
        assert_eq!(estimated_shape(page).depth, 2);
    }

    #[test]
    fn subtrees_are_contiguous() {
        let dom = parse("<div id=a><p>one <b>two</b></p><p>three</p></div><p>four</p>");
        let div = (0..dom.len()).find(|&i| dom.attr(i, "id") == Some("a")).unwrap();
        assert_eq!(dom.text_content(div), "one two three");
        let ps: Vec<_> = dom.children(div).collect();
        assert_eq!(ps.len(), 2);
        assert!(dom.within(ps[1], div));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 3_000;
        let page = format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let dom = parse(&page);
        assert!(dom.text_content(0).contains("deep"));
    }

    #[test]
    fn depth_estimate() {
        assert_eq!(estimated_depth("<div><p>a<p>b<br><img src=x></div>"), 1);
        assert_eq!(estimated_depth(&"<div>".repeat(50)), 50);
        assert_eq!(estimated_depth("<script>if (a<b) { '<div><div>' }</script><span/>"), 1);
        assert_eq!(estimated_depth("<!-- <div><div> --><b>x</b>"), 1);
        assert_eq!(estimated_depth("<div title='a > b'><span data-x=\"/\">"), 2);
        // The parser ignores the slash of `<div/>`: each one opens a div.
        assert_eq!(estimated_depth(&"<div/>".repeat(40)), 40);
        assert_eq!(estimated_depth(&format!("<svg>{}</svg><b/><i>", "<path d=x />".repeat(40))), 2);
    }

    #[test]
    fn attribute_count() {
        let shape = |t: &str| estimated_shape(t).attributes;
        assert_eq!(shape("<div a=1 b='x > y' c=\"z\" d>text</div>"), 4);
        assert_eq!(shape("<p><img src=x alt=y/><br/>"), 2);
        // A quoted `>` must not hide the attributes after it.
        let tail: String = (0..50).map(|i| format!(" a{i}")).collect();
        assert_eq!(shape(&format!("<div title=\">\"{tail}>")), 51);
        assert_eq!(estimated_shape("<p>a<b>b</b><br><!-- <i> --><script>'<u>'</script>").elements, 4);
    }

    #[test]
    fn collapsing_keeps_word_boundaries() {
        let mut s = String::new();
        push_collapsed(&mut s, "a \n b ");
        push_collapsed(&mut s, "c");
        assert_eq!(s, "a b c");
    }
}
