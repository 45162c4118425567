//! `dossier serve`: the search page and the JSON API over HTTP (axum on tokio).
//!
//! Owns the routes, the shared index reader (reloaded on a short timer so commits of a
//! concurrent `dossier index` show up), the mapping of errors to HTTP statuses, and
//! serving original pages from inside the corpus folder only.
//!
//! - params.rs: "which search did the URL ask for?" (bounded, validated query strings)
//! - page.rs: "show it as HTML" (server-rendered; every page string escaped here)
//! - files.rs: "may this path be served from the corpus?"
//! - assets/: the stylesheet and the script that only enhances the page, embedded.
//!
//! Must not: rank, parse queries or extract pages (search/ and extract/ do), print (app.rs
//! does), or build a page string from page data without `page::esc`.

mod files;
mod page;
mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use thiserror::Error;

use crate::gazetteer::Vocabulary;
use crate::index::IndexHandle;
use crate::render::json;
use crate::search::{self, SearchError, SearchResults};
use params::SearchParams;

/// How often the shared reader looks for new commits.
const RELOAD_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Folder the original pages are served from (canonical); `None`: no links to them.
    pub corpus: Option<PathBuf>,
}

struct AppState {
    handle: IndexHandle,
    vocabulary: Vocabulary,
    corpus: Option<PathBuf>,
}

type Shared = Arc<AppState>;

/// Serves until Ctrl-C. `on_listening` is called once with the bound address (the port
/// may have been 0).
pub fn run(
    handle: IndexHandle,
    vocabulary: Vocabulary,
    options: ServeOptions,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: options.addr, source })?;
        on_listening(listener.local_addr()?);
        let state = Arc::new(AppState { handle, vocabulary, corpus: options.corpus });
        tokio::spawn(reload_forever(state.clone()));
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}

/// Picks up new commits. Failures (an index being rewritten) are retried on the next tick.
async fn reload_forever(state: Shared) {
    let mut tick = tokio::time::interval(RELOAD_EVERY);
    loop {
        tick.tick().await;
        let s = state.clone();
        let _ = tokio::task::spawn_blocking(move || s.handle.reader.reload()).await;
    }
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/results", get(results_fragment))
        .route("/doc/{*id}", get(doc_page))
        .route("/file/{*id}", get(original_file))
        .route("/api/search", get(api_search))
        .route("/api/doc/{*id}", get(api_doc))
        .route("/api/health", get(api_health))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", page::APP_JS) }))
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", page::APP_CSS) }))
        .fallback(not_found)
        .with_state(state)
}

// ---- responses ----

/// Our pages load nothing from elsewhere and run only our own script: a policy that
/// stops an injected `<script>` or `javascript:` link even if escaping ever failed.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_POLICY));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(body) => {
            let mut r = (status, body).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        Err(e) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &format!("cannot encode JSON: {e}")),
    }
}

fn json_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message, "status": status.as_u16() });
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    r
}

/// A search or lookup that failed: the user's fault (400/404) or ours (500).
enum Failure {
    BadParam(String),
    NotFound(String),
    Internal(String),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::BadParam(_) => StatusCode::BAD_REQUEST,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    fn message(&self) -> &str {
        match self {
            Failure::BadParam(m) | Failure::NotFound(m) | Failure::Internal(m) => m,
        }
    }
}

impl From<SearchError> for Failure {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::UnknownRegion(_) | SearchError::BadDate(_) => Failure::BadParam(e.to_string()),
            other => Failure::Internal(other.to_string()),
        }
    }
}

/// Related articles listed under the reader view.
const RELATED_SHOWN: usize = 5;

/// Runs blocking index work off the async threads; a panic becomes a 500, not a crash.
async fn blocking<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&AppState) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let s = state.clone();
    tokio::task::spawn_blocking(move || work(&s))
        .await
        .unwrap_or_else(|e| Err(Failure::Internal(format!("search task failed: {e}"))))
}

async fn run_search(state: &Shared, params: &SearchParams) -> Result<SearchResults, Failure> {
    let request = params.request();
    blocking(state, move |s| Ok(search::search(&s.handle, &s.vocabulary, &request)?)).await
}

// ---- API ----

async fn api_search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let params = match SearchParams::parse(raw.as_deref(), params::API_DEFAULT_LIMIT) {
        Ok(p) => p,
        Err(e) => return json_error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    match run_search(&state, &params).await {
        Ok(results) => json_response(StatusCode::OK, &json::search_output(&params.q, &results)),
        Err(f) => json_error(f.status(), f.message()),
    }
}

