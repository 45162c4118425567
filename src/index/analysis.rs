//! Text analysis per page language: which stemmer a language gets, the tokenizer that
//! applies it to the title and body at indexing time, and the stems a query word has in
//! each language an index holds.
//!
//! A value to index carries its language as a marker in front (`mark`), which the
//! registered [`TEXT`] tokenizer reads and strips; marked values are indexed, never
//! stored or shown. English, and pages whose language is unknown, carry no marker: the
//! index of an English archive is what it would be without languages. A language with no
//! stemmer in tantivy (Polish, Chinese...) is folded and lowercased but not stemmed.
//!
//! Owns no field and builds no query: schema.rs registers the tokenizer, document.rs marks
//! values, search asks for analyzers and stems.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    TokenStream, Tokenizer,
};

/// The tokenizer of the title and body fields.
pub const TEXT: &str = "dossier_text";

/// Private-use character around a language code at the start of a value to index.
const MARK: char = '\u{E000}';

/// How a language's words are reduced: the key of one analyzer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Analysis {
    Stem(Language),
    /// Folded and lowercased only.
    Plain,
}

/// The analysis for an ISO 639-1 code (as `extract::lang` gives), English for `None`.
pub fn analysis_for(code: Option<&str>) -> Analysis {
    use Language::*;
    let Some(code) = code else { return Analysis::Stem(English) };
    let language = match code {
        "en" => English,
        "ar" => Arabic,
        "da" => Danish,
        "nl" => Dutch,
        "fi" => Finnish,
        "fr" => French,
        "de" => German,
        "el" => Greek,
        "hu" => Hungarian,
        "it" => Italian,
        "no" | "nb" | "nn" => Norwegian,
        "pt" => Portuguese,
        "ro" => Romanian,
        "ru" => Russian,
        "es" => Spanish,
        "sv" => Swedish,
        "ta" => Tamil,
        "tr" => Turkish,
        _ => return Analysis::Plain,
    };
    Analysis::Stem(language)
}

/// Tokens of this many bytes or more are dropped (URLs, hashes, run-together junk).
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzer for one language: split on non-alphanumerics, drop tokens over 40 bytes,
/// lowercase, fold accents, then stem when the language has a stemmer.
pub fn analyzer(analysis: Analysis) -> TextAnalyzer {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    match analysis {
        Analysis::Stem(language) => base.filter(Stemmer::new(language)).build(),
        Analysis::Plain => base.build(),
    }
}

/// How many times each term (as [`analyzer`] makes them) occurs in `texts`. Equal to
/// counting the analyzer's tokens, but each distinct word is stemmed once: a page's words
/// repeat, and stemming is most of the analyzer's work. For feedback and "related".
pub fn term_counts<'a>(analysis: Analysis, texts: impl IntoIterator<Item = &'a str>) -> FxHashMap<String, u32> {
    let mut words: FxHashMap<String, u32> = FxHashMap::default();
    let mut count = |t: &str| match words.get_mut(t) {
        Some(n) => *n += 1,
        None => {
            words.insert(t.to_string(), 1);
        }
    };
    let mut plain = analyzer(Analysis::Plain);
    let mut lower = String::new();
    for text in texts {
        // The analyzer's split (non-alphanumerics) and length limit; an ASCII word only
        // needs lower-casing, any other goes through the analyzer itself.
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty() && w.len() < MAX_TOKEN_BYTES) {
            if word.is_ascii() {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                count(&lower);
            } else {
                let mut stream = plain.token_stream(word);
                while stream.advance() {
                    count(&stream.token().text);
                }
            }
        }
    }
    let Analysis::Stem(language) = analysis else { return words };
    let mut stemmer =
        TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default()).filter(Stemmer::new(language)).build();
    let mut terms: FxHashMap<String, u32> = FxHashMap::default();
    for (word, n) in words {
        let mut stream = stemmer.token_stream(&word);
        let stem = if stream.advance() { std::mem::take(&mut stream.token_mut().text) } else { word.clone() };
        *terms.entry(stem).or_default() += n;
    }
    terms
}

