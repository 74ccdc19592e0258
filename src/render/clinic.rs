//! `site.clinic` for templates: `[clinic]` of site.toml with what the
//! header and footer need prepared (the `tel:` link, the logo's size, the
//! address as lines, the legal pages as links), and the problems found
//! doing so: a legal page that does not exist, a logo that is not a file
//! of the site.

use serde::Serialize;

use crate::config::{CONFIG_FILE, ClinicConfig};
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::link::Site;
use crate::render::context::{LinkContext, link_to};
use crate::render::images::ImageSizes;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClinicContext {
    pub(crate) name: Option<String>,
    pub(crate) logo: Option<String>,
    pub(crate) logo_width: Option<u32>,
    pub(crate) logo_height: Option<u32>,
    pub(crate) phone: Option<String>,
    /// `tel:+15550142`: the number without spaces, dashes or brackets.
    pub(crate) phone_href: Option<String>,
    pub(crate) email: Option<String>,
    /// The address on one line (`address` as written when no other part
    /// is set).
    pub(crate) address: Option<String>,
    pub(crate) address_lines: Vec<String>,
    pub(crate) hours: Vec<String>,
    pub(crate) booking_url: Option<String>,
    pub(crate) legal_pages: Vec<LinkContext>,
}

pub(crate) fn clinic_context(site: &Site, images: &ImageSizes) -> Option<ClinicContext> {
    let clinic = site.config.clinic.as_ref()?;
    let logo_size = clinic.logo.as_deref().and_then(|logo| images.of_src(logo, "/"));
    let address_lines = clinic.address_lines();
    Some(ClinicContext {
        name: clinic.name.clone(),
        logo: clinic.logo.clone(),
        logo_width: logo_size.map(|(width, _)| width),
        logo_height: logo_size.map(|(_, height)| height),
        phone: clinic.phone.clone(),
        phone_href: clinic.phone.as_deref().map(tel_href),
        email: clinic.email.clone(),
        address: (!address_lines.is_empty()).then(|| address_lines.join(", ")),
        address_lines,
        hours: clinic.hours.clone(),
        booking_url: clinic.booking_url.clone(),
        legal_pages: clinic
            .legal_pages
            .iter()
            .filter_map(|path| legal_page(site, path))
            .map(|id| link_to(site, id))
            .collect(),
    })
}

/// `+1 (555) 014-2` -> `tel:+15550142`.
fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// The page at content path `path` (`about/privacy.md`, also written
/// `@/about/privacy.md` or `content/about/privacy.md`).
fn legal_page(site: &Site, path: &str) -> Option<usize> {
    let path = path.trim().trim_start_matches("@/").trim_start_matches('/');
    let path = path.strip_prefix("content/").unwrap_or(path);
    let rel_path = format!("content/{path}");
    site.pages.iter().position(|page| page.rel_path == rel_path)
}

/// Errors for legal pages that are not pages of the site, and a warning
/// for a local logo that is not one of its files (the header would show a
/// broken image).
pub(crate) fn clinic_problems(site: &Site, images: &ImageSizes) -> Diagnostics {
    let mut found = Diagnostics::new();
    let Some(clinic) = &site.config.clinic else {
        return found;
    };
    check_legal_pages(site, clinic, &mut found);
    if let Some(logo) = &clinic.logo {
        let remote = logo.starts_with("//") || logo.contains(':');
        if !remote && images.of_src(logo, "/").is_none() {
            found.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    site.config.places.get("clinic.logo"),
                    format!("the clinic logo `{logo}` is not an image among the site's files"),
                )
                .with_hint("put the logo in static/ (static/logo.svg is published as /logo.svg) and give its path from the site's root"),
            );
        }
    }
    found
}

fn check_legal_pages(site: &Site, clinic: &ClinicConfig, found: &mut Diagnostics) {
    for (i, path) in clinic.legal_pages.iter().enumerate() {
        if legal_page(site, path).is_some() {
            continue;
        }
        let candidates: Vec<&str> = site
            .pages
            .iter()
            .filter_map(|page| page.rel_path.strip_prefix("content/"))
            .collect();
        let hint = match closest(path, candidates) {
            Some(best) => format!("did you mean \"{best}\"? Legal pages are named by their path under content/"),
            // Named as a path already: the page itself is what is missing.
            None if path.ends_with(".md") => {
                format!("write the page content/{path}, or name a page that exists by its path under content/")
            }
            None => "name the page by its path under content/, e.g. \"about/privacy.md\"".to_string(),
        };
        found.push(
            Diagnostic::error(
                CONFIG_FILE,
                site.config.places.get(&format!("clinic.legal_pages.{i}")),
                format!("legal page `{path}` is not a page of the site"),
            )
            .with_hint(hint),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_links_keep_digits_and_plus() {
        assert_eq!(tel_href("+1 (555) 014-2"), "tel:+15550142");
        assert_eq!(tel_href("0800 123 456"), "tel:0800123456");
    }
}
