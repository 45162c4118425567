//! The parsed page as a flat, pre-ordered arena (built by our parser, [`super::html`]).
//! Owns the cheap structural queries the other extract stages share (tag, attributes,
//! class hints, subtree ranges, text). Must not decide what is content.
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
    /// [`visible_chars`] of each text node, counted once (zoning, scoring and the starved
    /// test all read them); 0 for other nodes and for script and style text.
    visible: Vec<u32>,
}

/// Parses a whole document (see [`html::parse`] for the pages it refuses).
pub fn parse(text: &str) -> Result<Dom<'_>, html::Refused> {
    let parsed = html::parse(text)?;
    let mut dom = Dom { nodes: parsed.nodes, attrs: parsed.attrs, visible: Vec::new() };
    dom.visible = (0..dom.len())
        .map(|i| match dom.text(i) {
            Some(t) if !dom.nodes[i].parent.is_some_and(|p| is_raw_text_parent(dom.tag(p))) => visible_chars(t) as u32,
            _ => 0,
        })
        .collect();
    Ok(dom)
}

/// Elements whose text is never shown as such.
fn is_raw_text_parent(tag: Option<&str>) -> bool {
    matches!(tag, Some("script" | "style" | "noscript" | "template"))
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

    /// All attributes of an element (none for other nodes), each name once.
    pub fn attrs(&self, ix: NodeIx) -> &[Attribute<'a>] {
        match &self.nodes[ix].data {
            NodeData::Element { attrs, .. } => &self.attrs[attrs.start as usize..attrs.end as usize],
            _ => &[],
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

    /// Characters that are not white space in text node `ix` (0 for other nodes and for
    /// the text of scripts, styles, noscript and templates).
    pub fn visible_chars(&self, ix: NodeIx) -> u32 {
        self.visible[ix]
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
        for step in self.text_walk(ix) {
            match step {
                Some(t) => push_collapsed(&mut out, t),
                // Block boundaries separate words even when the markup has no space.
                None if !out.is_empty() && !out.ends_with(' ') => out.push(' '),
                None => {}
            }
        }
        out.trim_end().to_string()
    }

    /// The texts of the text nodes under `ix`, whitespace collapsed, empty ones left out:
    /// a byline's parts as its markup separates them ("By", "Jane Doe", "Senior Editor").
    pub fn text_pieces(&self, ix: NodeIx) -> Vec<String> {
        self.text_walk(ix)
            .flatten()
            .filter_map(|t| {
                let mut piece = String::new();
                push_collapsed(&mut piece, t);
                let piece = piece.trim();
                (!piece.is_empty()).then(|| piece.to_string())
            })
            .collect()
    }

    /// The subtree of `ix` in document order as its text nodes (`Some`) and the starts of
    /// its block elements (`None`), the contents of script-like elements left out.
    fn text_walk(&self, ix: NodeIx) -> impl Iterator<Item = Option<&str>> + '_ {
        let end = self.nodes[ix].end;
        let mut i = ix;
        std::iter::from_fn(move || {
            while i < end {
                let at = i;
                let tag = self.tag(at);
                if is_raw_text_parent(tag) {
                    i = self.nodes[at].end;
                    continue;
                }
                i += 1;
                if let Some(t) = self.text(at) {
                    return Some(Some(t));
                }
                if tag.is_some_and(|t| !is_inline(t)) {
                    return Some(None);
                }
            }
            None
        })
    }

    /// The ancestors of `ix`, nearest first.
    pub fn ancestors(&self, ix: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
        std::iter::successors(self.nodes[ix].parent, move |&a| self.nodes[a].parent)
    }

    /// Whether `ix` lies inside the subtree of `ancestor` (or is it).
    pub fn within(&self, ix: NodeIx, ancestor: NodeIx) -> bool {
        ix >= ancestor && ix < self.nodes[ancestor].end
    }

    /// The class and id tokens of an element as written.
    pub fn class_id_raw(&self, ix: NodeIx) -> impl Iterator<Item = &str> + '_ {
        let class = self.attr(ix, "class").unwrap_or("");
        let id = self.attr(ix, "id").unwrap_or("");
        class.split_ascii_whitespace().chain(id.split_ascii_whitespace())
    }

    /// The class and id tokens of an element, lower-cased, for hint matching.
    pub fn class_id_tokens(&self, ix: NodeIx) -> impl Iterator<Item = String> + '_ {
        self.class_id_raw(ix).map(str::to_ascii_lowercase)
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

/// Whether `hay` contains `needle` (lower-case ASCII) in any ASCII case, without copying.
pub fn contains_ascii_ci(hay: &str, needle: &str) -> bool {
    hay.len() >= needle.len() && hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Characters of `text` that are not white space (what the scores count), with a fast
/// path for ASCII text, most of any page.
pub fn visible_chars(text: &str) -> usize {
    if text.is_ascii() {
        // The ASCII characters `char::is_whitespace` accepts: space and tab to carriage return.
        text.bytes().filter(|b| !matches!(b, b' ' | b'\t'..=b'\r')).count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Characters that are never seen: the soft hyphen (a hyphenation hint, `Kiess&shy;ling`)
/// and the zero-width no-break space (a stray byte-order mark). Left in, they split the
/// words they sit in, for search and for anyone comparing text.
const INVISIBLE: [char; 2] = ['\u{AD}', '\u{FEFF}'];

/// Appends `text` to `out`, collapsing runs of whitespace to one space (never leading)
/// and dropping [`INVISIBLE`] characters.
pub fn push_collapsed(out: &mut String, text: &str) {
    // Their UTF-8 forms end in 0xAD and hold 0xBB: most texts have neither byte.
    if memchr::memchr2(0xAD, 0xBB, text.as_bytes()).is_some() && text.contains(INVISIBLE) {
        let seen: String = text.chars().filter(|c| !INVISIBLE.contains(c)).collect();
        return push_collapsed(out, &seen);
    }
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
    fn soft_hyphens_and_stray_byte_order_marks_are_dropped() {
        let mut out = String::new();
        push_collapsed(&mut out, "Kiess\u{AD}ling hat vie\u{AD}le \u{FEFF}wich\u{AD}ti\u{AD}ge  Fragen");
        assert_eq!(out, "Kiessling hat viele wichtige Fragen");
        // A text with the same bytes in other characters (» is C2 BB, ĭ is C4 AD) is
        // left alone.
        let mut out = String::new();
        push_collapsed(&mut out, "Ím » ĭ");
        assert_eq!(out, "Ím » ĭ");
    }

    #[test]
    fn subtrees_are_contiguous() {
        let dom = parse("<div id=a><p>one <b>two</b></p><p>three</p></div><p>four</p>").expect("parses");
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
        let dom = parse(&page).expect("parses");
        assert!(dom.text_content(0).contains("deep"));
    }

    #[test]
    fn visible_characters_are_counted_alike_in_ascii_and_unicode() {
        for t in ["a b\tc\x0bd\x0c\r\n", "  ", "", "x\u{a0}y z\u{2003}é", "a\x1cb"] {
            assert_eq!(visible_chars(t), t.chars().filter(|c| !c.is_whitespace()).count(), "{t:?}");
        }
    }

    #[test]
    fn collapsing_keeps_word_boundaries() {
        let mut s = String::new();
        push_collapsed(&mut s, "a \n b ");
        push_collapsed(&mut s, "c");
        assert_eq!(s, "a b c");
    }
}
