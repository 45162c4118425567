//! Tree builder: tokens → the document tree a browser would build, then flattened into
//! the pre-ordered arena [`super::Node`] lists. Follows the WHATWG tree-construction
//! rules that shape what readers see (implied `<html>`/`<head>`/`<body>`, implied end
//! tags of `<p>`, `<li>`, cells and rows, formatting elements reopened and re-nested by
//! the adoption agency, content misplaced in tables moved before them, raw text
//! elements, foreign `<svg>`/`<math>`), not the ones that only matter to scripts.
//! Must not judge content.

use std::borrow::Cow;
use std::ops::Range;

use super::tokenizer::{Attribute, Token, Tokenizer};
use super::{Node, NodeData, Parsed, Refused, MAX_ELEMENTS, MAX_NESTING};

const NONE: u32 = u32::MAX;

/// Most formatting elements kept for reopening past the last marker. The standard has
/// no bound, and a page of a million different unclosed `<font>`s would make every new
/// block reopen all of them; real pages keep a handful open.
pub(super) const MAX_FORMATTING: usize = 64;

struct BNode<'a> {
    data: NodeData<'a>,
    parent: u32,
    first: u32,
    last: u32,
    next: u32,
    prev: u32,
    open: bool,
    /// An `<svg>` or `<math>` element or one inside them.
    foreign: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Formatting {
    Marker,
    Element(u32),
}

/// How the tokenizer must read the text after a start tag.
enum Content {
    Markup,
    /// Raw text up to the element's end tag, into element `.0`; `.1`: decode references.
    Raw(u32, bool),
    /// The rest of the page is text, into element `.0`.
    Plaintext(u32),
}

#[derive(Clone, Copy, PartialEq)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

struct Builder<'a> {
    nodes: Vec<BNode<'a>>,
    attrs: Vec<Attribute<'a>>,
    stack: Vec<u32>,
    formatting: Vec<Formatting>,
    html: u32,
    head: u32,
    body: u32,
    form: u32,
    /// Open HTML elements of each [`tracked`] name: a scope check for a name with none
    /// open answers at once instead of walking a deep stack (200,000 `</h2>`s under 4,000
    /// `<div>`s took 20 s that way).
    open_counts: [u32; TRACKED],
    quirks: bool,
    seen_tag: bool,
    skip_newline: bool,
    elements: usize,
    refused: Option<Refused>,
}

pub fn build(src: &str) -> Result<Parsed<'_>, Refused> {
    let mut b = Builder::new();
    let mut tok = Tokenizer::new(src);
    while let Some(token) = tok.next_token() {
        if tok.too_many_attributes {
            return Err(Refused::TooManyAttributes);
        }
        if let Some(refused) = b.refused {
            return Err(refused);
        }
        let skip_newline = std::mem::take(&mut b.skip_newline);
        match token {
            Token::Text(mut text) => {
                if skip_newline {
                    text = without_leading_newline(text);
                }
                if !text.is_empty() {
                    b.text(text);
                }
            }
            Token::Comment => b.comment(),
            Token::Doctype(d) => {
                if !b.seen_tag {
                    b.quirks = quirks_doctype(d);
                    b.seen_tag = true;
                }
            }
            Token::Start { name, self_closing } => {
                if !b.seen_tag {
                    // No doctype before the first tag: the page is read in quirks mode.
                    b.quirks = true;
                    b.seen_tag = true;
                }
                let attrs = b.store_attrs(&mut tok.attrs);
                match b.start(name.clone(), attrs, self_closing) {
                    Content::Markup => {}
                    Content::Raw(el, decode) => {
                        let mut text = tok.raw_text(&name, decode);
                        if name == "textarea" {
                            text = without_leading_newline(text);
                        }
                        if !text.is_empty() {
                            b.append_text(el, NONE, text);
                        }
                    }
                    Content::Plaintext(el) => {
                        let text = tok.rest();
                        b.append_text(el, NONE, text);
                    }
                }
            }
            Token::End { name } => b.end(&name),
        }
    }
    if let Some(refused) = b.refused {
        return Err(refused);
    }
    Ok(b.flatten())
}

/// A newline right after `<pre>`, `<listing>` or `<textarea>` is not content.
fn without_leading_newline(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\n').unwrap_or(s)),
        Cow::Owned(s) => match s.strip_prefix('\n') {
            Some(rest) => Cow::Owned(rest.to_string()),
            None => Cow::Owned(s),
        },
    }
}

/// Whether a doctype puts the page in quirks mode (where a `<table>` does not close an
/// open `<p>`): old public identifiers, and HTML 4.01 transitional without a system id.
fn quirks_doctype(doctype: &str) -> bool {
    let d = doctype.to_ascii_lowercase();
    let words: Vec<&str> = d.split(['"', '\'']).collect();
    if !d.trim_start().starts_with("html") {
        return true;
    }
    if !d.contains("public") {
        return false;
    }
    let public = words.get(1).map_or("", |s| s.trim());
    let has_system = words.get(3).is_some_and(|s| !s.trim().is_empty());
    const OLD: [&str; 21] = [
        "-//w3c//dtd html 4.0 transitional",
        "-//w3c//dtd html 4.0 frameset",
        "-//w3c//dtd html 3",
        "-//w3c//dtd html 2",
        "-//w3c//dtd html experimental",
        "-//w3c//dtd w3 html",
        "-//ietf//",
        "-//w3o//",
        "-//netscape",
        "-//microsoft",
        "-//softquad",
        "-//sun microsystems",
        "-//o'reilly",
        "-//spyglass",
        "-//webtechs",
        "-//metrius",
        "-//as//",
        "-//advasoft",
        "-//sq//",
        "-//silmaril",
        "-//ms//",
    ];
    OLD.iter().any(|p| public.starts_with(p))
        || (!has_system
            && (public.starts_with("-//w3c//dtd html 4.01 transitional")
                || public.starts_with("-//w3c//dtd html 4.01 frameset")))
}

