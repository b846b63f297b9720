//! Just enough of the Chrome DevTools Protocol to use a page as a user would (the report's
//! pages as files, and the server's over HTTP, whose tests include this file): headless
//! Chromium opens the page with a debugging port, and [`Tab::eval`] runs an expression in it
//! (clicking a button, typing in a field) and returns its value. The page's own
//! Content-Security-Policy does not apply to DevTools, so the page's script stays the only
//! script the page itself runs.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tungstenite::WebSocket;

/// How long Chromium may take to start, and any one answer.
const WAIT: Duration = Duration::from_secs(60);

/// The flags of every headless Chromium the tests start.
pub const HEADLESS: [&str; 4] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
];

/// A page open in headless Chromium.
pub struct Tab {
    child: Child,
    socket: WebSocket<TcpStream>,
    next: u64,
    profile: PathBuf,
}

impl Tab {
    /// Open `url` in a new headless Chromium whose profile lives in `profile`.
    pub fn open(chromium: &Path, url: &str, profile: &Path) -> Tab {
        let mut child = Command::new(chromium)
            .args(HEADLESS)
            .arg("--remote-debugging-port=0")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let port = devtools_port(&mut child);
        let page = page_socket_url(port);
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to DevTools");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        let (socket, _) = tungstenite::client(page.as_str(), stream).expect("DevTools handshake");
        let mut tab = Tab {
            child,
            socket,
            next: 0,
            profile: profile.to_path_buf(),
        };
        // The page target may still be about:blank when it is listed.
        tab.wait_for("location.href !== 'about:blank' && document.readyState === 'complete'");
        tab
    }

    /// The value of `expression`, evaluated in the page.
    pub fn eval(&mut self, expression: &str) -> Value {
        self.next += 1;
        let id = self.next;
        let call = json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": true},
        });
        self.socket
            .send(tungstenite::Message::text(call.to_string()))
            .expect("send to DevTools");
        loop {
            let message = self.socket.read().expect("read from DevTools");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let answer: Value = serde_json::from_str(text).expect("DevTools speaks JSON");
            if answer["id"] != id {
                continue;
            }
            let result = &answer["result"];
            assert!(
                result.get("exceptionDetails").is_none(),
                "{expression} threw: {}",
                result["exceptionDetails"]
            );
            return result["result"]["value"].clone();
        }
    }

    /// Wait until `condition` holds in the page.
    pub fn wait_for(&mut self, condition: &str) {
        let started = Instant::now();
        while self.eval(condition) != Value::Bool(true) {
            assert!(started.elapsed() < WAIT, "{condition} never held");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The port of "DevTools listening on ws://127.0.0.1:PORT/…", which Chromium prints on
/// stderr; the rest of stderr is drained on a thread so that Chromium never blocks on it.
fn devtools_port(child: &mut Child) -> u16 {
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if sent {
                continue;
            }
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                sent = tx.send(port.parse::<u16>().ok()).is_ok();
            }
        }
    });
    rx.recv_timeout(WAIT)
        .ok()
        .flatten()
        .expect("chromium never said where DevTools listen")
}

/// The WebSocket URL of the browser's page, from DevTools' `/json/list`.
fn page_socket_url(port: u16) -> String {
    let started = Instant::now();
    loop {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to DevTools");
        stream.set_read_timeout(Some(WAIT)).expect("timeout");
        let request = format!(
            "GET /json/list HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).expect("ask DevTools");
        let reply = http_reply(&mut stream);
        let body = reply.split("\r\n\r\n").nth(1).unwrap_or("[]");
        let targets: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let page = targets.as_array().and_then(|all| {
            all.iter()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string))
        });
        if let Some(url) = page {
            return url;
        }
        assert!(started.elapsed() < WAIT, "no page in DevTools: {body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An HTTP reply, read up to the end of the body its `Content-Length` announces (DevTools
/// keeps the connection open).
fn http_reply(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = stream.read(&mut chunk).expect("DevTools answer");
        reply.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&reply).into_owned();
        if n == 0 {
            return text;
        }
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if reply.len() >= end + 4 + length {
                return text;
            }
        }
    }
}
