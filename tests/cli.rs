//! End-to-end tests: the real `dossier` binary in temporary folders, on the sample corpus
//! and on small fixtures written for these tests.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dossier() -> Command {
    let mut c = Command::cargo_bin("dossier").expect("binary builds");
    c.env("NO_COLOR", "1");
    c
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the sample corpus and an empty index location.
struct Fixture {
    _dir: TempDir,
    corpus: PathBuf,
    index: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        copy_dir(&repo().join("corpus"), &corpus);
        let index = dir.path().join("index");
        Fixture { _dir: dir, corpus, index }
    }

    fn index(&self) -> Output {
        dossier().arg("index").arg(&self.corpus).arg("--index").arg(&self.index).output().unwrap()
    }

    /// `search FLAGS --json --index I -- QUERY`: a query that may start with `-`.
    fn search_query(&self, flags: &[&str], query: &str) -> Value {
        let out = dossier()
            .arg("search")
            .args(flags)
            .args(["--json", "--index"])
            .arg(&self.index)
            .args(["--", query])
            .output()
            .unwrap();
        assert!(out.status.success(), "{query}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn search_json(&self, args: &[&str]) -> (i32, Value) {
        let out = dossier().arg("search").args(args).arg("--json").arg("--index").arg(&self.index).output().unwrap();
        let code = out.status.code().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
        (code, v)
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn paths(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["path"].as_str().unwrap().to_string()).collect()
}

const KEY_ARTICLE: &str = "us-mongolia-economic-security-cooperation";

#[test]
fn indexes_the_sample_corpus_and_finds_the_key_article_first() {
    let fx = Fixture::new();
    let out = fx.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(summary.contains("added") && summary.contains("0 failed"), "{summary}");
    let (code, v) = fx.search_json(&["rare earth Mongolia"]);
    assert_eq!(code, 0);
    let first = &v["hits"][0];
    assert!(first["path"].as_str().unwrap().contains(KEY_ARTICLE), "{v:#}");
    assert_eq!(first["date"], "2023-08-03");
    assert_eq!(first["countries"], serde_json::json!(["Mongolia", "United States"]));
    assert!(first["types"].as_array().unwrap().contains(&Value::from("News")));
    assert!(first["categories"].as_array().unwrap().contains(&Value::from("rare earths")), "{first:#}");
    // Near misses come after it.
    assert!(v["total"].as_u64().unwrap() > 3);
}

#[test]
fn json_shape_is_stable() {
    let fx = Fixture::new();
    fx.index();
    let (_, v) = fx.search_json(&["rare earth Mongolia", "--limit", "3"]);
    for key in ["query", "total", "elapsed_ms", "hits", "facets"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["query"], "rare earth Mongolia");
    assert_eq!(v["hits"].as_array().unwrap().len(), 3);
    let hit = &v["hits"][0];
    for key in ["rank", "score", "path", "url", "title", "date", "regions", "countries", "categories", "snippet"] {
        assert!(hit.get(key).is_some(), "hit lacks {key}");
    }
    assert_eq!(hit["rank"], 1);
    for key in ["region", "category", "year"] {
        assert!(v["facets"][key].is_object(), "facets lack {key}");
    }
    // Highlights are character offsets into the snippet and cover query words.
    let text: Vec<char> = hit["snippet"]["text"].as_str().unwrap().chars().collect();
    let hl = hit["snippet"]["highlights"].as_array().unwrap();
    assert!(!hl.is_empty(), "{hit:#}");
    for h in hl {
        let (s, e) = (h[0].as_u64().unwrap() as usize, h[1].as_u64().unwrap() as usize);
        let word: String = text[s..e].iter().collect::<String>().to_lowercase();
        assert!(["rare", "earth", "earths", "mongolia", "mongolia’s"].contains(&word.as_str()), "highlighted {word:?}");
    }
}

#[test]
fn facet_limit_keeps_the_largest_values_and_counts_the_rest() {
    let fx = Fixture::new();
    fx.index();
    let (_, all) = fx.search_json(&["", "--facet-limit", "0"]);
    assert!(all["facets"].get("omitted").is_none(), "{:#}", all["facets"]);
    let countries = all["facets"]["country"].as_object().unwrap();
    assert!(countries.len() > 2, "the corpus has more than two countries: {countries:?}");
    let (_, two) = fx.search_json(&["", "--facet-limit", "2"]);
    let kept = two["facets"]["country"].as_object().unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!(two["facets"]["omitted"]["country"].as_u64().unwrap() as usize, countries.len() - 2);
    // The kept ones are the largest and keep their counts; the hits are the same.
    let mut counts: Vec<u64> = countries.values().map(|n| n.as_u64().unwrap()).collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    for (name, n) in kept {
        assert_eq!(countries[name], *n);
        assert!(n.as_u64().unwrap() >= counts[1], "{name} is not among the two largest");
    }
    assert_eq!(all["hits"], two["hits"]);
}

#[test]
fn filters_never_change_scores_and_exclude_other_regions() {
    let fx = Fixture::new();
    fx.index();
    let (_, all) = fx.search_json(&["rare earth Mongolia", "--limit", "50"]);
    let (_, asia) = fx.search_json(&["rare earth Mongolia", "--limit", "50", "--region", "asia-pacific"]);
    let (code, africa) = fx.search_json(&["rare earth Mongolia", "--limit", "50", "--region", "africa"]);
    assert_eq!(code, 0);
    assert!(!paths(&africa).iter().any(|p| p.contains(KEY_ARTICLE)));
    assert!(paths(&asia)[0].contains(KEY_ARTICLE));
    let score_of = |v: &Value, p: &str| {
        v["hits"].as_array().unwrap().iter().find(|h| h["path"] == p).map(|h| h["score"].as_f64().unwrap())
    };
    for hit in asia["hits"].as_array().unwrap() {
        let p = hit["path"].as_str().unwrap();
        assert_eq!(score_of(&all, p), hit["score"].as_f64(), "score changed by filter for {p}");
        assert!(hit["regions"].as_array().unwrap().contains(&Value::from("Asia-Pacific")));
    }
    assert!(asia["total"].as_u64() < all["total"].as_u64());
    // Facet counts come from the same search.
    assert_eq!(asia["facets"]["region"]["Asia-Pacific"].as_u64(), asia["total"].as_u64());
    // A country works as a region filter, in any case and with aliases.
    let (_, mongolia) = fx.search_json(&["rare earth", "--region", "MONGOLIA"]);
    assert!(paths(&mongolia).iter().all(|p| p.contains("mongolia")), "{:?}", paths(&mongolia));
    let (_, us) = fx.search_json(&["rare earth", "--region", "U.S."]);
    assert!(paths(&us).iter().any(|p| p.contains(KEY_ARTICLE)));
}

#[test]
fn date_filters_and_sorting() {
    let fx = Fixture::new();
    fx.index();
    let (_, since) =
        fx.search_json(&["rare earth Mongolia", "--region", "asia-pacific", "--since", "2020-01-01", "--limit", "50"]);
    assert!(paths(&since)[0].contains(KEY_ARTICLE));
    for h in since["hits"].as_array().unwrap() {
        assert!(h["date"].as_str().unwrap() >= "2020-01-01");
    }
    let (_, until) = fx.search_json(&["", "--until", "2016", "--limit", "100"]);
    assert!(until["total"].as_u64().unwrap() > 0);
    for h in until["hits"].as_array().unwrap() {
        assert!(h["date"].as_str().unwrap() <= "2016-12-31", "{h}");
    }
    let (_, newest) = fx.search_json(&["", "--sort", "newest", "--limit", "100"]);
    let dates: Vec<&str> = newest["hits"].as_array().unwrap().iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(dates.len() >= 40);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let (_, oldest) = fx.search_json(&["", "--sort", "oldest", "--limit", "3"]);
    assert!(oldest["hits"][0]["date"].as_str().unwrap().starts_with("2014"));
    let (_, cats) = fx.search_json(&["", "--category", "analysis", "--limit", "100"]);
    assert!(cats["total"].as_u64().unwrap() > 0);
    assert!(cats["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["types"].as_array().unwrap().contains(&Value::from("Analysis"))));
    let bad = dossier().args(["search", "x", "--since", "yesterday", "--index"]).arg(&fx.index).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("invalid date"));
}

#[test]
fn boilerplate_does_not_match() {
    let fx = Fixture::new();
    fx.index();
    // Every page's newsletter box and menus name all regions; the cookie banner is on every page.
    for chrome in
        ["\"Get our weekly briefing\"", "\"audience measurement\"", "\"unsubscribe at any time\"", "\"Privacy policy\""]
    {
        let (_, v) = fx.search_json(&[chrome]);
        assert_eq!(v["total"], 0, "{chrome}: {:?}", paths(&v));
    }
}

#[test]
fn query_syntax_and_punctuation() {
    let fx = Fixture::new();
    fx.index();
    let (_, phrase) = fx.search_json(&["\"rare earth\" -China", "--limit", "50"]);
    assert!(phrase["total"].as_u64().unwrap() > 0);
    let (_, title) = fx.search_json(&["title:Mongolia", "--limit", "50"]);
    assert!(title["hits"].as_array().unwrap().iter().all(|h| h["title"].as_str().unwrap().contains("Mongolia")));
    for q in ["multi-agent", "U.S.", "\"unclosed", "(", "AND", "title:", "::"] {
        let out = dossier().args(["search", q, "--json", "--index"]).arg(&fx.index).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{q}: {}", stderr(&out));
        let _: Value = serde_json::from_slice(&out.stdout).unwrap();
    }
}

#[test]
fn human_output_and_exit_codes() {
    let fx = Fixture::new();
    fx.index();
    let out = dossier().args(["search", "rare earth Mongolia", "--index"]).arg(&fx.index).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("  1. US and Mongolia pledge deeper economic and security ties"), "{text}");
    assert!(text.contains("regions:") && !text.contains("\x1b["), "plain when piped");
    let none = dossier().args(["search", "zzqxj", "--index"]).arg(&fx.index).output().unwrap();
    assert_eq!(none.status.code(), Some(1));
    let missing = dossier().args(["search", "x", "--index", "/nonexistent/index"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("dossier index"), "{}", stderr(&missing));
}

#[test]
fn incremental_runs_add_change_and_delete() {
    let fx = Fixture::new();
    let first = stdout(&fx.index());
    assert!(first.contains("42 added"), "{first}");
    let again = stdout(&fx.index());
    assert!(again.contains("0 added, 0 updated, 42 unchanged, 0 removed"), "{again}");

    let key = walkdir::WalkDir::new(&fx.corpus)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.path().to_string_lossy().contains(KEY_ARTICLE))
        .unwrap()
        .into_path();
    let page = std::fs::read_to_string(&key).unwrap().replace("Open Skies", "Zanzibarian Skies");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&key, page).unwrap();
    let dzud = walkdir::WalkDir::new(&fx.corpus)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_type().is_file() && e.path().to_string_lossy().contains("dzud"))
        .unwrap()
        .into_path();
    std::fs::remove_file(&dzud).unwrap();
    let extra = fx.corpus.join("new").join("extra.html");
    std::fs::create_dir_all(extra.parent().unwrap()).unwrap();
    std::fs::write(&extra, "<html><head><title>Quokka census</title></head><body><article><h1>Quokka census</h1><p>The quokka census on Rottnest Island counted more animals than expected this year, rangers said.</p></article></body></html>").unwrap();
    let third = stdout(&fx.index());
    assert!(third.contains("1 added, 1 updated, 40 unchanged, 1 removed"), "{third}");
    let (_, z) = fx.search_json(&["Zanzibarian"]);
    assert_eq!(z["total"], 1);
    let (_, old) = fx.search_json(&["\"Open Skies\""]);
    assert!(!paths(&old).iter().any(|p| p.contains(KEY_ARTICLE)));
    let (_, q) = fx.search_json(&["quokka"]);
    assert_eq!(paths(&q), vec!["new/extra.html".to_string()]);
    let (_, gone) = fx.search_json(&["dzud"]);
    assert!(!paths(&gone).iter().any(|p| p.contains("dzud")));
}