impl<'a> Builder<'a> {
    fn new() -> Builder<'a> {
        let mut b = Builder {
            nodes: Vec::new(),
            attrs: Vec::new(),
            stack: Vec::new(),
            formatting: Vec::new(),
            html: NONE,
            head: NONE,
            body: NONE,
            form: NONE,
            open_counts: [0; TRACKED],
            quirks: false,
            seen_tag: false,
            skip_newline: false,
            elements: 0,
            refused: None,
        };
        let doc = b.create(NodeData::Document);
        b.html = b.create_element("html".into(), 0..0, false);
        b.append(doc, b.html);
        b.head = b.create_element("head".into(), 0..0, false);
        b.append(b.html, b.head);
        b.stack.push(b.html);
        b.opened(b.html);
        b
    }

    // ---- the tree -------------------------------------------------------------------

    fn create(&mut self, data: NodeData<'a>) -> u32 {
        self.nodes.push(BNode {
            data,
            parent: NONE,
            first: NONE,
            last: NONE,
            next: NONE,
            prev: NONE,
            open: false,
            foreign: false,
        });
        (self.nodes.len() - 1) as u32
    }

    fn create_element(&mut self, name: Cow<'a, str>, attrs: Range<u32>, foreign: bool) -> u32 {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            self.refused = Some(Refused::TooManyElements);
        }
        let n = self.create(NodeData::Element { name, attrs });
        self.nodes[n as usize].foreign = foreign;
        n
    }

    fn store_attrs(&mut self, attrs: &mut Vec<Attribute<'a>>) -> Range<u32> {
        let start = self.attrs.len() as u32;
        self.attrs.append(attrs);
        start..self.attrs.len() as u32
    }

    fn detach(&mut self, n: u32) {
        let BNode { parent, prev, next, .. } = self.nodes[n as usize];
        if parent == NONE {
            return;
        }
        if prev == NONE {
            self.nodes[parent as usize].first = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NONE {
            self.nodes[parent as usize].last = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
        let node = &mut self.nodes[n as usize];
        node.parent = NONE;
        node.prev = NONE;
        node.next = NONE;
    }

    /// Puts `n` into `parent`, before `before` (or last when `before` is NONE).
    fn insert(&mut self, parent: u32, before: u32, n: u32) {
        self.detach(n);
        let prev = if before == NONE { self.nodes[parent as usize].last } else { self.nodes[before as usize].prev };
        {
            let node = &mut self.nodes[n as usize];
            node.parent = parent;
            node.prev = prev;
            node.next = before;
        }
        if prev == NONE {
            self.nodes[parent as usize].first = n;
        } else {
            self.nodes[prev as usize].next = n;
        }
        if before == NONE {
            self.nodes[parent as usize].last = n;
        } else {
            self.nodes[before as usize].prev = n;
        }
    }

    fn append(&mut self, parent: u32, n: u32) {
        self.insert(parent, NONE, n);
    }

    /// Text into `parent` before `before`, joined to a text node right before it.
    fn append_text(&mut self, parent: u32, before: u32, text: Cow<'a, str>) {
        let prev = if before == NONE { self.nodes[parent as usize].last } else { self.nodes[before as usize].prev };
        if prev != NONE {
            if let NodeData::Text(t) = &mut self.nodes[prev as usize].data {
                t.to_mut().push_str(&text);
                return;
            }
        }
        let n = self.create(NodeData::Text(text));
        self.insert(parent, before, n);
    }

    fn name(&self, n: u32) -> &str {
        match &self.nodes[n as usize].data {
            NodeData::Element { name, .. } => name,
            _ => "",
        }
    }

    fn is_html(&self, n: u32, name: &str) -> bool {
        !self.nodes[n as usize].foreign && self.name(n) == name
    }

    fn current(&self) -> u32 {
        *self.stack.last().unwrap_or(&self.html)
    }

    fn is_html_in(&self, n: u32, names: &[&str]) -> bool {
        !self.nodes[n as usize].foreign && names.contains(&self.name(n))
    }

    fn current_is(&self, names: &[&str]) -> bool {
        self.is_html_in(self.current(), names)
    }

    /// Whether the current node is a table part that cannot hold text or elements.
    fn current_is_table_part(&self) -> bool {
        let c = self.current();
        !self.nodes[c as usize].foreign && is_table_part(self.name(c))
    }

    /// Where a new node goes: into the current node, or before the table when the current
    /// node is a table part that cannot hold it ("foster parenting").
    fn place(&self) -> (u32, u32) {
        self.place_in(self.current())
    }

    fn place_in(&self, target: u32) -> (u32, u32) {
        if self.nodes[target as usize].foreign || !is_table_part(self.name(target)) {
            return (target, NONE);
        }
        let Some(ti) = self.stack.iter().rposition(|&n| self.is_html(n, "table")) else {
            return (target, NONE);
        };
        let table = self.stack[ti];
        let parent = self.nodes[table as usize].parent;
        if parent != NONE {
            (parent, table)
        } else {
            (self.stack[ti.saturating_sub(1)], NONE)
        }
    }

    fn insert_here(&mut self, name: Cow<'a, str>, attrs: Range<u32>, foreign: bool) -> u32 {
        let n = self.create_element(name, attrs, foreign);
        let (parent, before) = self.place();
        self.insert(parent, before, n);
        n
    }

    fn push(&mut self, n: u32) {
        if self.stack.len() >= MAX_NESTING {
            self.refused = Some(Refused::TooDeep);
        }
        self.opened(n);
        self.stack.push(n);
    }

    /// Marks `n` as on the stack of open elements.
    fn opened(&mut self, n: u32) {
        self.nodes[n as usize].open = true;
        if let Some(i) = self.tracked_index(n) {
            self.open_counts[i] += 1;
        }
    }

    /// Marks `n` as off the stack of open elements.
    fn closed(&mut self, n: u32) {
        self.nodes[n as usize].open = false;
        if let Some(i) = self.tracked_index(n) {
            self.open_counts[i] = self.open_counts[i].saturating_sub(1);
        }
    }

    fn tracked_index(&self, n: u32) -> Option<usize> {
        if self.nodes[n as usize].foreign {
            return None;
        }
        tracked(self.name(n))
    }

    /// Open HTML elements named `name` (a [`tracked`] name; others count as one).
    fn open_count(&self, name: &str) -> u32 {
        tracked(name).map_or(1, |i| self.open_counts[i])
    }

    fn insert_and_push(&mut self, name: Cow<'a, str>, attrs: Range<u32>) -> u32 {
        let n = self.insert_here(name, attrs, false);
        self.push(n);
        n
    }

    fn pop(&mut self) {
        let Some(n) = self.stack.pop() else { return };
        self.closed(n);
        if !self.nodes[n as usize].foreign {
            if let "td" | "th" | "caption" | "applet" | "marquee" | "object" | "template" = self.name(n) {
                self.clear_to_marker();
            }
        }
    }

    fn pop_to_len(&mut self, len: usize) {
        while self.stack.len() > len.max(1) {
            self.pop();
        }
    }

    /// Pops up to and including the nearest open HTML element named `name`.
    fn pop_until(&mut self, name: &str) {
        if let Some(i) = self.stack.iter().rposition(|&n| self.is_html(n, name)) {
            self.pop_to_len(i);
        }
    }

    fn pop_until_any(&mut self, names: &[&str]) {
        if let Some(i) = self.stack.iter().rposition(|&n| self.is_html_in(n, names)) {
            self.pop_to_len(i);
        }
    }

    fn in_scope(&self, name: &str, scope: Scope) -> bool {
        if self.open_count(name) == 0 {
            return false;
        }
        for &n in self.stack.iter().rev() {
            if self.is_html(n, name) {
                return true;
            }
            if self.is_boundary(n, scope) {
                return false;
            }
        }
        false
    }

    fn node_in_scope(&self, target: u32) -> bool {
        for &n in self.stack.iter().rev() {
            if n == target {
                return true;
            }
            if self.is_boundary(n, Scope::Default) {
                return false;
            }
        }
        false
    }

    fn is_boundary(&self, n: u32, scope: Scope) -> bool {
        let name = self.name(n);
        if self.nodes[n as usize].foreign {
            return scope != Scope::Table && is_integration_point(name);
        }
        match scope {
            Scope::Table => matches!(name, "html" | "table" | "template"),
            _ => {
                matches!(
                    name,
                    "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
                ) || (scope == Scope::ListItem && matches!(name, "ol" | "ul"))
                    || (scope == Scope::Button && name == "button")
            }
        }
    }

    fn is_special(&self, n: u32) -> bool {
        let name = self.name(n);
        if self.nodes[n as usize].foreign {
            is_integration_point(name)
        } else {
            is_special(name)
        }
    }

    fn generate_implied_end_tags(&mut self, except: &str) {
        while self.current_is(&["dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"])
            && self.name(self.current()) != except
        {
            self.pop();
        }
    }

    fn close_p(&mut self) {
        if self.in_scope("p", Scope::Button) {
            self.generate_implied_end_tags("p");
            self.pop_until("p");
        }
    }

    fn ensure_body(&mut self) {
        if self.body == NONE {
            self.body = self.create_element("body".into(), 0..0, false);
            self.append(self.html, self.body);
            self.pop_to_len(1);
            self.push(self.body);
        }
    }

    /// A later `<html>` or `<body>` tag adds the attributes the element lacks.
    fn merge_attrs(&mut self, n: u32, attrs: Range<u32>) {
        let NodeData::Element { attrs: own, .. } = &self.nodes[n as usize].data else { return };
        let own = own.clone();
        let mut merged: Vec<Attribute<'a>> = self.attrs[own.start as usize..own.end as usize].to_vec();
        for a in &self.attrs[attrs.start as usize..attrs.end as usize] {
            if !merged.iter().any(|(k, _)| *k == a.0) {
                merged.push(a.clone());
            }
        }
        let start = self.attrs.len() as u32;
        self.attrs.extend(merged);
        let end = self.attrs.len() as u32;
        if let NodeData::Element { attrs, .. } = &mut self.nodes[n as usize].data {
            *attrs = start..end;
        }
    }

    // ---- formatting elements ----------------------------------------------------------

    fn push_formatting(&mut self, n: u32) {
        let since_marker = self.formatting.iter().rposition(|f| *f == Formatting::Marker).map_or(0, |i| i + 1);
        // At most three identical ones are remembered (the earliest goes).
        let same: Vec<usize> = (since_marker..self.formatting.len())
            .filter(|&i| matches!(self.formatting[i], Formatting::Element(e) if self.same_element(e, n)))
            .collect();
        if same.len() >= 3 {
            self.formatting.remove(same[0]);
        }
        if self.formatting.len() - since_marker >= MAX_FORMATTING {
            self.formatting.remove(since_marker);
        }
        self.formatting.push(Formatting::Element(n));
    }

    fn same_element(&self, a: u32, b: u32) -> bool {
        let (NodeData::Element { name: na, attrs: aa }, NodeData::Element { name: nb, attrs: ab }) =
            (&self.nodes[a as usize].data, &self.nodes[b as usize].data)
        else {
            return false;
        };
        na == nb && self.attrs[aa.start as usize..aa.end as usize] == self.attrs[ab.start as usize..ab.end as usize]
    }

    fn clear_to_marker(&mut self) {
        while let Some(f) = self.formatting.pop() {
            if f == Formatting::Marker {
                break;
            }
        }
    }

    /// Where element `n` is in the list of formatting elements.
    fn formatting_index(&self, n: u32) -> Option<usize> {
        self.formatting.iter().position(|&f| f == Formatting::Element(n))
    }

    /// Takes element `n` off the stack of open elements wherever it is.
    fn remove_open(&mut self, n: u32) {
        if let Some(p) = self.stack.iter().position(|&x| x == n) {
            self.stack.remove(p);
            self.closed(n);
        }
    }

    /// The last formatting element named `name` after the last marker.
    fn formatting_named(&self, name: &str) -> Option<usize> {
        for i in (0..self.formatting.len()).rev() {
            match self.formatting[i] {
                Formatting::Marker => return None,
                Formatting::Element(e) if self.name(e) == name => return Some(i),
                _ => {}
            }
        }
        None
    }

    fn clone_element(&mut self, n: u32) -> u32 {
        let NodeData::Element { name, attrs } = &self.nodes[n as usize].data else { return n };
        let (name, attrs) = (name.clone(), attrs.clone());
        let start = self.attrs.len() as u32;
        self.attrs.extend_from_within(attrs.start as usize..attrs.end as usize);
        let end = self.attrs.len() as u32;
        self.create_element(name, start..end, false)
    }

    /// Reopens the formatting elements that were closed by a block but not by their own
    /// end tag (`<p><b>x<p>y`: "y" is bold too).
    fn reconstruct_formatting(&mut self) {
        let Some(&Formatting::Element(last)) = self.formatting.last() else { return };
        if self.nodes[last as usize].open {
            return;
        }
        let mut i = self.formatting.len() - 1;
        while i > 0 {
            match self.formatting[i - 1] {
                Formatting::Marker => break,
                Formatting::Element(e) if self.nodes[e as usize].open => break,
                _ => i -= 1,
            }
        }
        for j in i..self.formatting.len() {
            let Formatting::Element(e) = self.formatting[j] else { continue };
            let clone = self.clone_element(e);
            let (parent, before) = self.place();
            self.insert(parent, before, clone);
            self.push(clone);
            self.formatting[j] = Formatting::Element(clone);
        }
    }

    /// The end tag of a formatting element: closes it and re-nests what was misnested
    /// across it (`<b>1<p>2</b>3</p>` keeps "2" bold inside the paragraph, "3" in it).
    fn adoption_agency(&mut self, name: &str) {
        let c = self.current();
        if self.is_html(c, name) && self.formatting_index(c).is_none() {
            self.pop();
            return;
        }
        for _ in 0..8 {
            let Some(fi) = self.formatting_named(name) else {
                self.any_other_end(name);
                return;
            };
            let Formatting::Element(fe) = self.formatting[fi] else { return };
            let Some(si) = self.stack.iter().rposition(|&n| n == fe) else {
                self.formatting.remove(fi);
                return;
            };
            if !self.node_in_scope(fe) {
                return;
            }
            let Some(fb_at) = (si + 1..self.stack.len()).find(|&i| self.is_special(self.stack[i])) else {
                self.pop_to_len(si);
                if let Some(p) = self.formatting_index(fe) {
                    self.formatting.remove(p);
                }
                return;
            };
            let furthest = self.stack[fb_at];
            let common = self.stack[si - 1];
            let mut bookmark = fi;
            let mut last = furthest;
            let mut at = fb_at;
            let mut inner = 0;
            loop {
                inner += 1;
                at -= 1;
                let node = self.stack[at];
                if node == fe {
                    break;
                }
                let pos = self.formatting_index(node);
                // Past three rounds a formatting element is forgotten.
                if let Some(p) = pos.filter(|_| inner > 3) {
                    self.formatting.remove(p);
                    if p < bookmark {
                        bookmark -= 1;
                    }
                }
                // Not (or no longer) a formatting element: it just leaves the stack.
                let Some(p) = pos.filter(|_| inner <= 3) else {
                    self.stack.remove(at);
                    self.closed(node);
                    continue;
                };
                let clone = self.clone_element(node);
                self.formatting[p] = Formatting::Element(clone);
                self.stack[at] = clone;
                self.closed(node);
                self.opened(clone);
                if last == furthest {
                    bookmark = p + 1;
                }
                self.append(clone, last);
                last = clone;
            }
            let (parent, before) = self.place_in(common);
            self.insert(parent, before, last);
            let adopted = self.clone_element(fe);
            while self.nodes[furthest as usize].first != NONE {
                let child = self.nodes[furthest as usize].first;
                self.append(adopted, child);
            }
            self.append(furthest, adopted);
            if let Some(p) = self.formatting_index(fe) {
                self.formatting.remove(p);
                if p < bookmark {
                    bookmark -= 1;
                }
            }
            self.formatting.insert(bookmark.min(self.formatting.len()), Formatting::Element(adopted));
            self.remove_open(fe);
            let fb_pos = self.stack.iter().position(|&n| n == furthest).unwrap_or(self.stack.len() - 1);
            self.stack.insert(fb_pos + 1, adopted);
            self.opened(adopted);
        }
    }

    /// Still in the head: no body yet, and not inside a template.
    fn before_body(&self) -> bool {
        self.body == NONE && self.open_count("template") == 0
    }

    // ---- tokens -------------------------------------------------------------------------

    fn comment(&mut self) {
        let n = self.create(NodeData::Comment);
        let (parent, before) = if self.before_body() { (self.head, NONE) } else { self.place() };
        self.insert(parent, before, n);
    }

    fn text(&mut self, text: Cow<'a, str>) {
        let blank = text.bytes().all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r'));
        if self.before_body() {
            if blank {
                return;
            }
            self.ensure_body();
        }
        if blank && self.current_is_table_part() {
            let c = self.current();
            self.append_text(c, NONE, text);
            return;
        }
        if self.open_count("select") == 0 {
            self.reconstruct_formatting();
        }
        let (parent, before) = self.place();
        self.append_text(parent, before, text);
    }

    fn start(&mut self, name: Cow<'a, str>, attrs: Range<u32>, self_closing: bool) -> Content {
        if self.before_body() {
            match &*name {
                "html" => {
                    self.merge_attrs(self.html, attrs);
                    return Content::Markup;
                }
                "head" => {
                    self.merge_attrs(self.head, attrs);
                    return Content::Markup;
                }
                "body" => {
                    self.ensure_body();
                    self.merge_attrs(self.body, attrs);
                    return Content::Markup;
                }
                "base" | "basefont" | "bgsound" | "link" | "meta" => {
                    let n = self.create_element(name, attrs, false);
                    self.append(self.head, n);
                    return Content::Markup;
                }
                "title" | "style" | "script" | "noscript" | "noframes" => {
                    let decode = name == "title";
                    let n = self.create_element(name, attrs, false);
                    self.append(self.head, n);
                    return Content::Raw(n, decode);
                }
                "template" => {
                    let n = self.create_element(name, attrs, false);
                    self.append(self.head, n);
                    self.push(n);
                    self.formatting.push(Formatting::Marker);
                    return Content::Markup;
                }
                _ => self.ensure_body(),
            }
        }
        let c = self.current();
        if self.nodes[c as usize].foreign && !is_integration_point(self.name(c)) {
            if !breaks_out_of_foreign(&name, &self.attrs[attrs.start as usize..attrs.end as usize]) {
                let n = self.insert_here(name, attrs, true);
                if !self_closing {
                    self.push(n);
                }
                return Content::Markup;
            }
            while self.stack.len() > 1 {
                let c = self.current();
                if !self.nodes[c as usize].foreign || is_integration_point(self.name(c)) {
                    break;
                }
                self.pop();
            }
        }
        if self.open_count("select") > 0 {
            return self.start_in_select(name, attrs, self_closing);
        }
        match &*name {
            "caption" | "col" | "colgroup" | "tbody" | "td" | "tfoot" | "th" | "thead" | "tr" => {
                self.start_table_part(name, attrs);
            }
            "html" => self.merge_attrs(self.html, attrs),
            "body" => {
                let body = self.body;
                self.merge_attrs(body, attrs);
            }
            "head" | "frame" | "frameset" => {}
            "base" | "basefont" | "bgsound" | "link" | "meta" => {
                self.insert_here(name, attrs, false);
            }
            "script" | "style" => {
                let n = self.create_element(name, attrs, false);
                let c = self.current();
                self.append(c, n);
                return Content::Raw(n, false);
            }
            "title" | "textarea" => {
                let n = self.insert_here(name, attrs, false);
                return Content::Raw(n, true);
            }
            "noscript" | "noframes" | "noembed" | "iframe" | "xmp" => {
                if name == "xmp" {
                    self.close_p();
                }
                if matches!(&*name, "xmp" | "iframe") {
                    self.reconstruct_formatting();
                }
                let n = self.insert_here(name, attrs, false);
                return Content::Raw(n, false);
            }
            "plaintext" => {
                self.close_p();
                let n = self.insert_and_push(name, attrs);
                return Content::Plaintext(n);
            }
            "address" | "article" | "aside" | "blockquote" | "center" | "details" | "dialog" | "dir" | "div" | "dl"
            | "fieldset" | "figcaption" | "figure" | "footer" | "header" | "hgroup" | "main" | "menu" | "nav"
            | "ol" | "p" | "search" | "section" | "summary" | "ul" => {
                self.close_p();
                self.insert_and_push(name, attrs);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_p();
                if self.current_is(&["h1", "h2", "h3", "h4", "h5", "h6"]) {
                    self.pop();
                }
                self.insert_and_push(name, attrs);
            }
            "pre" | "listing" => {
                self.close_p();
                self.insert_and_push(name, attrs);
                self.skip_newline = true;
            }
            "form" => {
                if self.form == NONE {
                    self.close_p();
                    self.form = self.insert_and_push(name, attrs);
                }
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if name == "li" { &["li"] } else { &["dd", "dt"] };
                for i in (0..self.stack.len()).rev() {
                    let n = self.stack[i];
                    if self.is_html_in(n, closes) {
                        self.pop_to_len(i);
                        break;
                    }
                    if self.is_special(n) && !matches!(self.name(n), "address" | "div" | "p") {
                        break;
                    }
                }
                self.close_p();
                self.insert_and_push(name, attrs);
            }
            "button" => {
                if self.in_scope("button", Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until("button");
                }
                self.reconstruct_formatting();
                self.insert_and_push(name, attrs);
            }
            "a" => {
                if let Some(i) = self.formatting_named("a") {
                    let Formatting::Element(old) = self.formatting[i] else { return Content::Markup };
                    self.adoption_agency("a");
                    if let Some(p) = self.formatting_index(old) {
                        self.formatting.remove(p);
                    }
                    self.remove_open(old);
                }
                self.reconstruct_formatting();
                let n = self.insert_and_push(name, attrs);
                self.push_formatting(n);
            }
            "b" | "big" | "code" | "em" | "font" | "i" | "s" | "small" | "strike" | "strong" | "tt" | "u" | "nobr" => {
                self.reconstruct_formatting();
                if name == "nobr" && self.in_scope("nobr", Scope::Default) {
                    self.adoption_agency("nobr");
                    self.reconstruct_formatting();
                }
                let n = self.insert_and_push(name, attrs);
                self.push_formatting(n);
            }
            "applet" | "marquee" | "object" | "template" => {
                self.reconstruct_formatting();
                self.insert_and_push(name, attrs);
                self.formatting.push(Formatting::Marker);
            }
            "table" => {
                if self.current_is_table_part() {
                    // A table straight inside a table closes it.
                    if self.in_scope("table", Scope::Table) {
                        self.pop_until("table");
                    }
                } else if !self.quirks {
                    self.close_p();
                }
                self.insert_and_push(name, attrs);
            }
            "area" | "br" | "embed" | "img" | "image" | "keygen" | "wbr" | "input" => {
                self.reconstruct_formatting();
                let name = if name == "image" { Cow::Borrowed("img") } else { name };
                self.insert_here(name, attrs, false);
            }
            "param" | "source" | "track" => {
                self.insert_here(name, attrs, false);
            }
            "hr" => {
                self.close_p();
                self.insert_here(name, attrs, false);
            }
            "select" => {
                self.reconstruct_formatting();
                self.insert_and_push(name, attrs);
            }
            "optgroup" | "option" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                self.reconstruct_formatting();
                self.insert_and_push(name, attrs);
            }
            "rb" | "rtc" | "rp" | "rt" => {
                if self.in_scope("ruby", Scope::Default) {
                    let except = if matches!(&*name, "rp" | "rt") { "rtc" } else { "" };
                    self.generate_implied_end_tags(except);
                }
                self.insert_and_push(name, attrs);
            }
            "svg" | "math" => {
                self.reconstruct_formatting();
                let n = self.insert_here(name, attrs, true);
                if !self_closing {
                    self.push(n);
                }
            }
            _ => {
                self.reconstruct_formatting();
                self.insert_and_push(name, attrs);
            }
        }
        Content::Markup
    }

    fn start_in_select(&mut self, name: Cow<'a, str>, attrs: Range<u32>, self_closing: bool) -> Content {
        match &*name {
            "option" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                self.insert_and_push(name, attrs);
            }
            "optgroup" | "hr" => {
                if self.current_is(&["option"]) {
                    self.pop();
                }
                if self.current_is(&["optgroup"]) {
                    self.pop();
                }
                if name == "hr" {
                    self.insert_here(name, attrs, false);
                } else {
                    self.insert_and_push(name, attrs);
                }
            }
            "select" => self.pop_until("select"),
            "input" | "keygen" | "textarea" | "caption" | "table" | "tbody" | "tfoot" | "thead" | "tr" | "td"
            | "th" => {
                self.pop_until("select");
                return self.start(name, attrs, self_closing);
            }
            "script" | "template" => {
                let n = self.insert_here(name, attrs, false);
                return Content::Raw(n, false);
            }
            _ => {}
        }
        Content::Markup
    }

    /// Cells, rows and sections: close what they close and add the parts a table needs.
    fn start_table_part(&mut self, name: Cow<'a, str>, attrs: Range<u32>) {
        let Some(ti) = self.table_index() else { return };
        let above = |b: &Self, names: &[&str]| (ti + 1..b.stack.len()).rev().find(|&i| b.is_html_in(b.stack[i], names));
        match &*name {
            "td" | "th" | "tr" => {
                let row = if name == "tr" { None } else { above(self, &["tr"]) };
                if let Some(r) = row {
                    self.pop_to_len(r + 1);
                } else {
                    match above(self, &["tbody", "thead", "tfoot"]) {
                        Some(s) => self.pop_to_len(s + 1),
                        None => {
                            self.pop_to_len(ti + 1);
                            self.append_and_push("tbody".into(), 0..0);
                        }
                    }
                    if name != "tr" {
                        self.append_and_push("tr".into(), 0..0);
                    }
                }
                self.append_and_push(name.clone(), attrs);
                if name != "tr" {
                    self.formatting.push(Formatting::Marker);
                }
            }
            "tbody" | "thead" | "tfoot" | "colgroup" => {
                self.pop_to_len(ti + 1);
                self.append_and_push(name, attrs);
            }
            "caption" => {
                self.pop_to_len(ti + 1);
                self.append_and_push(name, attrs);
                self.formatting.push(Formatting::Marker);
            }
            _ => {
                // col
                self.pop_to_len(ti + 1);
                let n = self.create_element(name, attrs, false);
                let c = self.current();
                self.append(c, n);
            }
        }
    }

    fn append_and_push(&mut self, name: Cow<'a, str>, attrs: Range<u32>) {
        let n = self.create_element(name, attrs, false);
        let c = self.current();
        self.append(c, n);
        self.push(n);
    }

    /// The stack position of the open table in table scope.
    fn table_index(&self) -> Option<usize> {
        for i in (0..self.stack.len()).rev() {
            let n = self.stack[i];
            if self.nodes[n as usize].foreign {
                continue;
            }
            match self.name(n) {
                "table" => return Some(i),
                "html" | "template" => return None,
                _ => {}
            }
        }
        None
    }

    fn end(&mut self, name: &str) {
        if self.before_body() {
            match name {
                "body" | "html" | "br" => self.ensure_body(),
                _ => return,
            }
        }
        let c = self.current();
        if self.nodes[c as usize].foreign {
            for i in (1..self.stack.len()).rev() {
                let n = self.stack[i];
                if !self.nodes[n as usize].foreign {
                    break;
                }
                if self.name(n).eq_ignore_ascii_case(name) {
                    self.pop_to_len(i);
                    return;
                }
            }
        }
        if self.open_count("select") > 0 {
            match name {
                "select" => self.pop_until("select"),
                "option" if self.current_is(&["option"]) => self.pop(),
                "optgroup" => {
                    if self.current_is(&["option"]) && self.stack.len() > 1 {
                        let below = self.stack[self.stack.len() - 2];
                        if self.is_html(below, "optgroup") {
                            self.pop();
                        }
                    }
                    if self.current_is(&["optgroup"]) {
                        self.pop();
                    }
                }
                "caption" | "table" | "tbody" | "tfoot" | "thead" | "tr" | "td" | "th"
                    if self.in_scope(name, Scope::Table) =>
                {
                    self.pop_until("select");
                    self.end(name);
                }
                _ => {}
            }
            return;
        }
        match name {
            "body" | "html" | "col" | "select" => {}
            "address" | "article" | "aside" | "blockquote" | "button" | "center" | "details" | "dialog" | "dir"
            | "div" | "dl" | "fieldset" | "figcaption" | "figure" | "footer" | "header" | "hgroup" | "listing"
            | "main" | "menu" | "nav" | "ol" | "pre" | "search" | "section" | "summary" | "ul" | "applet"
            | "marquee" | "object" => {
                if self.in_scope(name, Scope::Default) {
                    self.generate_implied_end_tags("");
                    self.pop_until(name);
                }
            }
            "form" => {
                let form = std::mem::replace(&mut self.form, NONE);
                if form != NONE && self.node_in_scope(form) {
                    if let Some(i) = self.stack.iter().rposition(|&n| n == form) {
                        self.pop_to_len(i);
                    }
                }
            }
            "p" => {
                if !self.in_scope("p", Scope::Button) {
                    // A stray `</p>` makes an empty paragraph, as in browsers.
                    self.insert_here("p".into(), 0..0, false);
                    return;
                }
                self.close_p();
            }
            "li" => {
                if self.in_scope("li", Scope::ListItem) {
                    self.pop_until("li");
                }
            }
            "dd" | "dt" => {
                if self.in_scope(name, Scope::Default) {
                    self.pop_until(name);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
                if HEADINGS.iter().any(|h| self.in_scope(h, Scope::Default)) {
                    self.generate_implied_end_tags("");
                    self.pop_until_any(&HEADINGS);
                }
            }
            "a" | "b" | "big" | "code" | "em" | "font" | "i" | "nobr" | "s" | "small" | "strike" | "strong" | "tt"
            | "u" => self.adoption_agency(name),
            "br" => {
                self.reconstruct_formatting();
                self.insert_here("br".into(), 0..0, false);
            }
            "table" | "tbody" | "tfoot" | "thead" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                if self.in_scope(name, Scope::Table) {
                    self.pop_until(name);
                }
            }
            "template" => self.pop_until("template"),
            _ => self.any_other_end(name),
        }
    }

    fn any_other_end(&mut self, name: &str) {
        for i in (1..self.stack.len()).rev() {
            let n = self.stack[i];
            if self.is_html(n, name) {
                self.pop_to_len(i);
                return;
            }
            if self.is_special(n) {
                return;
            }
        }
    }

    // ---- output -----------------------------------------------------------------------

    /// The tree in pre-order: every subtree a contiguous range, walked without recursion.
    fn flatten(mut self) -> Parsed<'a> {
        let mut out: Vec<Node<'a>> = Vec::with_capacity(self.nodes.len());
        // Open ancestors of the next node: (index in `out`, builder node).
        let mut ancestors: Vec<(usize, u32)> = Vec::new();
        let mut cur = 0u32;
        loop {
            let ix = out.len();
            let data = std::mem::replace(&mut self.nodes[cur as usize].data, NodeData::Comment);
            out.push(Node { data, parent: ancestors.last().map(|a| a.0), end: ix + 1, depth: ancestors.len() as u32 });
            let first = self.nodes[cur as usize].first;
            if first != NONE {
                ancestors.push((ix, cur));
                cur = first;
                continue;
            }
            let mut n = cur;
            loop {
                let sibling = self.nodes[n as usize].next;
                if sibling != NONE && !ancestors.is_empty() {
                    cur = sibling;
                    break;
                }
                let Some((at, node)) = ancestors.pop() else {
                    return Parsed { nodes: out, attrs: self.attrs };
                };
                out[at].end = out.len();
                n = node;
            }
        }
    }
}

