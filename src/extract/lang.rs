//! The page's language: what the page declares, else a guess from the text.
//! Owns the mapping to ISO 639-1 codes; knows nothing of stemmers or HTML.

/// `en-GB` → `en`, `de_DE` → `de`; `None` for values that are not language tags.
pub fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 || primary.len() == 3).then_some(primary).filter(|p| p.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Guesses the language of a text sample; `None` when the detector is not confident.
pub fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(2000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = match info.lang() {
        whatlang::Lang::Eng => "en",
        whatlang::Lang::Deu => "de",
        whatlang::Lang::Fra => "fr",
        whatlang::Lang::Spa => "es",
        whatlang::Lang::Ita => "it",
        whatlang::Lang::Por => "pt",
        whatlang::Lang::Nld => "nl",
        whatlang::Lang::Rus => "ru",
        whatlang::Lang::Swe => "sv",
        whatlang::Lang::Dan => "da",
        whatlang::Lang::Nob => "no",
        whatlang::Lang::Fin => "fi",
        whatlang::Lang::Pol => "pl",
        whatlang::Lang::Tur => "tr",
        whatlang::Lang::Ara => "ar",
        whatlang::Lang::Cmn => "zh",
        whatlang::Lang::Jpn => "ja",
        whatlang::Lang::Kor => "ko",
        whatlang::Lang::Ukr => "uk",
        whatlang::Lang::Hun => "hu",
        whatlang::Lang::Ces => "cs",
        whatlang::Lang::Ron => "ro",
        whatlang::Lang::Ell => "el",
        other => return Some(other.code().to_string()),
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtags() {
        assert_eq!(primary_subtag("en-GB").as_deref(), Some("en"));
        assert_eq!(primary_subtag("de_DE").as_deref(), Some("de"));
        assert_eq!(primary_subtag("").as_deref(), None);
    }

    #[test]
    fn detects_german() {
        let text = "Die Bundesregierung hat am Mittwoch beschlossen, den Ausstieg aus der Kohle zu beschleunigen, wie ein Sprecher mitteilte.";
        assert_eq!(detect_language(text).as_deref(), Some("de"));
    }
}
