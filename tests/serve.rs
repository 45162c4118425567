//! `dossier serve` over real HTTP: the binary on a free loopback port, an index of a copy
//! of the sample corpus plus a hostile page, and plain GET requests.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{bin, encode_id, Fixture, Server, KEY_ARTICLE};
use serde_json::Value;

fn cli_search_json(fx: &Fixture, args: &[&str]) -> Value {
    let out =
        Command::new(bin()).arg("search").args(args).arg("--json").arg("--index").arg(&fx.index).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn without_timing(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("elapsed_ms");
    v
}

#[test]
fn api_search_returns_exactly_the_cli_json() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    for (url, args) in [
        ("/api/search?q=rare+earth+Mongolia", vec!["rare earth Mongolia"]),
        (
            "/api/search?q=rare%20earth%20Mongolia&region=asia-pacific&region=Africa&since=2020&sort=newest&limit=5&offset=1",
            vec!["rare earth Mongolia", "--region", "asia-pacific", "--region", "Africa", "--since", "2020", "--sort", "newest", "--limit", "5", "--offset", "1"],
        ),
        ("/api/search?q=&category=News", vec!["", "--category", "News"]),
    ] {
        let reply = server.get(url);
        assert_eq!(reply.status, 200, "{url}: {}", reply.body);
        assert!(reply.content_type.starts_with("application/json"), "{}", reply.content_type);
        let api = reply.json();
        assert!(api["elapsed_ms"].is_number());
        assert_eq!(without_timing(api), without_timing(cli_search_json(&fx, &args)), "{url}");
    }
    let v = server.get("/api/search?q=rare+earth+Mongolia").json();
    assert!(v["hits"][0]["path"].as_str().unwrap().contains(KEY_ARTICLE), "{v:#}");
}

#[test]
fn api_doc_returns_the_extract_json_of_the_stored_document() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    let hit = server.get("/api/search?q=rare+earth+Mongolia&limit=1").json()["hits"][0].clone();
    let id = hit["path"].as_str().unwrap();
    let reply = server.get(&format!("/api/doc/{}", encode_id(id)));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = reply.json();
    let out = Command::new(bin()).arg("extract").arg("--json").arg(fx.corpus.join(id)).output().unwrap();
    let extracted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["path"], id);
    let keys: Vec<&String> = extracted.as_object().unwrap().keys().collect();
    assert_eq!(doc.as_object().unwrap().keys().collect::<Vec<_>>(), keys, "same shape as extract --json");
    for key in ["title", "date", "published", "author", "language", "url", "countries", "body", "error"] {
        assert_eq!(doc[key], extracted[key], "{key}");
    }
    assert_eq!(doc["countries"], serde_json::json!(["Mongolia", "United States"]));
}

#[test]
fn bad_parameters_are_400_unknown_things_404_and_errors_are_json() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    let long_q = format!("/api/search?q={}", "a".repeat(5000));
    for (url, status) in [
        ("/api/search?q=x&limit=1001", 400),
        ("/api/search?q=x&limit=ten", 400),
        ("/api/search?q=x&offset=-3", 400),
        ("/api/search?q=x&sort=best", 400),
        ("/api/search?q=x&region=Atlantis", 400),
        ("/api/search?q=x&since=yesterday", 400),
        ("/api/search?q=x&until=2023-13-45", 400),
        (long_q.as_str(), 400),
        ("/api/doc/no/such/page.html", 404),
        ("/api/doc/bad%FF.html", 400),
        ("/api/nothing", 404),
    ] {
        let reply = server.get(url);
        assert_eq!(reply.status, status, "{url}: {}", reply.body);
        let v = reply.json();
        assert!(v["error"].as_str().is_some_and(|m| !m.is_empty()), "{url}: {v}");
    }
    // Odd but valid input is not an error.
    for url in
        ["/api/search?q=%22unbalanced+(", "/api/search?q=%00%FF", "/api/search?limit=1000", "/api/search?q=x&limit=0"]
    {
        assert_eq!(server.get(url).status, 200, "{url}");
    }
    let page = server.get("/?q=x&limit=5000");
    assert_eq!(page.status, 400);
    assert!(page.body.contains("limit"), "the page says what was wrong");
    assert_eq!(server.get("/doc/no/such/page.html").status, 404);
    let health = server.get("/api/health");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert!(health.json()["documents"].as_u64().unwrap() >= 30);
}

