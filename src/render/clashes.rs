//! Two outputs for one path. The write stage keeps one file per path, so
//! without this check the other would vanish without a word: a page at
//! `content/tags/pain.md` under the generated tag page, an alias over the
//! search page, `static/index.html` under the home page.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics, Position};
use crate::link::{Site, normalise_alias};
use crate::output::file_path_for_url;
use crate::render::RenderJob;

/// Files the render stage writes besides pages and lists.
const SITE_FILES: &[&str] = &["sitemap.xml", "atom.xml", "robots.txt", "404.html"];

/// Who wants to write a path, and where to point a message about it.
struct Claim {
    /// What it is, for the message: `content/a.md`, `(tags taxonomy)`.
    origin: String,
    /// The file and place a writer can change, when there is one.
    place: Option<(String, Position)>,
    /// A content page or one of its aliases (clashes among those are the
    /// link stage's to report).
    page: bool,
}

impl Claim {
    fn generated(origin: impl Into<String>) -> Claim {
        Claim {
            origin: origin.into(),
            place: None,
            page: false,
        }
    }

    /// A claim by a file the writer can change, blamed at `file:position`.
    fn at(origin: impl Into<String>, file: &str, position: Position, page: bool) -> Claim {
        Claim {
            origin: origin.into(),
            place: Some((file.to_string(), position)),
            page,
        }
    }
}

/// Every path that two of the site's own outputs would write; a clash of a
/// page with an alias of another page is the link stage's to report.
pub(crate) fn output_clashes(site: &Site, jobs: &[RenderJob], site_static: &[String]) -> Diagnostics {
    let mut claims: HashMap<String, Claim> = HashMap::new();
    let mut diagnostics = Diagnostics::new();
    let mut claim = |path: String, new: Claim| match claims.get(&path) {
        Some(first) if first.page && new.page => {}
        Some(first) => diagnostics.push(clash(&path, first, &new)),
        None => {
            claims.insert(path, new);
        }
    };
    for path in site_static {
        let file = format!("static/{path}");
        claim(path.clone(), Claim::at(&file, &file, Position::START, false));
    }
    for name in SITE_FILES {
        claim(name.to_string(), Claim::generated(format!("(the site's {name})")));
    }
    for job in jobs {
        let path = file_path_for_url(&job.url_path);
        claim(path, list_claim(site, &job.origin));
    }
    for page in &site.pages {
        let file = &page.rel_path;
        claim(
            file_path_for_url(&page.path),
            Claim::at(file, file, Position::START, true),
        );
        for (alias, position) in &page.aliases {
            let origin = format!("an alias of {file}");
            claim(
                file_path_for_url(&normalise_alias(alias)),
                Claim::at(origin, file, *position, true),
            );
        }
    }
    // A file where another output needs a folder (`/sitemap.xml` as an
    // alias is the folder `sitemap.xml/` beside the sitemap file).
    let mut nested: Vec<(&String, &String)> = Vec::new();
    for path in claims.keys() {
        for (cut, _) in path.match_indices('/') {
            if let Some((file, _)) = claims.get_key_value(&path[..cut]) {
                nested.push((file, path));
            }
        }
    }
    nested.sort();
    for (file, path) in nested {
        let (outer, inner) = (&claims[file], &claims[path]);
        let mut diagnostic = clash(file, outer, inner);
        diagnostic.message = format!(
            "`/{file}` is a file of {}, but {} needs it to be a folder",
            outer.origin, inner.origin
        );
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// The error for `path`, placed at whichever side a writer can change.
fn clash(path: &str, first: &Claim, second: &Claim) -> Diagnostic {
    let (file, position) = second
        .place
        .clone()
        .or_else(|| first.place.clone())
        .unwrap_or_else(|| ("site.toml".to_string(), Position::START));
    Diagnostic::error(
        file,
        position,
        format!("`/{path}` would be written twice: by {} and by {}", first.origin, second.origin),
    )
    .with_hint("give the page another address (its file name or `slug`), choose another alias, or rename the static file; to change a generated page, override its template in templates/")
}

/// A generated page's claim. Its origin is `(what it is)`, a section's
/// `_index.md`, or the folder of a section without one, whose first page
/// is where a writer would look.
fn list_claim(site: &Site, origin: &str) -> Claim {
    if origin.starts_with('(') {
        return Claim::generated(origin);
    }
    if origin.trim_end_matches('/') == "content" {
        return Claim::generated("(the home page)");
    }
    if origin.ends_with(".md") {
        return Claim::at(origin, origin, Position::START, false);
    }
    let folder = format!("{}/", origin.trim_end_matches('/'));
    Claim {
        origin: format!("the list of {folder}"),
        place: site
            .pages
            .iter()
            .find(|page| page.rel_path.starts_with(&folder))
            .map(|page| (page.rel_path.clone(), Position::START)),
        page: false,
    }
}
