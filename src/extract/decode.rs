//! Bytes → text. Owns charset detection (BOM, `<meta charset>`, then statistical detection)
//! and the refusal of files that are not HTML at all (images, archives, empty files).
//! Must not parse HTML or look at anything beyond the first few KB for the declaration.

use encoding_rs::{Encoding, UTF_8};

use super::ExtractError;

/// How far into the page we look for a `<meta charset>` declaration. The HTML standard
/// says 1024 bytes; real pages put long `<script>`s first, so we look a little further.
const PRESCAN_BYTES: usize = 4096;

/// A decoded page: its text and the encoding it was read with.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Decodes a page to UTF-8. Order of evidence: byte-order mark, declared charset
/// (unless it contradicts the bytes), valid UTF-8, then chardetng's guess.
pub fn decode_page(bytes: &[u8]) -> Result<Decoded, ExtractError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(ExtractError::Binary(kind));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded { text: text.into_owned(), encoding });
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(bytes);
        return Ok(Decoded { text: text.into_owned(), encoding });
    }
    let declared = declared_encoding(&bytes[..bytes.len().min(PRESCAN_BYTES)]);
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let encoding = match declared {
        // A page that says UTF-8 but is not is usually windows-1252 saved by an old editor;
        // unless nearly all of its non-ASCII bytes do form UTF-8 (a stray byte pasted
        // into a UTF-8 page): then it is UTF-8 with a few replacement characters.
        Some(enc) if enc == UTF_8 && !valid_utf8 => {
            if mostly_utf8(bytes) {
                UTF_8
            } else {
                guess(bytes)
            }
        }
        // A page that declares a legacy charset but whose bytes are valid UTF-8 with
        // multi-byte characters was re-encoded when saved (archivers and crawlers convert
        // pages and keep the old <meta>): legacy text is almost never valid UTF-8 by chance.
        Some(enc) if enc != UTF_8 && valid_utf8 && !bytes.is_ascii() && enc.is_ascii_compatible() => UTF_8,
        Some(enc) => enc,
        None if valid_utf8 => UTF_8,
        None if mostly_utf8(bytes) => UTF_8,
        None => guess(bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(Decoded { text: text.into_owned(), encoding })
}

/// Whether invalid sequences are under a tenth of the non-ASCII characters: text in a
/// legacy charset (é as one byte 0xE9 before ASCII) almost never forms a valid UTF-8
/// sequence, so a page of valid sequences with a stray byte or two is UTF-8.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid += s.bytes().filter(|&b| b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                valid += rest[..good].iter().filter(|&&b| b >= 0xC0).count();
                invalid += 1;
                match e.error_len() {
                    Some(n) => rest = &rest[good + n..],
                    None => break,
                }
            }
        }
    }
    valid > 0 && invalid * 10 <= valid
}

fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Recognises files that are certainly not HTML by their magic bytes, or by NUL bytes
/// in text that is not UTF-16.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"PK\x03\x04", "a zip archive"),
        (b"%PDF", "a PDF document"),
        (b"BZh", "a bzip2 archive"),
        (b"\xfd7zXZ", "an xz archive"),
        (b"\x7fELF", "an executable"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let head = &bytes[..bytes.len().min(1024)];
    let nuls = head.iter().filter(|&&b| b == 0).count();
    if nuls > 0 && Encoding::for_bom(bytes).is_none() && utf16_without_bom(bytes).is_none() {
        // A stray NUL in a text page is damage, not a binary file; many are binary.
        if nuls * 10 > head.len() {
            return Some("binary data");
        }
    }
    None
}

/// UTF-16 pages without a BOM show as ASCII interleaved with NULs.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.chunks(2).filter(|c| c[0] == 0 && c[1] != 0).count();
    let odd_nul = head.chunks(2).filter(|c| c[1] == 0 && c[0] != 0).count();
    if odd_nul * 10 >= pairs * 9 {
        Some(encoding_rs::UTF_16LE)
    } else if even_nul * 10 >= pairs * 9 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Finds `<meta charset=X>` or `<meta http-equiv=Content-Type content="...; charset=X">`
