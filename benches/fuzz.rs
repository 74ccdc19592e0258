//! A fuzz campaign on stable Rust: mutated copies of the fixture sites run
//! through the whole pipeline in this process, each with a time budget.
//!
//! ```text
//! cargo bench --bench fuzz -- --cases 20000         # 20,000 mutated sites
//! cargo bench --bench fuzz -- --minutes 2           # as many as fit (CI)
//! cargo bench --bench fuzz -- --seed 7 --cases 500  # another sequence
//! cargo bench --bench fuzz -- --replay 1234         # one case, its files kept
//! ```
//!
//! Each case copies a base site (the fixture clinic or the demo site),
//! applies one to three mutations (truncation, byte flips, control bytes,
//! invalid UTF-8, wrong types, deep nesting, huge values, long lines, link
//! cycles, thousands of FAQ entries, symlinks, deleted files...) and runs
//! `praxis::build::render` on it: every step but writing. A panic is a bug,
//! and so is a case slower than the hang budget (5 s): the pipeline must
//! stay linear in its input. The campaign prints the number of cases,
//! panics and hangs, the slowest case, and the slowest case of each kind of
//! mutation; it exits 1 on any panic or hang. A case is named by its
//! number: the same seed and number give the same site (`--replay`).

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use praxis::build::{BuildOptions, render};

/// A case slower than this is a hang.
const HANG: Duration = Duration::from_secs(5);

/// Hung cases keep their thread busy; past this many the campaign stops.
const MAX_HUNG: usize = 2;

struct Args {
    cases: Option<u64>,
    minutes: Option<f64>,
    seed: u64,
    replay: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cases: None,
        minutes: None,
        seed: 1,
        replay: None,
    };
    let mut words = std::env::args().skip(1).filter(|word| word != "--bench");
    while let Some(word) = words.next() {
        let mut value = |name: &str| words.next().ok_or_else(|| format!("{name} needs a value"));
        match word.as_str() {
            "--cases" => args.cases = Some(value("--cases")?.parse().map_err(|_| "--cases takes a number")?),
            "--minutes" => args.minutes = Some(value("--minutes")?.parse().map_err(|_| "--minutes takes a number")?),
            "--seed" => args.seed = value("--seed")?.parse().map_err(|_| "--seed takes a number")?,
            "--replay" => args.replay = Some(value("--replay")?.parse().map_err(|_| "--replay takes a number")?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.cases.is_none() && args.minutes.is_none() && args.replay.is_none() {
        args.cases = Some(1000);
    }
    Ok(args)
}

/// A mutation: changes the site in the folder, drawing from the random source.
type Mutation = fn(&Path, &mut fastrand::Rng);

/// The kinds of mutation; the name is what the report groups by.
const MUTATIONS: &[(&str, Mutation)] = &[
    ("truncate a file", truncate_file),
    ("flip bytes", flip_bytes),
    ("insert control bytes", insert_controls),
    ("insert invalid UTF-8", insert_invalid_utf8),
    ("wrong value type", wrong_type),
    ("deep nesting", deep_nesting),
    ("huge title", huge_title),
    ("huge synonym", huge_synonym),
    ("long line of wikilinks", long_wikilink_line),
    ("long line of text", long_text_line),
    ("parent cycle", parent_cycle),
    ("many FAQ entries", many_faq_entries),
    ("symlink loop", symlink_loop),
    ("symlink out of the site", symlink_outside),
    ("delete a file", delete_file),
    ("duplicate a page", duplicate_page),
    ("mutate site.toml", mutate_site_toml),
    ("mutate synonyms.toml", mutate_synonyms),
    ("unbalanced raw HTML", unbalanced_html),
];

/// The base sites, as (name, files to copy) from the repository.
fn base_sites() -> Vec<(&'static str, PathBuf)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        ("fixture clinic", repo.join("tests/fixtures/clinic")),
        ("demo", repo.to_path_buf()),
    ]
}

/// Copies the site at `from` (site.toml, synonyms.toml, content/, static/)
/// into `to`.
fn copy_site(from: &Path, to: &Path) {
    for file in ["site.toml", "synonyms.toml"] {
        let _ = std::fs::copy(from.join(file), to.join(file));
    }
    for folder in ["content", "static"] {
        for entry in walkdir::WalkDir::new(from.join(folder)).into_iter().flatten() {
            let Ok(rel) = entry.path().strip_prefix(from) else {
                continue;
            };
            let target = to.join(rel);
            if entry.file_type().is_dir() {
                let _ = std::fs::create_dir_all(&target);
            } else {
                let _ = std::fs::copy(entry.path(), &target);
            }
        }
    }
}

/// Every markdown file of the site, sorted (so a seed picks the same one).
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file() && entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| entry.into_path())
        .collect();
    files.sort();
    files
}

