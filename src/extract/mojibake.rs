//! Text that was UTF-8 but was read as windows-1252 somewhere upstream ("isnâ€™t" for
//! "isn’t", "CafÃ©" for "Café"): a site that re-encoded its database, or a crawler that
//! guessed the charset wrong and saved the result. The page itself is then consistent (often
//! as entities, `&acirc;&euro;&trade;`), so charset detection cannot see it; only the
//! extracted text shows it. Owns spotting and undoing that one mistake; pure, and must not
//! touch text that merely contains accented letters.

/// The byte windows-1252 shows as `c`, for the characters a misread byte 0x80-0xFF becomes
/// (the five bytes windows-1252 leaves undefined come through as C1 controls).
fn cp1252_byte(c: char) -> Option<u8> {
    let byte = match c {
        '\u{80}'..='\u{FF}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

/// What a repaired sequence may turn into: letters of European scripts, typographic
/// punctuation, € and ™, emoji. Anything else (a CJK character from "été…»") means the
/// letters were meant as they are.
fn plausible(c: char) -> bool {
    matches!(c,
        '\u{A0}'..='\u{24F}' | '\u{370}'..='\u{4FF}' | '\u{2010}'..='\u{203A}' | '€' | '™' | '\u{1F300}'..='\u{1FAFF}')
}

/// The character a misread sequence at the start of `text` stood for, and the sequence's
/// length in characters and in bytes.
fn misread_at(text: &str) -> Option<(char, usize, usize)> {
    let mut chars = text.chars();
    let lead = chars.next()?;
    let len = match lead {
        '\u{C2}'..='\u{DF}' => 2,
        '\u{E0}'..='\u{EF}' => 3,
        '\u{F0}'..='\u{F4}' => 4,
        _ => return None,
    };
    let mut bytes = [lead as u32 as u8, 0, 0, 0];
    let mut span = lead.len_utf8();
    for slot in bytes.iter_mut().take(len).skip(1) {
        let c = chars.next()?;
        let b = cp1252_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        *slot = b;
        span += c.len_utf8();
    }
    let decoded = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    plausible(decoded).then_some((decoded, len, span))
}

/// Walks `text`, calling `found` with each misread sequence (its byte range, the character
/// it stood for and its length in characters). Every lead character is U+00C2-U+00F4,
/// whose UTF-8 starts with 0xC3: the walk jumps from one such byte to the next.
fn each_misread(text: &str, mut found: impl FnMut(std::ops::Range<usize>, char, usize)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr(0xC3, &bytes[i..]) {
        let at = i + k;
        match misread_at(&text[at..]) {
            Some((c, len, span)) => {
                found(at..at + span, c, len);
                i = at + span;
            }
            None => i = at + 2,
        }
    }
}

/// Misread sequences in `text`: (two-character ones, longer ones).
pub fn count(text: &str) -> (usize, usize) {
    let (mut short, mut long) = (0, 0);
    each_misread(text, |_, _, len| if len == 2 { short += 1 } else { long += 1 });
    (short, long)
}

/// Whether a document whose texts hold these counts was misread: one sequence of three or
/// four characters ("â€™" has no other reading), or two short ones ("Ã”" alone could be
/// an all-caps Portuguese word ending in Ã before a closing quote).
pub fn is_misread((short, long): (usize, usize)) -> bool {
    long >= 1 || short >= 2
}

/// `text` with every misread sequence turned back into the character it stood for.
pub fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    each_misread(text, |range, c, _| {
        out.push_str(&text[copied..range.start]);
        out.push(c);
        copied = range.end;
    });
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_read_as_windows_1252_is_turned_back() {
        assert_eq!(repair("isnâ€™t â€œquotedâ€\u{9D} â€” and â€¦"), "isn’t “quoted” — and …");
        assert_eq!(repair("CafÃ© in MÃ¼nchen, 20Â°C, Ã‰cole, â‚¬5"), "Café in München, 20°C, École, €5");
        assert_eq!(repair("ÐŸÑ€Ð¸Ð²ÐµÑ‚ ðŸ˜€"), "Привет 😀");
        assert_eq!(count("isnâ€™t CafÃ©"), (1, 1));
    }

    #[test]
    fn accented_text_is_left_alone() {
        for text in [
            "Café in München, l'été…» à Noël, Ærøskøbing, naïve façade",
            "Gewässer „Hä“ – Straße, São Paulo, AMANHÃ",
            "Ça va? Ôte-toi. Île-de-France. Ébauche, Ünal, Ørsted",
        ] {
            assert_eq!(repair(text), text);
            assert_eq!(count(text), (0, 0), "{text}");
        }
    }

    #[test]
    fn one_short_sequence_is_not_proof() {
        // "Ã" before a closing quote reads as "Ô": an all-caps Portuguese word ending in Ã.
        assert_eq!(count("“AMANHÃ”"), (1, 0));
        assert!(!is_misread(count("“AMANHÃ”")));
        assert!(is_misread(count("CafÃ© au lait, crÃ¨me")));
        assert!(is_misread(count("itâ€™s")));
    }
}
