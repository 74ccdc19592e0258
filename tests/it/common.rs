//! A small builder for whole-site tests: a site in a temp folder, the real
//! `praxis` binary run against it, and helpers to read what it produced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A run of the binary that takes longer than this is a hang.
const RUN_TIMEOUT: Duration = Duration::from_secs(60);

/// The minimal valid `site.toml` of [`SiteBuilder::new`].
pub const MINIMAL_SITE_TOML: &str = "title = \"Test Site\"\nbase_url = \"https://example.org\"\n";

/// What one run of `praxis` did.
#[derive(Debug)]
pub struct Run {
    /// Exit status; -1 when killed by a signal.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// The folder it ran in (the site), written `[SITE]` in snapshots.
    pub cwd: PathBuf,
}

impl Run {
    /// Panics with the whole output unless the run exited 0.
    pub fn assert_success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The headlines (`path:line:col: severity: message`) in `text`.
    pub fn headlines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|line| line.contains(": error: ") || line.contains(": warning: "))
            .collect()
    }

    /// Asserts exit status 1 and an error headline starting with
    /// `location` (`content/x.md:3:1`, or a bare path for any place) whose
    /// message contains `message`;
    /// returns the diagnostic's full printed text (headline to hint).
    pub fn assert_error(&self, location: &str, message: &str) -> String {
        assert_eq!(
            self.code, 1,
            "expected exit 1\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "a panic reached the user:\n{}",
            self.stderr
        );
        let prefix = format!("{location}: error: ");
        let lines: Vec<&str> = self.stderr.lines().collect();
        let at = |line: &str| {
            line.starts_with(&prefix)
                || (!location.contains(':') && line.starts_with(&format!("{location}:")) && line.contains(": error: "))
        };
        let Some(start) = lines.iter().position(|line| at(line) && line.contains(message)) else {
            panic!("no error `{prefix}...{message}...` in stderr:\n{}", self.stderr);
        };
        let end = lines[start + 1..]
            .iter()
            .position(|line| {
                line.contains(": error: ")
                    || line.contains(": warning: ")
                    || line.ends_with("warnings")
                    || line.ends_with("warning")
            })
            .map_or(lines.len(), |offset| start + 1 + offset);
        lines[start..end].join("\n")
    }

    /// [`Run::assert_error`], and the whole of stderr equal to the test's
    /// stored snapshot (`tests/it/snapshots/MODULE/TEST-N.txt` for the
    /// test's Nth snapshot): every diagnostic of the run, headline,
    /// snippet and hint, not only the part asserted. `PRAXIS_BLESS=1`
    /// writes the snapshots instead.
    pub fn assert_diagnostic(&self, location: &str, message: &str) -> String {
        let shown = self.assert_error(location, message);
        self.assert_stderr_snapshot();
        shown
    }

    /// The whole of stderr equal to the test's next stored snapshot.
    pub fn assert_stderr_snapshot(&self) {
        thread_local! {
            static TAKEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        }
        let number = TAKEN.with(|taken| {
            taken.set(taken.get() + 1);
            taken.get()
        });
        let test = std::thread::current().name().unwrap_or("unnamed").replace("::", "/");
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/it/snapshots")
            .join(format!("{test}-{number}.txt"));
        let actual = self.normalised_stderr();
        if std::env::var_os("PRAXIS_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the snapshot folder");
            std::fs::write(&path, &actual).expect("write a snapshot");
            return;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "no snapshot {}; run with PRAXIS_BLESS=1 to write it. stderr:\n{actual}",
                path.display()
            )
        });
        if expected != actual {
            panic!(
                "stderr differs from {} (PRAXIS_BLESS=1 rewrites it)\n{}",
                path.display(),
                line_diff(&expected, &actual)
            );
        }
    }

    /// stderr with the places that change from run to run written as
    /// words: the site's folder as `[SITE]`, other temporary folders as
    /// `[TMP]`.
    fn normalised_stderr(&self) -> String {
        let mut text = self.stderr.clone();
        let mut roots = vec![self.cwd.to_string_lossy().into_owned()];
        if let Ok(real) = self.cwd.canonicalize() {
            roots.push(real.to_string_lossy().into_owned());
        }
        for root in roots {
            text = text.replace(&root, "[SITE]");
        }
        let temp = std::env::temp_dir().to_string_lossy().trim_end_matches('/').to_string();
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(&format!("{temp}/")) {
            out.push_str(&rest[..at]);
            out.push_str("[TMP]");
            let after = &rest[at + temp.len() + 1..];
            let end = after
                .find(|c: char| c == '/' || c.is_whitespace() || c == '`')
                .unwrap_or(after.len());
            rest = &after[end..];
        }
        out.push_str(rest);
        out
    }
}

/// The lines of `expected` and `actual` that differ, marked `-` and `+`.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let mut out = String::new();
    for at in 0..old.len().max(new.len()) {
        match (old.get(at), new.get(at)) {
            (Some(a), Some(b)) if a == b => out.push_str(&format!("  {a}\n")),
            (a, b) => {
                if let Some(a) = a {
                    out.push_str(&format!("- {a}\n"));
                }
                if let Some(b) = b {
                    out.push_str(&format!("+ {b}\n"));
                }
            }
        }
    }
    out
}

/// A site folder in a temp dir, built up file by file.
pub struct SiteBuilder {
    dir: TempDir,
}

impl Default for SiteBuilder {
    fn default() -> Self {
        SiteBuilder::new()
    }
}