fn any_markdown(root: &Path, rng: &mut fastrand::Rng) -> Option<PathBuf> {
    let files = markdown_files(root);
    (!files.is_empty()).then(|| files[rng.usize(..files.len())].clone())
}

fn any_text_file(root: &Path, rng: &mut fastrand::Rng) -> Option<PathBuf> {
    let mut files = markdown_files(root);
    files.push(root.join("site.toml"));
    if root.join("synonyms.toml").exists() {
        files.push(root.join("synonyms.toml"));
    }
    Some(files[rng.usize(..files.len())].clone())
}

fn edit_bytes(path: &Path, edit: impl FnOnce(&mut Vec<u8>)) {
    let Ok(mut bytes) = std::fs::read(path) else { return };
    edit(&mut bytes);
    let _ = std::fs::write(path, bytes);
}

/// Inserts `text` into the front matter of a page, just after its opening line.
fn into_front_matter(path: &Path, text: &str) {
    edit_bytes(path, |bytes| {
        let at = bytes.iter().position(|&b| b == b'\n').map_or(0, |at| at + 1);
        bytes.splice(at..at, text.bytes());
    });
}

fn truncate_file(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_text_file(root, rng) else { return };
    edit_bytes(&path, |bytes| {
        let len = rng.usize(..=bytes.len());
        bytes.truncate(len);
    });
}

fn flip_bytes(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_text_file(root, rng) else { return };
    edit_bytes(&path, |bytes| {
        for _ in 0..rng.usize(1..8) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.usize(..bytes.len());
            bytes[at] ^= 1 << rng.u8(..8);
        }
    });
}

fn insert_controls(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_text_file(root, rng) else { return };
    // C0 controls, DEL, and C1 controls (U+0080-U+009F) as UTF-8.
    let pieces: [&[u8]; 6] = [
        b"\x00",
        b"\x07",
        b"\x1b[31m",
        b"\x7f",
        "\u{85}".as_bytes(),
        "\u{9b}".as_bytes(),
    ];
    edit_bytes(&path, |bytes| {
        for _ in 0..rng.usize(1..4) {
            let at = rng.usize(..=bytes.len());
            let piece = pieces[rng.usize(..pieces.len())];
            bytes.splice(at..at, piece.iter().copied());
        }
    });
}

fn insert_invalid_utf8(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_text_file(root, rng) else { return };
    edit_bytes(&path, |bytes| {
        let at = rng.usize(..=bytes.len());
        bytes.splice(at..at, [0xff, 0xfe, 0xc3]);
    });
}

fn wrong_type(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let keys = [
        "title",
        "date",
        "weight",
        "draft",
        "tags",
        "applications",
        "synonyms",
        "faq",
        "references",
        "extra",
        "parent",
        "audience",
        "aliases",
        "slug",
        "kind",
    ];
    let values = [
        "1",
        "true",
        "[]",
        "[1, 2]",
        "{ a = 1 }",
        "\"x\"",
        "2026-13-45",
        "[[1]]",
        "-9223372036854775808",
    ];
    let line = format!(
        "{} = {}\n",
        keys[rng.usize(..keys.len())],
        values[rng.usize(..values.len())]
    );
    into_front_matter(&path, &line);
}

