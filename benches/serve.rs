//! `praxis serve` on a synthetic site, measured from outside like a writer
//! would feel it: the time from saving a file to the reload event reaching
//! an open tab, for a body edit, a description edit and a template edit,
//! plus the server's memory.
//!
//! ```text
//! cargo bench --bench serve                      # 10,000 pages
//! cargo bench --bench serve -- --tmpdir /dev/shm 1000
//! ```
//!
//! Load-testing `/api/search` is left to a real tool on loopback (see
//! docs/serve.md): this prints the address and keeps serving when given
//! `--hold SECONDS`.

#[path = "synthetic/mod.rs"]
mod synthetic;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const ROUNDS: usize = 7;

struct Args {
    pages: usize,
    tmpdir: Option<PathBuf>,
    hold: Option<u64>,
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: 10_000,
        tmpdir: None,
        hold: None,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        match word.as_str() {
            "--bench" => {}
            "--tmpdir" => args.tmpdir = words.next().map(PathBuf::from),
            "--hold" => args.hold = words.next().and_then(|s| s.parse().ok()),
            other => {
                if let Ok(pages) = other.parse() {
                    args.pages = pages;
                }
            }
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let dir = match &args.tmpdir {
        Some(base) => tempfile::tempdir_in(base),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder");
    let root = dir.path();
    let summary = synthetic::generate(root, args.pages, 42).expect("generate the synthetic site");
    println!(
        "{} pages ({} techniques, {} applications, {} articles, {} FAQ pages) in {}",
        summary.pages,
        summary.techniques,
        summary.applications,
        summary.articles,
        summary.faqs,
        root.display()
    );

    let started = Instant::now();
    let mut server = Server::start(root);
    println!("first build and serve: {:.2} s", started.elapsed().as_secs_f64());
    server.wait_for_line("Search index");
    println!(
        "search index ready after {:.2} s; server RSS {} MB",
        started.elapsed().as_secs_f64(),
        server.rss_mb()
    );

    let page = find_page(root, "techniques");
    let original = std::fs::read_to_string(&page).expect("read a technique");
    let mut events = server.events();

    let mut body = Vec::new();
    for round in 0..ROUNDS {
        let text = format!("{original}\nA sentence added in round {round}.\n");
        body.push(events.time_until_reload(|| std::fs::write(&page, &text).expect("save")));
    }
    report("body edit of one technique", &mut body);

    let mut description = Vec::new();
    for round in 0..ROUNDS {
        let text = original.replacen("description = \"", &format!("description = \"Round {round}. "), 1);
        description.push(events.time_until_reload(|| std::fs::write(&page, &text).expect("save")));
    }
    report("description edit (lists too)", &mut description);

    let template = root.join("templates/technique.html");
    let theme_template = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/technique.html");
    let template_text = std::fs::read_to_string(theme_template).expect("read the theme's technique template");
    std::fs::create_dir_all(root.join("templates")).expect("templates folder");
    // The first save creates the folder the watcher then picks up.
    events.time_until_reload(|| std::fs::write(&template, &template_text).expect("save"));
    let mut templates = Vec::new();
    for round in 0..3 {
        let text = format!("{template_text}\n{{# round {round} #}}\n");
        templates.push(events.time_until_reload(|| std::fs::write(&template, &text).expect("save")));
    }
    report("template edit (everything)", &mut templates);
    println!("server RSS after the edits: {} MB", server.rss_mb());

    if let Some(seconds) = args.hold {
        println!("holding http://{}/ for {seconds} s", server.address);
        std::thread::sleep(Duration::from_secs(seconds));
        println!("server RSS after holding: {} MB", server.rss_mb());
    }
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<32} median {:>7.1} ms   min {:>7.1} ms   max {:>7.1} ms   ({} saves)",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn find_page(root: &Path, section: &str) -> PathBuf {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root.join("content").join(section))
        .expect("read a section")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md") && !path.ends_with("_index.md"))
        .collect();
    pages.sort();
    pages.swap_remove(pages.len() / 2)
}

struct Server {
    child: Child,
    address: String,
    lines: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_praxis"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start praxis serve");
        let (tx, lines) = channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            address: String::new(),
            lines,
        };
        let banner = server.wait_for_line("Serving ");
        server.address = banner
            .split(" at http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("an address")
            .to_string();
        server
    }

    fn wait_for_line(&mut self, needle: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(600))
                .expect("serve is still talking");
            if line.contains(needle) {
                return line;
            }
        }
    }

    fn rss_mb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    }

    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        write!(
            stream,
            "GET /__praxis/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("send");
        let mut events = Events {
            stream,
            received: String::new(),
        };
        events.wait_for(": connected");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events {
    stream: TcpStream,
    received: String,
}

impl Events {
    fn wait_for(&mut self, needle: &str) {
        let mut buffer = [0u8; 8192];
        loop {
            if let Some(at) = self.received.find(needle) {
                self.received.drain(..at + needle.len());
                return;
            }
            let n = self.stream.read(&mut buffer).expect("read events");
            assert!(n > 0, "the event stream closed");
            self.received.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }

    /// Runs `save` and times it until the next reload event.
    fn time_until_reload(&mut self, save: impl FnOnce()) -> Duration {
        // Let the previous rebuild's search refresh settle a little, as a
        // writer would between saves.
        std::thread::sleep(Duration::from_millis(300));
        self.received.clear();
        let start = Instant::now();
        save();
        self.wait_for("event: reload");
        start.elapsed()
    }
}
