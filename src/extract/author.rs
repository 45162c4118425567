//! Turns what a page writes where its author belongs into a name: "By: Jane Doe on
//! 04-08-2021", "Written by Jane Doe - June 12, 2025", "Veröffentlicht vonJane Doe" and
//! "8. Januar 2020 · by Jane Doe · in Reisen" all give "Jane Doe"; "Posted on", "Author" and
//! a bare date give nothing, so the caller goes on to its next candidate.
//!
//! Owns the byline's grammar (labels, separators, the date that follows a name) and the
//! refusal of values that name nobody. Pure string work: it does not choose between the
//! page's candidates (metadata.rs does) and never reads the DOM.

use super::dates::month_number;
use super::hints::Hints;

/// A byline is a line; longer text is prose that happens to follow a label.
const MAX_NAME_CHARS: usize = 120;
const MAX_NAME_WORDS: usize = 15;

/// Marks between the parts of a byline line ("Jane Doe · 22. Oktober 2019").
const SEPARATORS: &[&str] = &[" | ", " · ", " • ", " ⋅ ", " - ", " – ", " — ", " » ", "|", "·", "•", "⋅", "»"];

const READING_TIME: &[&str] = &["min", "mins", "minute", "minutes", "minuten", "minutos"];

/// Words left dangling at the end of a name once the date after it is cut ("Jane Doe on",
/// "lupa am", "Jane Doe Last Updated").
const DANGLING: &[&str] =
    &["on", "am", "at", "le", "el", "in", "and", "und", "last", "zuletzt", "updated", "published", "posted"];

/// The name in a byline, or `None` when the value names nobody.
pub fn clean_author(raw: &str, hints: &Hints) -> Option<String> {
    let text = super::metadata::clean_text(raw);
    // Bound before it is returned: the iterator borrows `text`.
    let name = pieces(&text).find_map(|piece| name_in_piece(piece, hints));
    name
}

/// The name in a byline whose markup splits it into parts ("By", "Jane Doe", "Senior
/// Editor", "June 12, 2025"): the first part that names someone, with the co-authors its
/// markup joins to it ("Jane Doe", "and", "John Roe"). A role or date in an element of its
/// own after the name is left out.
pub fn name_from_pieces(pieces: &[String], hints: &Hints) -> Option<String> {
    // Initials in an avatar ("CM") come before the name they abbreviate.
    let initials = |p: &String| p.chars().count() <= 3 && p.chars().all(|c| c.is_uppercase());
    let names = |p: &String| clean_author(p, hints).is_some();
    let first = pieces.iter().position(|p| names(p) && !initials(p)).or_else(|| pieces.iter().position(names))?;
    let mut name = clean_author(&pieces[first], hints)?;
    let mut k = first + 1;
    loop {
        // The joining word is a part of its own ("and") or ends the name's part ("Jane Doe,").
        let (joint, next) = match pieces.get(k).map(|p| connector(p)) {
            Some(Some(c)) => (c, k + 1),
            _ => match pieces[k - 1].trim_end().ends_with(',') {
                true => (",", k),
                false => break,
            },
        };
        let Some(more) = pieces.get(next).and_then(|p| clean_author(p, hints)) else { break };
        name = if joint == "," { format!("{name}, {more}") } else { format!("{name} {joint} {more}") };
        k = next + 1;
    }
    Some(name)
}

/// A part that only joins two names: "and", "&", ",", "und", "y", "et".
fn connector(piece: &str) -> Option<&'static str> {
    match piece.trim().to_lowercase().as_str() {
        "," => Some(","),
        "and" | ", and" => Some("and"),
        "&" => Some("&"),
        "und" => Some("und"),
        "y" => Some("y"),
        "et" => Some("et"),
        _ => None,
    }
}

/// The line cut at its separators, in order.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = SEPARATORS.iter().filter_map(|s| rest.find(s).map(|at| (at, s.len()))).min();
        let (piece, next) = match cut {
            Some((at, len)) => (&rest[..at], &rest[at + len..]),
            None => (rest, ""),
        };
        rest = next;
        Some(piece)
    })
}

/// Words before "by" that name another role than the author's ("Reviewed by", "Photos by").
const OTHER_ROLES: &[&str] = &[
    "reviewed",
    "edited",
    "photo",
    "photos",
    "photographs",
    "illustrated",
    "illustration",
    "translated",
    "checked",
    "fact-checked",
    "übersetzt",
    "fotos",
    "bilder",
    "redigiert",
];