/// Table parts that cannot hold text or other elements: what goes there is put before
/// the table.
fn is_table_part(name: &str) -> bool {
    matches!(name, "table" | "tbody" | "thead" | "tfoot" | "tr")
}

/// Foreign elements whose content is read as HTML again.
fn is_integration_point(name: &str) -> bool {
    matches!(name, "foreignobject" | "desc" | "title" | "mi" | "mo" | "mn" | "ms" | "mtext" | "annotation-xml")
}

/// HTML start tags that end an `<svg>` or `<math>` they appear in (a page that forgot to
/// close its icon).
fn breaks_out_of_foreign(name: &str, attrs: &[Attribute]) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || (name == "font" && attrs.iter().any(|(k, _)| matches!(&**k, "color" | "face" | "size")))
}

/// The standard's "special" elements: the ones an unmatched end tag or a list item
/// cannot close across.
fn is_special(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "applet"
            | "area"
            | "article"
            | "aside"
            | "base"
            | "basefont"
            | "bgsound"
            | "blockquote"
            | "body"
            | "br"
            | "button"
            | "caption"
            | "center"
            | "col"
            | "colgroup"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "embed"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "frame"
            | "frameset"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "iframe"
            | "img"
            | "input"
            | "keygen"
            | "li"
            | "link"
            | "listing"
            | "main"
            | "marquee"
            | "menu"
            | "meta"
            | "nav"
            | "noembed"
            | "noframes"
            | "noscript"
            | "object"
            | "ol"
            | "p"
            | "param"
            | "plaintext"
            | "pre"
            | "script"
            | "search"
            | "section"
            | "select"
            | "source"
            | "style"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "template"
            | "textarea"
            | "tfoot"
            | "th"
            | "thead"
            | "title"
            | "tr"
            | "track"
            | "ul"
            | "wbr"
            | "xmp"
    )
}