/// in the head of the page.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..].iter().position(|&b| b == b'>').map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset") {
            let rest = &tag[cs + b"charset".len()..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let label_end = rest
                    .iter()
                    .position(|&b| b == b'"' || b == b'\'' || b == b';' || b.is_ascii_whitespace() || b == b'/')
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..label_end]) {
                    // The standard: a page that declares UTF-16 in ASCII bytes is not UTF-16.
                    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        return Some(UTF_8);
                    }
                    return Some(enc);
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_declared_by_http_equiv() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>caf\xe9 \x93quoted\x94</body></html>";
        let d = decode_page(page).unwrap();
        assert!(d.text.contains("café “quoted”"), "{}", d.text);
    }

    #[test]
    fn latin1_label_is_read_as_windows_1252() {
        let page = b"<meta charset=iso-8859-1><p>Z\xfcrich \x96 Genf</p>";
        let d = decode_page(page).unwrap();
        assert!(d.text.contains("Zürich – Genf"), "{}", d.text);
    }

    #[test]
    fn valid_utf8_under_a_legacy_declaration_is_utf8() {
        // A saved page converted to UTF-8 that kept its gb2312 <meta> (found on a real page).
        let page =
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>新电脑已可利用记忆自学</p>";
        let d = decode_page(page.as_bytes()).unwrap();
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("新电脑"));
        // Real gb2312 bytes are not valid UTF-8 and keep their declaration.
        let (gb, _, _) = encoding_rs::GBK.encode("<meta charset=\"gb2312\"><p>新电脑已可利用记忆自学</p>");
        let d = decode_page(&gb).unwrap();
        assert!(d.text.contains("新电脑"), "{}", d.text);
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8() {
        let mut page = b"<meta charset=utf-8><p>".to_vec();
        page.extend("Gr\u{fc}\u{df}e aus M\u{fc}nchen, sprzeciwiaj\u{105} si\u{119}. ".repeat(3).as_bytes());
        page.extend(b"\x96 stray</p>");
        let d = decode_page(&page).expect("decodes");
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("Grüße aus München, sprzeciwiają się."), "{}", d.text);
        // Undeclared, the same.
        let d = decode_page(&page[20..]).expect("decodes");
        assert_eq!(d.encoding, UTF_8);
        // Windows-1252 text declared as UTF-8 is still read as windows-1252.
        let legacy = b"<meta charset=utf-8><p>Gr\xfc\xdfe aus M\xfcnchen \x96 caf\xe9</p>";
        let d = decode_page(legacy).expect("decodes");
        assert!(d.text.contains("Grüße aus München – café"), "{}", d.text);
    }

    #[test]
    fn bom_wins_over_declaration() {
        let mut page = b"\xef\xbb\xbf<meta charset=windows-1252>".to_vec();
        page.extend_from_slice("<p>Zürich</p>".as_bytes());
        assert!(decode_page(&page).unwrap().text.contains("Zürich"));
    }

    #[test]
    fn undeclared_latin1_is_detected() {
        let page = b"<html><body><p>Les n\xe9gociations entre la France et l'Allemagne ont \xe9t\xe9 difficiles, a d\xe9clar\xe9 le ministre fran\xe7ais.</p></body></html>";
        let d = decode_page(page).unwrap();
        assert!(d.text.contains("négociations"), "{}", d.text);
    }

    #[test]
    fn utf16_without_bom_is_detected() {
        let text = "<html><body><p>Hello Mongolia</p></body></html>";
        let bytes: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert!(decode_page(&bytes).unwrap().text.contains("Hello Mongolia"));
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert!(matches!(decode_page(b"\x89PNG\r\n\x1a\n...."), Err(ExtractError::Binary("a PNG image"))));
        assert!(matches!(decode_page(b" \n "), Err(ExtractError::Empty)));
        assert!(matches!(decode_page(b"\x1f\x8b\x08\x00"), Err(ExtractError::Binary(_))));
    }
}
