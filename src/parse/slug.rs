//! Slugs for heading anchors, FAQ anchors and taxonomy terms (docs/site-format.md, "Anchors"):
//! the text lower-cased and ASCII-folded, every run of other characters turned
//! into one `-`, trimmed.

/// The longest name, in bytes, one part of an output address may have
/// (a slug, a taxonomy term's slug, a part of an alias). Each becomes a
/// folder name, and file systems stop at 255 bytes; an address this long is
/// of no use to a reader either.
pub(crate) const MAX_SEGMENT_BYTES: usize = 200;

/// The longest site path, in bytes, an alias may have: below what file
/// systems allow for a whole path once the output folder is in front.
pub(crate) const MAX_PATH_BYTES: usize = 1024;

/// The first part of a site path (split at `/`) longer than
/// [`MAX_SEGMENT_BYTES`], if any.
pub(crate) fn overlong_segment(path: &str) -> Option<&str> {
    path.split('/').find(|segment| segment.len() > MAX_SEGMENT_BYTES)
}

/// `Key Principles` -> `key-principles`, `Übungen & Ängste` -> `ubungen-angste`.
pub(crate) fn slugify(text: &str) -> String {
    let folded = deunicode::deunicode(text);
    let mut slug = String::with_capacity(folded.len());
    let mut pending_dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// The ids the default theme gives its own parts of a page (the skip-link
/// target, the contents and references headings, the search box...). A
/// heading such as `## Main content` must not take one of them: two equal
/// ids break the skip link and the labels tied to them, so the heading gets
/// `main-content-1` instead. A unit test keeps this list in step with the
/// templates.
pub(crate) const THEME_IDS: &[&str] = &[
    "browse-applications",
    "browse-regions",
    "browse-techniques",
    "categories-label",
    "clinic-contact-heading",
    "clinic-hours-heading",
    "featured-heading",
    "footer-nav-heading",
    "hero-heading",
    "hero-search-q",
    "home-faq-heading",
    "main-content",
    "pages-heading",
    "questions-heading",
    "recent-heading",
    "references-heading",
    "region-applications",
    "region-techniques",
    "relations-applications-heading",
    "relations-children-heading",
    "relations-mentions-heading",
    "relations-parent-heading",
    "relations-related-heading",
    "relations-techniques-heading",
    "search-help",
    "search-more",
    "search-page-q",
    "search-results",
    "search-status",
    "site-search-q",
    "site-search-results",
    "subsections-heading",
    "tags-label",
    "toc-heading",
];

/// Hands out unique anchors within one page: a repeat gets `-1`, `-2`, ...
#[derive(Debug, Default)]
pub(crate) struct AnchorSet {
    taken: std::collections::HashSet<String>,
    /// Per base, the suffix to try next: a page of many headings with the
    /// same text numbers each in one step, not by counting from 1 again.
    next_suffix: std::collections::HashMap<String, usize>,
}

impl AnchorSet {
    /// The anchors of a page or section page: the theme's own ids are taken.
    pub(crate) fn for_page() -> AnchorSet {
        let mut anchors = AnchorSet::default();
        for id in THEME_IDS {
            anchors.claim(id);
        }
        anchors
    }

    /// Records an id chosen by the writer (`{#custom-id}`) as taken, unchanged.
    pub(crate) fn claim(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    pub(crate) fn is_taken(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// The slug of `text`, made unique on this page.
    pub(crate) fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next_suffix.entry(base.to_string()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_segments_are_found_by_part() {
        let long = "a".repeat(MAX_SEGMENT_BYTES + 1);
        assert_eq!(overlong_segment(&format!("/old/{long}/")), Some(long.as_str()));
        assert_eq!(overlong_segment(&"b".repeat(MAX_SEGMENT_BYTES)), None);
        assert_eq!(overlong_segment("/old/page/"), None);
    }

    #[test]
    fn theme_ids_are_every_fixed_id_of_the_default_theme() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        let mut found = std::collections::BTreeSet::new();
        for entry in walkdir::WalkDir::new(folder) {
            let entry = entry.expect("a template");
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for (at, _) in text.match_indices(" id=\"") {
                let id: String = text[at + 5..].chars().take_while(|c| *c != '"').collect();
                if !id.contains("{{") {
                    found.insert(id);
                }
            }
        }
        // The home page's `browse-{{ group.id }}`, with the ids of
        // render/home.rs (the A-Z and matrix pages' numbered ids stand on
        // pages with no writer's headings).
        found.extend(["browse-techniques", "browse-applications", "browse-regions"].map(String::from));
        let listed: std::collections::BTreeSet<String> = THEME_IDS.iter().map(|s| s.to_string()).collect();
        assert_eq!(found, listed);
    }

    #[test]
    fn a_heading_never_takes_a_theme_id() {
        let mut anchors = AnchorSet::for_page();
        assert_eq!(anchors.unique("main-content"), "main-content-1");
        assert_eq!(anchors.unique("toc-heading"), "toc-heading-1");
        assert_eq!(anchors.unique("benefits"), "benefits");
    }

    #[test]
    fn slugs_follow_the_spec() {
        assert_eq!(slugify("Key Principles"), "key-principles");
        assert_eq!(slugify("  What's it -- for?  "), "what-s-it-for");
        assert_eq!(slugify("Übungen für Knie"), "ubungen-fur-knie");
        assert_eq!(slugify("C++ & Rust"), "c-rust");
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn repeats_get_counters() {
        let mut anchors = AnchorSet::default();
        assert_eq!(anchors.unique("benefits"), "benefits");
        assert_eq!(anchors.unique("benefits"), "benefits-1");
        anchors.claim("benefits-2");
        assert_eq!(anchors.unique("benefits"), "benefits-3");
        assert_eq!(anchors.unique(""), "section");
    }

    #[test]
    fn many_repeats_are_numbered_in_turn() {
        let mut anchors = AnchorSet::default();
        anchors.claim("same-2");
        let ids: Vec<String> = (0..5).map(|_| anchors.unique("same")).collect();
        assert_eq!(ids, ["same", "same-1", "same-3", "same-4", "same-5"]);
        // 20,000 repeats take one step each (this was quadratic).
        for _ in 0..20_000 {
            anchors.unique("again");
        }
        assert_eq!(anchors.unique("again"), "again-20000");
    }
}
