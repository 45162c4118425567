//! Hostile and broken pages, written at test time by the generator below (nothing big is
//! committed). Each page that cannot be read as an article must cost exactly one stderr
//! line naming its path and the reason, the run must exit 1, and every other page must be
//! indexed. Pages that are damaged but readable (stray NULs, invalid UTF-8, UTF-16 without
//! a byte-order mark) are indexed and their text found.
//!
//! The default run stays small and quick. The pages of hundreds of MB are `#[ignore]`d and
//! run by `tests/hostile/heavy.sh`, which also measures peak memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dossier() -> Command {
    let mut c = Command::cargo_bin("dossier").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The generator: pages nobody should have to commit.
mod pages {
    use super::*;

    /// A short, ordinary article around `body`, so a readable page has a title and prose.
    pub fn article(title: &str, body: &str) -> String {
        format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><article>\
             <h1>{title}</h1><p>{body}</p><p>A second paragraph of ordinary prose follows here, long enough \
             for the extractor to keep it as the body of a real article about mining and trade.</p>\
             </article></body></html>"
        )
    }

    pub fn with_nul_bytes() -> Vec<u8> {
        article("Stray NUL bytes", "The zirconium\0 survey found\0 deposits along the\0 northern ridge.").into_bytes()
    }

    /// Text that says it is UTF-8 and is not: lone continuation bytes, a truncated sequence,
    /// bytes that never occur in UTF-8.
    pub fn invalid_utf8() -> Vec<u8> {
        let mut bytes = article("Broken bytes", "The molybdenum \u{1} contract").into_bytes();
        let at = bytes.len() / 2;
        bytes.splice(at..at, [0x80, 0xbf, 0xc3, 0xff, 0xfe, 0xed, 0xa0, 0x80]);
        bytes
    }

    pub fn utf16_without_bom(big_endian: bool) -> Vec<u8> {
        let page = article("UTF-16 page", "The vanadium shipments resumed in spring.");
        page.encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
    }

    /// CRC-32 (IEEE), bit by bit: enough for the two small archives below.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// A valid gzip file of an HTML page (one stored deflate block): the page's markup is
    /// in it verbatim, which is what makes it tempting to parse.
    pub fn gzip_of(page: &[u8]) -> Vec<u8> {
        let len = u16::try_from(page.len()).expect("small page");
        let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
        out.push(1); // final block, stored
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(page);
        out.extend_from_slice(&crc32(page).to_le_bytes());
        out.extend_from_slice(&(page.len() as u32).to_le_bytes());
        out
    }

    /// A valid zip archive holding one stored HTML file.
    pub fn zip_of(name: &str, page: &[u8]) -> Vec<u8> {
        let (crc, size) = (crc32(page), page.len() as u32);
        let name_len = name.len() as u16;
        let mut out = Vec::new();
        out.extend_from_slice(b"PK\x03\x04");
        for v in [20u16, 0, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes()); // version, flags, method, time, date
        }
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(page);
        let central_at = out.len() as u32;
        out.extend_from_slice(b"PK\x01\x02");
        for v in [20u16, 20, 0, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes()); // made by, needed, flags, method, time, date
        }
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        for v in [name_len, 0, 0, 0, 0] {
            out.extend_from_slice(&v.to_le_bytes()); // name, extra, comment, disk, internal attrs
        }
        out.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        out.extend_from_slice(&0u32.to_le_bytes()); // offset of the local header
        out.extend_from_slice(name.as_bytes());
        let central_len = out.len() as u32 - central_at;
        out.extend_from_slice(b"PK\x05\x06");
        for v in [0u16, 0, 1, 1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&central_len.to_le_bytes());
        out.extend_from_slice(&central_at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    /// One element carrying `count` distinct attributes, then a short article.
    pub fn many_attributes(count: usize) -> Vec<u8> {
        let mut out = String::with_capacity(count * 12);
        out.push_str("<!doctype html><html><head><title>Attributes</title></head><body><div");
        for i in 0..count {
            out.push_str(&format!(" a{i}=x"));
        }
        out.push('>');
        out.push_str("<p>The tungsten tender closed after many attributes.</p></div></body></html>");
        out.into_bytes()
    }

    /// A page of `count` small inline elements: the densest markup, the most memory per byte.
    pub fn many_elements(count: usize) -> String {
        format!("<html><head><title>Elements</title></head><body><p>{}</p></body></html>", "<b>w</b>".repeat(count))
    }

    /// Streams a page of about `bytes` bytes of paragraphs of 2 KB (so 200 MB stays under
    /// the element limit) to `path`, never holding it in memory.
    pub fn write_large_page(path: &Path, bytes: u64) -> std::io::Result<()> {
        let mut w = BufWriter::new(File::create(path)?);
        w.write_all(b"<!doctype html><html><head><title>Large page</title></head><body><article>")?;
        let sentence = "The cobalt refinery report runs to many pages of ordinary prose and tables. ";
        let paragraph = format!("<p>{}</p>\n", sentence.repeat(26));
        let paragraph = paragraph.as_bytes();
        let mut written = 0;
        while written < bytes {
            w.write_all(paragraph)?;
            written += paragraph.len() as u64;
        }
        w.write_all(b"</article></body></html>")?;
        w.flush()
    }

    /// Streams a page whose body is one text node of `bytes` bytes (words, no markup).
    pub fn write_one_text_node(path: &Path, bytes: u64) -> std::io::Result<()> {
        let mut w = BufWriter::new(File::create(path)?);
        w.write_all(b"<!doctype html><html><head><title>One text node</title></head><body><p>")?;
        let words = b"nickel lithium graphite manganese ".repeat(1000);
        let mut written = 0;
        while written < bytes {
            w.write_all(&words)?;
            written += words.len() as u64;
        }
        w.write_all(b"</p></body></html>")?;
        w.flush()
    }
}