#[test]
fn bad_files_are_reported_and_the_rest_indexed() {
    let fx = Fixture::new();
    std::fs::write(fx.corpus.join("empty.html"), "").unwrap();
    std::fs::write(fx.corpus.join("image.html"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    std::fs::write(fx.corpus.join("nested.html"), "<div>".repeat(2000) + "deep text" + &"</div>".repeat(2000)).unwrap();
    std::fs::write(fx.corpus.join("too-deep.html"), "<div>".repeat(100_000) + "deep text").unwrap();
    let big = format!("<html><body><p>{}</p></body></html>", "word ".repeat(400_000));
    std::fs::write(fx.corpus.join("huge.html"), big).unwrap();
    let run = || {
        dossier()
            .arg("index")
            .arg(&fx.corpus)
            .arg("--index")
            .arg(&fx.index)
            .args(["--max-file-size-mb", "1"])
            .output()
            .unwrap()
    };
    let started = std::time::Instant::now();
    let out = run();
    assert!(started.elapsed().as_secs() < 60, "hostile pages must not stall the run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one line per bad file: {err}");
    assert!(err.contains("empty.html: empty file"), "{err}");
    assert!(err.contains("image.html: not HTML"), "{err}");
    assert!(err.contains("too-deep.html: elements nested more than"), "{err}");
    assert!(err.contains("huge.html: file is larger than"), "{err}");
    assert!(stdout(&out).contains("43 added") && stdout(&out).contains("4 failed"), "{}", stdout(&out));
    // The failures are retried (and reported again) on the next run; nothing else changes.
    let again = run();
    assert!(stdout(&again).contains("0 added, 0 updated, 43 unchanged, 0 removed, 4 failed"), "{}", stdout(&again));
}

#[test]
fn a_second_indexer_gets_a_clear_lock_error() {
    let fx = Fixture::new();
    fx.index();
    let handle = dossier::index::open_or_create(&fx.index, false).unwrap();
    let _writer: tantivy::IndexWriter = handle.index.writer(20_000_000).unwrap();
    let out = fx.index();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("locked by another process"), "{}", stderr(&out));
    // Searching still works while the lock is held.
    let (code, _) = fx.search_json(&["Mongolia"]);
    assert_eq!(code, 0);
}

#[test]
fn extraction_matches_golden_files() {
    let fixtures = repo().join("tests/fixtures");
    for name in ["wordpress.html", "jsonld.html", "legacy_cp1252.htm", "amp_url_date.html"] {
        let out = dossier().args(["extract", "--json"]).arg(fixtures.join(name)).output().unwrap();
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let mut got: Value = serde_json::from_slice(&out.stdout).unwrap();
        got.as_object_mut().unwrap().remove("path");
        let golden_path = fixtures.join(format!("{}.golden.json", name.rsplit_once('.').unwrap().0));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden_path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
            continue;
        }
        let want: Value = serde_json::from_str(&std::fs::read_to_string(&golden_path).unwrap()).unwrap();
        assert_eq!(got, want, "{name} differs from {}", golden_path.display());
    }
}

