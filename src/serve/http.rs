//! The HTTP side of `serve`: the site from memory, the search API, and the
//! live-reload event stream.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use tokio::sync::broadcast;

use crate::parse::kind::Kind;
use crate::search::OpenSearch;
use crate::serve::files::{Lookup, allowed_roots, inject_live_script, lookup, read_contents};
use crate::serve::session::{FileMap, server_instance};

/// A message to the open tabs.
#[derive(Debug, Clone)]
pub(crate) enum LiveEvent {
    /// A rebuild succeeded: reload.
    Reload,
    /// A rebuild failed: show these diagnostics over the page.
    Errors(String),
}

/// Everything the handlers share; the builder thread swaps its parts.
pub(crate) struct Shared {
    pub(crate) site: RwLock<Arc<FileMap>>,
    /// The static search index of the last index build.
    pub(crate) search_files: RwLock<Arc<FileMap>>,
    pub(crate) search: RwLock<Option<Arc<OpenSearch>>>,
    /// Diagnostics of the current failed build, if the last build failed.
    pub(crate) errors: RwLock<Option<String>>,
    pub(crate) events: broadcast::Sender<LiveEvent>,
    /// Becomes true when the server stops; event streams end then, even
    /// one that connected a moment after.
    stopping: tokio::sync::watch::Sender<bool>,
    allowed: Vec<PathBuf>,
    /// Live-reload streams open now, and how many may be.
    event_streams: Arc<AtomicUsize>,
    max_event_streams: usize,
}

/// One open live-reload stream; its place is given back when it ends.
struct EventStreamPlace(Arc<AtomicUsize>);

impl Drop for EventStreamPlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    pub(crate) fn new(root: &std::path::Path, max_event_streams: usize) -> Arc<Shared> {
        let (events, _) = broadcast::channel(64);
        Arc::new(Shared {
            site: RwLock::new(Arc::default()),
            search_files: RwLock::new(Arc::default()),
            search: RwLock::new(None),
            errors: RwLock::new(None),
            events,
            stopping: tokio::sync::watch::Sender::new(false),
            allowed: allowed_roots(root),
            event_streams: Arc::new(AtomicUsize::new(0)),
            max_event_streams,
        })
    }

    /// Turns true when the server stops.
    pub(crate) fn stopping(&self) -> tokio::sync::watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// A place for one more live-reload stream, unless all are taken.
    fn event_stream_place(&self) -> Option<EventStreamPlace> {
        let taken = self.event_streams.fetch_add(1, Ordering::SeqCst);
        let place = EventStreamPlace(self.event_streams.clone());
        (taken < self.max_event_streams).then_some(place)
    }

    /// Ends every event stream, so a graceful shutdown does not wait on
    /// open tabs.
    pub(crate) fn stop(&self) {
        self.stopping.send_replace(true);
    }

    pub(crate) fn send(&self, event: LiveEvent) {
        // No receiver (no tab open) is fine.
        let _ = self.events.send(event);
    }
}

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/search", get(search))
        .route("/__praxis/events", get(events))
        .route(
            "/__praxis/live.js",
            get(|headers: HeaderMap| async move { asset(&headers, LIVE_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/__praxis/live.css",
            get(|headers: HeaderMap| async move { asset(&headers, LIVE_CSS, "text/css; charset=utf-8") }),
        )
        .fallback(site_file)
        .with_state(shared)
}

/// The server's own script and style: the same for the whole run, so their
/// tag is the run's.
fn asset(headers: &HeaderMap, text: &'static str, content_type: &'static str) -> Response {
    let etag = format!("\"{:x}-live\"", server_instance());
    if if_none_match(headers, &etag) {
        return not_modified(etag);
    }
    let mut response = respond_raw(StatusCode::OK, text.as_bytes().to_vec(), content_type);
    if let Ok(tag) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// Whether the request's `If-None-Match` names `etag`.
fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| matches_etag(tags, etag))
}

fn not_modified(etag: String) -> Response {
    (
        StatusCode::NOT_MODIFIED,
        [(header::ETAG, etag), (header::CACHE_CONTROL, "no-cache".to_string())],
    )
        .into_response()
}

fn read<T: Clone>(lock: &RwLock<T>) -> T {
    match lock.read() {
        Ok(guard) => guard.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// Any path of the site. Only GET and HEAD (HEAD is answered as GET without
/// the body by the server).
async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "only GET and HEAD\n",
        )
            .into_response();
    }
    let site = read(&shared.site);
    let search_files = read(&shared.search_files);
    let path = uri.path();
    let found = match lookup(&site, path) {
        Lookup::NotFound => lookup(&search_files, path),
        other => other,
    };
    match found {
        Lookup::Found(file, content_type) => {
            if if_none_match(&headers, &file.etag) {
                return not_modified(file.etag.clone());
            }
            match read_contents(file, &shared.allowed) {
                Some(bytes) => {
                    // A static file in another encoding (an old Latin-1
                    // page): no charset, so the browser reads its own.
                    let content_type = if std::str::from_utf8(&bytes).is_err() {
                        content_type.split(';').next().unwrap_or(content_type)
                    } else {
                        content_type
                    };
                    respond(StatusCode::OK, bytes, content_type, Some(&file.etag))
                }
                None => not_found(&site),
            }
        }
        Lookup::Redirect(mut to) => {
            if let Some(query) = uri.query() {
                to.push('?');
                to.push_str(query);
            }
            // The path was decoded to find the file: encode it again, and
            // anything else a Location must not carry raw.
            let to = percent_encoding::utf8_percent_encode(&to, LOCATION_UNSAFE).to_string();
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response()
        }
        Lookup::NotFound => not_found(&site),
    }
}

