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

use rustc_hash::{FxHashMap, FxHashSet};

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
        Analysis::Stem(language) => base.filter(CachedStemmer(language)).build(),
        Analysis::Plain => base.build(),
    }
}

/// A language's stemmer for one word at a time (the whole text is the word).
fn word_stemmer(language: Language) -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default()).filter(Stemmer::new(language)).build()
}

/// Distinct words a [`CachedStemmer`] remembers before it starts afresh (a few MB).
const STEM_CACHE_WORDS: usize = 16_384;

/// tantivy's Snowball [`Stemmer`], with the stem of each word remembered: a page's words
/// repeat, and an archive's more so, while stemming was a tenth of indexing's CPU. Each
/// tokenizer (one per indexing thread and field) keeps its own memory, so no locks.
/// Same tokens as the plain stemmer.
#[derive(Clone, Copy)]
struct CachedStemmer(Language);

impl tantivy::tokenizer::TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner: tokenizer, stemmer: word_stemmer(self.0), stems: FxHashMap::default() }
    }
}

#[derive(Clone)]
struct CachedStemmerFilter<T> {
    inner: T,
    /// The plain stemmer, for words not seen yet.
    stemmer: TextAnalyzer,
    /// Word → stem, for every word seen since the last reset.
    stems: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.stems.len() > STEM_CACHE_WORDS {
            self.stems.clear();
        }
        CachedStemStream { tail: self.inner.token_stream(text), stemmer: &mut self.stemmer, stems: &mut self.stems }
    }
}

struct CachedStemStream<'a, S> {
    tail: S,
    stemmer: &'a mut TextAnalyzer,
    stems: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for CachedStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.stems.get(&token.text) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let mut stream = self.stemmer.token_stream(&token.text);
                let stem =
                    if stream.advance() { std::mem::take(&mut stream.token_mut().text) } else { token.text.clone() };
                drop(stream);
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.stems.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.tail.token_mut()
    }
}

/// How many times each term (as [`analyzer`] makes them) occurs in `texts`. Equal to
/// counting the analyzer's tokens, but each distinct word is stemmed once: a page's words
/// repeat, and stemming is most of the analyzer's work. For "related" articles.
pub fn term_counts<'a>(analysis: Analysis, texts: impl IntoIterator<Item = &'a str>) -> FxHashMap<String, u32> {
    let words = word_counts(texts, usize::MAX);
    let stems = stems_of(analysis, words.keys().map(String::as_str));
    terms_of(words, &stems)
}

/// Word counts ([`word_counts`]) as term counts, by the words' `stems` ([`stems_of`]).
pub fn terms_of(words: FxHashMap<String, u32>, stems: &FxHashMap<String, String>) -> FxHashMap<String, u32> {
    let mut terms: FxHashMap<String, u32> = FxHashMap::default();
    for (word, n) in words {
        let term = stems.get(&word).cloned().unwrap_or(word);
        *terms.entry(term).or_default() += n;
    }
    terms
}

/// How many times each word occurs in `texts`, folded and lower-cased as [`analyzer`]
/// does before stemming (its split and length limit too); the first `limit` words only.
pub fn word_counts<'a>(texts: impl IntoIterator<Item = &'a str>, limit: usize) -> FxHashMap<String, u32> {
    let mut words: FxHashMap<String, u32> = FxHashMap::default();
    let mut count = |t: &str| match words.get_mut(t) {
        Some(n) => *n += 1,
        None => {
            words.insert(t.to_string(), 1);
        }
    };
    let mut plain = analyzer(Analysis::Plain);
    let mut lower = String::new();
    let mut seen = 0;
    for text in texts {
        // An ASCII word only needs lower-casing; any other goes through the analyzer.
        for word in word_spans(text).map(|r| &text[r]).filter(|w| w.len() < MAX_TOKEN_BYTES) {
            if seen == limit {
                return words;
            }
            seen += 1;
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
    words
}

/// The byte ranges of the words of `text`: runs of letters and digits, as the analyzer's
/// tokenizer splits them. Reads ASCII byte by byte.
fn word_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = text.as_bytes();
    // Whether the character at `i` is a letter or digit, and its length.
    let at = move |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let (word, len) = at(i);
            if word {
                break;
            }
            i += len;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (word, len) = at(i);
            if !word {
                break;
            }
            i += len;
        }
        Some(start..i)
    })
}

/// The term of each word (folded and lower-cased, as [`word_counts`] gives them) under
/// `analysis`, for the words stemming changes; a word missing from the map is its own term.
pub fn stems_of<'a>(analysis: Analysis, words: impl IntoIterator<Item = &'a str>) -> FxHashMap<String, String> {
    let mut out = FxHashMap::default();
    let Analysis::Stem(language) = analysis else { return out };
    let mut stemmer = word_stemmer(language);
    for word in words {
        // Stemmers rewrite letters only.
        if word.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let mut stream = stemmer.token_stream(word);
        if stream.advance() && stream.token().text != word {
            out.insert(word.to_string(), std::mem::take(&mut stream.token_mut().text));
        }
    }
    out
}

