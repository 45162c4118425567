//! The boilerplate/content vocabulary (`hints.toml`) as a typed, pre-indexed structure.
//! Owns loading and merging the vocabulary and classifying one element by it; the
//! algorithms that use the verdicts live in content.rs and metadata.rs.

// Fx hashing: the keys are short tag names and class tokens, looked up for every element
// of every page, where SipHash's flood resistance buys nothing and cost 3% of indexing.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::AhoCorasick;
use serde::Deserialize;

use super::dom::{contains_ascii_ci, Dom, NodeIx};

const BUILT_IN: &str = include_str!("hints.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct HintsFile {
    #[serde(default)]
    site_tags: Vec<String>,
    #[serde(default)]
    furniture_tags: Vec<String>,
    #[serde(default)]
    site_parts: Vec<String>,
    #[serde(default)]
    site_phrases: Vec<String>,
    #[serde(default)]
    thread_parts: Vec<String>,
    #[serde(default)]
    kicker_parts: Vec<String>,
    #[serde(default)]
    furniture_parts: Vec<String>,
    #[serde(default)]
    furniture_tokens: Vec<String>,
    #[serde(default)]
    content_tokens: Vec<String>,
    #[serde(default)]
    site_roles: Vec<String>,
    #[serde(default)]
    byline_parts: Vec<String>,
    #[serde(default)]
    taxonomy_section_paths: Vec<String>,
    #[serde(default)]
    taxonomy_tag_paths: Vec<String>,
    #[serde(default)]
    label_lines: Vec<String>,
    #[serde(default)]
    end_markers: Vec<String>,
    #[serde(default)]
    tail_markers: Vec<String>,
    #[serde(default)]
    not_published_words: Vec<String>,
    #[serde(default)]
    legal_phrases: Vec<String>,
    #[serde(default)]
    credit_labels: Vec<String>,
    #[serde(default)]
    cta_actions: Vec<String>,
    #[serde(default)]
    cta_channels: Vec<String>,
    #[serde(default)]
    byline_labels: Vec<String>,
    #[serde(default)]
    not_author_names: Vec<String>,
}

/// A call to action is a line or two; a longer paragraph naming an app is prose.
const MAX_CTA_CHARS: usize = 220;

/// "Follow him/her/me": a person's handle, not the site's channel.
const PERSONS: &[&str] = &["him", "her", "me", "them", "ihm", "ihr", "mir", "ihnen", "lui", "moi"];

/// What an element is, judged by its own tag and attributes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Menus, sidebars, related lists, comments, ads: neither body nor metadata.
    Site,
    /// The article's own trimmings (title block, byline, tags, captions): metadata only.
    Furniture,
    /// Marked as the article text container.
    Content,
    Neutral,
}

#[derive(Debug, Clone)]
pub struct Hints {
    site_tags: HashSet<String>,
    furniture_tags: HashSet<String>,
    site_parts: HashSet<String>,
    site_phrases: Vec<String>,
    thread_parts: HashSet<String>,
    kicker_parts: HashSet<String>,
    /// All of `site_phrases` in one automaton: every distinct class token of every page is
    /// searched for them.
    site_phrase_matcher: AhoCorasick,
    furniture_parts: HashSet<String>,
    furniture_tokens: HashSet<String>,
    content_tokens: HashSet<String>,
    site_roles: HashSet<String>,
    byline_parts: HashSet<String>,
    taxonomy_section_paths: HashSet<String>,
    taxonomy_tag_paths: HashSet<String>,
    pub label_lines: Vec<String>,
    end_markers: HashSet<String>,
    tail_markers: HashSet<String>,
    pub not_published_words: Vec<String>,
    legal_phrases: Vec<String>,
    credit_labels: Vec<String>,
    /// Calls to action: folded words or word pairs, each set needed once.
    cta_actions: HashSet<String>,
    cta_channels: HashSet<String>,
    /// Words that introduce an author's name, lower case, longest first (so "written by"
    /// is tried before "by").
    pub byline_labels: Vec<String>,
    /// Values written where a name belongs that name nobody, folded.
    not_author_names: HashSet<String>,
    /// `legal_phrases` in one automaton, ASCII letters matched in either case.
    legal_matcher: AhoCorasick,
}

