//! Original pages, read from inside the corpus folder and nowhere else. A document id is
//! a `/`-separated path relative to the corpus; anything that could step out (`..`, an
//! absolute path, a symlink pointing elsewhere) is refused. Must not serve anything that
//! is not a page file.

use std::path::{Component, Path};

/// Why a file is not served (shown to the user; never says more than the id did).
#[derive(Debug)]
pub struct Refused(pub &'static str);

/// Reads the page `id` from `corpus` (which must be canonical). The resolved path, with
/// every symlink followed, must still lie inside `corpus`.
pub fn read_inside(corpus: &Path, id: &str) -> Result<Vec<u8>, Refused> {
    let relative = Path::new(id);
    let plain = relative.components().all(|c| matches!(c, Component::Normal(_)));
    if id.is_empty() || id.contains('\\') || id.contains('\0') || !plain {
        return Err(Refused("not a page of the corpus"));
    }
    let is_page = relative
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if !is_page {
        return Err(Refused("not a page of the corpus"));
    }
    let resolved = corpus.join(relative).canonicalize().map_err(|_| Refused("no such page in the corpus"))?;
    if !resolved.starts_with(corpus) || !resolved.is_file() {
        return Err(Refused("not a page of the corpus"));
    }
    std::fs::read(&resolved).map_err(|_| Refused("cannot read the page"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_pages_inside_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir_all(corpus.join("a")).unwrap();
        std::fs::write(corpus.join("a/page.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.path().join("secret.html"), "secret").unwrap();
        std::fs::write(corpus.join("notes.txt"), "text").unwrap();
        let corpus = corpus.canonicalize().unwrap();
        assert_eq!(read_inside(&corpus, "a/page.html").unwrap(), b"<p>hi</p>");
        for bad in ["../secret.html", "a/../../secret.html", "/etc/passwd", "", "notes.txt", "a/missing.html"] {
            assert!(read_inside(&corpus, bad).is_err(), "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.html"), corpus.join("a/link.html")).unwrap();
            assert!(read_inside(&corpus, "a/link.html").is_err(), "symlink out of the corpus");
        }
    }
}