impl SiteBuilder {
    /// A site with only a minimal valid `site.toml` (and no content).
    pub fn new() -> Self {
        SiteBuilder::empty().file("site.toml", MINIMAL_SITE_TOML)
    }

    /// An empty folder: no `site.toml` at all.
    pub fn empty() -> Self {
        SiteBuilder {
            dir: tempfile::Builder::new()
                .prefix("praxis-test-")
                .tempdir()
                .expect("create a temp dir"),
        }
    }

    /// A copy of `tests/fixtures/NAME/`.
    pub fn fixture(name: &str) -> Self {
        let site = SiteBuilder::empty();
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        copy_tree(&source, site.root());
        site
    }

    /// Writes `contents` to `path` (relative to the site root), creating folders.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(path, contents);
        self
    }

    /// Like [`SiteBuilder::file`], for a site already in use.
    pub fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let target = self.path(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("create parent folders");
        }
        std::fs::write(&target, contents).expect("write a site file");
    }

    /// A content page: `+++`, the front matter lines, `+++`, the body.
    pub fn page(self, path: &str, front_matter: &str, body: &str) -> Self {
        self.file(path, format!("+++\n{front_matter}\n+++\n{body}"))
    }

    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path(path)).expect("remove a site file");
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// An absolute path for `rel` inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Runs `praxis ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_praxis(args, self.root())
    }

    /// `praxis build --root SITE EXTRA...`.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        let mut args = vec!["build", "--root", root.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `praxis check --root SITE EXTRA...`.
    pub fn check_with(&self, extra: &[&str]) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        let mut args = vec!["check", "--root", root.as_str()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    pub fn check(&self) -> Run {
        self.check_with(&[])
    }

    /// `praxis check --root SITE EXTRA...` on a fixed date (`PRAXIS_TODAY`).
    pub fn check_on(&self, today: &str, extra: &[&str]) -> Run {
        let root = self.root().to_string_lossy().into_owned();
        let mut args = vec!["check", "--root", root.as_str()];
        args.extend_from_slice(extra);
        run_praxis_with_env(&args, self.root(), &[("PRAXIS_TODAY", today)])
    }

    /// The text of an output file: `public/techniques/x/index.html`.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|err| {
            panic!(
                "cannot read {rel}: {err}\nfiles: {:#?}",
                self.files_under("public").keys().collect::<Vec<_>>()
            )
        })
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file under `rel` (path relative to it, `/`-separated) -> bytes.
    pub fn files_under(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let base = self.path(rel);
        let mut files = BTreeMap::new();
        collect_files(&base, &base, &mut files);
        files
    }
}

/// Runs the binary with `args` in `cwd`, killing it after [`RUN_TIMEOUT`].
pub fn run_praxis(args: &[&str], cwd: &Path) -> Run {
    run_praxis_with_env(args, cwd, &[])
}

/// [`run_praxis`] with extra environment variables (`PRAXIS_TODAY`).
pub fn run_praxis_with_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_praxis"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the praxis binary");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("poll praxis").is_some() {
            break;
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let output = child.wait_with_output().expect("collect praxis output");
            panic!(
                "praxis {args:?} did not finish within {RUN_TIMEOUT:?}\n--- stderr\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("collect praxis output");
    Run {
        cwd: cwd.to_path_buf(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap_or_else(|err| panic!("read {}: {err}", from.display())) {
        let entry = entry.expect("read a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("fixture file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create a fixture folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

fn collect_files(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.expect("read an output entry");
        let path = entry.path();
        if entry.file_type().expect("output file type").is_dir() {
            collect_files(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, std::fs::read(&path).expect("read an output file"));
        }
    }
}

/// The text between `start` and the next `end` after it, or panics.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` not found in:\n{text}"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("`{end}` not found after `{start}`"))
        + from;
    &text[from..to]
}

/// The JSON-LD block of an HTML page, parsed.
pub fn json_ld(html: &str) -> serde_json::Value {
    let text = between(html, "<script type=\"application/ld+json\">", "</script>");
    serde_json::from_str(text).unwrap_or_else(|err| panic!("JSON-LD does not parse: {err}\n{text}"))
}

/// Copies the demo site (site.toml, synonyms.toml, content/, static/) into a temp dir,
/// so the build's `.praxis/` and `public/` stay out of the repository.
pub fn demo_copy() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["site.toml", "synonyms.toml"] {
        std::fs::copy(repo.join(file), dir.path().join(file)).expect("copy demo config");
    }
    for folder in ["content", "static"] {
        for entry in walkdir::WalkDir::new(repo.join(folder)).into_iter().flatten() {
            let rel = entry.path().strip_prefix(repo).expect("under the repo");
            let target = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &target).expect("copy a demo file");
            }
        }
    }
    dir
}

/// The `node` program, for the tests that run the search client under
/// Node.js; `None`, with the reason printed, where Node.js is missing, so
/// that `cargo test` passes on a machine without it. CI sets
/// `PRAXIS_REQUIRE_NODE=1`, which makes a missing Node.js a failure there.
pub fn node_or_skip(test: &str) -> Option<&'static str> {
    let found = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if found {
        return Some("node");
    }
    assert!(
        std::env::var_os("PRAXIS_REQUIRE_NODE").is_none(),
        "{test}: Node.js is required here (PRAXIS_REQUIRE_NODE is set) but `node` is not found"
    );
    eprintln!("skipped {test}: Node.js (`node`) is not installed; CI runs it");
    None
}