/// Lower-cased phrases without repeats, longest first.
fn longest_first(phrases: Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = phrases.into_iter().map(|s| s.to_lowercase()).collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    v.dedup();
    v
}

/// One automaton finding any of `phrases` inside a text, optionally ignoring the case of
/// ASCII letters (for lower-case phrases).
fn matcher(phrases: &[String], ascii_case_insensitive: bool) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(ascii_case_insensitive)
        .build(phrases)
        .expect("a few hundred short phrases fit an automaton")
}

impl Default for Hints {
    fn default() -> Self {
        Hints::from_toml(BUILT_IN).expect("built-in hints.toml is valid")
    }
}

impl Hints {
    /// Parses a hints file. Used for the built-in file and for user additions.
    pub fn from_toml(text: &str) -> Result<Hints, toml::de::Error> {
        let f: HintsFile = toml::from_str(text)?;
        let set = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect::<HashSet<_>>();
        let site_phrases: Vec<String> = f.site_phrases.into_iter().map(|s| s.to_lowercase()).collect();
        let legal_phrases: Vec<String> = f.legal_phrases.into_iter().map(|s| s.to_lowercase()).collect();
        Ok(Hints {
            legal_matcher: matcher(&legal_phrases, true),
            site_phrase_matcher: matcher(&site_phrases, false),
            site_tags: set(f.site_tags),
            furniture_tags: set(f.furniture_tags),
            site_parts: set(f.site_parts),
            site_phrases,
            thread_parts: set(f.thread_parts),
            kicker_parts: set(f.kicker_parts),
            furniture_parts: set(f.furniture_parts),
            furniture_tokens: set(f.furniture_tokens),
            content_tokens: set(f.content_tokens),
            site_roles: set(f.site_roles),
            byline_parts: set(f.byline_parts),
            taxonomy_section_paths: set(f.taxonomy_section_paths),
            taxonomy_tag_paths: set(f.taxonomy_tag_paths),
            label_lines: f.label_lines.into_iter().map(|s| s.to_lowercase()).collect(),
            end_markers: f.end_markers.iter().map(|s| marker_key(s)).collect(),
            tail_markers: f.tail_markers.iter().map(|s| marker_key(s)).collect(),
            not_published_words: f.not_published_words.into_iter().map(|s| s.to_lowercase()).collect(),
            legal_phrases,
            credit_labels: f.credit_labels.into_iter().map(|s| s.to_lowercase()).collect(),
            cta_actions: f.cta_actions.iter().map(|s| crate::extract::content::fold_key(s)).collect(),
            cta_channels: f.cta_channels.iter().map(|s| crate::extract::content::fold_key(s)).collect(),
            byline_labels: longest_first(f.byline_labels),
            not_author_names: f.not_author_names.iter().map(|s| crate::extract::content::fold_key(s)).collect(),
        })
    }

    /// Adds a user's vocabulary to this one.
    pub fn merge(&mut self, other: Hints) {
        self.site_tags.extend(other.site_tags);
        self.furniture_tags.extend(other.furniture_tags);
        self.site_parts.extend(other.site_parts);
        self.site_phrases.extend(other.site_phrases);
        self.site_phrase_matcher = matcher(&self.site_phrases, false);
        self.thread_parts.extend(other.thread_parts);
        self.kicker_parts.extend(other.kicker_parts);
        self.furniture_parts.extend(other.furniture_parts);
        self.furniture_tokens.extend(other.furniture_tokens);
        self.content_tokens.extend(other.content_tokens);
        self.site_roles.extend(other.site_roles);
        self.byline_parts.extend(other.byline_parts);
        self.taxonomy_section_paths.extend(other.taxonomy_section_paths);
        self.taxonomy_tag_paths.extend(other.taxonomy_tag_paths);
        self.label_lines.extend(other.label_lines);
        self.end_markers.extend(other.end_markers);
        self.tail_markers.extend(other.tail_markers);
        self.not_published_words.extend(other.not_published_words);
        self.legal_phrases.extend(other.legal_phrases);
        self.legal_matcher = matcher(&self.legal_phrases, true);
        self.credit_labels.extend(other.credit_labels);
        self.cta_actions.extend(other.cta_actions);
        self.cta_channels.extend(other.cta_channels);
        self.byline_labels.extend(other.byline_labels);
        self.byline_labels = longest_first(std::mem::take(&mut self.byline_labels));
        self.not_author_names.extend(other.not_author_names);
    }

