import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { isInside } from '../engine/paths.js';
import { COMMON_HEADERS, CONTENT_SECURITY_POLICY } from './headers.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  bytes: Uint8Array;
  contentType: string;
  /** Hashed asset names can be cached forever; index.html must not be, or a rebuilt viewer would not load. */
  cacheControl: string;
}

/**
 * A file of the built renderer (a single page: "/" is index.html), or null when there is no such file inside `dir`
 * (a `..` or a symlink leading out of it included). Shared by `universeg serve` and Electron's app:// protocol.
 */
export async function readStaticFile(dir: string, urlPath: string): Promise<StaticFile | null> {
  const relative = urlPath === '/' || urlPath === '' ? 'index.html' : safeDecode(urlPath).replace(/^\/+/, '');
  const root = await realpath(dir).catch(() => null);
  const file = root ? await realpath(path.join(root, relative)).catch(() => null) : null;
  if (!root || !file || !isInside(file, root)) return null;
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return null;
  return {
    bytes,
    contentType: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    cacheControl: relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}

export async function serveStatic(dir: string | null, urlPath: string, res: ServerResponse, headOnly: boolean): Promise<void> {
  if (dir === null) {
    send(res, 503, 'The viewer is not built. Run `npm run build:renderer`, then restart.');
    return;
  }
  const found = await readStaticFile(dir, urlPath);
  if (!found) {
    send(res, 404, `Not found: ${urlPath}`);
    return;
  }
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': found.contentType,
    'Content-Length': found.bytes.length,
    'Cache-Control': found.cacheControl,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(headOnly ? undefined : found.bytes);
}

function send(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  });
  res.end(text);
}

function safeDecode(urlPath: string): string {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return urlPath; // A malformed escape names no file of ours: it ends in a 404.
  }
}
