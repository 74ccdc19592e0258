//! `praxis serve` from the outside: a real server on an ephemeral port,
//! spoken to over raw HTTP/1.1 (no client library needed).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::common::SiteBuilder;

/// Long enough for a debug build on a busy 2-core machine.
const WAIT: Duration = Duration::from_secs(30);

/// A running `praxis serve`; killed when dropped.
struct Server {
    child: Child,
    address: String,
    output: Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(site: &SiteBuilder, extra: &[&str]) -> Server {
        Server::start_in(site, extra, None)
    }

    /// [`Server::start`] with the open-files limit (soft and hard) set to
    /// `limit`, as on a machine with the common default.
    fn start_with_open_files(site: &SiteBuilder, limit: u32) -> Server {
        Server::start_in(site, &[], Some(limit))
    }

    fn start_in(site: &SiteBuilder, extra: &[&str], open_files: Option<u32>) -> Server {
        let root = site.root().to_str().expect("utf-8 temp path").to_string();
        let mut args = vec!["serve", "--root", root.as_str()];
        args.extend(extra);
        if !extra.contains(&"--port") {
            args.extend(["--port", "0"]);
        }
        let mut command = match open_files {
            None => Command::new(env!("CARGO_BIN_EXE_praxis")),
            Some(limit) => {
                let mut shell = Command::new("sh");
                shell
                    .arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(env!("CARGO_BIN_EXE_praxis"));
                shell
            }
        };
        let mut child = command
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start praxis serve");
        let (lines_tx, lines) = channel();
        for stream in [
            Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().expect("stderr")),
        ] {
            let tx = lines_tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            address: String::new(),
            output: lines,
            seen: Vec::new(),
        };
        let line = server.wait_for_line("Serving ");
        let url = line.split(" at http://").nth(1).expect("an address in the banner");
        server.address = url.split('/').next().unwrap_or_default().to_string();
        server
    }

    /// Waits for a line of output containing `needle`; returns it.
    fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.output.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no output line with {needle:?}; saw:\n{}", self.seen.join("\n"));
    }

    fn get(&self, path: &str) -> Response {
        request(&self.address, "GET", path)
    }

    /// Polls until the search API answers (the index builds after the site).
    fn search(&self, query: &str) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get(&format!("/api/search?{query}"));
            if response.status != 503 || Instant::now() > deadline {
                return response;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn events(&self) -> EventStream {
        let mut stream = TcpStream::connect(&self.address).expect("connect for events");
        write!(
            stream,
            "GET /__praxis/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.address
        )
        .expect("send the events request");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("set a read timeout");
        EventStream {
            stream,
            received: String::new(),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The open event stream of one browser tab.
struct EventStream {
    stream: TcpStream,
    received: String,
}

impl EventStream {
    /// Reads until `needle` arrives; returns everything after it was found.
    fn wait_for(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let mut buffer = [0u8; 4096];
        while Instant::now() < deadline {
            if let Some(at) = self.received.find(needle) {
                let found = self.received[at..].to_string();
                self.received = self.received[at + needle.len()..].to_string();
                return found;
            }
            match self.stream.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => self.received.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {} // read timeout: try again
            }
        }
        panic!("no {needle:?} in the event stream; got:\n{}", self.received);
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|err| panic!("not JSON ({err}): {}", self.body))
    }
}

/// One raw HTTP/1.1 request; `path` goes on the wire exactly as given.
fn request(address: &str, method: &str, path: &str) -> Response {
    request_with(address, method, path, "")
}

/// [`request`] with extra header lines (each ending in `\r\n`).
fn request_with(address: &str, method: &str, path: &str, extra_headers: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("set a read timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{extra_headers}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    Response {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn clinic_site() -> SiteBuilder {
    SiteBuilder::new()
        .page(
            "content/techniques/mirror-therapy.md",
            "title = \"Mirror therapy\"\ndescription = \"A mirror helps the brain.\"\napplications = [\"stroke\"]",
            "\nA mirror hides the weaker hand while the other one moves.\n",
        )
        .page(
            "content/techniques/balance-training.md",
            "title = \"Balance training\"\ndescription = \"Standing steadier.\"\napplications = [\"stroke\"]",
            "\nPractice standing on one leg near a counter. See [[mirror-therapy]].\n",
        )
        .page(
            "content/applications/stroke.md",
            "title = \"Stroke\"\ndescription = \"Rehabilitation after a stroke.\"",
            "\nA stroke damages part of the brain.\n",
        )
        .page(
            "content/articles/walking.md",
            "title = \"Walking again\"\ndate = 2026-01-05\ndescription = \"A guide.\"",
            "\nWalking after a stroke takes practice.\n",
        )
}

#[test]
fn serves_pages_from_memory_with_the_live_script_and_never_writes_the_output() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    assert!(home.body.contains("<script src=\"/__praxis/live.js\" defer></script>"));
    let page = server.get("/techniques/mirror-therapy/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A mirror hides the weaker hand"));
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("live.js"), "only HTML gets the script");

    // A revalidation with the tag is answered without the body.
    let tag = page.header("etag").expect("an etag").to_string();
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /techniques/mirror-therapy/ HTTP/1.1\r\nHost: x\r\nIf-None-Match: {tag}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 304"), "{raw}");

    let redirect = server.get("/techniques");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/techniques/"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "the site's 404 page: {}", missing.body);
    let head = request(&server.address, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for method in ["POST", "PUT", "DELETE"] {
        let refused = request(&server.address, method, "/");
        assert_eq!(refused.status, 405, "{method}");
        assert_eq!(refused.header("allow"), Some("GET, HEAD"));
    }
    assert!(!site.exists("public"), "serve must not write the output folder");
}

