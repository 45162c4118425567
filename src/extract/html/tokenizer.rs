//! HTML tokenizer: source text → tags, text and comments, the way a browser reads them
//! (the WHATWG tokenizer's states, reduced to what the tree builder uses). Zero-copy:
//! names, values and text borrow the page unless a character reference, a capital
//! letter or a carriage return forces a copy. Must not build a tree or judge content.

use std::borrow::Cow;

/// One token. Attributes of a start tag are in [`Tokenizer::attrs`] until the next tag.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    Text(Cow<'a, str>),
    Start {
        name: Cow<'a, str>,
        self_closing: bool,
    },
    End {
        name: Cow<'a, str>,
    },
    Comment,
    /// The doctype's text after `<!doctype`, for the quirks-mode test.
    Doctype(&'a str),
}

pub type Attribute<'a> = (Cow<'a, str>, Cow<'a, str>);

pub struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// The attributes of the last start tag, first occurrence of each name only.
    pub attrs: Vec<Attribute<'a>>,
    /// Set when a tag carried more than [`super::MAX_ATTRIBUTES`]: reading stops there.
    pub too_many_attributes: bool,
}

impl<'a> Tokenizer<'a> {
    pub fn new(src: &'a str) -> Tokenizer<'a> {
        // A byte order mark is not text.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        Tokenizer { src, pos, attrs: Vec::new(), too_many_attributes: false }
    }

    /// The next token in the data state, `None` at the end of the page.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        let b = self.src.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return None;
        }
        // Text runs to the next `<` that opens markup; a `<` that opens nothing is text.
        let mut i = start;
        loop {
            let Some(off) = memchr::memchr(b'<', &b[i..]) else {
                self.pos = b.len();
                return Some(Token::Text(decode_text(&self.src[start..], false)));
            };
            let lt = i + off;
            if opens_markup(b, lt) {
                if lt > start {
                    self.pos = lt;
                    return Some(Token::Text(decode_text(&self.src[start..lt], false)));
                }
                break;
            }
            i = lt + 1;
        }
        self.markup()
    }

    /// At a `<` that opens markup (see [`opens_markup`]).
    fn markup(&mut self) -> Option<Token<'a>> {
        let b = self.src.as_bytes();
        let i = self.pos + 1;
        match b[i] {
            b'!' if b[i + 1..].starts_with(b"--") => {
                let body = i + 3;
                // `<!-->` and `<!--->` are empty comments.
                let end = if b[body..].starts_with(b">") {
                    body + 1
                } else if b[body..].starts_with(b"->") {
                    body + 2
                } else {
                    memmem(b, body, b"-->").map_or(b.len(), |e| e + 3)
                };
                self.pos = end;
                Some(Token::Comment)
            }
            b'!' => {
                let end = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e);
                self.pos = (end + 1).min(b.len());
                let inner = &self.src[i + 1..end];
                match inner.get(..7) {
                    Some(word) if word.eq_ignore_ascii_case("doctype") => Some(Token::Doctype(&inner[7..])),
                    _ => Some(Token::Comment),
                }
            }
            b'?' => {
                self.pos = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
                Some(Token::Comment)
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                // `</>` is dropped.
                self.pos = i + 2;
                self.next_token()
            }
            b'/' if b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) => {
                let (name, after) = self.tag_name(i + 1);
                self.pos = self.end_tag_rest(after)?;
                Some(Token::End { name })
            }
            b'/' => {
                // `</ 3>` and the like are bogus comments.
                self.pos = memchr::memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
                Some(Token::Comment)
            }
            _ => {
                let (name, after) = self.tag_name(i);
                self.attrs.clear();
                // A tag cut off by the end of the page is dropped, as browsers do.
                let (end, self_closing) = self.attributes(after)?;
                self.pos = end;
                Some(Token::Start { name, self_closing })
            }
        }
    }

    /// The rest of an end tag from `from`: the position after its `>` (`None` when the page
    /// ends inside it). End tags may carry attributes; they are read (a quoted `>` does not
    /// end the tag) and dropped, and the last start tag's attributes stay as they were.
    fn end_tag_rest(&mut self, from: usize) -> Option<usize> {
        let kept = std::mem::take(&mut self.attrs);
        let end = self.attributes(from);
        self.attrs = kept;
        end.map(|(e, _)| e)
    }

    /// A tag name from `at`: up to whitespace, `/` or `>`, lower-cased.
    fn tag_name(&self, at: usize) -> (Cow<'a, str>, usize) {
        let b = self.src.as_bytes();
        let len = b[at..].iter().take_while(|&&c| !is_space(c) && c != b'/' && c != b'>').count();
        (lower(&self.src[at..at + len]), at + len)
    }

    /// Attributes from `i` to the tag's `>`: the position after it and whether the tag
    /// closed itself (`/>`). `None` when the page ends inside the tag.
    fn attributes(&mut self, mut i: usize) -> Option<(usize, bool)> {
        let b = self.src.as_bytes();
        loop {
            let mut slash = false;
            while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
                slash = b[i] == b'/';
                i += 1;
            }
            match b.get(i) {
                None => return None,
                Some(b'>') => return Some((i + 1, slash)),
                _ => {}
            }
            // A name may start with `=`; it runs to space, `/`, `>` or `=`.
            let name_start = i;
            i += 1;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let name = &self.src[name_start..i];
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let mut value: Cow<'a, str> = Cow::Borrowed("");
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                match b.get(i) {
                    None => return None,
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = memchr::memchr(q, &b[i + 1..])? + i + 1;
                        value = decode_text(&self.src[i + 1..close], true);
                        i = close + 1;
                    }
                    Some(b'>') => {}
                    Some(_) => {
                        let s = i;
                        while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                        value = decode_text(&self.src[s..i], true);
                    }
                }
            }
            let name = lower(name);
            if !self.attrs.iter().any(|(n, _)| *n == name) {
                // Each new name is checked against the others, so their number is capped.
                if self.attrs.len() == super::MAX_ATTRIBUTES {
                    self.too_many_attributes = true;
                    return Some((i, false));
                }
                self.attrs.push((name, value));
            }
        }
    }

    /// The text of a raw-text element (`script`, `style`, `textarea`, `title`...) up to its
    /// end tag, which is consumed too. `decode` reads character references (RCDATA).
    pub fn raw_text(&mut self, name: &str, decode: bool) -> Cow<'a, str> {
        let b = self.src.as_bytes();
        let start = self.pos;
        let mut i = start;
        let end = loop {
            let Some(at) = memmem(b, i, b"</") else { break b.len() };
            let name_end = at + 2 + name.len();
            if b.get(at + 2..name_end).is_some_and(|w| w.eq_ignore_ascii_case(name.as_bytes()))
                && b.get(name_end).is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
            {
                break at;
            }
            i = at + 2;
        };
        let text = &self.src[start..end];
        self.pos = if end < b.len() { self.end_tag_rest(end + 2 + name.len()).unwrap_or(b.len()) } else { end };
        if decode {
            decode_text(text, false)
        } else {
            normalize_newlines(text)
        }
    }

    /// The rest of the page as text (after `<plaintext>`).
    pub fn rest(&mut self) -> Cow<'a, str> {
        let text = &self.src[self.pos..];
        self.pos = self.src.len();
        normalize_newlines(text)
    }
}