async fn lookup(state: &Shared, id: String) -> Result<crate::index::document::StoredArticle, Failure> {
    if id.len() > params::MAX_ID_BYTES {
        return Err(Failure::BadParam("document id too long".into()));
    }
    blocking(state, move |s| {
        search::document_by_id(&s.handle, &id)?.ok_or_else(|| Failure::NotFound(format!("no document {id:?}")))
    })
    .await
}

async fn api_doc(State(state): State<Shared>, id: Result<Path<String>, PathRejection>) -> Response {
    let Ok(Path(id)) = id else {
        return json_error(StatusCode::BAD_REQUEST, "document id is not valid UTF-8 once decoded");
    };
    match lookup(&state, id).await {
        Ok(article) => json_response(StatusCode::OK, &json::stored_extract_output(&article)),
        Err(f) => json_error(f.status(), f.message()),
    }
}

async fn api_health(State(state): State<Shared>) -> Response {
    let documents = state.handle.reader.searcher().num_docs();
    json_response(StatusCode::OK, &serde_json::json!({ "status": "ok", "documents": documents }))
}

// ---- pages ----

async fn search_page(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let (status, body) = render_results(&state, raw.as_deref(), page::Frame::Full).await;
    html(status, body)
}

/// The results area alone, for the script to swap in without reloading the page.
async fn results_fragment(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let (status, body) = render_results(&state, raw.as_deref(), page::Frame::Fragment).await;
    html(status, body)
}

async fn render_results(state: &Shared, raw: Option<&str>, frame: page::Frame) -> (StatusCode, String) {
    let params = match SearchParams::parse(raw, params::PAGE_DEFAULT_LIMIT) {
        Ok(p) => p,
        Err(e) => {
            let fallback = SearchParams::default();
            return (StatusCode::BAD_REQUEST, page::results(&fallback, Err(&e.to_string()), &state.vocabulary, frame));
        }
    };
    match run_search(state, &params).await {
        Ok(results) => (StatusCode::OK, page::results(&params, Ok(&results), &state.vocabulary, frame)),
        Err(f) => (f.status(), page::results(&params, Err(f.message()), &state.vocabulary, frame)),
    }
}

async fn doc_page(State(state): State<Shared>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let params = SearchParams::parse(raw.as_deref(), params::PAGE_DEFAULT_LIMIT).unwrap_or_default();
    let article = match lookup(&state, id).await {
        Ok(a) => a,
        Err(f) => return html(f.status(), page::error(f.status().as_u16(), f.message())),
    };
    let q = params.q.clone();
    let (body, language) = (article.body.clone(), article.language.clone());
    let matches = blocking(&state, move |s| Ok(search::term_matches(&s.handle, &q, language.as_deref(), &body)))
        .await
        .unwrap_or_default();
    // Related articles are a courtesy: a failure leaves the list out, not the page.
    let related_id = article.id.clone();
    let related = blocking(&state, move |s| {
        let request = search::SearchRequest { limit: RELATED_SHOWN, ..search::SearchRequest::new("") };
        Ok(search::related(&s.handle, &s.vocabulary, &related_id, &request)?.map(|r| r.hits).unwrap_or_default())
    })
    .await
    .unwrap_or_default();
    let original = state.corpus.is_some();
    html(StatusCode::OK, page::document(&article, &matches, &params, original, &related))
}

async fn original_file(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let Some(corpus) = state.corpus.clone() else {
        return html(
            StatusCode::NOT_FOUND,
            page::error(404, "original pages are not served (start with --corpus DIR)"),
        );
    };
    let read = tokio::task::spawn_blocking(move || files::read_inside(&corpus, &id)).await;
    match read {
        Ok(Ok(bytes)) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            // The saved page is foreign content: shown in a sandbox (opaque origin, no
            // scripts), it cannot reach this server's pages or API.
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
            );
            h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            r
        }
        Ok(Err(files::Refused(why))) => html(StatusCode::NOT_FOUND, page::error(404, why)),
        Err(e) => html(StatusCode::INTERNAL_SERVER_ERROR, page::error(500, &format!("cannot read the page: {e}"))),
    }
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        json_error(StatusCode::NOT_FOUND, "no such endpoint")
    } else {
        html(StatusCode::NOT_FOUND, page::error(404, "no such page"))
    }
}
