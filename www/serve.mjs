#!/usr/bin/env node
// Serves the playground (www/) on 127.0.0.1. Copies the built browser package (pkg/src and
// pkg/dist) into www/pkg first, so the page imports exactly what npm ships.
//
//   node www/serve.mjs [--port 8787] [--pkg path/to/pkg]      (or: npm run playground)
//
// The package is taken from --pkg, else $KASSA_PKG, else ../pkg. Build it first with
// ./scripts/build.sh. The page makes no request after it has loaded: everything (signing,
// building requests, decoding responses) runs in WebAssembly inside the page.
import { createServer } from 'node:http';
import { cp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = fileURLToPath(new URL('.', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** The same policy as the page's <meta> tag: only this origin, no outside connections. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Copies the package's browser build into www/pkg. */
export async function copyPackage(pkgDir) {
  const pkg = resolve(pkgDir);
  if (!existsSync(join(pkg, 'dist', 'registry.js'))) {
    throw new Error(`no built package in ${pkg}: run ./scripts/build.sh first (it writes ${join(pkg, 'dist')})`);
  }
  const target = join(WWW, 'pkg');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  await cp(join(pkg, 'src'), join(target, 'src'), { recursive: true });
  await cp(join(pkg, 'dist'), join(target, 'dist'), { recursive: true });
  await cp(join(pkg, 'package.json'), join(target, 'package.json'));
  return target;
}

/** Starts the playground server; resolves to `{ url, close }`. */
export async function startPlayground({ port = 8787, host = '127.0.0.1', pkg } = {}) {
  await copyPackage(pkg ?? process.env.KASSA_PKG ?? join(WWW, '..', 'pkg'));
  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      let file = normalize(join(WWW, pathname));
      if (file !== WWW.replace(/[\\/]$/, '') && !file.startsWith(WWW.endsWith(sep) ? WWW : WWW + sep)) {
        throw new Error('outside www');
      }
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

function argValue(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: node www/serve.mjs [--port 8787] [--pkg path/to/built/pkg]\nServes the kassa playground on http://127.0.0.1:<port>/ (the page works offline once loaded).');
    process.exit(0);
  }
  const port = Number(argValue(args, '--port') ?? process.env.PORT ?? 8787);
  try {
    const { url } = await startPlayground({ port, pkg: argValue(args, '--pkg') });
    console.log(`kassa playground: ${url}/  (Ctrl-C to stop)`);
  } catch (error) {
    console.error(`playground: ${error.message}`);
    process.exit(1);
  }
}
