//! Nothing on the site may make a visitor's browser contact a third party:
//! content (markdown images, raw HTML), templates, the theme's and the
//! site's static CSS, HTML and JavaScript, and the clinic logo in site.toml.
//! For a clinic that is a legal matter, so this is not a warning of
//! `praxis check` but an error of every build (`build`, `serve`, `check`),
//! unless site.toml names the host in `[privacy] allowed_hosts`. Plain
//! links (`<a href>`) are not requests and stay allowed. The scanning
//! itself is [`crate::check::third_party`].

use std::path::Path;

use super::SourceFile;
use crate::check::third_party::{RemoteRequest, remote_host, scan_css, scan_html, scan_script};
use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule, SourceTexts};
use crate::link::{PageId, Site};
use crate::output::OutputFile;
use crate::parse::markdown::ParsedMarkdown;
use crate::render::theme::TemplateSource;

/// How to fix a request, by what makes it: a copy in `static/` at a path of
/// its kind, or a plain link for what cannot be copied.
fn fix_for(request: &RemoteRequest) -> &'static str {
    let what = request.what;
    if what.contains("image") || what.contains("icon") {
        "copy the image into static/ and use its local path, such as /images/photo.jpg"
    } else if what.contains("font") || what.contains("preload") {
        "copy the font file into static/ and use its local path, such as /fonts/inter.woff2"
    } else if what.contains("stylesheet") {
        "copy the stylesheet into static/ and use its local path, such as /css/extra.css"
    } else if what.contains("video") || what.contains("frame") || what.contains("embed") || what.contains("object") {
        "link to the video or tool (<a href=...>) instead of embedding it, or copy the file into static/"
    } else if what.contains("form") {
        "point the form at a page of the site, or link to the other site instead"
    } else if what.contains("analytics") {
        "remove the tracking code: it tells another company which pages each patient reads"
    } else {
        "copy the file into static/ and use its local path, such as /js/widget.js"
    }
}

/// The hosts a page may load from: the site's own, and those site.toml
/// allows.
struct Hosts {
    own: Option<String>,
    allowed: Vec<String>,
}

