//! The five kinds of page (docs/site-format.md, "Kinds"): the top-level folder decides,
//! front matter `kind` overrides.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Article,
    Technique,
    Application,
    Faq,
    Page,
}

impl Kind {
    pub(crate) const ALL: [Kind; 5] = [Kind::Article, Kind::Technique, Kind::Application, Kind::Faq, Kind::Page];

    /// Health pages carry medical information, so they show the review line
    /// and the disclaimer, and `praxis check` wants them reviewed:
    /// techniques, clinical applications, articles and FAQ pages (FAQ
    /// answers give health advice too). Pages of kind `page` (about,
    /// privacy) are not.
    pub(crate) fn is_health_page(self) -> bool {
        matches!(self, Kind::Technique | Kind::Application | Kind::Article | Kind::Faq)
    }

    /// The kind of pages under a top-level content folder.
    pub(crate) fn from_folder(folder: &str) -> Kind {
        match folder {
            "articles" => Kind::Article,
            "techniques" => Kind::Technique,
            "applications" => Kind::Application,
            "faq" => Kind::Faq,
            _ => Kind::Page,
        }
    }

    /// The kind named in front matter or on the command line.
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Technique => "technique",
            Kind::Application => "application",
            Kind::Faq => "faq",
            Kind::Page => "page",
        }
    }

    /// The folder whose pages are of this kind by default (`[[folder/slug]]`).
    #[cfg(test)]
    fn folder(self) -> Option<&'static str> {
        match self {
            Kind::Article => Some("articles"),
            Kind::Technique => Some("techniques"),
            Kind::Application => Some("applications"),
            Kind::Faq => Some("faq"),
            Kind::Page => None,
        }
    }

    /// What visitors read on the page: "Clinical application".
    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::Article => "Article",
            Kind::Technique => "Technique",
            Kind::Application => "Clinical application",
            Kind::Faq => "FAQ",
            Kind::Page => "Page",
        }
    }

    /// The template that renders a page of this kind.
    pub(crate) fn template(self) -> &'static str {
        match self {
            Kind::Article => "article.html",
            Kind::Technique => "technique.html",
            Kind::Application => "application.html",
            Kind::Faq => "faq.html",
            Kind::Page => "page.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_names_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_name(kind.name()), Some(kind));
            if let Some(folder) = kind.folder() {
                assert_eq!(Kind::from_folder(folder), kind);
            }
        }
        assert_eq!(Kind::from_folder("about"), Kind::Page);
    }
}