    /// Whether a cleaned author value names nobody ("Author", "No author").
    pub fn is_not_author_name(&self, name: &str) -> bool {
        self.not_author_names.contains(&crate::extract::content::fold_key(name))
    }

    /// Whether a short line asks the reader to subscribe, follow or download: one of
    /// `cta_actions` and one of `cta_channels`, as words or word pairs, in one sentence.
    /// "Follow him on Twitter" closes an author's bio, which is the article's.
    pub fn is_call_to_action(&self, text: &str) -> bool {
        if text.chars().count() > MAX_CTA_CHARS {
            return false;
        }
        text.split_inclusive(['.', '!', '?']).any(|sentence| {
            let words: Vec<String> = crate::extract::content::folded_words(sentence).collect();
            let at = |set: &HashSet<String>| {
                words.iter().enumerate().position(|(i, w)| {
                    set.contains(w.as_str())
                        || words.get(i + 1).is_some_and(|next| set.contains(&format!("{w} {next}")))
                })
            };
            let Some(action) = at(&self.cta_actions) else { return false };
            let person = words.get(action + 1).is_some_and(|w| PERSONS.contains(&w.as_str()));
            !person && at(&self.cta_channels).is_some()
        })
    }

    /// Whether a short line credits a picture: "© AFP / Marco Bertorello", "(Foto: Getty)",
    /// "Roman Prymula, photo: Archives", "Photograph by Ed Marshall": a `©`, or one of
    /// `credit_labels` followed by ":" or " by" at the start of the line or of one of its
    /// parts (after "(", "|", "," or ".").
    pub fn is_credit_line(&self, text: &str) -> bool {
        if text.chars().count() > MAX_CREDIT_CHARS {
            return false;
        }
        if text.contains('©') {
            return true;
        }
        let lower = text.to_lowercase();
        lower.split(['(', '|', ',', '.']).map(str::trim_start).any(|part| {
            self.credit_labels.iter().any(|label| {
                part.strip_prefix(label.as_str())
                    .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(" :") || rest.starts_with(" by "))
            })
        })
    }

    /// Whether a text (a short one: small print is a line or two) is legal small print
    /// ("© 1999 … All rights reserved").
    pub fn is_legal(&self, text: &str) -> bool {
        if text.len() > 400 || text.len() < 10 {
            return false;
        }
        // The phrases are lower case: on ASCII text, matching ASCII letters in either case
        // is lower-casing the text and searching it; other text is lower-cased first.
        if text.is_ascii() {
            self.legal_matcher.is_match(text)
        } else {
            self.legal_matcher.is_match(&text.to_lowercase())
        }
    }

    /// Whether an element's class/id marks it as holding the byline. Tokens repeat across
    /// a page, so each distinct one is judged once (`seen` holds the verdicts so far).
    pub fn is_byline<'d>(&self, dom: &'d Dom, ix: NodeIx, seen: &mut HashMap<&'d str, bool>) -> bool {
        dom.class_id_raw(ix).any(|raw| {
            *seen.entry(raw).or_insert_with(|| {
                token_parts(&raw.to_ascii_lowercase()).iter().any(|p| self.byline_parts.contains(p.as_str()))
            })
        })
    }

    /// Whether a link points into the site's taxonomy, and as what: `/category/news/` is a
    /// section, `/tag/usa`, `/topics/oil` or `/archive/places/usa.htm` a tag.
    pub fn taxonomy_source(&self, href: &str) -> Option<super::metadata::LabelSource> {
        use super::metadata::LabelSource;
        let path = href.split(['?', '#']).next()?;
        let path = path.split_once("://").map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
        let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_lowercase).collect();
        // The taxonomy word must be followed by the term itself.
        let parents = &segments[..segments.len().saturating_sub(1)];
        if parents.iter().any(|s| self.taxonomy_section_paths.contains(s)) {
            Some(LabelSource::Section)
        } else if parents.iter().any(|s| self.taxonomy_tag_paths.contains(s)) {
            Some(LabelSource::Tag)
        } else {
            None
        }
    }

    /// Whether a short block announces the comment thread that ends the article.
    pub fn is_end_marker(&self, text: &str) -> bool {
        text.chars().count() <= 40 && self.end_markers.contains(&marker_key(text))
    }

    /// Whether a line is a heading that, late in an article, starts what follows it
    /// ("Related articles", "Lesen Sie auch", "Share this article").
    pub fn is_tail_marker(&self, text: &str) -> bool {
        if text.chars().count() > 50 {
            return false;
        }
        let key = marker_key(text);
        // A marker of three or more words also starts a longer line: "Lesen Sie auch die
        // folgenden Beiträge", "You may also like these". Shorter ones do not: "Read more
        // posts about Osaka" points into the article, "Recommended dose: 5 mg" is in it.
        self.tail_markers.contains(&key) || self.tail_marker_opens(&key, 3)
    }

    /// Whether a line opens with a tail marker of two or more words, whatever follows:
    /// "Related articles from the Trash Talk blog:" announces other stories.
    pub fn opens_with_tail_marker(&self, text: &str) -> bool {
        self.tail_marker_opens(&marker_key(text), 2)
    }

    /// Whether the first `min_words` or more words of a marker key are a tail marker.
    fn tail_marker_opens(&self, key: &str, min_words: usize) -> bool {
        let words: Vec<&str> = key.split(' ').collect();
        (min_words..=words.len()).any(|n| self.tail_markers.contains(&words[..n].join(" ")))
    }

    /// Whether an element's class or id names it a tag list ("tags", "keywords", ...: the
    /// whole-token furniture names), whatever its role.
    pub fn is_tag_list(&self, dom: &Dom, ix: NodeIx) -> bool {
        dom.class_id_raw(ix).any(|t| t.len() <= 20 && self.furniture_tokens.contains(&t.to_ascii_lowercase()))
    }

    /// Whether a tag is site chrome by itself, whatever it contains.
    pub fn is_site_tag(&self, tag: Option<&str>) -> bool {
        tag.is_some_and(|t| self.site_tags.contains(t))
    }

    /// Classifies every element of a page, in arena order. Class and id tokens repeat
    /// across a page (every menu item carries the same classes), so each distinct token
    /// is judged once per page: judging is substring and part matching against the whole
    /// vocabulary, and was a fifth of extraction's instructions when done per element.
    /// Inside code (`<pre>`, `<code>`), class names are a syntax highlighter's
    /// (`hljs-comment`, `token comment`) and say nothing about the page: ignored there.
    pub fn roles(&self, dom: &Dom) -> Vec<Role> {
        self.roles_reading(dom, Tokens::All)
    }

    /// Roles from tags, ARIA roles, visibility and itemprop only, class and id tokens
    /// ignored (with `keep_threads`, all but those naming a comment thread: `thread_parts`):
    /// the second opinion when the tokens zoned out nearly all of a page's text.
    pub fn structural_roles(&self, dom: &Dom, keep_threads: bool) -> Vec<Role> {
        self.roles_reading(dom, if keep_threads { Tokens::Thread } else { Tokens::None })
    }

    /// Every element's role, reading `tokens` of its class and id (none inside code).
    fn roles_reading(&self, dom: &Dom, tokens: Tokens) -> Vec<Role> {
        let mut verdicts: HashMap<&str, TokenVerdict> = HashMap::default();
        let in_code = inside_code(dom);
        (0..dom.len())
            .map(|ix| self.role_with(dom, ix, &mut verdicts, if in_code[ix] { Tokens::None } else { tokens }))
            .collect()
    }

    /// Classifies one element by its tag, class, id, role and visibility attributes.
    pub fn role(&self, dom: &Dom, ix: NodeIx) -> Role {
        self.role_with(dom, ix, &mut HashMap::default(), Tokens::All)
    }

    /// Whether an element's class or id names a kicker, the topic line set over a
    /// headline (`kicker_parts`: "dachzeile", "roofline", "article-heading__kicker").
    pub fn names_kicker(&self, dom: &Dom, ix: NodeIx) -> bool {
        dom.class_id_raw(ix).any(|raw| token_parts(raw).iter().any(|p| self.kicker_parts.contains(p.as_str())))
    }

    /// Whether an element's class or id names a reader comment thread (`thread_parts`).
    pub fn names_thread(&self, dom: &Dom, ix: NodeIx) -> bool {
        dom.class_id_raw(ix).any(|raw| self.token_verdict(raw).thread)
    }

    /// What one class or id token says, whatever element carries it.
    fn token_verdict(&self, raw: &str) -> TokenVerdict {
        let token = raw.to_ascii_lowercase();
        let mut v = TokenVerdict {
            content: self.content_tokens.contains(&token),
            furniture: self.furniture_tokens.contains(&token),
            site: self.site_phrase_matcher.is_match(&token),
            thread: false,
        };
        let parts = token_parts(raw);
        // Long compound names ("hs_cos_wrapper_meta_field") say little about the role.
        if parts.len() <= MAX_HINT_PARTS {
            for part in parts {
                v.thread |= self.thread_parts.contains(part.as_str());
                if self.site_parts.contains(part.as_str()) {
                    v.site = true;
                } else if self.furniture_parts.contains(part.as_str()) {
                    v.furniture = true;
                }
            }
        }
        v
    }

    fn role_with<'d>(
        &self,
        dom: &'d Dom,
        ix: NodeIx,
        verdicts: &mut HashMap<&'d str, TokenVerdict>,
        tokens: Tokens,
    ) -> Role {
        let Some(tag) = dom.tag(ix) else {
            return Role::Neutral;
        };
        if self.site_tags.contains(tag) {
            return Role::Site;
        }
        // One pass over the element's attributes (names are unique, the first one kept).
        let (mut hidden, mut style, mut role, mut itemprop, mut class, mut id) = (false, None, None, None, "", "");
        let mut until_found = false;
        for (name, value) in dom.attrs(ix) {
            match &**name {
                "hidden" => {
                    hidden = true;
                    until_found = value.eq_ignore_ascii_case("until-found");
                }
                "aria-hidden" => hidden |= value == "true",
                "style" => style = Some(&**value),
                "role" => role = Some(&**value),
                "itemprop" => itemprop = Some(&**value),
                "class" => class = value,
                "id" => id = value,
                _ => {}
            }
        }
        // The folded panels of an accordion or tabs are hidden until the reader opens them,
        // and are the page's text as much as the open one.
        let panel = until_found
            || role.is_some_and(|r| r.eq_ignore_ascii_case("region") || r.eq_ignore_ascii_case("tabpanel"))
            || contains_ascii_ci(class, "accordion")
            || contains_ascii_ci(class, "collapse")
            || is_streamed_chunk(id);
        if hidden && !panel {
            return Role::Site;
        }
        if let Some(style) = style.filter(|_| !panel) {
            let style: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return Role::Site;
            }
        }
        if let Some(role) = role {
            if self.site_roles.contains(&role.to_ascii_lowercase()) {
                return Role::Site;
            }
            if role.eq_ignore_ascii_case("main") || role.eq_ignore_ascii_case("article") {
                return Role::Content;
            }
        }
        if itemprop.is_some_and(|p| p.eq_ignore_ascii_case("articleBody")) {
            return Role::Content;
        }
        let mut furniture = self.furniture_tags.contains(tag);
        let mut site = false;
        let raws = class.split_ascii_whitespace().chain(id.split_ascii_whitespace()).filter(|_| tokens != Tokens::None);
        for raw in raws {
            let v = *verdicts.entry(raw).or_insert_with(|| self.token_verdict(raw));
            if tokens == Tokens::Thread {
                // The structural retry reads one verdict only: a comment thread's name
                // (`commentlist`, `li-comment-7`), as comments are the text a page most
                // often has more of than its article.
                if v.thread {
                    return Role::Site;
                }
                continue;
            }
            if v.content {
                return Role::Content;
            }
            furniture |= v.furniture;
            site |= v.site;
        }
        if site {
            Role::Site
        } else if furniture {
            Role::Furniture
        } else {
            Role::Neutral
        }
    }
}