/// Whether the `<` at `lt` opens a tag, comment or declaration rather than being text.
fn opens_markup(b: &[u8], lt: usize) -> bool {
    match b.get(lt + 1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(b'!' | b'?') => true,
        Some(b'/') => b.get(lt + 2).is_some(),
        _ => false,
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn memmem(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p)
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase() || c == 0) {
        Cow::Owned(s.to_ascii_lowercase().replace('\0', "\u{fffd}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// CR LF and lone CR become LF, as the input stream does before tokenizing.
fn normalize_newlines(s: &str) -> Cow<'_, str> {
    if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Text with its character references decoded, newlines normalised and NUL dropped
/// (replaced in attribute values). In attributes, a named reference without `;` followed
/// by `=` or an alphanumeric stays literal (`?a=1&copy=2`).
pub fn decode_text(s: &str, in_attr: bool) -> Cow<'_, str> {
    let b = s.as_bytes();
    let Some(first) = memchr::memchr3(b'&', b'\r', b'\0', b) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut i = first;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'&' => {
                if let Some((len, chars)) = char_ref(&s[i + 1..], in_attr) {
                    out.push_str(&s[copied..i]);
                    out.extend(chars.into_iter().flatten());
                    i += 1 + len;
                    copied = i;
                    continue;
                }
            }
            b'\r' => {
                out.push_str(&s[copied..i]);
                out.push('\n');
                i += 1;
                if b.get(i) == Some(&b'\n') {
                    i += 1;
                }
                copied = i;
                continue;
            }
            b'\0' => {
                out.push_str(&s[copied..i]);
                if in_attr {
                    out.push('\u{fffd}');
                }
                i += 1;
                copied = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// A character reference after `&`: how many bytes it takes and its characters.
fn char_ref(s: &str, in_attr: bool) -> Option<(usize, [Option<char>; 2])> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let digits_at = if hex { 2 } else { 1 };
        let digits =
            b[digits_at..].iter().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
        if digits == 0 {
            return None;
        }
        let text = &s[digits_at..digits_at + digits];
        let code = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut len = digits_at + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((len, [Some(numeric_char(code)), None]));
    }
    // Nearly every reference is a whole name and `;` (`&amp;`, `&nbsp;`): one lookup,
    // and nothing longer can match past the `;`.
    let run = b.iter().take(40).take_while(|c| c.is_ascii_alphanumeric()).count();
    if run > 0 && b.get(run) == Some(&b';') {
        if let Some(&(a, b2)) = web_atoms::NAMED_ENTITIES.get(&s[..run + 1]) {
            if a != 0 {
                return Some((run + 1, [char::from_u32(a), char::from_u32(b2).filter(|_| b2 != 0)]));
            }
        }
    }
    // Otherwise the longest name in the table: every prefix of an entity is a key (mapping
    // to zero when it is no entity itself), so the walk stops at the first non-key.
    let mut best = None;
    let mut len = 0;
    while len < b.len() && len < 40 {
        let c = b[len];
        if !c.is_ascii_alphanumeric() && c != b';' {
            break;
        }
        len += 1;
        match web_atoms::NAMED_ENTITIES.get(&s[..len]) {
            None => break,
            Some(&(0, _)) => {}
            Some(&(a, b2)) => best = Some((len, a, b2)),
        }
        if c == b';' {
            break;
        }
    }
    let (len, a, b2) = best?;
    if in_attr && b[len - 1] != b';' && b.get(len).is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric()) {
        return None;
    }
    Some((len, [char::from_u32(a), char::from_u32(b2).filter(|_| b2 != 0)]))
}

/// A numeric reference's character: C1 controls read as windows-1252 (what the pages
/// meant), NUL, surrogates and out-of-range codes as U+FFFD.
fn numeric_char(code: u32) -> char {
    const C1: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let code = if (0x80..0xA0).contains(&code) { C1[(code - 0x80) as usize] } else { code };
    if code == 0 {
        return '\u{fffd}';
    }
    char::from_u32(code).unwrap_or('\u{fffd}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Vec<String> {
        let mut t = Tokenizer::new(src);
        let mut out = Vec::new();
        while let Some(tok) = t.next_token() {
            out.push(match tok {
                Token::Text(s) => format!("T:{s}"),
                Token::Start { name, self_closing } => {
                    let attrs: Vec<String> = t.attrs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    format!(
                        "S:{name}{}{}",
                        if attrs.is_empty() { String::new() } else { format!("[{}]", attrs.join(",")) },
                        if self_closing { "/" } else { "" }
                    )
                }
                Token::End { name } => format!("E:{name}"),
                Token::Comment => "C".into(),
                Token::Doctype(d) => format!("D:{}", d.trim()),
            });
        }
        out
    }

    #[test]
    fn reads_tags_attributes_and_text() {
        assert_eq!(
            tokens("<!DOCTYPE html><P Class=\"a > b\" id=x data-y='1' checked>Hi &amp; bye</p>"),
            ["D:html", "S:p[class=a > b,id=x,data-y=1,checked=]", "T:Hi & bye", "E:p"]
        );
        assert_eq!(tokens("a < b <3 </> c"), ["T:a < b <3 ", "T: c"]);
        assert_eq!(tokens("<br/><img src=x alt=y/>"), ["S:br/", "S:img[src=x,alt=y/]"]);
        assert_eq!(tokens("<!-- <b> --><!--->x<?xml v?></ 3>y"), ["C", "C", "T:x", "C", "C", "T:y"]);
        assert_eq!(tokens("<a href=1 href=2>"), ["S:a[href=1]"]);
        // A tag cut off by the end of the page is dropped.
        assert_eq!(tokens("text<div class=\"x"), ["T:text"]);
    }

    #[test]
    fn decodes_character_references() {
        assert_eq!(decode_text("&lt;&#62;&#x41;&nbsp;&notit; &amp", false), "<>A\u{a0}¬it; &");
        assert_eq!(decode_text("&#150;&#0;&#xD800;&bogus;", false), "–\u{fffd}\u{fffd}&bogus;");
        assert_eq!(decode_text("?a=1&copy=2&amp;b", true), "?a=1&copy=2&b");
        assert_eq!(decode_text("a\r\nb\rc", false), "a\nb\nc");
    }

    #[test]
    fn raw_text_runs_to_its_own_end_tag() {
        let mut t = Tokenizer::new("<script>if (a</b) x = '</scripty>';</SCRIPT >after");
        assert!(matches!(t.next_token(), Some(Token::Start { .. })));
        assert_eq!(t.raw_text("script", false), "if (a</b) x = '</scripty>';");
        assert_eq!(t.next_token(), Some(Token::Text("after".into())));
    }
}
