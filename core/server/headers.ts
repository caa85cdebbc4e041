/**
 * The page may load its own scripts, styles and images and talk back to its own origin (fetch and WebSocket);
 * nothing inline, nothing foreign, no frames, no plugins. Matches the <meta> policy in renderer/index.html, plus
 * frame-ancestors, which only a header can carry.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response: the token is in the page URL, so no Referer may carry it away. */
export const COMMON_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