fn name_in_piece(piece: &str, hints: &Hints) -> Option<String> {
    let mut rest = strip_labels(piece, hints);
    // "View all posts by Jane Doe", "Text by Jane Doe": a few words of introduction, then
    // "by". Not "von", which is also part of names ("Alexa von Heyden").
    let words: Vec<&str> = rest.split_whitespace().take(5).collect();
    if let Some(by) = (1..words.len().min(4)).find(|&k| matches!(words[k], "by" | "By")) {
        let role = words[by - 1].to_lowercase();
        // "Jane Doe by ..." is a name followed by something else.
        let intro_is_lower = words[1..by].iter().all(|w| w.chars().next().is_some_and(char::is_lowercase));
        if !OTHER_ROLES.contains(&role.as_str()) && intro_is_lower && !is_date_word(&words, 0) {
            let offset = rest.find(&format!(" {} ", words[by])).map_or(0, |at| at + 1);
            rest = strip_labels(&rest[offset..], hints);
        }
    }
    // A reading time stands where a byline would: "3 min read".
    if words.len() >= 2
        && is_date_word(&words, 0)
        && READING_TIME.contains(&words[1].to_lowercase().trim_end_matches('.'))
    {
        return None;
    }
    // A date first ("3 May 2021 by Jane Doe"): the name is after the next label, if any.
    if starts_with_date(rest) {
        let words: Vec<&str> = rest.split_whitespace().collect();
        let by = words.iter().position(|w| hints.byline_labels.iter().any(|l| l == &w.to_lowercase()))?;
        let offset = rest.find(&format!(" {} ", words[by]))? + 1;
        rest = strip_labels(&rest[offset..], hints);
    }
    let name = cut_tail(rest);
    let words = name.split_whitespace().count();
    let plausible = name.chars().any(char::is_alphabetic)
        && name.chars().count() <= MAX_NAME_CHARS
        && words <= MAX_NAME_WORDS
        && !name.contains("://")
        && !name.starts_with("http")
        && !hints.is_not_author_name(&name);
    plausible.then_some(name)
}

/// `text` without its leading labels and punctuation: "| Autor: Jane", "Post author By
/// Jane", "AuthorJane Doe" (a label run into the name that starts with a capital).
fn strip_labels<'t>(text: &'t str, hints: &Hints) -> &'t str {
    let mut rest = trim_punctuation(text);
    'strip: loop {
        for label in &hints.byline_labels {
            let Some(head) = rest.get(..label.len()) else { continue };
            if head.to_lowercase() != *label {
                continue;
            }
            let after = &rest[label.len()..];
            let next = after.chars().next();
            let separated = next.is_none_or(|c| c.is_whitespace() || c == ':' || c == ',');
            let run_in = label.chars().count() >= 3 && next.is_some_and(char::is_uppercase);
            if separated || run_in {
                rest = trim_punctuation(after);
                continue 'strip;
            }
        }
        return rest;
    }
}

fn trim_punctuation(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ';' | '-' | '–' | '—' | '|' | '·' | '•'))
}

/// Whether a word is part of a date: mostly digits ("2025", "04-ago-2021", "5:11", "22."),
/// or a month name followed by such a word ("Jul 18", "Dec. 19,"). "user447274" is a name.
fn is_date_word(words: &[&str], i: usize) -> bool {
    let numeric = |w: &str| {
        let digits = w.chars().filter(char::is_ascii_digit).count();
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        digits > 0 && digits >= letters
    };
    let w = words[i];
    if numeric(w) {
        return true;
    }
    let bare = w.trim_matches(|c: char| !c.is_alphabetic());
    month_number(bare).is_some() && words.get(i + 1).is_some_and(|n| numeric(n))
}

/// Whether a line opens with a date rather than a name: a year, a dotted or slashed date,
/// or a day or month name next to a month ("8. Januar 2020", "Dec. 19, 2025"). "98 Buck
/// Social" is a name.
fn starts_with_date(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(2).collect();
    let Some(first) = words.first() else { return false };
    let is_month = |w: &str| month_number(w.trim_matches(|c: char| !c.is_alphabetic())).is_some();
    let digits = first.chars().filter(char::is_ascii_digit).count();
    // "2025", "12.03.2021", "04-ago-2021": digits and month names only.
    let full_date = digits >= 4
        && first
            .split(['-', '.', '/', ',', ':'])
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().all(|c| c.is_ascii_digit()) || month_number(p).is_some());
    let day_and_month = digits > 0 && words.get(1).is_some_and(|w| is_month(w)) && is_date_word(&words, 0);
    full_date || day_and_month || (is_month(first) && is_date_word(&words, 0))
}

