//! A fuzz campaign on stable Rust: mutated copies of the fixture sites run
//! through the whole pipeline in this process, each with a time budget.
//!
//! ```text
//! cargo bench --bench fuzz -- --cases 20000         # 20,000 mutated sites
//! cargo bench --bench fuzz -- --minutes 2           # as many as fit (CI)
//! cargo bench --bench fuzz -- --seed 7 --cases 500  # another sequence
//! cargo bench --bench fuzz -- --replay 1234         # one case, its files kept
//! cargo bench --bench fuzz -- --queries 2000        # the query path
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
//!
//! `--queries N` fuzzes the query path instead: N random queries (emoji,
//! other scripts, punctuation, stop words only, 10,000 characters, typos of
//! the site's words...) against the demo site's index, in the Rust planner
//! (`praxis search`) and, when Node.js is there, in the browser's engine
//! under Node: no panic, no exception, and the same top 5 with the same
//! scores in both.

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use praxis::build::{BuildOptions, render};

/// A case slower than this is a hang.
const HANG: Duration = Duration::from_secs(5);

/// The name of the threads that run cases.
const CASE_THREAD: &str = "fuzz-case";

/// Hung cases keep their thread busy; past this many the campaign stops.
const MAX_HUNG: usize = 2;

struct Args {
    cases: Option<u64>,
    minutes: Option<f64>,
    seed: u64,
    replay: Option<u64>,
    queries: Option<usize>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        cases: None,
        minutes: None,
        seed: 1,
        replay: None,
        queries: None,
    };
    let mut words = std::env::args().skip(1).filter(|word| word != "--bench");
    while let Some(word) = words.next() {
        let mut value = |name: &str| words.next().ok_or_else(|| format!("{name} needs a value"));
        match word.as_str() {
            "--cases" => args.cases = Some(value("--cases")?.parse().map_err(|_| "--cases takes a number")?),
            "--minutes" => args.minutes = Some(value("--minutes")?.parse().map_err(|_| "--minutes takes a number")?),
            "--seed" => args.seed = value("--seed")?.parse().map_err(|_| "--seed takes a number")?,
            "--replay" => args.replay = Some(value("--replay")?.parse().map_err(|_| "--replay takes a number")?),
            "--queries" => args.queries = Some(value("--queries")?.parse().map_err(|_| "--queries takes a number")?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.cases.is_none() && args.minutes.is_none() && args.replay.is_none() && args.queries.is_none() {
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
        // At the end of the front matter, where a table may open (bytes,
        // not text: an earlier mutation may have left the file no UTF-8).
        let close = bytes
            .windows(4)
            .skip(3)
            .position(|window| window == b"\n+++")
            .map(|at| at + 3 + 4);
        if let Some(close) = close {
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
    let spawned = std::thread::Builder::new().name(CASE_THREAD.into()).spawn(move || {
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
    if spawned.is_err() {
        return Outcome::Panicked("could not start the case's thread".into());
    }
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
    // A case's panics are counted, not printed as they happen; one of the
    // campaign itself is a bug of the harness and says so.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(CASE_THREAD) {
            default_hook(info);
        }
    }));
    if let Some(count) = args.queries {
        return query_campaign(count, args.seed);
    }
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
            Outcome::Panicked(message) => {
                eprintln!("  PANIC {}: {message}", case.describe());
                panics.push((case.describe(), message));
            }
            Outcome::Hung => {
                eprintln!("  HANG {}", case.describe());
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

/// Pieces random queries are made of.
const QUERY_PIECES: &[&str] = &[
    "stroke",
    "knee pain",
    "mirror",
    "balance",
    "NMES",
    "e-stim",
    "physio",
    "rehab",
    "after",
    "my",
    "the",
    "and",
    "is",
    "what",
    "how long",
    "back",
    "pain",
    "walking",
    "exercise",
    "strok",
    "ballance",
    "fisiotherapy",
    "neuro",
    "😀",
    "🦵",
    "膝の痛み",
    "脳卒中",
    "ألم",
    "боль",
    "δ",
    "é",
    "ñ",
    "ﬁ",
    "ｓｔｒｏｋｅ",
    "\u{200d}",
    "\u{301}",
    "\u{ad}",
    "\"",
    "'",
    "-",
    "+",
    "*",
    "?",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    ";",
    "\\",
    "/",
    "<b>",
    "&amp;",
    "%20",
    "AND",
    "OR",
    "NOT",
    "title:knee",
    "\t",
    "\u{7}",
    "0",
    "123",
    "1e9",
    "--",
    "...",
    "#",
    "@",
    "€",
    "ß",
];

/// A random query: a few pieces, sometimes one piece many times over.
fn random_query(rng: &mut fastrand::Rng) -> String {
    let mut query = String::new();
    match rng.u8(..10) {
        0 => query = QUERY_PIECES[rng.usize(..QUERY_PIECES.len())].repeat(rng.usize(1..3000)),
        1 => query = (0..rng.usize(1..40)).map(|_| char::from(rng.u8(33..127))).collect(),
        _ => {
            for _ in 0..rng.usize(1..14) {
                if !query.is_empty() && rng.bool() {
                    query.push(' ');
                }
                query.push_str(QUERY_PIECES[rng.usize(..QUERY_PIECES.len())]);
            }
        }
    }
    // One query per line of the file the browser's engine reads.
    query.replace(['\n', '\r'], " ")
}

/// A query's top hits: URL and score.
type Ranked = Vec<(String, f64)>;

/// The query path: the Rust planner and the browser's engine on random
/// queries, against the demo site.
fn query_campaign(count: usize, seed: u64) -> ExitCode {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(dir) = tempfile::Builder::new().prefix("praxis-fuzz-queries-").tempdir() else {
        eprintln!("fuzz: cannot make a temporary folder");
        return ExitCode::from(2);
    };
    copy_site(repo, dir.path());
    let output = dir.path().join("public");
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        output: Some(output.clone()),
        ..BuildOptions::default()
    };
    if let Err(err) = praxis::build::build(&options) {
        eprintln!("fuzz: the demo site did not build: {err}");
        return ExitCode::from(2);
    }
    let Some(search) = praxis::search::OpenSearch::open(dir.path()) else {
        eprintln!("fuzz: no index after the build");
        return ExitCode::from(2);
    };
    let mut rng = fastrand::Rng::with_seed(seed);
    let queries: Vec<String> = (0..count).map(|_| random_query(&mut rng)).collect();
    let started = Instant::now();
    let mut panics = Vec::new();
    let mut rust: Vec<Option<Ranked>> = Vec::with_capacity(count);
    let mut slowest = (Duration::ZERO, String::new());
    for query in &queries {
        let clock = Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| search.search(query, None, 5)));
        let took = clock.elapsed();
        if took > slowest.0 {
            slowest = (took, query.chars().take(60).collect());
        }
        match result {
            Ok(Ok(results)) => rust.push(Some(results.hits.into_iter().map(|hit| (hit.url, hit.score)).collect())),
            Ok(Err(err)) => {
                panics.push(format!("{query:?}: search error {err}"));
                rust.push(None);
            }
            Err(_) => {
                panics.push(format!("{query:?}: panicked"));
                rust.push(None);
            }
        }
    }
    println!(
        "{count} queries in the Rust planner in {:.1} s: {} panics or errors; slowest {:.1} ms ({:?})",
        started.elapsed().as_secs_f64(),
        panics.len(),
        slowest.0.as_secs_f64() * 1000.0,
        slowest.1
    );
    let mut differences = Vec::new();
    let node = std::process::Command::new("node").arg("--version").output();
    if node.is_ok_and(|out| out.status.success()) {
        let file = dir.path().join("queries.txt");
        let _ = std::fs::write(&file, queries.join("\n") + "\n");
        let run = std::process::Command::new("node")
            .arg(repo.join("tests/js/parity.mjs"))
            .arg(&output)
            .arg(&file)
            .arg("--detail")
            .output();
        match run {
            Ok(run) if run.status.success() => {
                let text = String::from_utf8_lossy(&run.stdout);
                let lines: Vec<serde_json::Value> = text
                    .lines()
                    .filter_map(|line| serde_json::from_str(line).ok())
                    .collect();
                // Blank queries are skipped by the client's file reader.
                let asked: Vec<(&String, &Option<Ranked>)> = queries
                    .iter()
                    .zip(&rust)
                    .filter(|(query, _)| !query.trim().is_empty())
                    .collect();
                if lines.len() != asked.len() {
                    differences.push(format!(
                        "the engine answered {} of {} queries",
                        lines.len(),
                        asked.len()
                    ));
                }
                for ((query, ours), js) in asked.into_iter().zip(&lines) {
                    let theirs: Vec<(String, f64)> = js["hits"]
                        .as_array()
                        .map(|hits| {
                            hits.iter()
                                .map(|hit| {
                                    (
                                        hit["url"].as_str().unwrap_or("").to_string(),
                                        hit["score"].as_f64().unwrap_or(f64::NAN),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if ours.as_ref().is_some_and(|ours| *ours != theirs) {
                        differences.push(format!("{query:?}\n  rust: {ours:?}\n  js:   {theirs:?}"));
                    }
                }
                let with_hits = rust.iter().flatten().filter(|hits| !hits.is_empty()).count();
                println!(
                    "{} queries in the browser's engine under Node ({with_hits} with hits): {} differences",
                    lines.len(),
                    differences.len()
                );
            }
            Ok(run) => differences.push(format!("the engine failed: {}", String::from_utf8_lossy(&run.stderr))),
            Err(err) => differences.push(format!("node did not run: {err}")),
        }
    } else {
        println!("Node.js is not installed: the browser's engine was not run");
    }
    for problem in panics.iter().chain(&differences).take(20) {
        println!("PROBLEM {problem}");
    }
    if panics.is_empty() && differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
