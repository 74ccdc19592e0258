//! Which folder a build replaces, and whether it may.
//!
//! The output path is resolved once, symlinks and `..` included, and every
//! later step works on that real folder: a build through `public ->
//! /var/www/html` writes into `/var/www/html` and leaves the link as it
//! was. Working on the link itself would move the link aside and then
//! delete "the previous output" through it: the target's files, including
//! ones no build wrote.

use std::path::{Component, Path, PathBuf};

use super::manifest::{self, PreviousOutput};

/// Folders of a site that the output must stay out of.
const SITE_FOLDERS: &[&str] = &["content", "static", "templates", "themes", ".praxis"];

/// How many symlinks a path may pass through before it counts as a loop
/// (Linux's own limit for one lookup).
const MAX_LINKS: usize = 40;

/// Why `output` cannot be the output folder of the site at `site_root`, or
/// `None` when it can. Paths are compared as the file system resolves them
/// (`public/../content` is `content`, a symlink is followed), so no spelling
/// gets around the check. Only cheap checks: the files inside an earlier
/// output are compared with its manifest when writing.
pub(crate) fn unsafe_output(site_root: &Path, output: &Path) -> Option<String> {
    let out = real_path(output);
    unsafe_location(site_root, &out).or_else(|| foreign_folder(&out))
}

/// Why the folder at the real path `out` is no place for an output of the
/// site at `site_root`, from its path alone.
pub(super) fn unsafe_location(site_root: &Path, out: &Path) -> Option<String> {
    let root = real_path(site_root);
    if root.starts_with(out) {
        return Some("it holds the site itself".into());
    }
    if let Some(folder) = SITE_FOLDERS.iter().find(|folder| out.starts_with(root.join(folder))) {
        return Some(format!("it is inside the site's `{folder}/` folder"));
    }
    if std::fs::metadata(out).is_ok_and(|metadata| !metadata.is_dir()) {
        return Some("it is a file, not a folder".into());
    }
    None
}

/// Why the folder at `out` may not be replaced: it holds files and is no
/// earlier output.
pub(super) fn foreign_folder(out: &Path) -> Option<String> {
    matches!(manifest::previous_output(out), PreviousOutput::Foreign).then(|| {
        format!(
            "it already holds files that no Praxis build wrote (a Praxis output has `{}`), \
             and a build replaces the whole folder; empty it, or choose a new folder",
            manifest::MANIFEST
        )
    })
}

/// `path` as the file system sees it: absolute, every symlink on the way
/// resolved (a dangling one to where it points, so a build can create its
/// target), and `.` and `..` applied as the system applies them, after the
/// link before them.
pub(crate) fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut hops = 0;
    resolve_components(PathBuf::new(), &absolute, &mut hops)
}

fn resolve_components(mut resolved: PathBuf, rest: &Path, hops: &mut usize) -> PathBuf {
    for part in rest.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                let is_link = std::fs::symlink_metadata(&resolved).is_ok_and(|meta| meta.file_type().is_symlink());
                if !is_link || *hops >= MAX_LINKS {
                    continue;
                }
                let Ok(target) = std::fs::read_link(&resolved) else {
                    continue;
                };
                *hops += 1;
                resolved.pop();
                let base = if target.is_absolute() { PathBuf::new() } else { resolved };
                resolved = resolve_components(base, &target, hops);
            }
            other => resolved.push(other),
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_spelling_of_a_source_folder_gets_through() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/notes")).unwrap();
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("site.toml"), "").unwrap();
        let refused = |output: &str| unsafe_output(root, &root.join(output));
        assert_eq!(
            refused("public/../content").unwrap(),
            "it is inside the site's `content/` folder"
        );
        assert!(refused("./content/notes/../notes").is_some());
        assert!(
            refused("static/out").is_some(),
            "an output inside static/ would be copied into itself"
        );
        assert!(refused("..").is_some());
        assert!(refused("public/..").is_some());
        assert!(refused(".praxis/out").is_some());
        assert_eq!(refused("site.toml").unwrap(), "it is a file, not a folder");
        assert_eq!(refused("public"), None);
        assert_eq!(refused("out/../public"), None);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
            assert!(refused("link").is_some(), "a symlink to content/ is content/");
            std::os::unix::fs::symlink("content/new", root.join("dangling")).unwrap();
            assert!(refused("dangling").is_some(), "a dangling link into content/ too");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_resolve_to_their_targets_missing_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("www/html")).unwrap();
        std::os::unix::fs::symlink(root.join("www/html"), root.join("absolute")).unwrap();
        std::os::unix::fs::symlink("www/html", root.join("relative")).unwrap();
        std::os::unix::fs::symlink("www/gone/site", root.join("dangling")).unwrap();
        std::os::unix::fs::symlink("relative", root.join("chain")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        assert_eq!(real_path(&root.join("absolute")), root.join("www/html"));
        assert_eq!(real_path(&root.join("relative")), root.join("www/html"));
        assert_eq!(real_path(&root.join("chain")), root.join("www/html"));
        assert_eq!(real_path(&root.join("dangling")), root.join("www/gone/site"));
        assert_eq!(real_path(&root.join("relative/../x")), root.join("www/x"));
        assert_eq!(real_path(&root.join("loop")), root.join("loop"), "a loop ends");
    }
}