impl Hosts {
    fn of(config: &Config) -> Hosts {
        Hosts {
            own: remote_host(&config.base_url),
            allowed: config
                .privacy
                .allowed_hosts
                .iter()
                .map(|host| host.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    fn own(&self) -> Option<&str> {
        self.own.as_deref()
    }

    /// Whether a request found by the scan goes to a host not allowed.
    fn forbids(&self, request: &RemoteRequest) -> bool {
        remote_host(&request.url).is_none_or(|host| !self.allowed.contains(&host))
    }
}

fn message(request: &RemoteRequest) -> String {
    let host = remote_host(&request.url).unwrap_or_else(|| request.url.clone());
    format!(
        "{} from {host}: visitors' browsers would contact a third party (`{}`)",
        request.what, request.url
    )
}

fn hint(request: &RemoteRequest, hint: &str) -> String {
    match remote_host(&request.url) {
        Some(host) => format!(
            "{hint}; or, if visitors' browsers may contact {host} (it then learns which page they read), add it to site.toml: [privacy] allowed_hosts = [\"{host}\"]"
        ),
        None => hint.to_string(),
    }
}

/// Which parts of the site to read.
pub(crate) enum PrivacyScope<'a> {
    /// Every page and section, the templates, the static files and site.toml.
    Everything,
    /// These pages only: the rest did not change since it was read.
    Pages(&'a [PageId]),
}

/// What the privacy rule reads.
pub(crate) struct PrivacyInput<'a> {
    pub(crate) site: &'a Site,
    pub(crate) sources: &'a SourceTexts,
    /// Templates in use, after the site's overrides.
    pub(crate) templates: &'a [TemplateSource],
    /// Output files; the copied ones are scanned when they are CSS, HTML,
    /// SVG or JavaScript.
    pub(crate) files: &'a [OutputFile],
    pub(crate) root: &'a Path,
}

/// Every request a page of the site would make to a host that is not
/// allowed, as errors at their place.
pub(crate) fn third_party_requests(input: &PrivacyInput<'_>, scope: PrivacyScope<'_>) -> Diagnostics {
    let site = input.site;
    let hosts = Hosts::of(&site.config);
    let mut found = Diagnostics::new();
    let all_ids: Vec<PageId>;
    let ids = match scope {
        PrivacyScope::Everything => {
            all_ids = (0..site.pages.len()).collect();
            &all_ids[..]
        }
        PrivacyScope::Pages(ids) => ids,
    };
    for &id in ids {
        let Some(page) = site.pages.get(id) else { continue };
        let Some(file) = SourceFile::of(input.sources, &page.rel_path) else {
            continue;
        };
        check_markdown(&page.body, &hosts, &file, &mut found);
        for entry in &page.faq {
            check_markdown(&entry.answer, &hosts, &file, &mut found);
        }
    }
    if matches!(scope, PrivacyScope::Everything) {
        for section in site.sections.values() {
            let Some(file) = section
                .section
                .rel_path
                .as_deref()
                .and_then(|path| SourceFile::of(input.sources, path))
            else {
                continue;
            };
            check_markdown(&section.section.intro, &hosts, &file, &mut found);
        }
        check_theme(input, &hosts, &mut found);
    }
    found
}

fn check_markdown(markdown: &ParsedMarkdown, hosts: &Hosts, file: &SourceFile<'_>, found: &mut Diagnostics) {
    for image in &markdown.images {
        let request = RemoteRequest {
            offset: 0,
            len: image.src.len(),
            url: image.src.clone(),
            what: "a remote image",
        };
        if crate::check::third_party::is_third_party(&image.src, hosts.own()) && hosts.forbids(&request) {
            let at = file.find_raw(image.offset, image.offset + 4_000, &image.src);
            found.push(error(
                file.path,
                file.position(at, image.src.len()),
                &request,
                fix_for(&request),
            ));
        }
    }
    for fragment in &markdown.raw_html {
        for request in scan_html(&fragment.html, hosts.own()) {
            if !hosts.forbids(&request) {
                continue;
            }
            let at = file.find_raw(
                fragment.offset,
                fragment.offset + fragment.html.len() + 4_000,
                &request.url,
            );
            found.push(error(
                file.path,
                file.position(at, request.len),
                &request,
                fix_for(&request),
            ));
        }
    }
}

/// Templates, static files and the clinic logo.
fn check_theme(input: &PrivacyInput<'_>, hosts: &Hosts, found: &mut Diagnostics) {
    for template in input.templates {
        report_all(
            &template.origin,
            &template.text,
            scan_html(&template.text, hosts.own()),
            hosts,
            found,
        );
    }
    for file in input.files {
        let Some((origin, text)) = scanned_text(file, input.root) else {
            continue;
        };
        let requests = match file.path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
            Some("css") => scan_css(&text, hosts.own()),
            Some("js" | "mjs") => scan_script(&text, hosts.own()),
            _ => scan_html(&text, hosts.own()),
        };
        report_all(&origin, &text, requests, hosts, found);
    }
    if let Some(logo) = input.site.config.clinic.as_ref().and_then(|c| c.logo.as_deref()) {
        let request = RemoteRequest {
            offset: 0,
            len: logo.len(),
            url: logo.to_string(),
            what: "the clinic logo",
        };
        if crate::check::third_party::is_third_party(logo, hosts.own()) && hosts.forbids(&request) {
            let at = input.site.config.places.get("clinic.logo");
            found.push(error(
                CONFIG_FILE,
                at,
                &request,
                "put the logo in static/ and set logo = \"/logo.svg\"",
            ));
        }
    }
}

fn report_all(origin: &str, text: &str, requests: Vec<RemoteRequest>, hosts: &Hosts, found: &mut Diagnostics) {
    for request in requests.into_iter().filter(|request| hosts.forbids(request)) {
        found.push(error(
            origin,
            Position::at(text, request.offset, request.len),
            &request,
            fix_for(&request),
        ));
    }
}

fn error(path: &str, at: Position, request: &RemoteRequest, fix: &str) -> Diagnostic {
    Diagnostic::error(path, at, message(request))
        .with_rule(Rule::ThirdParty)
        .with_hint(hint(request, fix))
}

/// Reads a static file's text if it is one the privacy check scans.
fn scanned_text(file: &OutputFile, root: &Path) -> Option<(String, String)> {
    let kind = file.path.rsplit('.').next()?.to_ascii_lowercase();
    if !matches!(kind.as_str(), "css" | "html" | "htm" | "js" | "mjs" | "svg") {
        return None;
    }
    match &file.contents {
        crate::output::FileContents::Embedded(bytes) => Some((
            format!("(built-in theme) themes/default/static/{}", file.path),
            String::from_utf8_lossy(bytes).into_owned(),
        )),
        crate::output::FileContents::Copy(source) => {
            let text = std::fs::read_to_string(source).ok()?;
            let origin = source
                .strip_prefix(root)
                .unwrap_or(source)
                .to_string_lossy()
                .replace('\\', "/");
            Some((origin, crate::text::normalise_text(text)))
        }
        crate::output::FileContents::Text(_) => None,
    }
}