/// Finds a few `words` (terms as [`analyzer`] makes them under `analysis`) in long text:
/// the byte range of every word of the text whose term is one of them, and which one. A
/// word is analysed only when its first letters (up to three, folded) begin one of the
/// words: stemmers change word endings, so a word sharing no such beginning cannot stem
/// to any of them, and skipping it (most words) changes no match. ASCII words are
/// lower-cased in place; no token strings are made for words that cannot match. For
/// snippets and highlights.
pub struct WordMatcher {
    words: Vec<String>,
    prefixes: FxHashSet<String>,
    plain: TextAnalyzer,
    full: TextAnalyzer,
    /// A word's first letters, folded.
    head: String,
}

const GATE_CHARS: usize = 3;

impl WordMatcher {
    pub fn new(analysis: Analysis, words: &[String]) -> WordMatcher {
        WordMatcher {
            words: words.to_vec(),
            prefixes: words.iter().map(|w| w.chars().take(GATE_CHARS).collect()).collect(),
            plain: analyzer(Analysis::Plain),
            full: analyzer(analysis),
            head: String::new(),
        }
    }

    /// Every match in `text`, in order: (byte range, index of the word in `words`).
    pub fn find(&mut self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let mut out = Vec::new();
        if self.words.is_empty() {
            return out;
        }
        // An ASCII letter folds to itself lower-cased: a word starting with one that no
        // word starts with is passed over at once (most words of a page).
        let mut first = [false; 128];
        for w in &self.words {
            if let Some(&b) = w.as_bytes().first().filter(|b| b.is_ascii()) {
                first[b as usize] = true;
            }
        }
        let bytes = text.as_bytes();
        for range in word_spans(text) {
            let start = range.start;
            let b = bytes[start];
            if b.is_ascii() && !first[b.to_ascii_lowercase() as usize] {
                continue;
            }
            if let Some(w) = self.word_of(&text[range.clone()]) {
                out.push((range, w));
            }
        }
        out
    }

    /// Which of the words `word` (letters and digits only) is, if any.
    fn word_of(&mut self, word: &str) -> Option<usize> {
        if word.len() >= MAX_TOKEN_BYTES {
            return None;
        }
        self.head.clear();
        if word.is_ascii() {
            self.head.extend(word.chars().take(GATE_CHARS).map(|c| c.to_ascii_lowercase()));
        } else {
            let mut stream = self.plain.token_stream(word);
            if stream.advance() {
                self.head.extend(stream.token().text.chars().take(GATE_CHARS));
            }
        }
        let mut end = 0;
        let gate = self.head.chars().any(|c| {
            end += c.len_utf8();
            self.prefixes.contains(&self.head[..end])
        });
        if !gate {
            return None;
        }
        let mut stream = self.full.token_stream(word);
        if !stream.advance() {
            return None;
        }
        let term = &stream.token().text;
        self.words.iter().position(|w| w == term)
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

    #[test]
    fn the_remembered_stems_are_the_stemmers_own() {
        let text = "Houses housing HOUSED houses Häuser Ärzte running runs ran runner 3001 naïve ﬁnance İstanbul";
        for language in [Language::English, Language::German, Language::French] {
            let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(language))
                .build();
            let expected = tokens_with(&mut plain, text);
            let mut cached = analyzer(Analysis::Stem(language));
            // The first call fills the memory, the next ones read it; a stem remembered
            // wrongly (or a word's text left behind) would show in the second.
            for round in 0..3 {
                assert_eq!(tokens_with(&mut cached, text), expected, "{language:?}, round {round}");
            }
        }
        // Past its size the memory starts afresh, and stems stay the same.
        let mut cached = analyzer(Analysis::Stem(Language::English));
        let many: String = (0..STEM_CACHE_WORDS + 10).map(|i| format!("w{i}ing ")).collect();
        assert_eq!(tokens_with(&mut cached, &many).len(), STEM_CACHE_WORDS + 10);
        assert_eq!(tokens_with(&mut cached, "walking walked"), ["walk", "walk"]);
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
    fn the_matcher_finds_exactly_what_the_analyzer_matches() {
        let text = "Houses and housing: the house prices of Häuser rose, as rising prices do; US data. \
                    ÉCOLE écoles Straße STRASSE x1,...,Xn";
        for (analysis, words) in [
            (Analysis::Stem(Language::English), vec!["hous", "price", "us", "rise", "ecol", "xn"]),
            (Analysis::Stem(Language::German), vec!["haus", "preis", "strass"]),
            (Analysis::Plain, vec!["houses", "strasse"]),
        ] {
            let words: Vec<String> = words.into_iter().map(String::from).collect();
            let mut full = analyzer(analysis);
            let mut stream = full.token_stream(text);
            let mut expected = Vec::new();
            while stream.advance() {
                let t = stream.token();
                if let Some(w) = words.iter().position(|w| *w == t.text) {
                    expected.push((t.offset_from..t.offset_to, w));
                }
            }
            assert!(!expected.is_empty());
            assert_eq!(WordMatcher::new(analysis, &words).find(text), expected, "{analysis:?}");
        }
    }

    #[test]
    fn analyses_start_with_english_and_are_distinct() {
        let a = analyses_of(["de", "en", "de", "pl", "cs"]);
        assert_eq!(a, [Analysis::Stem(Language::English), Analysis::Stem(Language::German), Analysis::Plain]);
    }
}