/// A corpus of a few ordinary pages (from the fixtures) plus whatever the test adds.
struct Corpus {
    dir: tempfile::TempDir,
    root: PathBuf,
    index: PathBuf,
}

const ORDINARY: [&str; 3] = ["wordpress.html", "jsonld.html", "amp_url_date.html"];

impl Corpus {
    fn new() -> Corpus {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(&root).expect("corpus dir");
        for name in ORDINARY {
            std::fs::copy(repo().join("tests/fixtures").join(name), root.join(name)).expect("fixture");
        }
        let index = dir.path().join("index");
        Corpus { dir, root, index }
    }

    fn add(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.root.join(name);
        std::fs::write(&path, bytes).expect("write page");
        path
    }

    fn index(&self, extra: &[&str]) -> Output {
        dossier().arg("index").arg(&self.root).arg("--index").arg(&self.index).args(extra).output().expect("runs")
    }

    fn ids(&self) -> Vec<String> {
        let out = dossier()
            .args(["search", "", "--json", "--keep-duplicates", "--limit", "1000", "--index"])
            .arg(&self.index)
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let mut ids: Vec<String> =
            v["hits"].as_array().expect("hits").iter().filter_map(|h| h["path"].as_str().map(String::from)).collect();
        ids.sort();
        ids
    }

    fn finds(&self, word: &str) -> Vec<String> {
        let out = dossier()
            .args(["search", word, "--json", "--keep-duplicates", "--index"])
            .arg(&self.index)
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v["hits"].as_array().expect("hits").iter().filter_map(|h| h["path"].as_str().map(String::from)).collect()
    }
}

/// Asserts one stderr line per refused page, each naming the page and its reason.
fn assert_one_line_each(out: &Output, refused: &[(&str, &str)]) {
    let err = stderr(out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), refused.len(), "one line per refused page:\n{err}");
    for (name, reason) in refused {
        assert!(
            lines.iter().any(|l| l.contains(name) && l.contains(reason)),
            "no line for {name} with reason {reason:?}:\n{err}"
        );
    }
}

