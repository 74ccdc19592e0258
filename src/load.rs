//! Walks the site folders and reads every source file once.
//!
//! `content/` markdown is read into memory (in parallel); other files are only
//! listed, because they are copied to the output unchanged. Hidden files and
//! editor leftovers are skipped; symlinks are followed, and a loop is reported
//! instead of followed forever (walkdir detects it against the ancestors).
//!
//! A file to copy (under `static/`, `content/` or the theme's `static/`)
//! whose real path, symlinks resolved, is outside the site folder and the
//! theme folders is left out with a warning: a link to `~/Documents` must
//! not publish it. `serve` reads copied files at request time with the same
//! rule ([`publishable_roots`]), so both commands publish the same files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, Rule};

/// A markdown file under `content/`, read and normalised.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the site root, `/`-separated: `content/techniques/x.md`.
    pub(crate) rel_path: String,
    /// Path relative to `content/`: `techniques/x.md`.
    pub(crate) content_path: String,
    /// Text without BOM, with `\n` line endings.
    pub(crate) text: Arc<str>,
}

/// A file copied verbatim to the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticFile {
    /// Path inside the output folder, `/`-separated.
    pub(crate) output_path: String,
    pub(crate) source: PathBuf,
}

/// A template from a folder on disk.
#[derive(Debug, Clone)]
pub(crate) struct TemplateFile {
    /// Name used by tera, relative to the `templates/` folder: `partials/card.html`.
    pub(crate) name: String,
    pub(crate) rel_path: String,
    pub(crate) text: String,
}

/// Everything read from the site folder.
#[derive(Debug, Default)]
pub(crate) struct LoadedSite {
    pub(crate) content: Vec<SourceFile>,
    /// Non-markdown files under `content/` (images beside their page).
    pub(crate) content_assets: Vec<StaticFile>,
    /// `static/` of the site.
    pub(crate) static_files: Vec<StaticFile>,
    /// `templates/` of the site (overrides of the theme's).
    pub(crate) templates: Vec<TemplateFile>,
    /// `themes/NAME/` when the site carries the theme on disk.
    pub(crate) theme: Option<ThemeOnDisk>,
}

/// A theme folder of the site: `themes/NAME/`.
#[derive(Debug, Default)]
pub(crate) struct ThemeOnDisk {
    pub(crate) templates: Vec<TemplateFile>,
    pub(crate) static_files: Vec<StaticFile>,
}

/// Whether a file or folder name is hidden or an editor's temporary file.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// Reads the site at `root`, using the on-disk theme `themes/THEME` if present.
pub(crate) fn load_site(root: &Path, theme: &str) -> (LoadedSite, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut site = LoadedSite::default();

    let roots = publishable_roots(root);
    let mut markdown_paths = Vec::new();
    for (path, rel) in walk_files(root, "content", &mut diagnostics) {
        // A page that is a link out of the site is not even read: its
        // first line would show in a diagnostic, which `serve` sends to
        // every browser that has the preview open.
        if !publishable(&path, &rel, &roots, &mut diagnostics) {
            continue;
        }
        if rel.ends_with(".md") {
            markdown_paths.push((path, rel));
        } else {
            let output_path = rel.trim_start_matches("content/").to_string();
            site.content_assets.push(StaticFile {
                output_path,
                source: path,
            });
        }
    }
    let read: Vec<Result<SourceFile, Diagnostic>> = markdown_paths
        .into_par_iter()
        .map(|(path, rel)| {
            read_text(&path, &rel).map(|text| SourceFile {
                content_path: rel.trim_start_matches("content/").to_string(),
                rel_path: rel,
                text: text.into(),
            })
        })
        .collect();
    for result in read {
        match result {
            Ok(file) => site.content.push(file),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    site.content.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));

    site.static_files = static_files(root, "static", &roots, &mut diagnostics);
    site.templates = templates(root, "templates", &mut diagnostics);

    let theme_dir = format!("themes/{theme}");
    if root.join(&theme_dir).is_dir() {
        site.theme = Some(ThemeOnDisk {
            templates: templates(root, &format!("{theme_dir}/templates"), &mut diagnostics),
            static_files: static_files(root, &format!("{theme_dir}/static"), &roots, &mut diagnostics),
        });
    }
    (site, diagnostics)
}

/// The folders whose files may be published, canonical: the site folder
/// and the real folder of each theme under `themes/` (a theme folder may be
/// a link to a shared theme). A copied file must really live under one.
pub(crate) fn publishable_roots(root: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = root.canonicalize().into_iter().collect();
    if let Ok(themes) = std::fs::read_dir(root.join("themes")) {
        for theme in themes.flatten() {
            if let Ok(real) = theme.path().canonicalize()
                && real.is_dir()
                && !roots.iter().any(|known| real.starts_with(known))
            {
                roots.push(real);
            }
        }
    }
    roots
}