/// Bytes escaped in a redirect's `Location`: those of any URL; `%` stays,
/// so that an escape already in the query is kept as sent.
const LOCATION_UNSAFE: &percent_encoding::AsciiSet = crate::render::context::NOT_IN_URLS;

/// Whether an `If-None-Match` value names `etag`: a list of tags, weak
/// ones (`W/"..."`) compared by their value, or `*`.
fn matches_etag(tags: &str, etag: &str) -> bool {
    tags.split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

fn respond(status: StatusCode, bytes: Vec<u8>, content_type: &'static str, etag: Option<&str>) -> Response {
    let is_html = content_type.starts_with("text/html");
    let body = if is_html { inject_live_script(&bytes) } else { bytes };
    let mut response = respond_raw(status, body, content_type);
    if let Some(tag) = etag.and_then(|tag| HeaderValue::from_str(tag).ok()) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// `bytes` as they are, with the headers every answer of the preview has.
fn respond_raw(status: StatusCode, body: Vec<u8>, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview changes with every save: browsers must always ask again,
    // and the tag makes asking cheap.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The site's own 404 page, or a plain one before the first good build.
fn not_found(site: &FileMap) -> Response {
    let page = site
        .get("404.html")
        .and_then(|file| read_contents(file, &[]))
        .unwrap_or_else(|| b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec());
    respond(StatusCode::NOT_FOUND, page, "text/html; charset=utf-8", None)
}

/// `GET /api/search?q=&kind=&limit=`: the JSON of `praxis search --format json` (docs/commands.md), or 400 with
/// `{"error": ...}` for bad parameters.
async fn search(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return bad_request("the query string is not valid".to_string());
    };
    let request = match SearchRequest::from_params(&params) {
        Ok(request) => request,
        Err(message) => return bad_request(message),
    };
    let Some(search) = read(&shared.search) else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            axum::Json(json!({"error": "the search index is being built; try again in a moment"})),
        )
            .into_response();
    };
    let result = tokio::task::spawn_blocking(move || search.search(&request.q, request.kind, request.limit)).await;
    match result {
        Ok(Ok(results)) => ([(header::CACHE_CONTROL, "no-store")], axum::Json(results)).into_response(),
        Ok(Err(err)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"error": format!("search failed: {err}")})),
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"error": "search failed"})),
        )
            .into_response(),
    }
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": message }))).into_response()
}

/// Checked parameters of a search request.
#[derive(Debug, PartialEq)]
pub(crate) struct SearchRequest {
    pub(crate) q: String,
    pub(crate) kind: Option<Kind>,
    pub(crate) limit: usize,
}