#[test]
fn broken_and_hostile_pages_cost_one_line_each() {
    let corpus = Corpus::new();
    let readable = [
        ("nul-bytes.html", pages::with_nul_bytes(), "zirconium"),
        ("invalid-utf8.html", pages::invalid_utf8(), "molybdenum"),
        ("utf16le-no-bom.html", pages::utf16_without_bom(false), "vanadium"),
        ("utf16be-no-bom.html", pages::utf16_without_bom(true), "vanadium"),
    ];
    for (name, bytes, _) in &readable {
        corpus.add(name, bytes);
    }
    let inner = pages::article("Inside an archive", "The archived chromium page.");
    corpus.add("gzip.html", &pages::gzip_of(inner.as_bytes()));
    corpus.add("zip.html", &pages::zip_of("page.html", inner.as_bytes()));
    corpus.add("all-nul.html", &[0u8; 4096]);
    corpus.add("many-attributes.html", &pages::many_attributes(1_000_000));
    corpus.add("self-closing-divs.html", "<div/>".repeat(100_000).as_bytes());
    corpus.add("million-elements.html", pages::many_elements(1_000_001).as_bytes());

    // The million attributes take 9.9 MB: the limit lets them through to the extractor.
    pages::write_large_page(&corpus.root.join("over-limit.html"), 10_500_000).expect("write");
    let out = corpus.index(&["--max-file-size-mb", "10"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_one_line_each(
        &out,
        &[
            ("gzip.html", "not HTML: looks like a gzip archive"),
            ("zip.html", "not HTML: looks like a zip archive"),
            ("all-nul.html", "not HTML: looks like binary data"),
            ("many-attributes.html", "an element with more than 1000 attributes"),
            ("self-closing-divs.html", "elements nested more than 5000 deep"),
            ("million-elements.html", "more than 1000000 elements"),
            ("over-limit.html", "larger than the 10 MB page limit"),
        ],
    );
    let mut expected: Vec<String> =
        ORDINARY.iter().chain(readable.iter().map(|(name, _, _)| name)).map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(corpus.ids(), expected, "{}", stdout(&out));
    for (name, _, word) in &readable {
        assert!(corpus.finds(word).contains(&name.to_string()), "{word} not found in {name}");
    }
    assert!(corpus.finds("chromium").is_empty(), "nothing from inside an archive is indexed");
}

/// With `--follow-links`, a link whose target is gone is one line, like any vanished file.
#[cfg(unix)]
#[test]
fn a_dangling_link_is_one_line() {
    let corpus = Corpus::new();
    let target = corpus.dir.path().join("gone.html");
    std::fs::write(&target, pages::article("Gone", "Soon deleted.")).expect("write");
    std::os::unix::fs::symlink(&target, corpus.root.join("dangling.html")).expect("symlink");
    std::fs::remove_file(&target).expect("remove");
    let out = corpus.index(&["--follow-links"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_one_line_each(&out, &[("dangling.html", "No such file or directory")]);
    assert_eq!(corpus.ids().len(), ORDINARY.len());
}

/// A page the indexer may not read. Root reads any file whatever its mode, so as root the
/// indexer runs without the two capabilities that let it (`setpriv`), which makes the
/// `open` fail with EACCES exactly as it does for an ordinary user.
#[cfg(unix)]
#[test]
fn an_unreadable_page_is_one_line() {
    use std::os::unix::fs::PermissionsExt;
    let corpus = Corpus::new();
    let page = corpus.add("unreadable.html", pages::article("Locked", "Nobody may read this.").as_bytes());
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let is_root = std::fs::read(&page).is_ok();
    let bin = assert_cmd::cargo::cargo_bin("dossier");
    let mut cmd = if is_root {
        let probe = std::process::Command::new("setpriv")
            .args(["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"])
            .arg("cat")
            .arg(&page)
            .output();
        if !probe.is_ok_and(|o| !o.status.success()) {
            eprintln!("SKIPPED: running as root and setpriv cannot drop CAP_DAC_OVERRIDE here");
            return;
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]);
        c.arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    let out = cmd.arg("index").arg(&corpus.root).arg("--index").arg(&corpus.index).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_one_line_each(&out, &[("unreadable.html", "Permission denied")]);
    assert_eq!(corpus.ids().len(), ORDINARY.len());
}

/// Peak resident memory of a command, from GNU time, in MB; `None` without /usr/bin/time.
fn peak_memory_mb(args: &[&std::ffi::OsStr]) -> Option<(Output, f64)> {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        return None;
    }
    let out = std::process::Command::new(time).arg("-v").args(args).output().expect("runs");
    let err = stderr(&out);
    let kb: f64 = err
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())?;
    Some((out, kb / 1024.0))
}

/// The binary the heavy test measures: `DOSSIER_BIN` (heavy.sh points it at a release
/// build: a debug build's memory and time say little), else the one cargo built.
fn measured_binary() -> PathBuf {
    std::env::var_os("DOSSIER_BIN").map(PathBuf::from).unwrap_or_else(|| assert_cmd::cargo::cargo_bin("dossier"))
}

/// The 200 MB page and the page of one 50 MB text node, with the default page limit (both
/// refused, memory independent of their size) and with a limit raised above them (each
/// indexed, alone). Prints the peak memory of each run; asserts that a refused page costs
/// nothing near its size. Run by `tests/hostile/heavy.sh` (it takes minutes).
#[test]
#[ignore = "writes 250 MB and takes minutes: run tests/hostile/heavy.sh"]
fn huge_pages_are_refused_or_indexed_in_bounded_memory() {
    let corpus = Corpus::new();
    let aside = corpus.dir.path().join("aside");
    std::fs::create_dir_all(&aside).expect("dir");
    let (big, text_node) = ("200mb.html", "one-text-node.html");
    pages::write_large_page(&aside.join(big), 200_000_000).expect("write");
    pages::write_one_text_node(&aside.join(text_node), 50 * 1024 * 1024).expect("write");
    let bring = |name: &str| std::fs::rename(aside.join(name), corpus.root.join(name)).expect("move");
    let put_aside = |name: &str| std::fs::rename(corpus.root.join(name), aside.join(name)).expect("move");
    let bin = measured_binary();
    let run = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![bin.as_os_str(), "index".as_ref(), corpus.root.as_os_str()];
        args.extend(["--index".as_ref(), corpus.index.as_os_str(), "--rebuild".as_ref()]);
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        peak_memory_mb(&args)
    };
    let Some((baseline_out, baseline)) = run(&[]) else {
        eprintln!("SKIPPED: /usr/bin/time is missing (apt-get install time)");
        return;
    };
    assert_eq!(baseline_out.status.code(), Some(0), "{}", stderr(&baseline_out));
    println!("PEAK ordinary pages only: {baseline:.0} MB");

    bring(big);
    bring(text_node);
    let (refused, refused_mb) = run(&[]).expect("time");
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let err = stderr(&refused);
    assert_eq!(err.lines().filter(|l| l.starts_with("dossier: ")).count(), 2, "{err}");
    assert!(err.contains("200mb.html: file is larger than the 50 MB page limit"), "{err}");
    assert!(err.contains("one-text-node.html: file is larger than the 50 MB page limit"), "{err}");
    println!("PEAK default limit, 200 MB page and 50 MB text node refused: {refused_mb:.0} MB");
    assert!(refused_mb < baseline + 64.0, "a refused page must not cost its size in memory");

    put_aside(big);
    put_aside(text_node);
    let dense = corpus.add("dense.html", pages::many_elements(998_000).as_bytes());
    let (dense_out, dense_mb) = run(&[]).expect("time");
    assert_eq!(dense_out.status.code(), Some(0), "{}", stderr(&dense_out));
    println!("PEAK default limit, 998,000 elements in 8 MB indexed: {dense_mb:.0} MB");
    std::fs::remove_file(dense).expect("remove");
    bring(big);
    bring(text_node);

    for (name, other) in [(big, text_node), (text_node, big)] {
        put_aside(other);
        let (raised, raised_mb) = run(&["--max-file-size-mb", "300"]).expect("time");
        assert_eq!(raised.status.code(), Some(0), "{name}: {}", stderr(&raised));
        assert!(corpus.ids().contains(&name.to_string()), "{name} indexed");
        println!("PEAK --max-file-size-mb 300, {name} indexed: {raised_mb:.0} MB");
        bring(other);
    }
}