#[test]
fn paths_outside_the_site_are_not_found() {
    let site = clinic_site()
        .file("static/ok.txt", "fine")
        .file("handouts/knee.txt", "knee handout");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.path("static/leak.txt")).unwrap();
    // A link inside the site folder is served, as `build` publishes it.
    std::os::unix::fs::symlink(site.path("handouts/knee.txt"), site.path("static/knee.txt")).unwrap();
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/ok.txt").status, 200);
    let inside = server.get("/knee.txt");
    assert_eq!((inside.status, inside.body.as_str()), (200, "knee handout"));
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/techniques/%2e%2e/%2e%2e/site.toml",
        "/..%5c..%5csite.toml",
        "//etc/passwd",
        "/%00",
        "/leak.txt",
        "/content/techniques/mirror-therapy.md",
        "/site.toml",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(
            !response.body.contains("secret") && !response.body.contains("base_url"),
            "{path}"
        );
    }
    // An absolute URL in the request line names a path of this site only.
    let absolute = server.get("http://example.org/../../etc/passwd");
    assert_ne!(absolute.status, 200);
}

#[test]
fn the_search_api_answers_like_praxis_search_and_rejects_bad_parameters() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let response = server.search("q=mirror&limit=3");
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(response.header("content-type"), Some("application/json"));
    let json = response.json();
    assert_eq!(json["query"], "mirror");
    assert_eq!(json["hits"][0]["url"], "/techniques/mirror-therapy/");
    assert_eq!(json["hits"][0]["kind"], "technique");
    assert!(json["hits"].as_array().unwrap().len() <= 3);
    let cli = site.run(&["search", "mirror", "--limit", "3", "--format", "json"]);
    let cli_json: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(json["hits"], cli_json["hits"], "the API and the command agree");

    let only = server.search("q=stroke&kind=application").json();
    assert!(
        only["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|hit| hit["kind"] == "application")
    );
    let empty = server.search("q=").json();
    assert_eq!(empty["total"], 0);

    for (query, wanted) in [
        ("", "missing parameter `q`"),
        ("kind=technique", "missing parameter `q`"),
        ("q=x&kind=pill", "unknown kind `pill`"),
        ("q=x&limit=0", "`limit` must be"),
        ("q=x&limit=1000", "`limit` must be"),
        ("q=x&limit=many", "`limit` must be"),
    ] {
        let response = server.get(&format!("/api/search?{query}"));
        assert_eq!(response.status, 400, "{query}: {}", response.body);
        let error = response.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(wanted), "{query}: {error}");
    }
    // Strange text is still a query, never a server error.
    for query in [
        "q=%22%28%5B*~",
        "q=%ff%fe",
        "q=AND%20OR%20NOT",
        &format!("q={}", "knee%20".repeat(300)),
    ] {
        assert_eq!(server.search(query).status, 200, "{query}");
    }
}

