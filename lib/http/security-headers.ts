/**
 * The headers every answer carries (issue 14). Our node:http server sets these on every response
 * before the framework or the webhook handler writes anything (lib/http/route-requests.ts); pages
 * then get their own Content-Security-Policy with a per-request nonce from proxy.ts.
 */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // For JSON, CSV and files: nothing in them may run, load anything or be framed.
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  // Candidate ids are in our URLs: never sent to another site.
  "referrer-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  "cross-origin-opener-policy": "same-origin",
};

/** Only over https (browsers ignore it over http anyway, and it must never pin a plain-http install). */
export const HSTS_HEADER = ["strict-transport-security", "max-age=31536000; includeSubDomains"] as const;

/**
 * The pages' policy: scripts only with this request's nonce (Next.js puts it on its own scripts;
 * 'strict-dynamic' lets those load the chunks they import). Styles may be inline: React writes
 * style attributes, which a nonce cannot cover, and a style cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, dev = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