/// A page's roles (from [`Hints::roles`]) with the article's furniture read as text, the
/// page footer's excepted: the third opinion when a page's reading found next to nothing,
/// as its text may all sit in elements that mark furniture in an article (teasers each in
/// a `<header>`, product cards in `<figure>`s).
pub fn roles_with_furniture_as_text(dom: &Dom, roles: &[Role]) -> Vec<Role> {
    roles
        .iter()
        .enumerate()
        .map(|(i, &role)| if role == Role::Furniture && dom.tag(i) != Some("footer") { Role::Neutral } else { role })
        .collect()
}

/// Which class and id tokens an element's role is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tokens {
    All,
    /// Only those naming a comment thread.
    Thread,
    None,
}

/// A picture credit is a line of at most this many characters.
const MAX_CREDIT_CHARS: usize = 100;

/// Class names made of more parts than this are not matched part by part.
const MAX_HINT_PARTS: usize = 3;

/// Letters only, lower case, single spaces: "Readers’ comments (2)" → "readers comments".
fn marker_key(s: &str) -> String {
    s.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && *w != "s")
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a class or id token says about the element carrying it.
#[derive(Debug, Clone, Copy)]
struct TokenVerdict {
    content: bool,
    furniture: bool,
    site: bool,
    /// A part names a reader comment thread (`thread_parts`).
    thread: bool,
}