#[test]
fn an_edit_reloads_the_tabs_with_the_new_content() {
    let site = clinic_site();
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\ndescription = \"A mirror helps the brain.\"\napplications = [\"stroke\"]\n+++\nNow with a brand new paragraph.\n",
    );
    events.wait_for("event: reload");
    server.wait_for_line("only what changed");
    assert!(
        server
            .get("/techniques/mirror-therapy/")
            .body
            .contains("brand new paragraph")
    );

    // A new description shows on the pages that list the technique.
    site.write(
        "content/techniques/mirror-therapy.md",
        "+++\ntitle = \"Mirror therapy\"\ndescription = \"Tricking the brain with a mirror.\"\napplications = [\"stroke\"]\n+++\nBody.\n",
    );
    events.wait_for("event: reload");
    assert!(
        server
            .get("/applications/stroke/")
            .body
            .contains("Tricking the brain with a mirror.")
    );
    assert!(
        server
            .get("/techniques/")
            .body
            .contains("Tricking the brain with a mirror.")
    );

    // A template edit rebuilds everything.
    site.write(
        "templates/404.html",
        "<!doctype html><html lang=\"en\"><title>Lost</title><p>Custom lost page</p></html>",
    );
    events.wait_for("event: reload");
    assert!(server.get("/nowhere/").body.contains("Custom lost page"));
}

#[test]
fn a_broken_link_shows_the_errors_and_keeps_the_last_good_site_until_fixed() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    site.write(
        "content/articles/walking.md",
        "+++\ntitle = \"Walking again\"\ndate = 2026-01-05\ndescription = \"A guide.\"\n+++\nSee [[mirror-therapyy]] first.\n",
    );
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("content/articles/walking.md:6:5"), "{errors}");
    assert!(errors.contains("mirror-therapyy"), "{errors}");
    let page = server.get("/articles/walking/");
    assert_eq!(page.status, 200, "the last good page stays up");
    assert!(page.body.contains("Walking after a"), "{}", page.body);
    // A tab opened now learns of the errors at once.
    let mut late = server.events();
    late.wait_for("event: errors");

    site.write(
        "content/articles/walking.md",
        "+++\ntitle = \"Walking again\"\ndate = 2026-01-05\ndescription = \"A guide.\"\n+++\nSee [[mirror-therapy]] first.\n",
    );
    events.wait_for("event: reload");
    assert!(
        server
            .get("/articles/walking/")
            .body
            .contains("/techniques/mirror-therapy/")
    );
}

#[test]
fn deleting_a_page_updates_lists_and_turns_links_to_it_into_errors() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    site.remove("content/articles/walking.md");
    events.wait_for("event: reload");
    assert_eq!(server.get("/articles/walking/").status, 404);
    assert!(!server.get("/articles/").body.contains("Walking again"));

    // balance-training links to mirror-therapy: removing it is an error.
    site.remove("content/techniques/mirror-therapy.md");
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("content/techniques/balance-training.md:"), "{errors}");
    assert_eq!(server.get("/techniques/mirror-therapy/").status, 200, "last good site");
}