impl SearchRequest {
    pub(crate) const DEFAULT_LIMIT: usize = 10;
    pub(crate) const MAX_LIMIT: usize = 100;

    pub(crate) fn from_params(params: &[(String, String)]) -> Result<SearchRequest, String> {
        let get = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, v)| v.as_str())
        };
        let q = get("q").ok_or("missing parameter `q` (the text to search for)")?;
        let kind =
            match get("kind").filter(|kind| !kind.is_empty()) {
                None => None,
                Some(name) => Some(Kind::from_name(name).ok_or_else(|| {
                    format!("unknown kind `{name}`: use technique, application, article, faq or page")
                })?),
            };
        let limit = match get("limit").filter(|limit| !limit.is_empty()) {
            None => Self::DEFAULT_LIMIT,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=Self::MAX_LIMIT).contains(&n) => n,
                _ => return Err(format!("`limit` must be a whole number from 1 to {}", Self::MAX_LIMIT)),
            },
        };
        Ok(SearchRequest {
            q: q.to_string(),
            kind,
            limit,
        })
    }
}

/// `GET /__praxis/events`: server-sent events for the open tabs. A tab that
/// connects while the build is broken gets the errors at once.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let Some(place) = shared.event_stream_place() else {
        // The tab's script retries by itself; pages are still served.
        return Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header(header::RETRY_AFTER, "5")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::from(
                "too many live-reload connections are open; close some tabs of the preview\n",
            ))
            .unwrap_or_else(|_| StatusCode::SERVICE_UNAVAILABLE.into_response());
    };
    let receiver = shared.events.subscribe();
    let stopping = shared.stopping.subscribe();
    let current = read(&shared.errors);
    let first = match current {
        Some(errors) => sse_message("errors", &errors),
        None => ": connected\n\n".to_string(),
    };
    let state = (Some(first), receiver, stopping, place);
    let stream = futures_util::stream::unfold(state, |(first, mut receiver, mut stopping, place)| async move {
        if let Some(first) = first {
            return Some((Ok::<_, Infallible>(first), (None, receiver, stopping, place)));
        }
        loop {
            let event = tokio::select! {
                event = receiver.recv() => event,
                _ = stopping.wait_for(|stop| *stop) => return None,
            };
            let message = match event {
                Ok(LiveEvent::Reload) => sse_message("reload", ""),
                Ok(LiveEvent::Errors(text)) => sse_message("errors", &text),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            return Some((Ok(message), (None, receiver, stopping, place)));
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())
}

/// One SSE message; every line of `data` gets its own `data:` field.
fn sse_message(event: &str, data: &str) -> String {
    let mut message = format!("event: {event}\n");
    if data.is_empty() {
        message.push_str("data: \n");
    }
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    message.push('\n');
    message
}

#[cfg(test)]
mod tests {
    #[test]
    fn if_none_match_takes_lists_weak_tags_and_a_star() {
        let tag = "\"ab-1-2\"";
        assert!(super::matches_etag(tag, tag));
        assert!(super::matches_etag("\"x\", W/\"ab-1-2\"", tag));
        assert!(super::matches_etag("*", tag));
        assert!(!super::matches_etag("\"ab-1-3\"", tag));
    }

    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn search_parameters_are_checked() {
        let ok = SearchRequest::from_params(&params(&[("q", "knee"), ("kind", "technique"), ("limit", "5")])).unwrap();
        assert_eq!(ok.kind, Some(Kind::Technique));
        assert_eq!(ok.limit, 5);
        assert_eq!(SearchRequest::from_params(&params(&[("q", "")])).unwrap().limit, 10);
        for bad in [
            params(&[]),
            params(&[("q", "x"), ("kind", "pill")]),
            params(&[("q", "x"), ("limit", "0")]),
            params(&[("q", "x"), ("limit", "101")]),
            params(&[("q", "x"), ("limit", "ten")]),
            params(&[("q", "x"), ("limit", "-1")]),
        ] {
            assert!(SearchRequest::from_params(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sse_messages_split_lines() {
        assert_eq!(sse_message("errors", "a\nb"), "event: errors\ndata: a\ndata: b\n\n");
        assert_eq!(sse_message("reload", ""), "event: reload\ndata: \n\n");
    }
}
