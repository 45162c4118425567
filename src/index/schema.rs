//! The one definition of the index's fields and analyzers. Every other module reaches a
//! field through [`Fields`]; no field name appears anywhere else.
//!
//! Useful for: adding a field (add it here and in `document`), changing how text is
//! tokenised. Not for: deciding what goes into a field (extract/gazetteer) or how it is
//! queried (search).

use tantivy::schema::{
    DateOptions, DateTimePrecision, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};

use super::analysis::{analyzer, Analysis, Multilingual};
use tantivy::Index;

/// English analyzer: fold case and accents, then stem (stop-word lists, feedback words).
pub const ENGLISH: &str = "dossier_en";
pub use super::analysis::TEXT;
/// Names (authors): fold case and accents, no stemming.
pub const NAMES: &str = "dossier_names";

/// Bumped when the schema or the extractor changes in a way that needs a rebuild.
pub const FORMAT_VERSION: u32 = 4;

#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Path relative to the corpus root, `/`-separated: the stable document id.
    pub id: Field,
    pub url: Field,
    /// Title and body as searched: each value analysed in its page's language (see
    /// analysis.rs), not stored.
    pub title: Field,
    /// One value per block, so phrases never match across paragraphs.
    pub body: Field,
    /// Title and body as shown: the page's text, stored, not searched.
    pub stored_title: Field,
    pub stored_body: Field,
    pub author: Field,
    /// The tags the site filed the article under, searched in the page's language like
    /// title and body; `stored_tags` as shown.
    pub tags: Field,
    pub stored_tags: Field,
    pub language: Field,
    /// Publication day at midnight UTC (the page's own calendar day), for ranges and sorting.
    pub date: Field,
    /// RFC 3339 instant when the page gives a time.
    pub published: Field,
    /// `/Region` or `/Region/Country`.
    pub region: Field,
    /// `/Category`.
    pub category: Field,
    /// `/YYYY/MM`, for counts by year.
    pub year: Field,
    pub content_hash: Field,
    /// A 64-bit hash of `id` (document::id_key): the tie-break of equal scores, read as a
    /// number instead of a string.
    pub id_key: Field,
    /// SimHash of title and body, and its word count (fingerprint.rs): near-duplicates.
    pub fingerprint: Field,
    pub words: Field,
    pub file_size: Field,
    pub file_mtime: Field,
}

pub fn build_schema() -> (Schema, Fields) {
    let indexed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let text = |tokenizer: &str| indexed(tokenizer).set_stored();
    let mut sb = Schema::builder();
    let fields = Fields {
        id: sb.add_text_field("id", STRING | STORED | FAST),
        url: sb.add_text_field("url", STORED),
        title: sb.add_text_field("title", indexed(TEXT)),
        body: sb.add_text_field("body", indexed(TEXT)),
        stored_title: sb.add_text_field("stored_title", STORED),
        stored_body: sb.add_text_field("stored_body", STORED),
        author: sb.add_text_field("author", text(NAMES)),
        tags: sb.add_text_field("tags", indexed(TEXT)),
        stored_tags: sb.add_text_field("stored_tags", STORED),
        language: sb.add_text_field("language", STRING | STORED),
        date: sb.add_date_field(
            "date",
            DateOptions::default().set_indexed().set_stored().set_fast().set_precision(DateTimePrecision::Seconds),
        ),
        published: sb.add_text_field("published", STORED),
        region: sb.add_facet_field("region", FacetOptions::default().set_stored()),
        category: sb.add_facet_field("category", FacetOptions::default().set_stored()),
        year: sb.add_facet_field("year", FacetOptions::default()),
        content_hash: sb.add_u64_field("content_hash", STORED | FAST | INDEXED),
        id_key: sb.add_u64_field("id_key", FAST),
        fingerprint: sb.add_u64_field("fingerprint", FAST),
        words: sb.add_u64_field("words", FAST),
        file_size: sb.add_u64_field("file_size", FAST),
        file_mtime: sb.add_i64_field("file_mtime", FAST),
    };
    (sb.build(), fields)
}

/// Field names used by collectors that take names rather than `Field`s.
pub const DATE_FIELD: &str = "date";
pub const ID_FIELD: &str = "id";
pub const SIZE_FIELD: &str = "file_size";
pub const MTIME_FIELD: &str = "file_mtime";
pub const HASH_FIELD: &str = "content_hash";
pub const ID_KEY_FIELD: &str = "id_key";
pub const FINGERPRINT_FIELD: &str = "fingerprint";
pub const WORDS_FIELD: &str = "words";
pub const REGION_FIELD: &str = "region";
pub const CATEGORY_FIELD: &str = "category";
pub const YEAR_FIELD: &str = "year";

/// The tokenizers for reading a query as pages in one language are read: the title and
/// body analyzed with that language's stemmer, the other fields as in the index.
pub fn query_tokenizers(analysis: Analysis) -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    register_into(&manager);
    manager.register(TEXT, analyzer(analysis));
    manager
}

/// Tokenizers are not persisted by tantivy: register them on every `Index` handle.
pub fn register_tokenizers(index: &Index) {
    register_into(index.tokenizers());
}

fn register_into(manager: &tantivy::tokenizer::TokenizerManager) {
    let english = analyzer(Analysis::Stem(Language::English));
    let names = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    manager.register(ENGLISH, english);
    manager.register(TEXT, TextAnalyzer::from(Multilingual::new()));
    manager.register(NAMES, names);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_used_by_name_exist() {
        let (schema, fields) = build_schema();
        assert_eq!(schema.get_field(DATE_FIELD).unwrap(), fields.date);
        assert_eq!(schema.get_field(ID_FIELD).unwrap(), fields.id);
        assert_eq!(schema.get_field(SIZE_FIELD).unwrap(), fields.file_size);
        assert_eq!(schema.get_field(MTIME_FIELD).unwrap(), fields.file_mtime);
        assert_eq!(schema.get_field(HASH_FIELD).unwrap(), fields.content_hash);
        assert_eq!(schema.get_field(ID_KEY_FIELD).unwrap(), fields.id_key);
        assert_eq!(schema.get_field(REGION_FIELD).unwrap(), fields.region);
        assert_eq!(schema.get_field(CATEGORY_FIELD).unwrap(), fields.category);
        assert_eq!(schema.get_field(YEAR_FIELD).unwrap(), fields.year);
        assert_eq!(schema.get_field(FINGERPRINT_FIELD).unwrap(), fields.fingerprint);
        assert_eq!(schema.get_field(WORDS_FIELD).unwrap(), fields.words);
    }
}
