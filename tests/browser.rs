//! The search page in headless Chromium, driven over the WebDriver protocol (plain JSON
//! over HTTP to Debian's `chromedriver`, with the same small client as the HTTP tests).
//! Skips, saying so, where `chromium` or `chromedriver` is not installed.
//!
//! Set `DOSSIER_SCREENSHOT=1` to refresh `docs/serve.png`; otherwise the screenshot goes to
//! the target folder.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{get, post_json, Fixture, Server, KEY_ARTICLE};
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

struct Driver {
    child: Child,
    base: String,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start(driver: &PathBuf) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, base, _profile: tempfile::tempdir().unwrap() }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session {
    url: String,
}

impl Session {
    fn new(driver: &Driver, chromium: &std::path::Path) -> Session {
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,1060",
            &format!("--user-data-dir={}", driver._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let v = post_json(&format!("{}/session", driver.base), &caps);
        let id = v["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {v}"));
        Session { url: format!("{}/session/{id}", driver.base) }
    }

    fn cmd(&self, path: &str, body: Value) -> Value {
        let v = post_json(&format!("{}{path}", self.url), &body);
        if v["value"]["error"].is_string() {
            panic!("webdriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    fn go(&self, url: &str) {
        self.cmd("/url", json!({ "url": url }));
    }

    fn find(&self, css: &str) -> String {
        let v = self.cmd("/element", json!({"using": "css selector", "value": css}));
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("find {css}: {v}")).to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd(&format!("/element/{e}/click"), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.cmd(&format!("/element/{e}/value"), json!({ "text": text }));
    }

    fn js(&self, script: &str) -> Value {
        self.cmd("/execute/sync", json!({"script": script, "args": []}))
    }

    /// Polls `script` (a JS expression) until it is true.
    fn wait_for(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.js(&format!("return !!({script});")) == json!(true) {
                return;
            }
            if Instant::now() > deadline {
                let state = self.js("return location.href + ' | ' + document.body.innerText.slice(0, 600);");
                panic!("timed out waiting for {what}: {state}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn location(&self) -> String {
        self.js("return location.pathname + location.search;").as_str().unwrap().to_string()
    }

    fn screenshot(&self) -> Vec<u8> {
        let v = get(&format!("{}/screenshot", self.url)).json();
        base64::engine::general_purpose::STANDARD.decode(v["value"].as_str().unwrap()).unwrap()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        common::delete(&self.url);
    }
}

#[test]
fn search_refine_read_and_go_back_in_chromium() {
    let (Some(chromium), Some(driver)) =
        (find_program(&["chromium", "chromium-browser", "google-chrome"]), find_program(&["chromedriver"]))
    else {
        eprintln!("SKIPPED search_refine_read_and_go_back_in_chromium: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let fx = Fixture::new();
    let server = Server::start(&fx);
    let driver = Driver::start(&driver);
    let s = Session::new(&driver, &chromium);

    s.go(&server.url("/"));
    s.wait_for("the page", "document.getElementById('q')");
    // "/" focuses the search box from anywhere on the page.
    s.js("document.activeElement && document.activeElement.blur(); return 1;");
    let body = s.find("body");
    s.cmd(&format!("/element/{body}/value"), json!({"text": "/"}));
    s.wait_for("/ to focus the search box", "document.activeElement.id === 'q'");

    // Results as you type: no Enter pressed.
    s.type_into("#q", "rare earth Mongolia");
    s.wait_for("results for the typed query", "location.search.includes('q=rare+earth+Mongolia')");
    s.wait_for(
        "the key article first",
        &format!("document.querySelector('.hit a.open').href.includes('{KEY_ARTICLE}')"),
    );
    let first_title = s.js("return document.querySelector('.hit a.open').textContent;");
    assert!(first_title.as_str().unwrap().contains("Mongolia"), "{first_title}");

    // Arrow keys move through the hits.
    let q = s.find("#q");
    s.cmd(&format!("/element/{q}/value"), json!({"text": "\u{E015}"})); // ArrowDown
    s.wait_for("ArrowDown to focus the first hit", "document.activeElement.classList.contains('open')");

    // Facet: Asia-Pacific. The URL and a chip show it; counts are from the filtered search.
    s.click(".facets a.facet[href*='region=Asia-Pacific']");
    s.wait_for("the region filter", "location.search.includes('region=Asia-Pacific')");
    s.wait_for("the region chip", "document.querySelector('.chips .chip') && document.querySelector('.chips .chip').textContent.includes('Asia-Pacific')");
    s.wait_for(
        "the key article still first",
        &format!("document.querySelector('.hit a.open').href.includes('{KEY_ARTICLE}')"),
    );
    let png = s.screenshot();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let out = if std::env::var_os("DOSSIER_SCREENSHOT").is_some() {
        common::repo().join("docs/serve.png")
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve.png")
    };
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &png).unwrap();
    eprintln!("screenshot: {}", out.display());

    // A year bar: 2023.
    s.click(".years a.bar[data-year='2023']");
    s.wait_for("the year filter", "location.search.includes('since=2023') && location.search.includes('until=2023')");
    s.wait_for(
        "the key article under both filters",
        &format!("document.querySelector('.hit a.open').href.includes('{KEY_ARTICLE}')"),
    );
    let filtered = s.location();

    // The reader view, with the query words marked.
    s.click(".hit a.open");
    s.wait_for("the reader view", "location.pathname.startsWith('/doc/') && document.querySelector('article h1')");
    s.wait_for("highlighted query words", "document.querySelectorAll('.body mark').length > 2");

    // Back: the same filtered results again.
    s.cmd("/back", json!({}));
    s.wait_for("the results again", "location.pathname === '/' && document.querySelector('.hit a.open')");
    assert_eq!(s.location(), filtered);
    s.wait_for("the chips again", "document.querySelectorAll('.chips .chip').length === 2");
    // And back once more: before the year was set.
    s.cmd("/back", json!({}));
    s.wait_for(
        "the region-only search",
        "!location.search.includes('since') && location.search.includes('region=Asia-Pacific')",
    );
    s.wait_for("its results", "document.querySelectorAll('.chips .chip').length === 1");

    // The hostile page shows its title as text and runs nothing.
    s.go(&server.url("/?q=zanzibarite"));
    s.wait_for("the hostile page", "document.querySelector('.hit a.open')");
    let shown = s.js("return document.querySelector('.hit a.open').textContent;");
    assert_eq!(shown, json!("<script>alert(1)</script>"));
    let alert = get(&format!("{}/alert/text", s.url)).json();
    assert!(alert["value"]["error"].as_str() == Some("no such alert"), "an alert opened: {alert}");
    eprintln!("browser test passed: typed search, facet, year, reader view, back/forward, escaping");
}
