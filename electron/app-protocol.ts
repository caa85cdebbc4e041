import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, COMMON_HEADERS } from '../core/server/headers.js';
import { readStaticFile } from '../core/server/static-files.js';

/** The page's origin: app://viewer/. Standard and secure, so fetch, CSP 'self' and relative URLs behave as on https. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://viewer`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export const appSchemePrivileges = { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } };

/** Serves the built renderer from inside the app (no file:// page, no network), with the same CSP as `serve`. */
export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const found = url.host === 'viewer' ? await readStaticFile(rendererDir, url.pathname) : null;
    if (!found) return new Response('Not found', { status: 404, headers: COMMON_HEADERS });
    return new Response(found.bytes as BodyInit, {
      headers: { ...COMMON_HEADERS, 'Content-Type': found.contentType, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
    });
  });
}

export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}
