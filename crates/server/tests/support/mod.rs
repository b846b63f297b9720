//! What the server tests share: a tiny HTTP client, a small queue and tree to serve, and a
//! database on SQLite and (when `KDELTA_TEST_POSTGRES` names a server) on PostgreSQL.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;

/// An HTTP response: status, headers (names lower-cased), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The body's bytes as sent (compressed ones are not text; not chunked).
    pub raw: Vec<u8>,
}

impl Answer {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` with `headers`, over a fresh connection (blocking: call from a blocking task).
pub fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Answer {
    request(addr, "GET", path, headers, "")
}

/// `POST path` with `headers` and a JSON `body`.
pub fn post(addr: SocketAddr, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    request(addr, "POST", path, &all, body)
}

/// `POST path` with `headers` and a form's `fields`.
pub fn post_form(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> Answer {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect();
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    request(addr, "POST", path, &all, &body.join("&"))
}

fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of the cookie `name` an answer sets.
pub fn set_cookie(answer: &Answer, name: &str) -> Option<String> {
    answer
        .headers
        .iter()
        .filter(|(n, _)| n == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

/// The value of the hidden input `name` in a page.
pub fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker)? + marker.len();
    Some(body[start..].split('"').next()?.to_string())
}

/// `method path` with `headers` and `body`, over a fresh connection.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read");
    parse(&raw)
}

fn parse(raw: &[u8]) -> Answer {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    let body_raw = raw[split + 4..].to_vec();
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Answer {
        status,
        headers,
        body,
        raw: body_raw,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

/// The upstream tree's one file.
pub const TREE_FILE: &str = "int a;\nint b;\nint c;\nint d;\nint e;\nint f;\n";

/// A queue (quilt `series`) of two patches against a tree of one file, under `dir`: one
/// patch whose change the tree already has (upstream), one that applies (carried).
pub fn write_fixture(dir: &Path) {
    let tree = dir.join("tree");
    std::fs::create_dir_all(tree.join("src")).expect("tree");
    std::fs::write(tree.join("src/a.c"), TREE_FILE).expect("tree file");
    let queue = dir.join("queue");
    std::fs::create_dir_all(&queue).expect("queue");
    std::fs::write(queue.join("series"), "in-tree.patch\ncarried.patch\n").expect("series");
    std::fs::write(
        queue.join("in-tree.patch"),
        patch(
            "Add f",
            "@@ -3,3 +3,4 @@\n int c;\n int d;\n int e;\n+int f;\n",
        ),
    )
    .expect("patch");
    std::fs::write(
        queue.join("carried.patch"),
        patch(
            "Add <b>g</b> & more",
            "@@ -4,3 +4,4 @@\n int d;\n int e;\n int f;\n+int g;\n",
        ),
    )
    .expect("patch");
}

/// A second distribution's queue under `dir/other`: the fixture's carried patch under
/// another name and header, and one of its own.
pub fn write_other(dir: &Path) {
    let queue = dir.join("other");
    std::fs::create_dir_all(&queue).expect("queue");
    std::fs::write(
        queue.join("series"),
        "0001-g.patch
0002-own.patch
",
    )
    .expect("series");
    std::fs::write(
        queue.join("0001-g.patch"),
        patch(
            "Add <b>g</b> & more",
            "@@ -4,3 +4,4 @@\n int d;\n int e;\n int f;\n+int g;\n",
        ),
    )
    .expect("patch");
    std::fs::write(
        queue.join("0002-own.patch"),
        patch("Drop a", "@@ -1,3 +1,2 @@\n-int a;\n int b;\n int c;\n"),
    )
    .expect("patch");
}

/// The configuration serving the fixture and [`write_other`]'s queue against its tree.
pub fn config_two(dir: &Path) -> kdelta_server::Config {
    let text = "poll_seconds = 3600\n\
        [[distribution]]\nname = \"fixture\"\ntitle = \"Fixture <Linux>\"\n\
        queue = \"queue\"\ntree = \"tree\"\n\
        [[distribution]]\nname = \"other\"\ntitle = \"Other\"\n\
        queue = \"other\"\ntree = \"tree\"\nannotations = \"other.toml\"\n";
    std::fs::write(
        dir.join("other.toml"),
        "[patches.\"0001-g.patch\"]\nowner = \"Ada <ada@example.org>\"\n",
    )
    .expect("annotations");
    kdelta_server::Config::parse(text, &dir.join("kdelta-serve.toml"), dir).expect("config")
}

fn patch(subject: &str, hunk: &str) -> String {
    format!(
        "From: Dev <dev@example.org>\nSubject: [PATCH] {subject}\n\n{subject}.\n\n\
         Signed-off-by: Dev <dev@example.org>\n---\n\
         diff --git a/src/a.c b/src/a.c\n--- a/src/a.c\n+++ b/src/a.c\n{hunk}"
    )
}

/// The configuration serving the fixture under `dir` as distribution `fixture`.
pub fn config(dir: &Path) -> kdelta_server::Config {
    let text = "poll_seconds = 3600\n\
        [[distribution]]\nname = \"fixture\"\ntitle = \"Fixture <Linux>\"\nrelease = \"1.0\"\n\
        queue = \"queue\"\ntree = \"tree\"\ntarget_release = \"1.0\"\n";
    kdelta_server::Config::parse(text, &dir.join("kdelta-serve.toml"), dir).expect("config")
}

/// The database URLs to test on: a SQLite file under `dir`, and a fresh PostgreSQL
/// database named after `test` when `KDELTA_TEST_POSTGRES` names a server.
pub async fn databases(dir: &Path, test: &str) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.join("serve.db").display())];
    if let Some(server) = std::env::var("KDELTA_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.is_empty())
    {
        let server = server.trim_end_matches('/').to_string();
        let name = format!("kdelta_serve_{test}");
        recreate(&server, &name).await;
        urls.push(format!("{server}/{name}"));
    }
    urls
}

async fn recreate(server: &str, name: &str) {
    use std::process::Command;
    // psql is there wherever the PostgreSQL server is (Debian's postgresql-client).
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        let ok = Command::new("psql")
            .env("PGOPTIONS", "-c client_min_messages=warning")
            .arg(format!("{server}/postgres"))
            .args(["-qAtc", &sql])
            .status()
            .expect("psql");
        assert!(ok.success(), "{sql}");
    }
}

/// The server's state on the database at `url` with `config`, refreshed once.
pub async fn refreshed(url: &str, config: kdelta_server::Config) -> kdelta_server::state::AppState {
    let state = kdelta_server::prepare(url, config).await.expect("prepare");
    kdelta_server::worker::cycle(&state).await.expect("refresh");
    state
}

/// `state` served on a free loopback port, without the background worker.
pub async fn listen(state: &kdelta_server::state::AppState) -> kdelta_server::Running {
    let addr = "127.0.0.1:0".parse().expect("addr");
    kdelta_server::start(state.clone(), addr, false)
        .await
        .expect("start")
}

/// A user with `role` on `distributions` and a token; the token.
pub async fn user(
    db: &kdelta_db::Db,
    name: &str,
    role: kdelta_db::Role,
    distributions: &[&str],
) -> String {
    let id = db.add_user(name, None, 0).await.expect("user");
    for d in distributions {
        db.grant(id, d, role).await.expect("grant");
    }
    kdelta_server::admin::create_token(db, name, "test")
        .await
        .expect("token")
}