#[test]
fn a_busy_port_moves_to_the_next_one_and_says_so() {
    let site = clinic_site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut server = Server::start(&site, &["--port", &port]);
    let notice = server.seen.iter().find(|line| line.contains("is in use")).cloned();
    let notice = notice.unwrap_or_else(|| server.wait_for_line("is in use"));
    assert!(notice.contains(&port), "{notice}");
    assert_ne!(server.address.rsplit(':').next(), Some(port.as_str()));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_site_that_does_not_build_at_first_is_served_as_an_error_page_until_fixed() {
    let site = clinic_site().page("content/techniques/broken.md", "title = 5", "\nText.\n");
    let server = Server::start(&site, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("/__praxis/live.js"), "the overlay script loads");
    let mut events = server.events();
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("content/techniques/broken.md:2:"), "{errors}");
    site.write("content/techniques/broken.md", "+++\ntitle = \"Fixed\"\n+++\nText.\n");
    events.wait_for("event: reload");
    assert_eq!(server.get("/techniques/broken/").status, 200);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = clinic_site();
    let mut server = Server::start(&site, &[]);
    let _events = server.events();
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(exit) = server.child.try_wait().expect("poll") {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.wait_for_line("Stopping");
}

#[test]
fn a_missing_site_is_a_clear_error() {
    let site = SiteBuilder::empty();
    let run = site.run(&["serve", "--root", site.root().to_str().unwrap(), "--port", "0"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no site.toml"), "{}", run.stderr);
}

#[test]
fn a_broken_site_toml_stays_reported_after_a_page_edit() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    let config = site.read("site.toml");
    site.write("site.toml", format!("{config}bogus_key = 1\n"));
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("bogus_key"), "{errors}");
    // A page edit while site.toml is broken must not build on the old config.
    site.write(
        "content/articles/walking.md",
        "+++\ntitle = \"Walking again\"\ndate = 2026-01-05\ndescription = \"A guide.\"\n+++\nEdited.\n",
    );
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("bogus_key"), "{errors}");
    site.write("site.toml", config);
    events.wait_for("event: reload");
    assert!(server.get("/articles/walking/").body.contains("Edited."));
}

#[test]
fn a_broken_page_stays_reported_after_another_page_is_saved() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    site.write("content/articles/broken.md", "+++\ntitle = \"broken\n+++\n");
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("content/articles/broken.md"), "{errors}");
    // Saving a good page (an editor's save, `touch`) rebuilds that page; the
    // broken one is still broken and must still be reported.
    let walking = site.read("content/articles/walking.md");
    site.write("content/articles/walking.md", format!("{walking}\nEdited.\n"));
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("content/articles/broken.md"), "{errors}");
    site.remove("content/articles/broken.md");
    events.wait_for("event: reload");
    assert!(server.get("/articles/walking/").body.contains("Edited."));
}

#[test]
fn moving_a_folder_out_and_back_updates_the_site() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    assert_eq!(server.get("/articles/walking/").status, 200);
    let away = site.path("moved-articles");
    std::fs::rename(site.path("content/articles"), &away).unwrap();
    eventually(
        || server.get("/articles/walking/").status == 404,
        "a folder moved out takes its pages",
    );
    std::fs::rename(&away, site.path("content/articles")).unwrap();
    eventually(
        || server.get("/articles/walking/").status == 200,
        "a folder moved back brings them",
    );
    events.wait_for("event: reload");
}

