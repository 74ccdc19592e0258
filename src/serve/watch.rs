//! Watching the site folders and turning file events into [`Change`]s.
//!
//! Only what a build reads is watched: `content/`, `templates/`, `themes/`,
//! `static/` recursively, and the site folder itself without recursion (for
//! site.toml and the synonyms file). The output folder and `.praxis/` are
//! never watched, so serving can not trigger itself.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored_name;
use crate::serve::session::{Change, relative_path};

/// Folders whose changes rebuild the site, watched recursively.
const WATCHED_FOLDERS: [&str; 4] = ["content", "templates", "themes", "static"];

/// Editors save in bursts (write, rename, chmod): events closer than this
/// are one change.
const QUIET: Duration = Duration::from_millis(20);

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    watcher: RecommendedWatcher,
    root: PathBuf,
    watched: BTreeSet<String>,
}

impl SiteWatcher {
    /// Starts watching `root`; changes are sent to `changes`.
    pub fn start(root: &Path, changes: Sender<Change>) -> notify::Result<SiteWatcher> {
        let (paths_tx, paths_rx) = channel();
        let watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
            // Reads (the build's own, an editor opening a file) change nothing.
            if let Ok(event) = result
                && !event.kind.is_access()
            {
                for path in event.paths {
                    let _ = paths_tx.send(path);
                }
            }
        })?;
        let event_root = root.to_path_buf();
        std::thread::Builder::new()
            .name("praxis-watch".into())
            .spawn(move || debounce(&event_root, &paths_rx, &changes))?;
        let mut site_watcher = SiteWatcher {
            watcher,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        site_watcher.watcher.watch(root, RecursiveMode::NonRecursive)?;
        site_watcher.watch_new_folders();
        Ok(site_watcher)
    }

    /// Watches the site folders as they are now: one created since the
    /// last call (a `templates/` folder added while serving), and one
    /// deleted and created again (`content/` restored from a copy), whose
    /// old watch went with the old folder.
    pub fn watch_new_folders(&mut self) {
        for folder in WATCHED_FOLDERS {
            let path = self.root.join(folder);
            if self.watched.remove(folder) {
                let _ = self.watcher.unwatch(&path);
            }
            if path.is_dir() && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                self.watched.insert(folder.to_string());
            }
        }
    }
}

/// Gathers paths until the file system has been quiet for [`QUIET`], then
/// sends what they mean as one change.
fn debounce(root: &Path, paths: &Receiver<PathBuf>, changes: &Sender<Change>) {
    while let Ok(first) = paths.recv() {
        let mut batch = vec![first];
        loop {
            match paths.recv_timeout(QUIET) {
                Ok(path) => batch.push(path),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if let Some(change) = classify(root, batch)
            && changes.send(change).is_err()
        {
            return;
        }
    }
}

/// What a batch of changed paths means for the site, if anything.
pub fn classify(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> Option<Change> {
    let mut content = BTreeSet::new();
    let mut everything = false;
    for path in paths {
        let Some(rel) = relative_path(root, &path) else {
            continue;
        };
        if rel.split('/').any(is_ignored_name) {
            continue;
        }
        let top = rel.split('/').next().unwrap_or("");
        match top {
            "content" if rel != "content" => {
                content.insert(PathBuf::from(rel));
            }
            "content" | "templates" | "themes" | "static" => everything = true,
            _ if !rel.contains('/') && rel.ends_with(".toml") => everything = true,
            _ => {}
        }
    }
    if everything {
        Some(Change::Everything)
    } else if content.is_empty() {
        None
    } else {
        Some(Change::Content(content))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_rel(paths: &[&str]) -> Option<Change> {
        classify(Path::new("/nowhere"), paths.iter().map(PathBuf::from))
    }

    #[test]
    fn content_edits_are_content_changes() {
        assert_eq!(
            classify_rel(&["content/a.md", "content/.a.md.swp", "content/b.md~"]),
            Some(Change::Content(
                std::iter::once(PathBuf::from("content/a.md")).collect()
            ))
        );
    }

    #[test]
    fn templates_config_and_static_rebuild_everything() {
        for path in [
            "templates/page.html",
            "site.toml",
            "synonyms.toml",
            "static/logo.svg",
            "themes/x/a.html",
        ] {
            assert_eq!(
                classify_rel(&[path, "content/a.md"]),
                Some(Change::Everything),
                "{path}"
            );
        }
    }

    #[test]
    fn output_and_cache_folders_are_ignored() {
        assert_eq!(
            classify_rel(&["public/index.html", ".praxis/index/meta.json", "notes.txt"]),
            None
        );
    }
}
