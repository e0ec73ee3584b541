import { getEnv } from "../env";

/**
 * The origin providers should post to: PUBLIC_URL when set, else what the client used to reach us
 * (a reverse proxy's X-Forwarded-* first). Next's own `request.url` names its bind address instead.
 */
export function publicOrigin(request: Request): string {
  const configured = getEnv().PUBLIC_URL;
  if (configured) return configured;
  const url = new URL(request.url);
  const first = (name: string) => request.headers.get(name)?.split(",")[0]?.trim() || null;
  const host = first("x-forwarded-host") ?? first("host") ?? url.host;
  const proto = first("x-forwarded-proto") ?? url.protocol.replace(":", "");
  return `${proto}://${host}`;
}