#[test]
fn a_content_folder_deleted_and_created_again_is_still_watched() {
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");
    let copy = site.path("content-copy");
    for entry in walkdir::WalkDir::new(site.path("content")).into_iter().flatten() {
        let target = copy.join(entry.path().strip_prefix(site.path("content")).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    std::fs::remove_dir_all(site.path("content")).unwrap();
    eventually(
        || server.get("/articles/walking/").status == 404,
        "the deleted pages go",
    );
    std::fs::rename(&copy, site.path("content")).unwrap();
    eventually(
        || server.get("/articles/walking/").status == 200,
        "the restored pages come back",
    );
    // Edits in the new folder are seen.
    site.write(
        "content/articles/walking.md",
        "+++\ntitle = \"Walking again\"\ndate = 2026-01-05\ndescription = \"A guide.\"\n+++\nSeen after the folder came back.\n",
    );
    eventually(
        || {
            server
                .get("/articles/walking/")
                .body
                .contains("Seen after the folder came back.")
        },
        "an edit in the restored folder is seen",
    );
    events.wait_for("event: reload");
}

/// Waits until `check` holds, failing with `what` after the usual wait.
fn eventually(check: impl Fn() -> bool, what: &str) {
    let deadline = Instant::now() + WAIT;
    while !check() {
        assert!(Instant::now() < deadline, "timed out: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_c_does_not_wait_for_a_request_that_never_ends() {
    use std::io::Write;
    let site = clinic_site();
    let server = Server::start(&site, &[]);
    let mut stuck = std::net::TcpStream::connect(&server.address).unwrap();
    stuck.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let mut server = server;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = server.child.try_wait().expect("poll") {
            assert!(exit.success(), "{exit:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve waited for a half-sent request");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(stuck);
}

#[test]
fn a_preview_with_drafts_keeps_its_index_apart_from_praxis_search() {
    let site = clinic_site().page(
        "content/articles/zebrafish.md",
        "title = \"Zebrafish study\"\ndraft = true\ndate = 2026-01-02",
        "\nA zebrafish study.\n",
    );
    let server = Server::start(&site, &["--drafts"]);
    let found = server.search("q=zebrafish");
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("/articles/zebrafish/"), "{}", found.body);
    assert!(site.exists(".praxis/serve/index"));
    let root = site.root().to_string_lossy().into_owned();
    let cli = site.run(&["search", "zebrafish", "--root", &root, "--format", "json"]);
    assert_eq!(cli.code, 0, "{cli:?}");
    assert!(
        !cli.stdout.contains("/articles/zebrafish/"),
        "a draft leaked: {}",
        cli.stdout
    );
}

#[test]
fn a_synonyms_file_in_a_subfolder_is_watched() {
    let site = clinic_site()
        .file(
            "site.toml",
            "title = \"Clinic\"\nbase_url = \"https://clinic.example\"\n\n[search]\nsynonyms = \"search/synonyms.toml\"\n",
        )
        .file("search/synonyms.toml", "[[group]]\nterms = [\"looking glass\", \"mirror\"]\n");
    let server = Server::start(&site, &[]);
    assert_eq!(server.search("q=zebrawalk").json()["total"], 0);
    site.write(
        "search/synonyms.toml",
        "[[group]]\nterms = [\"looking glass\", \"mirror\"]\n\n[[group]]\nterms = [\"zebrawalk\", \"mirror\"]\n",
    );
    eventually(
        || server.search("q=zebrawalk").json()["hits"][0]["url"] == "/techniques/mirror-therapy/",
        "the new synonym finds the page",
    );
    // The folder deleted and made again (a checkout, a sync) is seen.
    let mut events = server.events();
    events.wait_for(": connected");
    std::fs::remove_dir_all(site.path("search")).unwrap();
    let errors = events.wait_for("event: errors");
    assert!(errors.contains("cannot read the synonyms file"), "{errors}");
    site.write(
        "search/synonyms.toml",
        "[[group]]\nterms = [\"wombatstep\", \"mirror\"]\n",
    );
    eventually(
        || server.search("q=wombatstep").json()["hits"][0]["url"] == "/techniques/mirror-therapy/",
        "the file in the folder made again is read",
    );
    // Every problem of the file comes in one report.
    let long = "x".repeat(101);
    let mut events = server.events();
    events.wait_for(": connected");
    site.write(
        "search/synonyms.toml",
        format!("[[group]]\nterms = [\"{long}\", \"mirror\"]\n\n[[group]]\nterms = [\"mirror\", \"{long}\"]\n"),
    );
    let errors = events.wait_for("event: errors");
    assert!(
        errors.contains("synonyms.toml:2:10") && errors.contains("synonyms.toml:5:20"),
        "{errors}"
    );
    site.write(
        "search/synonyms.toml",
        "[[group]]\nterms = [\"wombatstep\", \"mirror\"]\n",
    );
    // praxis search sees that its index is older than the synonyms file.
    site.build().assert_success();
    site.write(
        "search/synonyms.toml",
        "[[group]]\nterms = [\"quokkastep\", \"mirror\"]\n",
    );
    let cli = site.run(&["search", "quokkastep", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&cli.stdout).unwrap();
    assert_eq!(json["hits"][0]["url"], "/techniques/mirror-therapy/", "{}", cli.stderr);
}

#[test]
fn tags_redirects_and_encodings_of_static_and_own_files() {
    let site = clinic_site()
        .file("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        // An old page in Latin-1: "café" with é as the byte 0xE9.
        .file(
            "static/old/page.html",
            b"<!doctype html><meta charset=\"iso-8859-1\"><p>caf\xe9</p>".as_slice(),
        );
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.wait_for(": connected");

    // A redirect to the folder keeps the query string.
    let redirect = server.get("/techniques?ref=newsletter");
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/techniques/?ref=newsletter"));
    let raw = request(&server.address, "GET", "/techniques?q=\u{e9}");
    assert_eq!(
        raw.header("location"),
        Some("/techniques/?q=%C3%A9"),
        "raw bytes are escaped"
    );

    // The live script has a tag, is revalidated cheaply and is not sniffed.
    let live = server.get("/__praxis/live.js");
    assert_eq!(live.header("x-content-type-options"), Some("nosniff"));
    let tag = live.header("etag").expect("the live script has a tag").to_string();
    let again = request_with(
        &server.address,
        "GET",
        "/__praxis/live.js",
        &format!("If-None-Match: {tag}\r\n"),
    );
    assert_eq!(again.status, 304);

    // A page in another encoding is served without a charset.
    let old = server.get("/old/page.html");
    assert_eq!(old.status, 200);
    assert_eq!(old.header("content-type"), Some("text/html"));
    assert_eq!(
        server.get("/style.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );

    // A static file keeps its tag through a full rebuild that leaves it
    // alone (site.toml edited), and gets a new one when it changes.
    let logo_tag = server.get("/logo.svg").header("etag").expect("a tag").to_string();
    site.write(
        "site.toml",
        "title = \"Test Site\"\nbase_url = \"https://example.org\"\ndescription = \"Edited.\"\n",
    );
    events.wait_for("event: reload");
    assert_eq!(server.get("/logo.svg").header("etag"), Some(logo_tag.as_str()));
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\"/>",
    );
    eventually(
        || server.get("/logo.svg").header("etag") != Some(logo_tag.as_str()),
        "a changed static file gets a new tag",
    );
}

/// About 1,010 idle live-reload streams stopped the server answering anyone
/// when the open-files limit was 1,024, and a client that sent no request
/// held its connection for 30 s.
#[test]
fn idle_and_slow_clients_do_not_starve_the_server() {
    let site = clinic_site();
    let server = Server::start_with_open_files(&site, 1024);
    let open = |path: Option<&str>| {
        let mut stream = TcpStream::connect(&server.address).ok()?;
        if let Some(path) = path {
            write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").ok()?;
        }
        Some(stream)
    };
    let streams: Vec<TcpStream> = (0..1010).filter_map(|_| open(Some("/__praxis/events"))).collect();
    // Clients that send nothing at all, more than the places left.
    let silent: Vec<TcpStream> = (0..500).filter_map(|_| open(None)).collect();
    assert!(
        streams.len() > 900 && silent.len() > 400,
        "the test could open its connections"
    );
    let started = Instant::now();
    let page = server.get("/techniques/mirror-therapy/");
    assert_eq!(page.status, 200, "{page:?}");
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "answered after {:?}",
        started.elapsed()
    );
    // Past the cap a live-reload stream is refused at once, not held.
    let mut refused = open(Some("/__praxis/events")).expect("connect");
    refused.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = String::new();
    let _ = refused.read_to_string(&mut head);
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    // A client that sent nothing is dropped within seconds.
    let mut idle = silent.into_iter().next().expect("an idle client");
    idle.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    let waited = Instant::now();
    let mut byte = [0u8; 1];
    assert!(matches!(idle.read(&mut byte), Ok(0) | Err(_)));
    assert!(
        waited.elapsed() < Duration::from_secs(12),
        "held for {:?}",
        waited.elapsed()
    );
    drop(streams);
}

/// `--bind 0.0.0.0` opens the preview to the network: the banner says so.
#[test]
fn binding_every_address_warns_that_the_network_can_reach_it() {
    let site = clinic_site();
    let mut server = Server::start(&site, &["--bind", "0.0.0.0"]);
    let line = server.wait_for_line("Warning: --bind 0.0.0.0");
    assert!(line.contains("reachable from the network"), "{line}");
    assert!(
        server.seen.iter().any(|l| l.contains("from other machines")),
        "{:#?}",
        server.seen
    );
    assert_eq!(server.get("/").status, 200);
}
