//! The fragment of the body that shows why a document matched: the densest window of
//! query matches, highlights in Unicode character offsets. The body is read with the
//! analyzer of the page's language, so a stemmed variant ("Häuser" for "Haus" on a German
//! page) is highlighted the way search matched it. Falls back to the start of the body
//! when the match was in the title only. Owns nothing but that.

use std::collections::BTreeMap;

use std::ops::Range;

use tantivy::query::Query;
use tantivy::{Score, Searcher};

use crate::index::analysis::{self, WordMatcher};
use crate::index::document::StoredArticle;
use crate::index::Fields;

pub const SNIPPET_CHARS: usize = 220;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// `[start, end)` in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
}

pub struct Snippets {
    /// The query's body terms, and how much each weighs: rarer ones more.
    words: Vec<String>,
    weights: Vec<Score>,
}

impl Snippets {
    /// The body terms of `query` to find and highlight; only those in `shown` when given
    /// (the user's own words, not the feedback words a search added).
    pub fn new(searcher: &Searcher, query: &dyn Query, f: &Fields, shown: Option<&[String]>) -> Snippets {
        let mut terms = BTreeMap::new();
        query.query_terms(&mut |term, _| {
            if term.field() != f.body {
                return;
            }
            if let Some(text) = term.value().as_str() {
                if shown.is_some_and(|words| !words.iter().any(|w| w == text)) {
                    return;
                }
                let df = searcher.doc_freq(term).unwrap_or(0);
                if df > 0 {
                    terms.insert(text.to_string(), 1.0 / (1.0 + df as Score));
                }
            }
        });
        let (words, weights) = terms.into_iter().unzip();
        Snippets { words, weights }
    }

    pub fn for_article(&self, article: &StoredArticle) -> Snippet {
        if !self.words.is_empty() {
            let analysis = analysis::analysis_for(article.language.as_deref());
            // Its blocks are trimmed: the text has no space at either end.
            let text = joined(&article.body);
            let matches = WordMatcher::new(analysis, &self.words).find(&text);
            if let Some(window) = densest(&matches, &self.weights, SNIPPET_CHARS) {
                return cut(&text, &matches, window, SNIPPET_CHARS);
            }
        }
        Snippet { text: lead(&article.body), highlights: Vec::new() }
    }
}

type Match = (Range<usize>, usize);

/// The run of matches, spanning at most `budget` bytes, that holds the most weight of
/// distinct words (every query word once beats one word many times), then the most
/// matches; the first such run on ties. `None` without matches.
fn densest(matches: &[Match], weights: &[Score], budget: usize) -> Option<Range<usize>> {
    let mut counts = vec![0u32; weights.len()];
    let mut best: Option<(Score, usize, Range<usize>)> = None;
    let mut j = 0;
    for i in 0..matches.len() {
        if j < i {
            j = i;
        }
        while j < matches.len() && matches[j].0.end - matches[i].0.start <= budget.max(matches[i].0.len()) {
            counts[matches[j].1] += 1;
            j += 1;
        }
        let weight: Score = counts.iter().zip(weights).filter(|(n, _)| **n > 0).map(|(_, w)| w).sum();
        let better = match &best {
            None => true,
            Some((w, n, _)) => weight > *w || (weight == *w && j - i > *n),
        };
        if better {
            best = Some((weight, j - i, i..j));
        }
        if j > i {
            counts[matches[i].1] -= 1;
        }
    }
    best.map(|(_, _, r)| r)
}

/// The fragment around `window` (indices into `matches`): at most `budget` bytes, starting
/// at the sentence that holds the first match when it fits and otherwise a little before
/// it, cut at word boundaries; every match inside highlighted.
fn cut(text: &str, matches: &[Match], window: Range<usize>, budget: usize) -> Snippet {
    let first = matches[window.start].0.start;
    let last = matches[window.end - 1].0.end;
    let slack = budget.saturating_sub(last - first);
    // Back from the first match: the sentence start if it is within the slack, else a
    // third of the slack, then forward to the start of a word.
    let floor = first.saturating_sub(slack);
    let floor = (floor..=first).find(|&i| text.is_char_boundary(i)).unwrap_or(first);
    let sentence = text[floor..first].rfind(". ").map(|i| floor + i + 2);
    let mut start = match sentence {
        Some(s) => s,
        None if floor == 0 => 0,
        None => {
            let back = first.saturating_sub(slack / 3);
            let back = (back..=first).find(|&i| text.is_char_boundary(i)).unwrap_or(first);
            match text[back..first].find(|c: char| !c.is_alphanumeric()) {
                Some(k) => back + k,
                None => back,
            }
        }
    };
    while start < first && !text[start..].starts_with(|c: char| c.is_alphanumeric()) {
        start += text[start..].chars().next().map_or(1, char::len_utf8);
    }
    // Forward: as far as the budget allows, back to the end of a word, never before the
    // last match.
    let mut end = (start + budget).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        let cut_at = text[last..end].rfind(|c: char| !c.is_alphanumeric()).map_or(end, |k| last + k);
        end = cut_at.max(last);
    }
    let fragment = text[start..end].trim_end();
    let end = start + fragment.len();
    let highlights = matches
        .iter()
        .filter(|(r, _)| r.start >= start && r.end <= end)
        .map(|(r, _)| {
            let from = text[start..r.start].chars().count();
            (from, from + text[r.clone()].chars().count())
        })
        .collect();
    Snippet { text: fragment.to_string(), highlights }
}