/// Whether the file at `path` (site-relative `rel`) really lives under one
/// of `roots`; when not, a warning says it is left out.
pub(crate) fn publishable(path: &Path, rel: &str, roots: &[PathBuf], diagnostics: &mut Diagnostics) -> bool {
    let Ok(real) = path.canonicalize() else {
        // Gone since the walk: nothing to copy, and the walk reports what
        // it could not read.
        return false;
    };
    if roots.iter().any(|allowed| real.starts_with(allowed)) {
        return true;
    }
    diagnostics.push(
        Diagnostic::warning(
            rel,
            Position::START,
            format!(
                "this file is a link that points outside the site folder (to {}); it is not read or published",
                real.display()
            ),
        )
        .with_hint(format!(
            "copy the file into the site folder (at {rel}) instead of linking to it; only files inside the site folder or its theme are published"
        )),
    );
    false
}

fn static_files(root: &Path, folder: &str, roots: &[PathBuf], diagnostics: &mut Diagnostics) -> Vec<StaticFile> {
    walk_files(root, folder, diagnostics)
        .into_iter()
        .filter(|(source, rel)| publishable(source, rel, roots, diagnostics))
        .map(|(source, rel)| StaticFile {
            output_path: rel[folder.len() + 1..].to_string(),
            source,
        })
        .collect()
}

fn templates(root: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<TemplateFile> {
    let mut found = Vec::new();
    for (path, rel) in walk_files(root, folder, diagnostics) {
        match read_text(&path, &rel) {
            Ok(text) => found.push(TemplateFile {
                name: rel[folder.len() + 1..].to_string(),
                rel_path: rel,
                text,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    found
}

/// Every regular file under `root/folder`, as (absolute path, site-relative
/// `/`-separated path), sorted. A missing folder is simply empty.
fn walk_files(root: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<(PathBuf, String)> {
    let base = root.join(folder);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&base)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored_name(&entry.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = relative_path(root, entry.path());
                files.push((entry.into_path(), rel));
            }
            Ok(_) => {}
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| relative_path(root, p))
                    .unwrap_or_else(|| folder.to_string());
                if let Some(ancestor) = err.loop_ancestor() {
                    // The rest of the site builds; the loop is only noise.
                    diagnostics.push(
                        Diagnostic::warning(
                            rel,
                            Position::START,
                            format!(
                                "symlink loop: this link points back to {}; it is skipped",
                                relative_path(root, ancestor)
                            ),
                        )
                        .with_hint("remove the link, or point it at a folder that does not hold it"),
                    );
                    continue;
                }
                let message = format!(
                    "cannot read: {}",
                    err.io_error().map_or_else(|| err.to_string(), |e| e.to_string())
                );
                diagnostics.push(
                    Diagnostic::error(rel, Position::START, message)
                        .with_hint("check the file's permissions and that links point to existing files"),
                );
            }
        }
    }
    files
}

fn relative_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a UTF-8 text file; an invalid byte is reported where it stands.
pub(crate) fn read_text(path: &Path, rel: &str) -> Result<String, Diagnostic> {
    read_text_untagged(path, rel).map_err(|diagnostic| diagnostic.with_rule(Rule::File))
}

fn read_text_untagged(path: &Path, rel: &str) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|err| Diagnostic::error(rel, Position::START, format!("cannot read file: {err}")))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(crate::text::normalise_text(text)),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&err.as_bytes()[..valid]).into_owned();
            let position = Position::at(&prefix, prefix.len(), 1);
            Err(Diagnostic::error(
                rel,
                position,
                format!("file is not valid UTF-8 text (invalid byte at offset {valid})"),
            )
            .with_hint("save the file with UTF-8 encoding"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_really_inside_the_site_or_a_theme_are_publishable() {
        let site = tempfile::tempdir().unwrap();
        let shared = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::create_dir_all(root.join("themes")).unwrap();
        std::fs::create_dir_all(shared.path().join("static")).unwrap();
        std::fs::write(shared.path().join("static/theme.css"), "a{}").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("own.txt"), "own").unwrap();
        // A theme folder that is a link to a shared theme counts as the theme.
        std::os::unix::fs::symlink(shared.path(), root.join("themes/shared")).unwrap();
        let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, root.join(at)).unwrap();
        link(&shared.path().join("static/theme.css"), "static/theme.css");
        link(&root.join("own.txt"), "static/own.txt");
        link(&outside.path().join("secret.txt"), "static/secret.txt");

        let roots = publishable_roots(root);
        assert_eq!(roots.len(), 2, "{roots:?}");
        let mut diagnostics = Diagnostics::new();
        let kept: Vec<String> = static_files(root, "static", &roots, &mut diagnostics)
            .into_iter()
            .map(|file| file.output_path)
            .collect();
        assert_eq!(kept, ["own.txt", "theme.css"]);
        let found: Vec<Diagnostic> = diagnostics.into_iter().collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].path.as_str(), found[0].line, found[0].col),
            ("static/secret.txt", 1, 1)
        );
        assert!(!found[0].is_error());
        let real = outside.path().join("secret.txt").canonicalize().unwrap();
        assert!(
            found[0].message.contains(&format!("(to {})", real.display())),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [".hidden.md", "page.md~", ".page.md.swp", "#page.md#", "x.bak"] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("page.md"));
    }
}