/// How many names [`tracked`] knows.
const TRACKED: usize = 51;

/// Names whose open elements are counted ([`Builder::open_count`]): those the tree rules
/// look for in scope, and the modes (`select`, `template`).
fn tracked(name: &str) -> Option<usize> {
    Some(match name {
        "p" => 0,
        "li" => 1,
        "dd" => 2,
        "dt" => 3,
        "button" => 4,
        "h1" => 5,
        "h2" => 6,
        "h3" => 7,
        "h4" => 8,
        "h5" => 9,
        "h6" => 10,
        "ruby" => 11,
        "table" => 12,
        "tbody" => 13,
        "thead" => 14,
        "tfoot" => 15,
        "tr" => 16,
        "td" => 17,
        "th" => 18,
        "caption" => 19,
        "colgroup" => 20,
        "nobr" => 21,
        "select" => 22,
        "template" => 23,
        "address" => 24,
        "article" => 25,
        "aside" => 26,
        "blockquote" => 27,
        "center" => 28,
        "details" => 29,
        "dialog" => 30,
        "dir" => 31,
        "div" => 32,
        "dl" => 33,
        "fieldset" => 34,
        "figcaption" => 35,
        "figure" => 36,
        "footer" => 37,
        "header" => 38,
        "hgroup" => 39,
        "listing" => 40,
        "main" => 41,
        "menu" => 42,
        "nav" => 43,
        "ol" => 44,
        "pre" => 45,
        "search" => 46,
        "section" => 47,
        "summary" => 48,
        "ul" => 49,
        "object" => 50,
        _ => return None,
    })
}
