//! Slugs for heading anchors, FAQ anchors and taxonomy terms (SPEC section 3):
//! the text lower-cased and ASCII-folded, every run of other characters turned
//! into one `-`, trimmed.

/// `Key Principles` -> `key-principles`, `Übungen & Ängste` -> `ubungen-angste`.
pub fn slugify(text: &str) -> String {
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

/// Hands out unique anchors within one page: a repeat gets `-1`, `-2`, ...
#[derive(Debug, Default)]
pub struct AnchorSet {
    taken: std::collections::HashSet<String>,
}

impl AnchorSet {
    /// Records an id chosen by the writer (`{#custom-id}`) as taken, unchanged.
    pub fn claim(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    pub fn is_taken(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// The slug of `text`, made unique on this page.
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        (1..)
            .map(|n| format!("{base}-{n}"))
            .find(|candidate| !self.taken.contains(candidate))
            .inspect(|id| {
                self.taken.insert(id.clone());
            })
            .expect("an unbounded counter always finds a free anchor")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