/// The body's blocks as one text. A block that ends without a sentence's end (a heading,
/// a list item) is followed by " — ", so a snippet across it does not read as one run-on
/// sentence ("Rare earths at the centre — Much of the attention...").
fn joined(body: &[String]) -> String {
    let mut out = String::with_capacity(body.iter().map(|b| b.len() + 3).sum());
    for block in body.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
        if let Some(last) = out.chars().last() {
            let ended = matches!(
                last,
                '.' | '!' | '?' | ':' | ';' | '…' | '"' | '\'' | '”' | '’' | ')' | '»' | '。' | '！' | '？'
            );
            out.push_str(if ended { " " } else { " — " });
        }
        out.push_str(block);
    }
    out
}

/// The first characters of the body, cut at a word boundary.
fn lead(body: &[String]) -> String {
    let first = joined(body);
    if first.chars().count() <= SNIPPET_CHARS {
        return first;
    }
    let cut: String = first.chars().take(SNIPPET_CHARS).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", cut[..i].trim_end()),
        None => format!("{cut}…"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::Analysis;

    fn snippet(text: &str, words: &[&str], budget: usize) -> Snippet {
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let weights = vec![1.0; words.len()];
        let matches = WordMatcher::new(Analysis::Stem(tantivy::tokenizer::Language::English), &words).find(text);
        let window = densest(&matches, &weights, budget).expect("a match");
        cut(text, &matches, window, budget)
    }

    fn highlighted(s: &Snippet) -> Vec<String> {
        let chars: Vec<char> = s.text.chars().collect();
        s.highlights.iter().map(|&(a, b)| chars[a..b].iter().collect()).collect()
    }

    #[test]
    fn blocks_without_a_sentence_end_are_set_off_from_the_next() {
        let body: Vec<String> = ["Rare earths at the centre", "Much of it is copper.", "", "Coal too"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(joined(&body), "Rare earths at the centre — Much of it is copper. Coal too");
    }

    #[test]
    fn the_window_holding_every_word_beats_one_word_repeated() {
        let filler = "Nothing to see in this sentence at all. ".repeat(4);
        let text = format!(
            "Coal, coal and more coal went north by truck. {filler}The railway will carry coal exports to the border."
        );
        let s = snippet(&text, &["coal", "export"], 80);
        assert!(s.text.contains("exports"), "{s:?}");
        assert_eq!(highlighted(&s), ["coal", "exports"]);
        // It starts at the sentence holding the first match and ends at a word's end.
        assert!(s.text.starts_with("The railway"), "{s:?}");
        assert!(s.text.len() <= 80);
    }

    #[test]
    fn fragments_are_cut_at_word_boundaries_with_context_before_the_match() {
        let text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho \
                    sigma tau upsilon phi chi psi omega";
        let s = snippet(text, &["kappa"], 40);
        let words: Vec<&str> = text.split(' ').collect();
        for w in s.text.split(' ') {
            assert!(words.contains(&w), "{w:?} is a cut word in {s:?}");
        }
        assert!(!s.text.starts_with("kappa"), "some context before the match: {s:?}");
        assert_eq!(highlighted(&s), ["kappa"]);
        assert!(s.text.len() <= 40);
    }

    #[test]
    fn offsets_are_characters_and_stemmed_variants_are_highlighted() {
        let s = snippet("Déjà vu: the houses, the housing — and a house.", &["hous"], 200);
        assert_eq!(highlighted(&s), ["houses", "housing", "house"]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::index::analysis::Analysis;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("coal".to_string()),
            Just("Coal".to_string()),
            Just("exports".to_string()),
            Just("Straße".to_string()),
            Just("ÉCOLE".to_string()),
            Just("naïve".to_string()),
            Just("中国".to_string()),
            "[a-zé]{1,12}",
        ]
    }

    fn separator() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(" ".to_string()),
            Just(". ".to_string()),
            Just(" — ".to_string()),
            Just(",".to_string()),
            Just("\u{a0}".to_string()),
            Just("…".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        /// Whatever the text, the fragment is a piece of it within the budget and every
        /// highlight is a whole match inside the fragment.
        #[test]
        fn fragments_are_pieces_of_the_text_and_highlights_whole_matches(
            parts in proptest::collection::vec((word(), separator()), 1..120),
            budget in 10usize..300,
        ) {
            let text: String = parts.iter().map(|(w, s)| format!("{w}{s}")).collect();
            let text = text.trim();
            let words = vec!["coal".to_string(), "export".to_string(), "ecol".to_string()];
            let weights = vec![0.5, 0.3, 0.2];
            let matches = WordMatcher::new(Analysis::Stem(tantivy::tokenizer::Language::English), &words).find(text);
            if let Some(window) = densest(&matches, &weights, budget) {
                let s = cut(text, &matches, window, budget);
                prop_assert!(text.contains(&s.text));
                let longest = matches.iter().map(|(r, _)| r.len()).max().unwrap_or(0);
                prop_assert!(s.text.len() <= budget.max(longest), "{} > {budget}", s.text.len());
                prop_assert!(!s.highlights.is_empty());
                let chars: Vec<char> = s.text.chars().collect();
                for &(a, b) in &s.highlights {
                    prop_assert!(a < b && b <= chars.len());
                    let hit: String = chars[a..b].iter().collect();
                    prop_assert!(hit.chars().all(char::is_alphanumeric), "{hit:?}");
                }
            } else {
                prop_assert!(matches.is_empty());
            }
        }
    }
}
