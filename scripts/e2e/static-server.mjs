// Serves a built single-page app (OHIF's dist/) on 127.0.0.1 with the SPA fallback its router needs: a path that
// is not a file (/viewer, /viewer/dicomweb, ...) gets index.html. /app-config.js can come from another file so the
// package's own copy stays untouched. No dependencies beyond Node itself.
// Usage: node static-server.mjs --root DIR --port N [--app-config FILE]
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: { root: { type: 'string' }, port: { type: 'string' }, 'app-config': { type: 'string' } },
});
if (!opts.root || !opts.port) {
  console.error('usage: node static-server.mjs --root DIR --port N [--app-config FILE]');
  process.exit(2);
}
const root = resolve(opts.root);
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml', '.onnx': 'application/octet-stream',
};

function fileFor(urlPath) {
  if (urlPath === '/app-config.js' && opts['app-config']) return resolve(opts['app-config']);
  const p = normalize(join(root, decodeURIComponent(urlPath)));
  if (p !== root && !p.startsWith(root + sep)) return null; // no escaping the root with ../
  return p;
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

createServer((req, res) => {
  const urlPath = new URL(req.url, 'http://x').pathname;
  let file = fileFor(urlPath);
  if (file && !isFile(file) && isFile(join(file, 'index.html'))) file = join(file, 'index.html');
  if (!file || !isFile(file)) {
    // A missing asset (has an extension) is a real 404; anything else is a client-side route.
    if (extname(urlPath) && !urlPath.endsWith('.html')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    file = join(root, 'index.html');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size,
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}).listen(Number(opts.port), '127.0.0.1', () => {
  console.error(`static server: ${root} at http://127.0.0.1:${opts.port}/`);
});