#[test]
fn extract_reports_bad_files_in_order_and_continues() {
    let fixtures = repo().join("tests/fixtures");
    let out = dossier()
        .args(["extract", "--json"])
        .arg(fixtures.join("empty.html"))
        .arg(fixtures.join("wordpress.html"))
        .arg(fixtures.join("image.html"))
        .arg(fixtures.join("missing.html"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["error"], "empty file");
    assert!(lines[1]["error"].is_null());
    assert_eq!(lines[1]["title"], "Grain talks resume");
    assert!(lines[2]["error"].as_str().unwrap().contains("PNG"));
    assert!(lines[3]["error"].as_str().unwrap().contains("No such file"));
    assert!(lines[3]["path"].as_str().unwrap().ends_with("missing.html"));
    // The human view renders the article text.
    let human = dossier().arg("extract").arg(fixtures.join("wordpress.html")).output().unwrap();
    let text = stdout(&human);
    assert!(
        text.contains("Grain talks resume") && text.contains("Jo Marsh") && text.contains("fertiliser prices"),
        "{text}"
    );
    assert!(!text.contains("Read also"), "{text}");
}

/// The sample corpus is rendered from sources that say what each page holds: every page
/// must extract to exactly that (title, date, author, category, countries, regions, body).
#[test]
fn every_corpus_page_extracts_to_its_source() {
    #[derive(serde::Deserialize)]
    struct Source {
        slug: String,
        title: String,
        date: String,
        author: String,
        category: String,
        regions: Vec<String>,
        countries: Vec<String>,
    }
    let articles = repo().join("tools/corpus/articles");
    let mut sources = Vec::new();
    for entry in std::fs::read_dir(&articles).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut parts = text.splitn(3, "+++");
        parts.next();
        let front: Source = toml::from_str(parts.next().unwrap()).unwrap();
        let body = parts.next().unwrap().split("--- comments ---").next().unwrap().to_string();
        sources.push((front, body));
    }
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(repo().join("corpus"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| dossier::index::walk::is_page(e.path()))
        .map(|e| e.into_path())
        .collect();
    assert!(pages.len() >= 40);
    let out = dossier().args(["extract", "--json"]).args(&pages).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut problems = Vec::new();
    for line in stdout(&out).lines() {
        let got: Value = serde_json::from_str(line).unwrap();
        let path = got["path"].as_str().unwrap();
        let (src, body) = sources.iter().find(|(s, _)| path.contains(&s.slug)).expect("page has a source");
        let mut check = |what: &str, ok: bool| {
            if !ok {
                problems.push(format!("{}: {what}: got {}", src.slug, got[what]));
            }
        };
        check("title", got["title"] == src.title.as_str());
        check("date", got["date"] == src.date.as_str());
        check("author", got["author"] == src.author.as_str());
        check("types", got["types"] == serde_json::json!([src.category]));
        let mut countries = src.countries.clone();
        countries.sort();
        check("countries", got["countries"] == serde_json::json!(countries));
        let regions: Vec<&str> = got["regions"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        check("regions", src.regions.iter().all(|r| regions.contains(&r.as_str())));
        // The body is the source's paragraphs, in order, and nothing else.
        let want: Vec<String> = body
            .split("\n\n")
            .flat_map(|p| p.lines().map(str::to_string).collect::<Vec<_>>())
            .map(|l| squash(l.trim_start_matches("## ").trim_start_matches("- ").trim_start_matches("> ")))
            .filter(|l| !l.is_empty())
            .collect();
        let got_body = squash(got["body"].as_str().unwrap());
        check("body", squash(&want.join(" ")) == got_body);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Killing an indexing run leaves the last commit searchable, with exactly its documents;
/// the next run completes the work.
#[test]
fn a_killed_run_leaves_the_last_commit_intact() {
    let fx = Fixture::new();
    assert!(fx.index().status.success());
    // Enough extra pages that the second run is still extracting when it is killed.
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&fx.corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| dossier::index::walk::is_page(e.path()))
        .map(|e| e.into_path())
        .collect();
    for copy in 0..10 {
        let dir = fx.corpus.join(format!("copy{copy}"));
        std::fs::create_dir_all(&dir).unwrap();
        for (i, p) in pages.iter().enumerate() {
            std::fs::copy(p, dir.join(format!("{i}.html"))).unwrap();
        }
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .arg("index")
        .arg(&fx.corpus)
        .arg("--index")
        .arg(&fx.index)
        .args(["--threads", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run should have been killed before finishing");
    let (code, v) = fx.search_json(&["", "--limit", "10000"]);
    assert_eq!(code, 0);
    assert_eq!(v["total"], 42, "only the first commit is visible");
    let out = fx.index();
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, v) = fx.search_json(&["", "--limit", "10000", "--keep-duplicates"]);
    assert_eq!(v["total"].as_u64().unwrap(), 42 + 10 * pages.len() as u64);
    let ids: std::collections::HashSet<String> = paths(&v).into_iter().collect();
    assert_eq!(ids.len() as u64, v["total"].as_u64().unwrap(), "no duplicates");
}

#[test]
fn stats_reports_documents_counts_and_failures() {
    let fx = Fixture::new();
    std::fs::write(fx.corpus.join("empty.html"), "").unwrap();
    fx.index();
    let out = dossier().args(["stats", "--json", "--index"]).arg(&fx.index).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"], 42);
    assert!(v["segments"].as_u64().unwrap() >= 1);
    assert!(v["bytes_on_disk"].as_u64().unwrap() > 10_000);
    assert_eq!(v["failed_count"], 1);
    assert!(v["failed"][0]["path"].as_str().unwrap().ends_with("empty.html"));
    assert_eq!(v["failed"][0]["reason"], "empty file");
    assert!(v["corpus"].as_str().unwrap().ends_with("corpus"));
    assert!(v["last_commit"].as_str().unwrap().starts_with("20"));
    let regions: u64 = ["Africa", "Americas", "Asia-Pacific", "Europe", "Middle East", "Russia & Eurasia"]
        .iter()
        .map(|r| v["facets"]["region"][r].as_u64().unwrap_or(0))
        .sum();
    assert!(regions >= 42, "every article has a region: {}", v["facets"]["region"]);
    assert_eq!(v["facets"]["year"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum::<u64>(), 42);
    let human = dossier().args(["stats", "--index"]).arg(&fx.index).output().unwrap();
    assert!(stdout(&human).contains("documents   42"), "{}", stdout(&human));
}

#[test]
fn date_sorted_hits_keep_their_relevance_scores() {
    // Scores of date-sorted hits used to come from `Query::explain`, whose seek panics in
    // tantivy's phrase scorer (debug builds) for queries of several words.
    let fx = Fixture::new();
    fx.index();
    let (_, by_score) = fx.search_json(&["rare earth Mongolia", "--limit", "50"]);
    let (code, newest) = fx.search_json(&["rare earth Mongolia", "--limit", "50", "--sort", "newest", "--offset", "1"]);
    assert_eq!(code, 0);
    for hit in newest["hits"].as_array().unwrap() {
        let same = by_score["hits"].as_array().unwrap().iter().find(|h| h["path"] == hit["path"]).unwrap();
        assert_eq!(same["score"], hit["score"], "{}", hit["path"]);
    }
}

/// Symlinks are not followed unless asked; with --follow-links a loop costs one line.
/// A file name that is not UTF-8 is reported, not silently skipped.
#[cfg(unix)]
#[test]
fn symlinks_loops_and_odd_file_names() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("c");
    std::fs::create_dir_all(corpus.join("sub")).unwrap();
    let fixtures = repo().join("tests/fixtures");
    std::fs::copy(fixtures.join("wordpress.html"), corpus.join("a.html")).unwrap();
    let outside = dir.path().join("outside.html");
    std::fs::copy(fixtures.join("jsonld.html"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, corpus.join("link.html")).unwrap();
    std::os::unix::fs::symlink(&corpus, corpus.join("sub/loop")).unwrap();
    let odd = corpus.join(std::ffi::OsStr::from_bytes(b"caf\xe9.html"));
    std::fs::copy(fixtures.join("amp_url_date.html"), odd).unwrap();

    let index = dir.path().join("ix");
    let out = dossier().arg("index").arg(&corpus).arg("--index").arg(&index).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 added"), "only a.html: {}", stdout(&out));
    assert!(stderr(&out).contains("file name is not valid UTF-8"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    let index2 = dir.path().join("ix2");
    let out = dossier().arg("index").arg(&corpus).arg("--index").arg(&index2).arg("--follow-links").output().unwrap();
    assert!(stdout(&out).contains("2 added"), "a.html and link.html: {}", stdout(&out));
    assert!(stderr(&out).contains("symlink loop"), "{}", stderr(&out));
}

#[test]
fn a_damaged_index_is_reported_and_rebuilt() {
    let fx = Fixture::new();
    fx.index();
    let segment_file = std::fs::read_dir(&fx.index)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment file");
    std::fs::OpenOptions::new().write(true).open(&segment_file).unwrap().set_len(10).unwrap();
    let out = dossier().args(["search", "Mongolia", "--index"]).arg(&fx.index).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("damaged") && err.contains("dossier index --rebuild"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let plain = fx.index();
    assert_eq!(plain.status.code(), Some(2), "without --rebuild the damage is reported: {}", stderr(&plain));
    let rebuilt =
        dossier().arg("index").arg(&fx.corpus).arg("--index").arg(&fx.index).arg("--rebuild").output().unwrap();
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    let (code, v) = fx.search_json(&["", "--limit", "100"]);
    assert_eq!(code, 0);
    assert_eq!(v["total"], 42);
}

#[test]
fn hostile_queries_are_bounded() {
    let fx = Fixture::new();
    fx.index();
    let many_terms: String = (0..10_000).map(|i| format!("word{i} ")).collect();
    let long_word = "a".repeat(100_000);
    for q in [many_terms.as_str(), long_word.as_str(), "rare\u{1} earth\u{7}\u{1b}[31m"] {
        let started = std::time::Instant::now();
        let out = dossier().args(["search", q, "--json", "--index"]).arg(&fx.index).output().unwrap();
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        assert!(started.elapsed().as_secs() < 30, "bounded time");
        let _: Value = serde_json::from_slice(&out.stdout).unwrap();
    }
    let out = dossier()
        .args(["search", "rare earth", "--json", "--limit", "1000000000", "--index"])
        .arg(&fx.index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("--limit capped"), "{}", stderr(&out));
}

#[test]
fn related_articles_share_the_topic_and_exclude_the_article() {
    let fx = Fixture::new();
    fx.index();
    let key = "halden.example/2023/08/us-mongolia-economic-security-cooperation/index.html";
    let out = dossier().args(["related", key, "--json", "--limit", "5", "--index"]).arg(&fx.index).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let related = paths(&v);
    assert_eq!(related.len(), 5);
    assert!(!related.iter().any(|p| p == key), "the article itself is excluded");
    // Its nearest neighbours are about Mongolia or rare earths, not, say, French pensions.
    let on_topic = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| {
            let t = h["title"].as_str().unwrap().to_lowercase();
            t.contains("mongolia") || t.contains("rare earth") || t.contains("minerals")
        })
        .count();
    assert!(on_topic >= 3, "{related:?}");
    // A file path inside the corpus works too; an unknown one is a clear error.
    let by_file = dossier().arg("related").arg(fx.corpus.join(key)).arg("--index").arg(&fx.index).output().unwrap();
    assert!(by_file.status.success(), "{}", stderr(&by_file));
    let unknown = dossier().args(["related", "nope.html", "--index"]).arg(&fx.index).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no such document"), "{}", stderr(&unknown));
}

#[test]
fn explain_breaks_each_score_into_its_parts() {
    let fx = Fixture::new();
    fx.index();
    let (_, plain) = fx.search_json(&["rare earth Mongolia", "--limit", "3"]);
    assert!(plain["hits"][0].get("explanation").is_none(), "explanations only when asked");
    let (_, v) = fx.search_json(&["rare earth Mongolia", "--limit", "20", "--explain"]);
    for hit in v["hits"].as_array().unwrap() {
        let why = &hit["explanation"];
        let score = hit["score"].as_f64().unwrap();
        assert!((why["score"].as_f64().unwrap() - score).abs() < 1e-3 * score.max(1.0), "{hit:#}");
        let text = why.to_string();
        let named = ["title", "body"].iter().any(|f| text.contains(&format!("{f} \\\"")));
        assert!(named && text.contains(": bm25(k1="), "per-field BM25 parts named: {text}");
        if score >= 1000.0 {
            assert!(text.contains("every query word present"), "the tier is named: {text}");
        }
    }
    let human = dossier()
        .args(["search", "rare earth Mongolia", "--limit", "1", "--explain", "--index"])
        .arg(&fx.index)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(stdout(&human).contains("why: score"), "{}", stdout(&human));
}

#[test]
fn an_excluded_phrase_removes_exactly_the_pages_holding_it() {
    // Found by fuzzing: tantivy asked the excluded phrase about a page before its first
    // match and a debug assertion fired; the results must be the set difference.
    let fx = Fixture::new();
    fx.index();
    let all = |q: &str| {
        let mut p = paths(&fx.search_query(&["--limit", "1000"], q));
        p.sort();
        p
    };
    let china = all("china");
    let phrase = all("\"rare earth\"");
    assert!(!phrase.is_empty() && china.iter().any(|p| phrase.contains(p)), "the corpus must overlap");
    let expected: Vec<String> = china.iter().filter(|p| !phrase.contains(p)).cloned().collect();
    assert_eq!(all("china -\"rare earth\""), expected);
    let everything = all("");
    let without: Vec<String> = everything.iter().filter(|p| !phrase.contains(p)).cloned().collect();
    assert_eq!(all("-\"rare earth\""), without);
    // Explaining phrase queries seeks each phrase to every hit, including hits before the
    // phrase's first match (also found by fuzzing); the parts still add up.
    // A boolean clause that cannot match in a segment is explained too (found by fuzzing).
    for q in ["\"rare earth\" china", "\"rare earth\"~2 OR mongolia^2", "title:\"rare earth\" -coal", "80 ( +0 2"] {
        let v = fx.search_query(&["--explain"], q);
        for h in v["hits"].as_array().unwrap() {
            let (score, explained) = (h["score"].as_f64().unwrap(), h["explanation"]["score"].as_f64().unwrap());
            assert!((score - explained).abs() < 1e-3 * score.max(1.0), "{q}: {h:#}");
        }
    }
}

#[test]
fn unquoted_words_are_one_query() {
    let fx = Fixture::new();
    fx.index();
    let (code, joined) = fx.search_json(&["rare", "earth", "Mongolia"]);
    assert_eq!(code, 0);
    let (_, quoted) = fx.search_json(&["rare earth Mongolia"]);
    assert_eq!(joined["query"], "rare earth Mongolia");
    assert_eq!(paths(&joined), paths(&quoted));
}

/// Indexes `corpus` into `dir/index`, which it returns.
fn index_folder(dir: &TempDir, corpus: &Path) -> PathBuf {
    let index = dir.path().join("index");
    let out = dossier().arg("index").arg(corpus).arg("--index").arg(&index).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    index
}

/// `search --json --index INDEX -- QUERY`.
fn search_index(index: &Path, query: &str) -> Value {
    let out = dossier().args(["search", "--json", "--index"]).arg(index).args(["--", query]).output().unwrap();
    serde_json::from_slice::<Value>(&out.stdout).unwrap()
}

/// A page of our own in `lang`, with a title and a few paragraphs.
fn page_in(lang: &str, title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><article><h1>{title}</h1>{body}</article></body></html>"
    )
}

#[test]
fn german_pages_are_stemmed_as_german_and_english_pages_as_english() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let german = [
        "Die Mieten für Wohnungen und Häuser in der Hauptstadt sind im vergangenen Jahr erneut gestiegen.",
        "Viele Familien suchen deshalb außerhalb der Stadt, wo die Preise für Grundstücke niedriger liegen.",
        "Die Regierung plant neue Förderprogramme für den Bau günstiger Wohnungen in den Außenbezirken.",
    ];
    std::fs::write(corpus.join("mieten.html"), page_in("de", "Mieten steigen weiter", &german)).unwrap();
    let english = [
        "Prices of flats and houses in the capital rose again last year, agents said on Monday.",
        "Many families are now looking outside the city, where land is cheaper and commutes are longer.",
        "The government plans new programmes to fund the building of affordable homes in the suburbs.",
    ];
    std::fs::write(corpus.join("prices.html"), page_in("en", "House prices keep rising", &english)).unwrap();
    let index = index_folder(&dir, &corpus);
    let search = |q: &str| search_index(&index, q);
    // "Haus" is only in the German page as "Häuser": German stemming joins them.
    let v = search("Haus");
    assert_eq!(paths(&v), ["mieten.html"], "{v:#}");
    let snippet = &v["hits"][0]["snippet"];
    let text: Vec<char> = snippet["text"].as_str().unwrap().chars().collect();
    let (s, e) = (
        snippet["highlights"][0][0].as_u64().unwrap() as usize,
        snippet["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(text[s..e].iter().collect::<String>(), "Häuser");
    // Plural to singular the German way ("Wohnungen" → "Wohnung"), and the English way.
    assert_eq!(paths(&search("Wohnung")), ["mieten.html"]);
    assert_eq!(paths(&search("house")), ["prices.html"]);
    assert_eq!(paths(&search("suburb")), ["prices.html"]);
    // Both readings of a two-word query still rank the page holding both words first.
    assert_eq!(paths(&search("Familie Stadt"))[0], "mieten.html");
    // Query syntax is read in each language too: a quoted phrase and an exclusion.
    // ("Häuser" is "hauser" to the English stemmer, "haus" to the German one.)
    assert_eq!(paths(&search("\"Häuser in der Hauptstadt\"")), ["mieten.html"]);
    assert_eq!(paths(&search("+Häuser -Grundstück")), Vec::<String>::new());
    assert_eq!(paths(&search("+Häuser +Mieten")), ["mieten.html"]);
    // Hits say their language; a language filter keeps only those pages; stats count them.
    assert_eq!(search("Haus")["hits"][0]["language"], "de");
    let out =
        dossier().args(["search", "--json", "--language", "de-AT", "--index"]).arg(&index).arg("").output().unwrap();
    assert_eq!(paths(&serde_json::from_slice(&out.stdout).unwrap()), ["mieten.html"]);
    let out = dossier().args(["stats", "--json", "--index"]).arg(&index).output().unwrap();
    let stats: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(stats["languages"], serde_json::json!({"de": 1, "en": 1}));
}

#[test]
fn boost_recent_orders_equal_matches_by_date_and_keeps_the_tier() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let page = |date: &str, title: &str, text: &str| {
        let meta = if date.is_empty() {
            String::new()
        } else {
            format!("<meta property=\"article:published_time\" content=\"{date}\">")
        };
        format!(
            "<html lang=\"en\"><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>\
             <p>{text}</p><p>Officials said more talks would follow later in the year, in the capital.</p>\
             </article></body></html>"
        )
    };
    let both = "Copper exports from the mine rose as the new railway opened to traffic this spring.";
    std::fs::write(corpus.join("a-old.html"), page("2010-05-01", "Mine report", both)).unwrap();
    std::fs::write(corpus.join("b-new.html"), page("2020-05-01", "Mine report", both)).unwrap();
    std::fs::write(corpus.join("c-undated.html"), page("", "Mine report", both)).unwrap();
    let only_copper = "Copper prices fell on the exchange as traders sold ahead of the holiday.";
    std::fs::write(corpus.join("d-newest-partial.html"), page("2021-01-01", "Market note", only_copper)).unwrap();
    let index = dir.path().join("index");
    assert!(dossier().arg("index").arg(&corpus).arg("--index").arg(&index).output().unwrap().status.success());
    let run = |extra: &[&str]| {
        let out =
            // The pages are the same story by construction: keep them apart.
            dossier().args(["search", "copper railway", "--json", "--keep-duplicates", "--index"]).arg(&index).args(extra).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    // Equal matches tie without the boost (ties go by a hash of the id: the same order on
    // every run).
    let plain = run(&[]);
    let mut complete = paths(&plain)[..3].to_vec();
    complete.sort();
    assert_eq!(complete, ["a-old.html", "b-new.html", "c-undated.html"]);
    assert_eq!(paths(&plain)[3], "d-newest-partial.html");
    assert_eq!(plain["hits"][0]["score"], plain["hits"][2]["score"]);
    assert_eq!(paths(&run(&[])), paths(&plain));
    // With it, newer first and undated last among them; the partial match stays below the
    // complete ones although it is the newest article.
    let boosted = run(&["--boost-recent=365", "--explain"]);
    assert_eq!(paths(&boosted), ["b-new.html", "a-old.html", "c-undated.html", "d-newest-partial.html"]);
    assert!(boosted["hits"][0]["explanation"].to_string().contains("recency"), "{boosted:#}");
    // The default half-life is a year.
    assert_eq!(paths(&run(&["--boost-recent"])), paths(&boosted));
    // A bare flag never takes the next word as its value.
    let out = dossier()
        .args(["search", "--boost-recent", "copper", "--json", "--keep-duplicates", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(paths(&serde_json::from_slice(&out.stdout).unwrap())[0], "d-newest-partial.html");
}

#[test]
fn near_identical_articles_are_one_hit_with_their_copies_listed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("a.example")).unwrap();
    std::fs::create_dir_all(corpus.join("b.example")).unwrap();
    let story = "Copper exports from the northern mine rose by a fifth in the first quarter as the new \
        railway to the border opened to freight traffic, the mining ministry said on Tuesday. Officials \
        expect shipments to double once a second line is finished, although herders along the route \
        have protested about dust and the loss of winter pasture, and a court case is pending.";
    let page = |site: &str, story: &str| {
        format!(
            "<html lang=\"en\"><head><title>Copper exports rise | {site}</title></head><body>\
             <nav><a href=/>{site} home</a></nav><article><h1>Copper exports rise</h1><p>{story}</p>\
             </article><aside><h3>More from {site}</h3><a href=/x>Grain harvest late</a></aside>\
             <footer>{site}</footer></body></html>"
        )
    };
    std::fs::write(corpus.join("a.example/copper.html"), page("A Wire", story)).unwrap();
    // The same wire story on another site, in another template, one word edited.
    std::fs::write(corpus.join("b.example/copper.html"), page("B Daily", &story.replace("Tuesday", "Monday"))).unwrap();
    let other = "Copper prices fell on the exchange on Wednesday as traders sold ahead of the holiday and \
        warehouses reported rising stocks for the third week in a row, analysts said.";
    std::fs::write(
        corpus.join("b.example/prices.html"),
        format!("<html><body><article><h1>Copper prices fall</h1><p>{other}</p></article></body></html>"),
    )
    .unwrap();
    let index = dir.path().join("index");
    assert!(dossier().arg("index").arg(&corpus).arg("--index").arg(&index).output().unwrap().status.success());
    let run = |extra: &[&str]| {
        let out = dossier().args(["search", "copper", "--json", "--index"]).arg(&index).args(extra).output().unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let v = run(&[]);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2, "{v:#}");
    let story_hit = hits.iter().find(|h| h["title"] == "Copper exports rise").unwrap();
    assert_eq!(story_hit["copies"], 1);
    let copy = story_hit["duplicates"][0].as_str().unwrap();
    assert!(copy.ends_with("copper.html") && copy != story_hit["path"].as_str().unwrap());
    assert_eq!(v["duplicates_hidden"], 1);
    assert_eq!(v["total"], 3, "the total counts documents");
    // Paging goes by stories.
    assert_eq!(paths(&run(&["--offset", "1"])).len(), 1);
    // Kept apart on request.
    let all = run(&["--keep-duplicates"]);
    assert_eq!(all["hits"].as_array().unwrap().len(), 3);
    assert_eq!(all["duplicates_hidden"], 0);
    // An article's copy is the article itself, not an article like it.
    let out = dossier().args(["related", "a.example/copper.html", "--json", "--index"]).arg(&index).output().unwrap();
    let related: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(paths(&related), ["b.example/prices.html"], "{related:#}");
}

#[test]
fn words_of_an_unlinked_tag_list_are_searched_in_the_page_language() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let tagged =
        |page: String, list: &str| page.replace("</article>", &format!("<p class=\"keywords\">{list}</p></article>"));
    let english = [
        "A program that plays a board game must look ahead several moves and judge the positions it reaches.",
        "The search is cut short where a move cannot change the outcome, which saves most of the work.",
    ];
    let en = tagged(page_in("en", "Looking ahead in board games", &english), "game trees, chess, pruning");
    std::fs::write(corpus.join("games.html"), en).unwrap();
    let german = [
        "Die Mieten in der Hauptstadt sind im vergangenen Jahr erneut gestiegen, meldet der Verband.",
        "Viele Familien suchen deshalb außerhalb der Stadt nach einer bezahlbaren Wohnung.",
    ];
    let de = tagged(page_in("de", "Mieten steigen weiter", &german), "Wohnungsmärkte, Mietpreise");
    std::fs::write(corpus.join("mieten.html"), de).unwrap();
    let index = index_folder(&dir, &corpus);
    let search = |q: &str| search_index(&index, q);
    // "chess" is only in the list; the list is shown as tags, not as body text.
    let v = search("chess");
    assert_eq!(paths(&v), ["games.html"], "{v:#}");
    assert_eq!(v["hits"][0]["tags"], serde_json::json!(["chess", "game trees", "pruning"]), "{v:#}");
    // German tags are stemmed as German: "Mietpreis" finds "Mietpreise".
    assert_eq!(paths(&search("Mietpreis")), ["mieten.html"]);
    assert_eq!(paths(&search("tags:pruning")), ["games.html"]);
}

#[test]
fn feedback_reorders_the_pages_holding_a_typed_word_and_adds_none() {
    let fx = Fixture::new();
    fx.index();
    for q in ["mongolia", "rare earth", "coal exports", "drought herders"] {
        let all = |flags: &[&str]| {
            let v = fx.search_query(&[&["--limit", "1000"], flags].concat(), q);
            let mut p = paths(&v);
            p.sort();
            (v, p)
        };
        let (expanded, with) = all(&[]);
        let (plain, without) = all(&["--no-expand"]);
        assert!(!with.is_empty(), "{q}");
        assert_eq!(with, without, "{q}: feedback changed which pages match");
        assert_eq!(expanded["total"], plain["total"], "{q}");
        // Snippets highlight the words typed, not the words feedback added.
        let stems: Vec<String> = q.split(' ').map(|w| w[..4].to_string()).collect();
        for h in expanded["hits"].as_array().unwrap() {
            let text: Vec<char> = h["snippet"]["text"].as_str().unwrap().chars().collect();
            for span in h["snippet"]["highlights"].as_array().unwrap() {
                let (s, e) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
                let word = text[s..e].iter().collect::<String>().to_lowercase();
                assert!(stems.iter().any(|st| word.starts_with(st.as_str())), "{q}: highlighted {word:?}");
            }
        }
    }
    // --expand, the default, is still accepted.
    let (code, _) = fx.search_json(&["mongolia", "--expand"]);
    assert_eq!(code, 0);
}

#[test]
fn a_topic_table_is_the_taxonomy_for_extract_index_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harvest</title></head><body>\
        <article><h1>Harvest estimates cut again</h1>\
        <p>Growers in the northern plains cut their harvest estimates for the third week running.</p>\
        <p>Storage operators expect the smaller crop to tighten supplies before the spring.</p>\
        <p class=\"cats\"><a href=\"/category/insight/\" rel=\"category tag\">Insight</a> \
        <a href=\"/tag/wht\" rel=\"tag\">#wht</a></p></article></body></html>";
    std::fs::write(corpus.join("harvest.html"), page).unwrap();
    let table = dir.path().join("topics.tsv");
    std::fs::write(&table, "# code\tname\nwht\tWheat\tcommon wheat\nbrly\tBarley\n").unwrap();
    let categories = |vocabulary: Option<&Path>| {
        let mut cmd = dossier();
        if let Some(v) = vocabulary {
            cmd.arg("--vocabulary").arg(v);
        }
        let out = cmd.args(["extract", "--json"]).arg(corpus.join("harvest.html")).output().unwrap();
        let v: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
        v["categories"].clone()
    };
    // Open topics: whatever the site files the page under, codes as written.
    assert_eq!(categories(None), serde_json::json!(["Insight", "wht"]));
    // The table: the code maps to its name, the site's section is no topic.
    assert_eq!(categories(Some(&table)), serde_json::json!(["Wheat"]));
    let index = dir.path().join("index");
    let out = dossier()
        .arg("--vocabulary")
        .arg(&table)
        .arg("index")
        .arg(&corpus)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let out = dossier()
        .args(["search", "--json", "--category", "wheat", "--index"])
        .arg(&index)
        .args(["--", "harvest"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(paths(&v).len(), 1, "{v}");
    // A malformed table is one clear error naming the file and the line.
    std::fs::write(&table, "wht\tWheat\nbrly\n").unwrap();
    let out =
        dossier().arg("--vocabulary").arg(&table).args(["extract"]).arg(corpus.join("harvest.html")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("topics.tsv") && err.contains("line 2"), "{err}");
}