fn deep_nesting(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let depth = rng.usize(10..3000);
    let nested = format!("[extra]\ndeep = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
    edit_bytes(&path, |bytes| {
        // At the end of the front matter, where a table may open.
        let text = String::from_utf8_lossy(bytes).into_owned();
        if let Some(close) = text[3.min(text.len())..].find("\n+++").map(|at| at + 4) {
            bytes.splice(close..close, nested.bytes());
        }
    });
}

fn huge_title(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let words = rng.usize(100..20_000);
    let title = "stroke rehab ".repeat(words / 2);
    into_front_matter(&path, &format!("title = \"{title}\"\n"));
}

fn huge_synonym(root: &Path, rng: &mut fastrand::Rng) {
    let pages = markdown_files(root);
    let Some(path) = pages
        .iter()
        .find(|p| p.to_string_lossy().contains("/techniques/"))
        .cloned()
    else {
        return;
    };
    let words = rng.usize(100..10_000);
    let synonym = "mirror box ".repeat(words / 2);
    into_front_matter(&path, &format!("synonyms = [\"{synonym}\"]\n"));
}

fn long_wikilink_line(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let count = rng.usize(1000..60_000);
    let line = "[[stroke]] [[mirror-therapy#how-it-works]] [[x|y]] ".repeat(count / 3);
    edit_bytes(&path, |bytes| bytes.extend(format!("\n{line}\n").bytes()));
}

fn long_text_line(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let count = rng.usize(1000..200_000);
    let line = "mirror therapy stroke balance ".repeat(count / 4);
    edit_bytes(&path, |bytes| bytes.extend(format!("\n{line}\n").bytes()));
}

fn parent_cycle(root: &Path, _rng: &mut fastrand::Rng) {
    let folder = root.join("content/applications");
    let _ = std::fs::create_dir_all(&folder);
    let _ = std::fs::write(
        folder.join("cycle-a.md"),
        "+++\ntitle = \"A\"\nparent = \"cycle-b\"\n+++\nA.\n",
    );
    let _ = std::fs::write(
        folder.join("cycle-b.md"),
        "+++\ntitle = \"B\"\nparent = \"cycle-a\"\n+++\nB.\n",
    );
}

fn many_faq_entries(root: &Path, rng: &mut fastrand::Rng) {
    let count = rng.usize(100..10_000);
    let mut text = String::from("+++\ntitle = \"Many questions\"\n");
    for n in 0..count {
        text.push_str(&format!(
            "[[faq]]\nquestion = \"Question {n}?\"\nanswer = \"Answer {n}, see [[stroke]].\"\n"
        ));
    }
    text.push_str("+++\nBody.\n");
    let _ = std::fs::create_dir_all(root.join("content/faq"));
    let _ = std::fs::write(root.join("content/faq/many.md"), text);
}

fn symlink_loop(root: &Path, _rng: &mut fastrand::Rng) {
    #[cfg(unix)]
    {
        let _ = std::os::unix::fs::symlink(".", root.join("content/loop"));
        let _ = std::os::unix::fs::symlink("../static", root.join("content/articles-static"));
    }
}

fn symlink_outside(root: &Path, rng: &mut fastrand::Rng) {
    #[cfg(unix)]
    {
        let targets = ["/etc/hostname", "/etc/passwd", "/nonexistent/file"];
        let target = targets[rng.usize(..targets.len())];
        let _ = std::os::unix::fs::symlink(target, root.join("content/outside.md"));
        let _ = std::os::unix::fs::symlink(target, root.join("static/outside.txt"));
    }
}

fn delete_file(root: &Path, rng: &mut fastrand::Rng) {
    if let Some(path) = any_text_file(root, rng) {
        let _ = std::fs::remove_file(path);
    }
}

fn duplicate_page(root: &Path, rng: &mut fastrand::Rng) {
    if let Some(path) = any_markdown(root, rng) {
        let _ = std::fs::copy(
            &path,
            root.join("content/articles").join(path.file_name().unwrap_or_default()),
        );
    }
}

fn mutate_site_toml(root: &Path, rng: &mut fastrand::Rng) {
    let lines = [
        "base_url = \"javascript:alert(1)\"\n",
        "[theme_options]\nprimary_color = \"#ffffff\"\n",
        "output_dir = \"content\"\n",
        "[clinic]\nhours = [\"Mon-Fri 25:00-99:00\"]\n",
        "[readability]\npatients_max_grade = -1\n",
        "[search]\npostings_head = 0\n",
        "theme = \"nope\"\n",
        "title = \"\"\n",
    ];
    let line = lines[rng.usize(..lines.len())];
    edit_bytes(&root.join("site.toml"), |bytes| bytes.extend(line.bytes()));
}

fn mutate_synonyms(root: &Path, rng: &mut fastrand::Rng) {
    let groups = [
        "[[group]]\nterms = []\n",
        "[[group]]\nterms = [\"a\"]\n",
        "[[group]]\nterms = [\"\", \"  \"]\n",
        "[[group]]\nterms = [1, 2]\n",
        "group = 3\n",
    ];
    let group = groups[rng.usize(..groups.len())];
    edit_bytes(&root.join("synonyms.toml"), |bytes| bytes.extend(group.bytes()));
}

fn unbalanced_html(root: &Path, rng: &mut fastrand::Rng) {
    let Some(path) = any_markdown(root, rng) else { return };
    let pieces = [
        "<div>",
        "</div>",
        "<table><tr><td>",
        "</span>",
        "<details><summary>x",
        "<!--",
        "<p>a<b>c</p>",
    ];
    let piece = pieces[rng.usize(..pieces.len())];
    edit_bytes(&path, |bytes| bytes.extend(format!("\n\n{piece}\n\ntext\n").bytes()));
}

/// One case: which base, which mutations; made from the seed and number.
struct Case {
    number: u64,
    base: (&'static str, PathBuf),
    mutations: Vec<usize>,
    rng_seed: u64,
}

impl Case {
    fn new(seed: u64, number: u64, bases: &[(&'static str, PathBuf)]) -> Case {
        let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ number);
        let base = bases[rng.usize(..bases.len())].clone();
        let count = rng.usize(1..=3);
        let mutations = (0..count).map(|_| rng.usize(..MUTATIONS.len())).collect();
        Case {
            number,
            base,
            mutations,
            rng_seed: rng.u64(..),
        }
    }

    fn describe(&self) -> String {
        let names: Vec<&str> = self.mutations.iter().map(|&m| MUTATIONS[m].0).collect();
        format!("case {} ({}: {})", self.number, self.base.0, names.join(", "))
    }

    /// Writes the mutated site into `dir`.
    fn prepare(&self, dir: &Path) {
        copy_site(&self.base.1, dir);
        let mut rng = fastrand::Rng::with_seed(self.rng_seed);
        for &mutation in &self.mutations {
            (MUTATIONS[mutation].1)(dir, &mut rng);
        }
    }
}

/// What running one case did.
enum Outcome {
    Done(Duration),
    Panicked(String),
    Hung,
}

/// Runs the pipeline on the site in `dir` in a thread of its own, so a
/// hang can be told from a slow case.
fn run_case(dir: PathBuf) -> Outcome {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let start = Instant::now();
        let options = BuildOptions {
            root: dir.clone(),
            ..BuildOptions::default()
        };
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let _ = render(&options);
        }));
        let outcome = match result {
            Ok(()) => Outcome::Done(start.elapsed()),
            Err(payload) => Outcome::Panicked(
                payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic without a message".into()),
            ),
        };
        let _ = send.send(outcome);
        drop(dir);
    });
    receive.recv_timeout(HANG).unwrap_or(Outcome::Hung)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("fuzz: {message}");
            return ExitCode::from(2);
        }
    };
    // Panics are counted, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let bases = base_sites();
    if let Some(number) = args.replay {
        let case = Case::new(args.seed, number, &bases);
        let dir = std::env::temp_dir().join(format!("praxis-fuzz-{}-{number}", args.seed));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the replay folder");
        case.prepare(&dir);
        println!("{}: site in {}", case.describe(), dir.display());
        let outcome = run_case(dir);
        return report_one(&outcome);
    }
    let deadline = args.minutes.map(|m| Instant::now() + Duration::from_secs_f64(m * 60.0));
    let started = Instant::now();
    let mut cases = 0u64;
    let mut panics: Vec<(String, String)> = Vec::new();
    let mut hangs: Vec<String> = Vec::new();
    let mut slowest: Option<(Duration, String)> = None;
    let mut slowest_by_kind: Vec<Option<(Duration, u64)>> = vec![None; MUTATIONS.len()];
    for number in 0.. {
        if args.cases.is_some_and(|n| number >= n) || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let case = Case::new(args.seed, number, &bases);
        let dir = match tempfile::Builder::new().prefix("praxis-fuzz-").tempdir() {
            Ok(dir) => dir,
            Err(err) => {
                eprintln!("fuzz: cannot make a temporary folder: {err}");
                return ExitCode::from(2);
            }
        };
        case.prepare(dir.path());
        cases += 1;
        match run_case(dir.path().to_path_buf()) {
            Outcome::Done(took) => {
                if slowest.as_ref().is_none_or(|(worst, _)| took > *worst) {
                    slowest = Some((took, case.describe()));
                }
                for &kind in &case.mutations {
                    if slowest_by_kind[kind].is_none_or(|(worst, _)| took > worst) {
                        slowest_by_kind[kind] = Some((took, number));
                    }
                }
            }
            Outcome::Panicked(message) => panics.push((case.describe(), message)),
            Outcome::Hung => {
                hangs.push(case.describe());
                // The hung thread still reads the folder.
                let _ = dir.keep();
                if hangs.len() > MAX_HUNG {
                    eprintln!("fuzz: more than {MAX_HUNG} hangs; stopping");
                    break;
                }
            }
        }
        if cases.is_multiple_of(500) {
            eprintln!("  {cases} cases, {} panics, {} hangs", panics.len(), hangs.len());
        }
    }
    println!(
        "{cases} cases in {:.0} s (seed {}): {} panics, {} hangs",
        started.elapsed().as_secs_f64(),
        args.seed,
        panics.len(),
        hangs.len()
    );
    if let Some((took, case)) = &slowest {
        println!("slowest: {case}, {:.0} ms", took.as_secs_f64() * 1000.0);
    }
    println!("slowest case of each kind of mutation:");
    for (kind, worst) in slowest_by_kind.iter().enumerate() {
        if let Some((took, number)) = worst {
            println!(
                "  {:<26} {:>8.0} ms  (case {number})",
                MUTATIONS[kind].0,
                took.as_secs_f64() * 1000.0
            );
        }
    }
    for (case, message) in &panics {
        println!("PANIC {case}: {message}");
    }
    for case in &hangs {
        println!("HANG {case}: over {} s", HANG.as_secs());
    }
    if panics.is_empty() && hangs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn report_one(outcome: &Outcome) -> ExitCode {
    match outcome {
        Outcome::Done(took) => {
            println!("done in {:.0} ms", took.as_secs_f64() * 1000.0);
            ExitCode::SUCCESS
        }
        Outcome::Panicked(message) => {
            println!("PANIC: {message}");
            ExitCode::from(1)
        }
        Outcome::Hung => {
            println!("HANG: over {} s", HANG.as_secs());
            ExitCode::from(1)
        }
    }
}
