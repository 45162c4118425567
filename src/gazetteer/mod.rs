//! Stage 4 of indexing (enrich): an [`Article`]'s raw labels and text → regions,
//! countries, categories and tags. Owns the gazetteer and category vocabularies (data
//! files beside this module, extendable by a user file). Must not parse HTML or touch
//! the index. Region names found in site menus never reach it: extraction only passes
//! labels the article itself carries.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::extract::{Article, LabelSource};

const BUILT_IN_PLACES: &str = include_str!("gazetteer.toml");
const BUILT_IN_CATEGORIES: &str = include_str!("categories.toml");

#[derive(Debug, Error)]
pub enum VocabularyError {
    #[error("invalid vocabulary TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("country {country:?} names unknown region {region:?}")]
    UnknownRegion { country: String, region: String },
    #[error("topic table line {line}: expected CODE<TAB>NAME, optionally more <TAB>ALIAS columns")]
    TopicLine { line: usize },
}

#[derive(Debug, Default, Deserialize)]
struct VocabularyFile {
    #[serde(default)]
    region: Vec<RegionEntry>,
    #[serde(default)]
    country: Vec<CountryEntry>,
    #[serde(default)]
    category: Vec<CategoryEntry>,
    /// A user's topic list: when it has any entry, the only topics articles are filed under.
    #[serde(default)]
    topic: Vec<TopicEntry>,
}

#[derive(Debug, Deserialize)]
struct RegionEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CountryEntry {
    name: String,
    region: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    demonyms: Vec<String>,
    #[serde(default)]
    codes: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CategoryEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct TopicEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// Codes or slugs a site may show instead of the name (`money-fx`).
    #[serde(default)]
    codes: Vec<String>,
}

/// A place a label or a phrase names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Region(usize),
    Country(usize),
}

#[derive(Debug, Clone)]
struct Country {
    name: String,
    region: usize,
}

/// Labels that name the whole world rather than a place or a topic ("Global" on a page
/// with no country); normalised.
const WORLDWIDE: &[&str] = &["global", "world", "worldwide", "international", "the world"];

/// What enrichment adds to an article: canonical names, sorted and deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub regions: Vec<String>,
    pub countries: Vec<String>,
    /// Topics: what the site files the article under.
    pub categories: Vec<String>,
    /// Article types (News, Analysis, Opinion...): labels named in categories.toml.
    pub types: Vec<String>,
    pub tags: Vec<String>,
}

/// Places and categories, pre-indexed by normalised name. The built-in vocabulary is
/// built on first use (parsing and indexing it is most of a short search's work, and a
/// search without place or category filters never needs it); a user's file is read and
/// checked at once, so its errors surface when it is given.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    tables: OnceLock<Tables>,
}

#[derive(Debug, Clone)]
struct Tables {
    regions: Vec<String>,
    countries: Vec<Country>,
    by_name: HashMap<String, Place>,
    by_code: HashMap<String, usize>,
    /// Names matched in running text: normalised phrase → (country, must be all caps).
    in_text: HashMap<String, (usize, bool)>,
    /// The first word of every name in `in_text`: a capitalised word that starts none
    /// ("The", "President") is passed over without trying phrases.
    phrase_starts: HashSet<String>,
    longest_phrase: usize,
    categories: HashMap<String, String>,
    /// A user's controlled topic list: normalised name, alias or code → topic name. Empty
    /// means open topics (any category link or tag the site files the article under).
    topics: HashMap<String, String>,
}

/// Lower case, accents stripped, `&` read as "and", other punctuation as spaces.
pub fn normalise(s: &str) -> String {
    if s.is_ascii() {
        // Nothing to decompose: skip the NFD pass (most keys of the built-in vocabulary,
        // which every command normalises at start-up, and most text the indexer matches).
        return normalise_chars(s.chars(), s.len());
    }
    normalise_chars(s.nfd().filter(|&c| !unicode_normalization::char::is_combining_mark(c)), s.len())
}

