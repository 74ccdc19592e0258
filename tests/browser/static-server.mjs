// A static web host for the browser tests, as a plain host serves a built
// site: index.html for folders, a redirect to add the slash, 404.html for
// anything missing, and the headers given (the Content-Security-Policy).
import http from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".xml": "application/xml", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon", ".txt": "text/plain; charset=utf-8",
};

/** The strictest policy a static site can live with: nothing but its own files. */
export const STRICT_CSP = "default-src 'self'";

/** Serves `root` on an ephemeral port of 127.0.0.1; resolves to the server. */
export function serve(root, headers = { "Content-Security-Policy": STRICT_CSP }) {
  const base = { ...headers, "Cache-Control": "no-store" };
  const server = http.createServer((req, res) => {
    const send = (status, file) => {
      res.writeHead(status, { ...base, "Content-Type": TYPES[extname(file)] || "application/octet-stream" });
      createReadStream(file).pipe(res);
    };
    const notFound = () => {
      if (stat(join(root, "404.html"))) send(404, join(root, "404.html"));
      else res.writeHead(404, base).end("not found");
    };
    let url;
    try {
      url = new URL(req.url, "http://x");
      url.pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, base).end();
      return;
    }
    const file = join(root, url.pathname);
    const found = file.startsWith(root + sep) || file === root ? stat(file) : null;
    if (found?.isDirectory()) {
      if (!url.pathname.endsWith("/")) res.writeHead(301, { ...base, Location: url.pathname + "/" + url.search }).end();
      else if (stat(join(file, "index.html"))) send(200, join(file, "index.html"));
      else notFound();
    } else if (found) send(200, file);
    else notFound();
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

function stat(path) {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}
