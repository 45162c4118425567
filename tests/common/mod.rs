//! Shared by the server tests: a temporary copy of the sample corpus (plus pages written
//! for these tests), its index, a `dossier serve` started on a free loopback port, and a
//! small HTTP client.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

pub const KEY_ARTICLE: &str = "us-mongolia-economic-security-cooperation";

/// A page whose title and URL try to run code in the browser.
pub const HOSTILE_PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title><script>alert(1)</script></title>
<meta property="og:title" content="<script>alert(1)</script>">
<link rel="canonical" href="javascript:alert(document.domain)">
<meta property="og:url" content="javascript:alert(document.domain)">
<meta name="author" content="<img src=x onerror=alert(2)>">
</head><body><article><h1><script>alert(1)</script></h1>
<p>The zanzibarite deposits were surveyed in 2021 by a team that wrote a long report about them,
with several paragraphs on grades, tonnage and the roads needed to move ore to the coast.</p>
<p>Another paragraph about zanzibarite &lt;b&gt;markup&lt;/b&gt; and "quotes" that must stay text,
so the extractor keeps this page as an article with a real body of prose to index.</p>
</article></body></html>"#;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("dossier")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The sample corpus and the hostile page, indexed.
pub struct Fixture {
    pub dir: TempDir,
    pub corpus: PathBuf,
    pub index: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        copy_dir(&repo().join("corpus"), &corpus);
        std::fs::create_dir_all(corpus.join("hostile")).unwrap();
        std::fs::write(corpus.join("hostile/evil.html"), HOSTILE_PAGE).unwrap();
        let index = dir.path().join("index");
        let fx = Fixture { dir, corpus, index };
        fx.reindex();
        fx
    }

    pub fn reindex(&self) {
        let out = Command::new(bin()).arg("index").arg(&self.corpus).arg("--index").arg(&self.index).output().unwrap();
        assert!(out.status.success(), "index failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// `dossier serve` on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(fx: &Fixture) -> Server {
        let mut child = Command::new(bin())
            .arg("serve")
            .arg("--index")
            .arg(&fx.index)
            .arg("--corpus")
            .arg(&fx.corpus)
            .arg("--addr")
            .arg("127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let start = line.find("http://").unwrap_or_else(|| panic!("no address in {line:?}"));
        let base = line[start..].split_whitespace().next().unwrap().trim_end_matches('/').to_string();
        Server { child, base }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    pub fn get(&self, path_and_query: &str) -> Reply {
        get(&self.url(path_and_query))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub csp: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

pub fn get(url: &str) -> Reply {
    let mut res = agent().get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let (content_type, csp) = (header("content-type"), header("content-security-policy"));
    let status = res.status().as_u16();
    let body = res.body_mut().read_to_string().unwrap();
    Reply { status, content_type, csp, body }
}

pub fn post_json(url: &str, body: &Value) -> Value {
    let mut res = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.to_string())
        .unwrap_or_else(|e| panic!("POST {url}: {e}"));
    let text = res.body_mut().read_to_string().unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn delete(url: &str) {
    let _ = agent().delete(url).call();
}

/// Path-encodes a document id (keeps `/`).
pub fn encode_id(id: &str) -> String {
    id.split('/')
        .map(|s| s.replace('%', "%25").replace(' ', "%20").replace('?', "%3F").replace('#', "%23"))
        .collect::<Vec<_>>()
        .join("/")
}