/// The name before the date, reading time or next label that follows it on the line.
fn cut_tail(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    // At a date, or where a new label starts ("Jane Doe Last Updated: ...").
    let Some(cut) = (1..words.len()).find(|&i| is_date_word(&words, i) || words[i].ends_with(':')) else {
        return trim_punctuation(text).to_string();
    };
    let mut end = cut;
    while end > 0 && DANGLING.contains(&words[end - 1].to_lowercase().as_str()) {
        end -= 1;
    }
    trim_punctuation(&words[..end].join(" ")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(s: &str) -> Option<String> {
        clean_author(s, &Hints::default())
    }

    #[test]
    fn labels_before_the_name_are_dropped() {
        for (raw, name) in [
            ("By Jane Doe", "Jane Doe"),
            ("by: Jane Doe", "Jane Doe"),
            ("Written by Jane Doe", "Jane Doe"),
            ("Post author By Jane Doe", "Jane Doe"),
            ("| Autor: jdoe", "jdoe"),
            ("Veröffentlicht von Hans G", "Hans G"),
            ("Veröffentlicht vonHans Glück", "Hans Glück"),
            ("AuthorJane Doe", "Jane Doe"),
            ("vom Support Team", "Support Team"),
            ("Publié par Jean Dupont", "Jean Dupont"),
            ("View all posts by Jane Doe", "Jane Doe"),
            ("Text by Jane Doe", "Jane Doe"),
            ("Post by jdoe » Sat Mar 02, 2024", "jdoe"),
        ] {
            assert_eq!(clean(raw).as_deref(), Some(name), "{raw}");
        }
    }

    #[test]
    fn the_date_after_the_name_is_cut() {
        for (raw, name) in [
            ("Jane Doe - June 12, 2025", "Jane Doe"),
            ("Dr. Jane Doe - Mar 27, 2024", "Dr. Jane Doe"),
            ("Jane Doe Jul 18, 2025 7 min", "Jane Doe"),
            ("By: Acme EMEA on 04-ago-2021 5:11:10", "Acme EMEA"),
            ("jdoe am 26/10/13, 03:48 pm", "jdoe"),
            ("Jane Doe · 22. Oktober 2019", "Jane Doe"),
            ("Jane Doe 8 January 2020, 3:51 pm 11 Edit", "Jane Doe"),
            ("Written By: Jane Doe Last Updated: August 1, 2025", "Jane Doe"),
            ("Acme- 2025/4/29", "Acme"),
            ("8. Januar 2020 · by Jane Doe · in Reisen", "Jane Doe"),
            ("Posted on 3 May 2021 by Jane Doe", "Jane Doe"),
        ] {
            assert_eq!(clean(raw).as_deref(), Some(name), "{raw}");
        }
    }

    #[test]
    fn names_that_look_like_labels_or_dates_stay() {
        // A first name that is a month, a surname that starts like a label.
        assert_eq!(clean("Jan Vonnegut").as_deref(), Some("Jan Vonnegut"));
        assert_eq!(clean("May Parker, Bystrom Lee").as_deref(), Some("May Parker, Bystrom Lee"));
        assert_eq!(clean("Jean-Paul Sartre").as_deref(), Some("Jean-Paul Sartre"));
        assert_eq!(clean("Maria &amp; Katerina").as_deref(), Some("Maria & Katerina"));
        // Handles and names with digits, words that dangle only after a date.
        assert_eq!(clean("user447274").as_deref(), Some("user447274"));
        assert_eq!(clean("by jdoe55 on 3 May 2021").as_deref(), Some("jdoe55"));
        assert_eq!(clean("98 Buck Social").as_deref(), Some("98 Buck Social"));
        assert_eq!(clean("Audiophile On").as_deref(), Some("Audiophile On"));
        // A second role stays out.
        assert_eq!(
            clean("Jane Doe, DVM. Reviewed by John Roe, DVM").as_deref(),
            Some("Jane Doe, DVM. Reviewed by John Roe, DVM")
        );
        assert_eq!(clean("Jane Doe by the sea").as_deref(), Some("Jane Doe by the sea"));
        assert_eq!(clean("Alexa von Heyden").as_deref(), Some("Alexa von Heyden"));
        assert_eq!(clean("Laura / House Plant House").as_deref(), Some("Laura / House Plant House"));
    }

    #[test]
    fn values_that_name_nobody_are_refused() {
        for raw in [
            "Published by",
            "Posted on",
            "Veröffentlicht am",
            "Author",
            "The Author",
            "No Author",
            "",
            "12.03.2021",
            "Last Updated: January 7, 2025",
            "3 min read",
            "Updated",
        ] {
            assert_eq!(clean(raw), None, "{raw}");
        }
        assert_eq!(clean("https://example.com/jane"), None);
    }
}