fn normalise_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut space = true;
    for c in chars {
        if c == '&' {
            if !space {
                out.push(' ');
            }
            out.push_str("and ");
            space = true;
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if c == '\'' || c == '’' {
            // "Côte d'Ivoire" and "Cote dIvoire" differ only by the apostrophe.
            if !space {
                out.push(' ');
                space = true;
            }
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    let len = out.trim_end().len();
    out.truncate(len);
    out
}

impl Tables {
    fn load(user: Option<VocabularyFile>) -> Result<Tables, VocabularyError> {
        let mut file: VocabularyFile = toml::from_str(BUILT_IN_PLACES)?;
        let cats: VocabularyFile = toml::from_str(BUILT_IN_CATEGORIES)?;
        file.category = cats.category;
        if let Some(user) = user {
            file.region.extend(user.region);
            file.category.extend(user.category);
            file.topic.extend(user.topic);
            for c in user.country {
                // A user entry with a built-in name replaces that entry.
                file.country.retain(|b| normalise(&b.name) != normalise(&c.name));
                file.country.push(c);
            }
        }
        Tables::build(file)
    }

    fn build(file: VocabularyFile) -> Result<Tables, VocabularyError> {
        let mut v = Tables {
            regions: Vec::new(),
            countries: Vec::new(),
            by_name: HashMap::new(),
            by_code: HashMap::new(),
            in_text: HashMap::new(),
            phrase_starts: HashSet::new(),
            longest_phrase: 1,
            categories: HashMap::new(),
            topics: HashMap::new(),
        };
        for r in file.region {
            let ix = match v.regions.iter().position(|x| normalise(x) == normalise(&r.name)) {
                Some(ix) => ix,
                None => {
                    v.regions.push(r.name.clone());
                    v.regions.len() - 1
                }
            };
            for name in std::iter::once(&r.name).chain(&r.aliases) {
                v.by_name.insert(normalise(name), Place::Region(ix));
            }
        }
        for c in file.country {
            let region = v
                .regions
                .iter()
                .position(|r| r == &c.region)
                .ok_or_else(|| VocabularyError::UnknownRegion { country: c.name.clone(), region: c.region.clone() })?;
            let ix = v.countries.len();
            v.countries.push(Country { name: c.name.clone(), region });
            for name in std::iter::once(&c.name).chain(&c.aliases).chain(&c.demonyms) {
                let key = normalise(name);
                if key.is_empty() {
                    continue;
                }
                v.by_name.insert(key.clone(), Place::Country(ix));
                let all_caps = name.chars().any(char::is_alphabetic) && !name.chars().any(char::is_lowercase);
                v.longest_phrase = v.longest_phrase.max(key.split(' ').count());
                v.phrase_starts.insert(key.split(' ').next().unwrap_or_default().to_string());
                v.in_text.insert(key, (ix, all_caps));
            }
            let slug_of_name = normalise(&c.name);
            v.by_code.insert(slug_of_name, ix);
            for code in &c.codes {
                v.by_code.insert(normalise(code), ix);
            }
        }
        for c in file.category {
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                v.categories.insert(normalise(name), c.name.clone());
            }
        }
        for t in file.topic {
            for name in std::iter::once(&t.name).chain(&t.aliases).chain(&t.codes) {
                let key = normalise(name);
                if !key.is_empty() {
                    v.topics.insert(key, t.name.clone());
                }
            }
        }
        Ok(v)
    }
}

impl Vocabulary {
    /// The built-in vocabulary, plus a user's file (TOML) when given.
    pub fn load(user_toml: Option<&str>) -> Result<Vocabulary, VocabularyError> {
        let user = user_toml.map(toml::from_str::<VocabularyFile>).transpose()?;
        Vocabulary::with_user_file(user)
    }

    /// The built-in vocabulary plus a topic table: one topic per line, `CODE<TAB>NAME`
    /// and optionally more tab-separated aliases (the shape of a taxonomy export).
    /// Blank lines and lines starting with `#` are skipped.
    pub fn with_topic_table(tsv: &str) -> Result<Vocabulary, VocabularyError> {
        let mut topic = Vec::new();
        for (n, line) in tsv.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            // Columns are trimmed, which also drops a Windows line end's '\r'.
            let mut cols = line.split('\t').map(str::trim);
            let (Some(code), Some(name)) = (cols.next(), cols.next().filter(|n| !n.is_empty())) else {
                return Err(VocabularyError::TopicLine { line: n + 1 });
            };
            let aliases = cols.filter(|a| !a.is_empty()).map(String::from).collect();
            topic.push(TopicEntry { name: name.to_string(), aliases, codes: vec![code.to_string()] });
        }
        Vocabulary::with_user_file(Some(VocabularyFile { topic, ..VocabularyFile::default() }))
    }

    fn with_user_file(user: Option<VocabularyFile>) -> Result<Vocabulary, VocabularyError> {
        let tables = OnceLock::new();
        if user.is_some() {
            let _ = tables.set(Tables::load(user)?);
        }
        Ok(Vocabulary { tables })
    }

    fn t(&self) -> &Tables {
        // The built-in files are part of the binary and checked by the tests below.
        self.tables.get_or_init(|| Tables::load(None).expect("the built-in vocabulary is valid"))
    }

    pub fn region_name(&self, ix: usize) -> &str {
        &self.t().regions[ix]
    }

    pub fn country_name(&self, ix: usize) -> &str {
        &self.t().countries[ix].name
    }

    pub fn country_region(&self, ix: usize) -> usize {
        self.t().countries[ix].region
    }

    /// What a label names: "US", "Asia Pacific", "west-germany", "MONGOLIA".
    pub fn resolve(&self, label: &str) -> Option<Place> {
        self.t().by_name.get(&normalise(label)).copied()
    }

    /// A tag or URL code: "usa", "west-germany", "mn".
    pub fn resolve_code(&self, code: &str) -> Option<Place> {
        let key = normalise(code);
        self.t().by_code.get(&key).map(|&c| Place::Country(c)).or_else(|| self.t().by_name.get(&key).copied())
    }

    /// The topic a label names in the user's topic list: `Some(None)` when the list
    /// names no such topic, `None` when there is no list (any label may be a topic).
    fn listed_topic(&self, label: &str, slug: Option<&str>) -> Option<Option<&str>> {
        let topics = &self.t().topics;
        if topics.is_empty() {
            return None;
        }
        let found = topics.get(&normalise(label)).or_else(|| slug.and_then(|s| topics.get(&normalise(s))));
        Some(found.map(String::as_str))
    }

    /// A known category's canonical name.
    pub fn category(&self, label: &str) -> Option<&str> {
        self.t().categories.get(&normalise(label)).map(String::as_str)
    }

    /// Counts country mentions in running text: capitalised names, aliases and demonyms,
    /// longest match first; all-caps aliases ("US") only when written in capitals.
    pub fn count_mentions(&self, text: &str, counts: &mut HashMap<usize, u32>, weight: u32) {
        let words: Vec<&str> =
            text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()).collect();
        let mut i = 0;
        while i < words.len() {
            let mut matched = 1;
            let starts_a_name = || {
                let first = normalise(words[i]);
                self.t().phrase_starts.contains(first.split(' ').next().unwrap_or_default())
            };
            if words[i].chars().next().is_some_and(char::is_uppercase) && starts_a_name() {
                for n in (1..=self.t().longest_phrase.min(words.len() - i)).rev() {
                    let phrase = words[i..i + n].join(" ");
                    if let Some(&(country, all_caps)) = self.t().in_text.get(&normalise(&phrase)) {
                        if all_caps && phrase.chars().any(char::is_lowercase) {
                            continue;
                        }
                        *counts.entry(country).or_default() += weight;
                        matched = n;
                        break;
                    }
                }
            }
            i += matched;
        }
    }

    /// Interprets an article's labels (and, when they name no place, its text).
    pub fn enrich(&self, article: &Article) -> Facets {
        let mut regions = BTreeSet::new();
        let mut countries = BTreeSet::new();
        let mut categories = BTreeSet::new();
        let mut types = BTreeSet::new();
        let mut tags = BTreeSet::new();
        // The site's own section is neither a topic nor, filed again as a category link,
        // does it become one.
        let declared: HashSet<String> = article
            .labels
            .iter()
            .filter(|l| matches!(l.source, LabelSource::DeclaredSection | LabelSource::Breadcrumb))
            .map(|l| normalise(&l.text))
            .collect();
        for label in &article.labels {
            let place = self.resolve(&label.text).or_else(|| label.slug.as_deref().and_then(|s| self.resolve_code(s)));
            match place {
                Some(Place::Region(r)) => {
                    regions.insert(r);
                }
                Some(Place::Country(c)) => {
                    countries.insert(c);
                }
                None => match (label.source, self.category(&label.text)) {
                    (_, Some(known)) => {
                        types.insert(known.to_string());
                    }
                    (LabelSource::DeclaredSection | LabelSource::Breadcrumb, None) => {}
                    (LabelSource::Keyword, None) => {
                        tags.insert(label.text.clone());
                    }
                    (LabelSource::Section | LabelSource::Tag, None) => {
                        let topic = label.text.trim_start_matches('#').trim();
                        let key = normalise(topic);
                        match self.listed_topic(topic, label.slug.as_deref()) {
                            // A topic list is the user's taxonomy: what it names, by its
                            // names, and nothing else (site sections stay tags).
                            Some(listed) => categories.extend(listed.map(str::to_string)),
                            None => {
                                if !topic.is_empty() && !declared.contains(&key) && !WORLDWIDE.contains(&key.as_str()) {
                                    categories.insert(topic.to_string());
                                }
                            }
                        }
                        if label.source == LabelSource::Tag {
                            tags.insert(label.text.clone());
                        }
                    }
                },
            }
        }
        if countries.is_empty() {
            // No place in the metadata: countries the article is about, by its own text.
            let mut counts = HashMap::new();
            if let Some(t) = &article.title {
                self.count_mentions(t, &mut counts, 2);
            }
            for b in &article.blocks {
                self.count_mentions(&b.text, &mut counts, 1);
            }
            let mut by_count: Vec<(usize, u32)> = counts.into_iter().filter(|&(_, n)| n >= 2).collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            countries.extend(by_count.into_iter().take(5).map(|(c, _)| c));
        }
        for &c in &countries {
            regions.insert(self.t().countries[c].region);
        }
        let mut region_names: Vec<String> = regions.into_iter().map(|r| self.t().regions[r].clone()).collect();
        region_names.sort();
        let mut country_names: Vec<String> =
            countries.into_iter().map(|c| self.t().countries[c].name.clone()).collect();
        country_names.sort();
        Facets {
            regions: region_names,
            countries: country_names,
            categories: categories.into_iter().collect(),
            types: types.into_iter().collect(),
            tags: tags.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::load(None).unwrap()
    }

    #[test]
    fn aliases_resolve_to_canonical_places() {
        let v = vocab();
        let us = v.resolve("US").unwrap();
        assert_eq!(v.resolve("U.S.A."), Some(us));
        assert_eq!(v.resolve("united states"), Some(us));
        let Place::Country(c) = us else { panic!("US is a country") };
        assert_eq!(v.country_name(c), "United States");
        assert_eq!(v.region_name(v.country_region(c)), "Americas");
        assert!(matches!(v.resolve("asia-pacific"), Some(Place::Region(_))));
        assert!(matches!(v.resolve("Russia & Eurasia"), Some(Place::Region(_))));
        assert!(matches!(v.resolve_code("west-germany"), Some(Place::Country(_))));
    }

    #[test]
    fn text_mentions_respect_case() {
        let v = vocab();
        let mut counts = HashMap::new();
        v.count_mentions("Let us go. The US and Mongolia signed; Mongolian herders, turkey dinner.", &mut counts, 1);
        let names: BTreeSet<&str> = counts.keys().map(|&c| v.country_name(c)).collect();
        assert!(names.contains("United States"));
        assert!(names.contains("Mongolia"));
        assert!(!names.contains("Turkey"));
        let mongolia = counts.iter().find(|(&c, _)| v.country_name(c) == "Mongolia").unwrap().1;
        assert_eq!(*mongolia, 2);
    }

    #[test]
    fn user_file_extends_the_vocabulary() {
        let v = Vocabulary::load(Some("[[country]]\nname = \"Atlantis\"\nregion = \"Europe\"\naliases = [\"Atlantida\"]\n[[category]]\nname = \"Dispatch\"\n")).unwrap();
        assert!(matches!(v.resolve("atlantida"), Some(Place::Country(_))));
        assert_eq!(v.category("dispatch"), Some("Dispatch"));
        assert!(Vocabulary::load(Some("[[country]]\nname = \"X\"\nregion = \"Mars\"\n")).is_err());
    }

    /// An article carrying only these labels.
    fn labelled(labels: Vec<crate::extract::metadata::Label>) -> Article {
        Article {
            title: None,
            published: None,
            author: None,
            language: None,
            url: None,
            labels,
            blocks: Vec::new(),
            encoding: "utf-8",
        }
    }

    #[test]
    fn labels_become_places_types_or_topics_by_where_they_come_from() {
        use crate::extract::metadata::{Label, LabelSource as S};
        let label = |text: &str, source| Label { text: text.into(), source, slug: None };
        let article = labelled(vec![
            label("Markets", S::DeclaredSection),
            label("Markets", S::Section),
            label("Analysis", S::Section),
            label("Mongolia", S::Tag),
            label("#rare earths", S::Tag),
            label("Trade", S::Section),
            label("Global", S::Tag),
            label("Europe", S::Breadcrumb),
            label("Economy", S::Breadcrumb),
            label("newsletter", S::Keyword),
        ]);
        let f = vocab().enrich(&article);
        // The declared section and breadcrumbs are the site's filing, not topics; site-wide
        // meta keywords stay searchable tags; "Global" names no place and no topic.
        assert_eq!(f.categories, ["Trade", "rare earths"]);
        assert_eq!(f.types, ["Analysis"]);
        assert_eq!(f.countries, ["Mongolia"]);
        assert!(f.regions.contains(&"Europe".to_string()));
        assert!(f.tags.contains(&"newsletter".to_string()));
    }

    #[test]
    fn a_topic_list_maps_labels_and_drops_the_rest() {
        use crate::extract::metadata::{Label, LabelSource as S};
        let label =
            |text: &str, source, slug: Option<&str>| Label { text: text.into(), source, slug: slug.map(String::from) };
        let article = labelled(vec![
            label("#fx", S::Tag, Some("fx")),
            label("Ideas", S::Section, Some("ideas")),
            label("Grain Markets", S::Section, None),
            label("Metals", S::Tag, Some("strategic-metals")),
            label("Mongolia", S::Tag, None),
        ]);
        let open = vocab().enrich(&article);
        assert!(open.categories.contains(&"Ideas".to_string()), "without a list every category link is a topic");
        let table =
            "# code\tname\r\nfx\tForeign Exchange\r\nstrategic-metals\tStrategic Metals\n\ngrain\tGrain\tgrain markets\n";
        let v = Vocabulary::with_topic_table(table).unwrap();
        let f = v.enrich(&article);
        // By code, by alias, by the link's slug; a section the list does not name is no topic.
        assert_eq!(f.categories, ["Foreign Exchange", "Grain", "Strategic Metals"]);
        assert_eq!(f.countries, ["Mongolia"]);
        assert!(f.tags.contains(&"Metals".to_string()));
        assert!(matches!(Vocabulary::with_topic_table("fx\n"), Err(VocabularyError::TopicLine { line: 1 })));
        let toml = "[[topic]]\nname = \"Grain\"\ncodes = [\"ideas\"]\n";
        assert_eq!(Vocabulary::load(Some(toml)).unwrap().enrich(&article).categories, ["Grain"]);
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise("Côte d’Ivoire"), "cote d ivoire");
        assert_eq!(normalise("Russia & Eurasia"), "russia and eurasia");
        assert_eq!(normalise("U.S."), "u s");
    }
}