/// An analyzer for finding a few `words` (stems under `analysis`) in long text: like
/// [`analyzer`], except that a token is stemmed only when its first letters (up to three)
/// begin one of the words. Stemmers change word endings, so a token that shares no such
/// beginning cannot stem to any of them, and skipping its stemming (most of the work)
/// changes no match. For snippets and highlights.
pub fn finder(analysis: Analysis, words: &[String]) -> TextAnalyzer {
    let prefixes: rustc_hash::FxHashSet<String> = words.iter().map(|w| w.chars().take(GATE_CHARS).collect()).collect();
    let base = analyzer(Analysis::Plain);
    let stem = match analysis {
        Analysis::Stem(language) => Some(
            TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default()).filter(Stemmer::new(language)).build(),
        ),
        Analysis::Plain => None,
    };
    TextAnalyzer::from(Finder { base, stem, prefixes: std::sync::Arc::new(prefixes) })
}

const GATE_CHARS: usize = 3;

#[derive(Clone)]
struct Finder {
    base: TextAnalyzer,
    stem: Option<TextAnalyzer>,
    prefixes: std::sync::Arc<rustc_hash::FxHashSet<String>>,
}

impl Tokenizer for Finder {
    type TokenStream<'a> = FinderStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FinderStream<'a> {
        FinderStream { inner: self.base.token_stream(text), stem: self.stem.as_mut(), prefixes: &self.prefixes }
    }
}

struct FinderStream<'a> {
    inner: BoxTokenStream<'a>,
    stem: Option<&'a mut TextAnalyzer>,
    prefixes: &'a rustc_hash::FxHashSet<String>,
}

impl FinderStream<'_> {
    /// Whether the token's first one, two or three letters are a word's first letters (a
    /// word shorter than three letters is all first letters).
    fn may_match(&self, token: &str) -> bool {
        let mut end = 0;
        token.chars().take(GATE_CHARS).any(|c| {
            end += c.len_utf8();
            self.prefixes.contains(&token[..end])
        })
    }
}

impl TokenStream for FinderStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        if self.stem.is_none() || !self.may_match(&self.inner.token().text) {
            return true;
        }
        if let Some(stem) = self.stem.as_mut() {
            let text = std::mem::take(&mut self.inner.token_mut().text);
            let mut stream = stem.token_stream(&text);
            let stemmed = if stream.advance() { stream.token().text.clone() } else { text.clone() };
            drop(stream);
            self.inner.token_mut().text = stemmed;
        }
        true
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.inner.token_mut()
    }
}

