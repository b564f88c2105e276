//! `cargo xtask serve`: a tiny static HTTP/1.1 server (GET and HEAD) for the built site in dist/.

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::proc::Result;

/// Serves `dir` on 127.0.0.1:`port` until the process is killed.
pub fn serve(dir: &Path, port: u16) -> Result<()> {
    if !dir.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: build the site first",
            dir.display()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|error| format!("cannot listen on 127.0.0.1:{port}: {error}"))?;
    let port = listener.local_addr().map_or(port, |addr| addr.port());
    println!("CB Lab is being served at http://127.0.0.1:{port}/");
    serve_on(listener, dir.to_path_buf());
    Ok(())
}

/// Answers every connection on `listener` from `dir`, one thread per connection; never returns.
pub fn serve_on(listener: TcpListener, dir: PathBuf) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dir = dir.clone();
        std::thread::spawn(move || {
            if let Err(error) = handle(stream, &dir) {
                eprintln!("serve: {error}");
            }
        });
    }
}

/// The answer to one request, before it is written.
struct Response {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    allow: bool,
}

impl Response {
    fn error(status: &'static str) -> Self {
        Self {
            status,
            content_type: "text/plain; charset=utf-8",
            body: format!("{status}\n").into_bytes(),
            allow: status.starts_with("405"),
        }
    }
}

fn handle(stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Read (and ignore) the headers, up to the blank line.
    let mut header_bytes = 0;
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line)?;
        header_bytes += read;
        if read == 0 || line == "\r\n" || line == "\n" || header_bytes > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let response = respond(dir, method, target);
    let head = method == "HEAD";
    write_response(stream, &response, head)?;
    if !response.status.starts_with("200") {
        eprintln!("serve: {method} {target} -> {}", response.status);
    }
    Ok(())
}

fn write_response(mut stream: TcpStream, response: &Response, head: bool) -> std::io::Result<()> {
    let mut header = format!(
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: close\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    if response.allow {
        header.push_str("Allow: GET, HEAD\r\n");
    }
    header.push_str("\r\n");
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(&response.body)?;
    }
    stream.flush()
}

fn respond(dir: &Path, method: &str, target: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return Response::error("405 Method Not Allowed");
    }
    let Some(relative) = resolve(target) else {
        return Response::error("400 Bad Request");
    };
    let mut path = dir.join(relative);
    if path.is_dir() {
        path.push("index.html");
    }
    match fs::read(&path) {
        Ok(body) => Response {
            status: "200 OK",
            content_type: content_type(&path),
            body,
            allow: false,
        },
        Err(_) => Response::error("404 Not Found"),
    }
}

/// The file path (relative to the served folder) that a request target names, or `None` for a
/// target we refuse: not starting with `/`, badly escaped, or climbing out with `..`.
fn resolve(target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            _ if segment.contains(['\\', '\0']) => return None,
            _ => relative.push(segment),
        }
    }
    if relative.as_os_str().is_empty() || decoded.ends_with('/') {
        relative.push("index.html");
    }
    Some(relative)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = std::str::from_utf8(bytes.get(at + 1..at + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            decoded.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json" | "map") => "application/json",
        Some("ico") => "image/x-icon",
        Some("txt" | "csv") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn resolves_targets() {
        assert_eq!(resolve("/"), Some(PathBuf::from("index.html")));
        assert_eq!(resolve("/?x=1"), Some(PathBuf::from("index.html")));
        assert_eq!(
            resolve("/cblab_bg.wasm"),
            Some(PathBuf::from("cblab_bg.wasm"))
        );
        assert_eq!(resolve("/a/./b.css#top"), Some(PathBuf::from("a/b.css")));
        assert_eq!(resolve("/docs/"), Some(PathBuf::from("docs/index.html")));
        assert_eq!(resolve("/a%20b.png"), Some(PathBuf::from("a b.png")));
    }

    #[test]
    fn refuses_traversal() {
        for target in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/etc/passwd",
            "/..%2Fetc",
            "/a%5C..%5Cb",
            "/%zz",
            "/%2",
            "relative",
            "",
        ] {
            assert_eq!(resolve(target), None, "{target}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("x_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("INDEX.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("a.ico")), "image/x-icon");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }

    fn get(port: u16, request: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    }

    #[test]
    fn serves_over_tcp() {
        // Removed when dropped, whether the test passes or not.
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().to_owned();
        fs::create_dir_all(dir.join("sub")).unwrap();
        fs::write(dir.join("index.html"), "<p>home</p>").unwrap();
        fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        fs::write(dir.join("sub/index.html"), "sub").unwrap();
        let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let served = dir.clone();
        std::thread::spawn(move || serve_on(listener, served));

        let home = get(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"), "{home}");
        assert!(home.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(home.ends_with("\r\n\r\n<p>home</p>"));

        let wasm = get(port, "GET /app_bg.wasm HTTP/1.1\r\n\r\n");
        assert!(
            wasm.contains("Content-Type: application/wasm\r\n"),
            "{wasm}"
        );
        assert!(wasm.contains("Content-Length: 4\r\n"));

        let head = get(port, "HEAD /index.html HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Length: 11\r\n"), "{head}");
        assert!(head.ends_with("\r\n\r\n"));

        assert!(get(port, "GET /sub HTTP/1.1\r\n\r\n").ends_with("sub"));
        assert!(get(port, "GET /nope.js HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(get(port, "GET /../Cargo.toml HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
        let post = get(port, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(post.starts_with("HTTP/1.1 405"), "{post}");
        assert!(post.contains("Allow: GET, HEAD\r\n"));
    }
}