/// Splits a class token into lower-case parts on `-`, `_`, `:` and camelCase boundaries.
fn token_parts(token: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in token.chars() {
        if c == '-' || c == '_' || c == ':' || c == '.' {
            if !cur.is_empty() {
                parts.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            parts.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Per element, whether it lies inside a `<pre>` or `<code>` element (not counting itself).
fn inside_code(dom: &Dom) -> Vec<bool> {
    let mut out = vec![false; dom.len()];
    for ix in 0..dom.len() {
        if let Some(p) = dom.nodes[ix].parent {
            out[ix] = out[p] || matches!(dom.tag(p), Some("pre" | "code"));
        }
    }
    out
}

/// Whether an element id names a chunk of a page streamed in parts (React's `<div hidden
/// id="S:1">`, which a script moves into the page once it arrives): the page's text,
/// shown as soon as the browser runs the script.
fn is_streamed_chunk(id: &str) -> bool {
    id.strip_prefix("S:").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dom::parse;

    #[test]
    fn tail_markers_of_three_words_start_longer_lines() {
        let h = Hints::default();
        assert!(h.is_tail_marker("Lesen Sie auch die folgenden Beiträge:"));
        assert!(h.is_tail_marker("Related articles"));
        assert!(!h.is_tail_marker("Related articles by the same author of this blog, in order"));
        assert!(!h.is_tail_marker("Read more posts related to Osaka"));
        assert!(!h.is_tail_marker("Recommended dose: 5 mg"));
        // Related-article and rating lines of German news sites, and the comment form's
        // heading, in their usual wording.
        assert!(h.is_tail_marker("Sie könnten auch interessiert sein an:"));
        assert!(h.is_tail_marker("Das Thema könnte dich auch interessieren:"));
        assert!(h.is_tail_marker("Wie bewerten Sie diesen Artikel?"));
        assert!(h.is_end_marker("Schreibe einen Kommentar"));
        assert!(!h.is_tail_marker("Sie könnten"));
    }

    #[test]
    fn calls_to_action_are_told_from_prose() {
        let h = Hints::default();
        for cta in [
            "Subscribe now to our print edition for the full story.",
            "For breaking news on the go, download the Daily Courier apps for iOS and Android.",
            "Síguenos en Telegram, Instagram y Facebook",
            "Kostenlos zum Newsletter anmelden!",
            "Our reporting is free. Follow us on Twitter @courier.",
        ] {
            assert!(h.is_call_to_action(cta), "{cta}");
        }
        for prose in [
            "He will join the board next year, the company said.",
            "The app has a million users in Ghana.",
            "Jo Marsh covers trade. Follow her on Twitter @jomarsh.",
            "After that, join the users' forum. Lastly, look at the YouTube tutorials out there.",
            &format!("{} Subscribe to the newsletter.", "The ministry published its figures on Monday. ".repeat(5)),
        ] {
            assert!(!h.is_call_to_action(prose), "{prose}");
        }
    }

    #[test]
    fn picture_credits_are_told_from_prose() {
        let h = Hints::default();
        for credit in [
            "Marco Odermatt, Ski-Star aus der Schweiz. © AFP / MARCO BERTORELLO",
            "Golf im TV: Die Übertragungszeiten im Überblick. (Foto: Getty)",
            "Roman Prymula, photo: Archives du Gouvernement tchèque",
            "Photograph by Ed Marshall, Redonda Restoration Programme",
            "(Credit: Clayton Aldern / Grist)",
            "Titelbild: Geyres Christophe/ABACA/picture-alliance",
        ] {
            assert!(h.is_credit_line(credit), "{credit}");
        }
        for prose in [
            "Photos of the protest were shared widely, officials said.",
            "The photo: a symbol of the talks, and of what they failed to settle.",
            "Bildung ist das Thema: Die Schulen öffnen wieder.",
            &format!("{} (Foto: dpa)", "A long caption that reads as a paragraph of its own and goes on. ".repeat(2)),
        ] {
            assert!(!h.is_credit_line(prose), "{prose}");
        }
    }

    fn role_of(html: &str) -> Role {
        let dom = parse(html).expect("parses");
        let ix = (0..dom.len()).find(|&i| dom.attr(i, "id") == Some("x")).unwrap();
        Hints::default().role(&dom, ix)
    }

    #[test]
    fn camel_case_names_are_split_into_their_parts() {
        // "authorBox" is "author" + "box", "relatedStories" "related" + "stories"; read
        // lower-cased whole they were one unknown word.
        assert_eq!(role_of(r#"<div id=x class="authorBox"></div>"#), Role::Furniture);
        assert_eq!(role_of(r#"<div id=x class="relatedStories"></div>"#), Role::Site);
        assert_eq!(role_of(r#"<div id=x class="authorbox"></div>"#), Role::Neutral);
    }

    #[test]
    fn parts_split_on_case_and_dashes() {
        assert_eq!(token_parts("relatedPosts"), vec!["related", "posts"]);
        assert_eq!(token_parts("comments-area"), vec!["comments", "area"]);
    }

    #[test]
    fn classifies_common_markup() {
        assert_eq!(role_of(r#"<div id=x class="comments-area"></div>"#), Role::Site);
        assert_eq!(role_of(r#"<div id=x class="entry-content"></div>"#), Role::Content);
        assert_eq!(role_of(r#"<div id=x class="commentary-body"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="read-also"></div>"#), Role::Site);
        assert_eq!(role_of(r#"<div id=x class="entry-meta"></div>"#), Role::Furniture);
        assert_eq!(role_of(r#"<div id=x class="header shadow"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="elementor-widget-container"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="post tag-economy category-news"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="tags"></div>"#), Role::Furniture);
        assert_eq!(role_of(r#"<div id=x class="hs_cos_wrapper_meta_field"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x itemprop="articleBody"></div>"#), Role::Content);
        assert_eq!(role_of(r#"<div id=x style="display: none"></div>"#), Role::Site);
        assert_eq!(role_of(r#"<div id=x hidden></div>"#), Role::Site);
    }

    #[test]
    fn folded_panels_are_text_the_reader_opens() {
        assert_eq!(role_of(r#"<div id=x role="region" style="display:none"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x role="tabpanel" hidden></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x hidden="until-found"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="accordion-body" style="display:none"></div>"#), Role::Neutral);
        assert_eq!(role_of(r#"<div id=x class="collapse" hidden></div>"#), Role::Neutral);
        // A folded panel that is chrome is still chrome.
        assert_eq!(role_of(r#"<div id=x class="menu-collapse" style="display:none"></div>"#), Role::Site);
    }

    #[test]
    fn streamed_chunks_are_text_the_page_shows() {
        // React streams the article after the shell in hidden chunks a script moves in.
        let role_of_div = |html: &str| {
            let dom = parse(html).expect("parses");
            let ix = (0..dom.len()).find(|&i| dom.tag(i) == Some("div")).expect("a div");
            Hints::default().role(&dom, ix)
        };
        assert_eq!(role_of_div(r#"<div hidden id="S:1"></div>"#), Role::Neutral);
        assert_eq!(role_of_div(r#"<div hidden id="S:a"></div>"#), Role::Neutral);
        for other in
            [r#"<div hidden id="S:"></div>"#, r#"<div hidden id="S:1 x"></div>"#, r#"<div hidden id="s1"></div>"#]
        {
            assert_eq!(role_of_div(other), Role::Site, "{other}");
        }
    }
}