#[test]
fn the_page_works_without_javascript() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    let page = server.get("/?q=rare+earth+Mongolia");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"));
    let body = &page.body;
    // The first hit is the key article, linked to its reader view with the search kept.
    let first = body.find("class=\"hit\"").expect("hits");
    let first_hit = &body[first..body[first + 1..].find("class=\"hit\"").map_or(body.len(), |i| first + 1 + i)];
    assert!(first_hit.contains(KEY_ARTICLE), "{first_hit}");
    assert!(first_hit.contains("href=\"/doc/") && first_hit.contains("?q=rare+earth+Mongolia"), "{first_hit}");
    assert!(first_hit.contains("<mark>"), "snippet highlights: {first_hit}");
    // Facets with counts, as links that set filters; the form carries the query.
    assert!(
        body.contains("<h3>Regions</h3>") && body.contains("<h3>Years</h3>") && body.contains("<h3>Categories</h3>")
    );
    assert!(body.contains("href=\"/?q=rare+earth+Mongolia&amp;region=Asia-Pacific\""), "region facet link");
    assert!(body.contains("name=\"q\" value=\"rare earth Mongolia\""));
    // A filtered page shows a removable chip and keeps the filter in the form.
    let filtered = server.get("/?q=rare+earth+Mongolia&region=Asia-Pacific&since=2023&until=2023").body;
    assert!(filtered.contains("class=\"chip\" href=\"/?q=rare+earth+Mongolia&amp;since=2023&amp;until=2023\""), "chip");
    assert!(filtered.contains("<input type=\"hidden\" name=\"region\" value=\"Asia-Pacific\">"));
    // The results area alone, for the script.
    let fragment = server.get("/results?q=rare+earth+Mongolia");
    assert!(fragment.body.starts_with("<div class=\"frag\"") && !fragment.body.contains("<html"));
    // Paging links.
    let all = server.get("/?q=").body;
    assert!(all.contains("rel=\"next\" href=\"/?offset=10\""), "pager");
    // The reader view: the stored article with the query words marked, and the original.
    let id =
        server.get("/api/search?q=rare+earth+Mongolia&limit=1").json()["hits"][0]["path"].as_str().unwrap().to_string();
    let reader = server.get(&format!("/doc/{}?q=rare+earth+Mongolia", encode_id(&id)));
    assert_eq!(reader.status, 200);
    assert!(reader.body.contains("<mark>Mongolia</mark>") && reader.body.contains("<mark>earth"), "reader highlights");
    assert!(reader.body.contains("href=\"/?q=rare+earth+Mongolia\""), "back to the results");
    // Related articles under it, each linked to its own reader view, never the article itself.
    let related = &reader.body[reader.body.find("<aside class=\"related\">").expect("related articles")..];
    assert!(related.matches("<li><a href=\"/doc/").count() >= 3, "{related}");
    assert!(!related.contains(&encode_id(&id)), "{related}");
    let original = server.get(&format!("/file/{}", encode_id(&id)));
    assert_eq!(original.status, 200);
    assert_eq!(original.body, std::fs::read_to_string(fx.corpus.join(&id)).unwrap());
    assert!(original.csp.contains("sandbox"), "saved pages run sandboxed: {}", original.csp);
}

#[test]
fn page_strings_are_escaped_and_only_http_urls_become_links() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    let api = server.get("/api/search?q=zanzibarite").json();
    let id = api["hits"][0]["path"].as_str().expect("the hostile page is indexed").to_string();
    assert!(id.contains("evil"));
    let title = api["hits"][0]["title"].as_str().unwrap_or("");
    assert!(title.contains("<script>"), "the test page keeps its hostile title: {title:?}");
    for page in [server.get("/?q=zanzibarite"), server.get(&format!("/doc/{}?q=zanzibarite", encode_id(&id)))] {
        assert_eq!(page.status, 200);
        let body = page.body.to_lowercase();
        assert!(!body.contains("<script>alert"), "unescaped script");
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title is shown as text");
        assert!(!body.contains("href=\"javascript:") && !body.contains("<img"), "{body}");
        assert_eq!(body.matches("<script").count(), 1, "only our own script tag");
        assert!(page.csp.contains("script-src 'self'"), "{}", page.csp);
    }
}

#[test]
fn original_pages_are_served_only_from_inside_the_corpus() {
    let fx = Fixture::new();
    std::fs::write(fx.dir.path().join("secret.html"), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(fx.dir.path().join("secret.html"), fx.corpus.join("hostile/link.html")).unwrap();
    let server = Server::start(&fx);
    assert_eq!(server.get("/file/hostile/evil.html").status, 200);
    for bad in [
        "/file/%2e%2e/secret.html",
        "/file/hostile/%2e%2e/%2e%2e/secret.html",
        "/file/hostile/link.html",
        "/file/%2Fetc%2Fpasswd",
        "/file/hostile",
    ] {
        let reply = server.get(bad);
        assert_eq!(reply.status, 404, "{bad}");
        assert!(!reply.body.contains("secret") || reply.body.contains("no such"), "{bad}: {}", reply.body);
    }
}

#[test]
fn new_commits_show_up_while_serving() {
    let fx = Fixture::new();
    let server = Server::start(&fx);
    assert_eq!(server.get("/api/search?q=quillwortium").json()["total"], 0);
    std::fs::write(
        fx.corpus.join("hostile/late.html"),
        common::HOSTILE_PAGE
            .replace("zanzibarite", "quillwortium")
            .replace("<script>alert(1)</script>", "Late arrival"),
    )
    .unwrap();
    fx.reindex();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if server.get("/api/search?q=quillwortium").json()["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "the new page never became searchable");
        std::thread::sleep(Duration::from_millis(100));
    }
}