/// `text` as it must be given to the [`TEXT`] tokenizer for a page in language `code`.
pub fn mark<'a>(code: Option<&str>, text: &'a str) -> Cow<'a, str> {
    match (code, analysis_for(code)) {
        (Some(code), a) if a != Analysis::Stem(Language::English) => Cow::Owned(format!("{MARK}{code}{MARK}{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// Splits a marked value into its language code and its text.
fn unmark(text: &str) -> (Option<&str>, &str) {
    if let Some(rest) = text.strip_prefix(MARK) {
        if let Some((code, text)) = rest.split_once(MARK) {
            if code.len() <= 3 {
                return (Some(code), text);
            }
        }
    }
    (None, text)
}

/// The [`TEXT`] tokenizer: the analyzer of the value's marked language.
#[derive(Clone)]
pub struct Multilingual {
    analyzers: Vec<(Analysis, TextAnalyzer)>,
}

impl Multilingual {
    pub fn new() -> Multilingual {
        use Language::*;
        let languages = [
            English, Arabic, Danish, Dutch, Finnish, French, German, Greek, Hungarian, Italian, Norwegian, Portuguese,
            Romanian, Russian, Spanish, Swedish, Tamil, Turkish,
        ];
        let mut analyzers: Vec<(Analysis, TextAnalyzer)> =
            languages.into_iter().map(|l| (Analysis::Stem(l), analyzer(Analysis::Stem(l)))).collect();
        analyzers.push((Analysis::Plain, analyzer(Analysis::Plain)));
        Multilingual { analyzers }
    }
}

impl Default for Multilingual {
    fn default() -> Self {
        Multilingual::new()
    }
}

impl Tokenizer for Multilingual {
    type TokenStream<'a> = BoxTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BoxTokenStream<'a> {
        let (code, text) = unmark(text);
        let wanted = analysis_for(code);
        let i = self.analyzers.iter().position(|(a, _)| *a == wanted).unwrap_or(0);
        self.analyzers[i].1.token_stream(text)
    }
}

/// The analyses an index's pages use, English first (always present: queries with no
/// other language, and pages without one, use it), each once.
pub fn analyses_of<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<Analysis> {
    let mut out = vec![Analysis::Stem(Language::English)];
    for code in codes {
        let a = analysis_for(Some(code));
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// The tokens of `text` under one analysis.
pub fn tokens(analysis: Analysis, text: &str) -> Vec<String> {
    tokens_with(&mut analyzer(analysis), text)
}

/// The tokens of `text` under an analyzer at hand (one built once for many texts).
pub fn tokens_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_counts_count_what_the_analyzer_makes() {
        let texts = [
            "Houses and HOUSES; the house's Häuser, Ärzte & ärzte — naïve café 3001 X1,...,Xn",
            "Straßenbahn ŒUVRE déjà-vu ﬁnance İstanbul a-very-long-token-that-is-not-over-the-limit",
            &"x".repeat(45),
        ];
        for analysis in [Analysis::Stem(Language::English), Analysis::Stem(Language::German), Analysis::Plain] {
            let mut expected: FxHashMap<String, u32> = FxHashMap::default();
            for t in texts.iter().flat_map(|t| tokens_with(&mut analyzer(analysis), t)) {
                *expected.entry(t).or_default() += 1;
            }
            assert_eq!(term_counts(analysis, texts.iter().map(|t| &**t)), expected, "{analysis:?}");
        }
    }

    fn index_tokens(value: &str) -> Vec<String> {
        tokens_with(&mut TextAnalyzer::from(Multilingual::new()), value)
    }

    #[test]
    fn each_language_gets_its_own_stemmer_and_english_no_marker() {
        assert_eq!(mark(Some("en"), "Houses"), "Houses");
        assert_eq!(mark(None, "Houses"), "Houses");
        assert_eq!(index_tokens(&mark(None, "Houses")), ["hous"]);
        assert_eq!(index_tokens(&mark(Some("de"), "Die Häuser")), ["die", "haus"]);
        assert_eq!(index_tokens(&mark(Some("fr"), "les maisons")), ["le", "maison"]);
        // No stemmer for Polish: folded, not stemmed as English.
        assert_eq!(index_tokens(&mark(Some("pl"), "Domy rodzinne")), ["domy", "rodzinne"]);
        assert_eq!(
            tokens(Analysis::Stem(Language::German), "Häuser"),
            tokens(Analysis::Stem(Language::German), "Haus")
        );
    }

    #[test]
    fn text_that_only_looks_marked_is_kept() {
        assert_eq!(index_tokens("\u{E000}toolong\u{E000}word"), index_tokens("toolong word"));
        assert_eq!(index_tokens("\u{E000}de"), ["de"]);
    }

    #[test]
    fn the_finder_matches_exactly_what_the_analyzer_does() {
        let text = "Houses and housing: the house prices of Häuser rose, as rising prices do; US data.";
        for (analysis, words) in [
            (Analysis::Stem(Language::English), vec!["hous", "price", "us", "rise"]),
            (Analysis::Stem(Language::German), vec!["haus", "preis"]),
            (Analysis::Plain, vec!["houses"]),
        ] {
            let words: Vec<String> = words.into_iter().map(String::from).collect();
            let full: Vec<String> = tokens(analysis, text);
            let mut finder = finder(analysis, &words);
            let mut stream = finder.token_stream(text);
            let mut found = Vec::new();
            while stream.advance() {
                found.push(stream.token().text.clone());
            }
            assert_eq!(full.len(), found.len());
            for (a, b) in full.iter().zip(&found) {
                assert_eq!(words.contains(a), words.contains(b), "{a} / {b} for {analysis:?}");
            }
        }
    }

    #[test]
    fn analyses_start_with_english_and_are_distinct() {
        let a = analyses_of(["de", "en", "de", "pl", "cs"]);
        assert_eq!(a, [Analysis::Stem(Language::English), Analysis::Stem(Language::German), Analysis::Plain]);
    }
}
