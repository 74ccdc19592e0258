//! Nothing on the site may make a visitor's browser contact a third party:
//! content (markdown images, raw HTML), templates, the theme's and the
//! site's static CSS, HTML and JavaScript, and the clinic logo in site.toml.
//! The scanning itself is [`crate::check::third_party`].

use super::{CheckInput, SourceFile, scanned_text};
use crate::check::third_party::{RemoteRequest, remote_host, scan_css, scan_html, scan_script};
use crate::config::CONFIG_FILE;
use crate::diagnostics::Rule;
use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::parse::markdown::ParsedMarkdown;

const HINT: &str = "copy the file into static/ and use a local path such as /fonts/inter.woff2; link to outside videos or tools instead of embedding them";

fn message(request: &RemoteRequest) -> String {
    let host = remote_host(&request.url).unwrap_or_else(|| request.url.clone());
    format!(
        "{} from {host}: visitors' browsers would contact a third party (`{}`)",
        request.what, request.url
    )
}

pub(super) fn check_markdown(
    markdown: &ParsedMarkdown,
    own_host: Option<&str>,
    file: &SourceFile<'_>,
    found: &mut Diagnostics,
) {
    for image in &markdown.images {
        if crate::check::third_party::is_third_party(&image.src, own_host) {
            let request = RemoteRequest {
                offset: 0,
                len: image.src.len(),
                url: image.src.clone(),
                what: "a remote image",
            };
            let at = file.find_raw(image.offset, image.offset + 4_000, &image.src);
            found.push(
                file.warning(at, image.src.len(), message(&request))
                    .with_rule(Rule::ThirdParty)
                    .with_hint(HINT),
            );
        }
    }
    for fragment in &markdown.raw_html {
        for request in scan_html(&fragment.html, own_host) {
            let at = file.find_raw(
                fragment.offset,
                fragment.offset + fragment.html.len() + 4_000,
                &request.url,
            );
            found.push(
                file.warning(at, request.len, message(&request))
                    .with_rule(Rule::ThirdParty)
                    .with_hint(HINT),
            );
        }
    }
}

/// Templates, static files and the clinic logo.
pub(super) fn check_theme(input: &CheckInput<'_>, own_host: Option<&str>, found: &mut Diagnostics) {
    for template in input.templates {
        report_all(
            &template.origin,
            &template.text,
            scan_html(&template.text, own_host),
            found,
        );
    }
    for file in input.files {
        let Some((origin, text)) = scanned_text(file, input.root) else {
            continue;
        };
        let requests = match file.path.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
            Some("css") => scan_css(&text, own_host),
            Some("js" | "mjs") => scan_script(&text, own_host),
            _ => scan_html(&text, own_host),
        };
        report_all(&origin, &text, requests, found);
    }
    if let Some(logo) = input.site.config.clinic.as_ref().and_then(|c| c.logo.as_deref())
        && crate::check::third_party::is_third_party(logo, own_host)
    {
        let request = RemoteRequest {
            offset: 0,
            len: logo.len(),
            url: logo.to_string(),
            what: "the clinic logo",
        };
        let text = input.sources.get(CONFIG_FILE).map_or("", |t| &**t);
        let offset = text.find(logo).unwrap_or(0);
        found.push(
            Diagnostic::warning(CONFIG_FILE, Position::at(text, offset, logo.len()), message(&request))
                .with_rule(Rule::ThirdParty)
                .with_hint("put the logo in static/ and set logo = \"/logo.svg\""),
        );
    }
}

fn report_all(origin: &str, text: &str, requests: Vec<RemoteRequest>, found: &mut Diagnostics) {
    for request in requests {
        found.push(
            Diagnostic::warning(
                origin,
                Position::at(text, request.offset, request.len),
                message(&request),
            )
            .with_rule(Rule::ThirdParty)
            .with_hint(HINT),
        );
    }
}
