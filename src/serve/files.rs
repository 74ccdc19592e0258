//! From a request path to a file of the built site, safely.
//!
//! The site is served from memory, so a request can only ever name a key of
//! the file map: `..`, encoded dots, backslashes and absolute paths are
//! refused before lookup. Files copied from disk (images, static files) are
//! read at request time, and only when their real path is inside the site
//! folder or the theme, so a symlink pointing elsewhere is not served. The
//! load stage leaves such files out already, with a warning, for `build`
//! and `serve` alike; this check holds when a link changes after loading.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::output::FileContents;
use crate::serve::session::{FileMap, ServedFile};

/// What a request path resolves to.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    Found(&'a ServedFile, &'static str),
    /// `/techniques/x` -> `/techniques/x/`.
    Redirect(String),
    NotFound,
}

/// The output-map key for a URL path, or `None` when the path is unsafe.
pub(crate) fn output_key(url_path: &str) -> Option<String> {
    let decoded = percent_decode_str(url_path).decode_utf8().ok()?;
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) || decoded.starts_with("//") {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded[1..].split('/') {
        match part {
            "." | ".." => return None,
            "" => {}
            part => parts.push(part),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// Finds the file for `url_path` in `files`.
pub(crate) fn lookup<'a>(files: &'a FileMap, url_path: &str) -> Lookup<'a> {
    let Some(key) = output_key(url_path) else {
        return Lookup::NotFound;
    };
    if let Some(file) = files.get(&key) {
        return Lookup::Found(file, content_type(&key));
    }
    if !key.ends_with("index.html") && files.contains_key(&format!("{key}/index.html")) {
        return Lookup::Redirect(format!("/{key}/"));
    }
    Lookup::NotFound
}

/// The media type of an output file, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, ext)| ext).to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "webmanifest" => "application/manifest+json",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// The bytes of a served file; a copied file must really live under one
/// of `allowed` (the site folder), else it is treated as missing.
pub(crate) fn read_contents(file: &ServedFile, allowed: &[PathBuf]) -> Option<Vec<u8>> {
    match &file.contents {
        FileContents::Text(text) => Some(text.as_bytes().to_vec()),
        FileContents::Embedded(bytes) => Some(bytes.to_vec()),
        FileContents::Copy(source) => {
            let real = source.canonicalize().ok()?;
            if !allowed.iter().any(|base| real.starts_with(base)) {
                return None;
            }
            std::fs::read(real).ok()
        }
    }
}

/// The live-reload script tag `serve` adds to every HTML page (and only
/// `serve`: `build` output has none).
pub(crate) const LIVE_SCRIPT_TAG: &str = "<script src=\"/__praxis/live.js\" defer></script>";

/// Adds the live-reload script to an HTML page, before `</head>` when there
/// is one.
pub(crate) fn inject_live_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text
        .find("</head>")
        .or_else(|| text.rfind("</body>"))
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + LIVE_SCRIPT_TAG.len());
    out.push_str(&text[..at]);
    out.push_str(LIVE_SCRIPT_TAG);
    out.push_str(&text[at..]);
    out.into_bytes()
}

/// The site folder and its theme folders, canonical, for [`read_contents`]
/// (the load stage's rule: [`crate::load::publishable_roots`]).
pub(crate) fn allowed_roots(root: &Path) -> Vec<PathBuf> {
    crate::load::publishable_roots(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_urls_map_to_index_files() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/techniques/x/").as_deref(), Some("techniques/x/index.html"));
        assert_eq!(output_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(output_key("/a%20b/").as_deref(), Some("a b/index.html"));
    }

    #[test]
    fn escaping_paths_are_refused() {
        for path in [
            "/../site.toml",
            "/a/../../etc/passwd",
            "/%2e%2e/site.toml",
            "/%2E%2E%2Fsite.toml",
            "/a/%2e%2e/%2e%2e/x",
            "//etc/passwd",
            "/..%5csite.toml",
            "/a\\..\\b",
            "/%00",
            "etc/passwd",
            "/%ff",
        ] {
            assert_eq!(output_key(path), None, "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_head_closes() {
        let out = inject_live_script(b"<html><head><title>x</title></head><body></body></html>");
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(&format!("{LIVE_SCRIPT_TAG}</head>")));
        let bare = String::from_utf8(inject_live_script(b"<p>hi</p>")).unwrap();
        assert!(bare.ends_with(LIVE_SCRIPT_TAG));
    }
}
