import { BlockList, isIP } from "node:net";
import type { IncomingMessage } from "node:http";

/**
 * The header our node:http server (lib/http/route-requests.ts) writes with the client's address
 * before Next.js sees the request; whatever a client sends under this name is replaced. The
 * throttle keys on it. Served some other way (`next dev`), it is absent and every client is "unknown".
 */
export const CLIENT_ADDRESS_HEADER = "x-candidate-history-client";

/** `::ffff:203.0.113.9` (an IPv4 client on a dual-stack socket) is `203.0.113.9`. */
function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith("::ffff:") && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

export interface TrustedProxies {
  has(address: string): boolean;
}

/** TRUSTED_PROXIES: comma-separated addresses and CIDR ranges (IPv4 or IPv6). Throws on a bad entry. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  let empty = true;
  for (const raw of (value ?? "").split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
      list.addSubnet(address, bits, type);
    }
    empty = false;
  }
  return {
    has(address) {
      if (empty) return false;
      const a = normalizeAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * Who is on the other end: the socket's address, unless that is a trusted proxy — then
 * X-Forwarded-For read from the right, skipping trusted hops (each proxy appends the address it
 * saw, so only the entries right of the last untrusted one can be believed).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = normalizeAddress(socketAddress ?? "unknown");
  if (!trusted.has(client) || forwardedFor === undefined) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map(normalizeAddress).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (isIP(hops[i]) === 0) break; // garbage: stop at the last address we could believe
    client = hops[i];
    if (!trusted.has(client)) break;
  }
  return client;
}

/** Writes the client's address into the request for the framework (see CLIENT_ADDRESS_HEADER). */
export function stampClientAddress(req: IncomingMessage, trusted: TrustedProxies): string {
  const address = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  req.headers[CLIENT_ADDRESS_HEADER] = address;
  return address;
}

/** Whether the client reached us over https: the socket itself, or a trusted proxy's X-Forwarded-Proto. */
export function isHttpsRequest(req: IncomingMessage, trusted: TrustedProxies): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const proto = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(proto) ? proto[0] : proto)?.split(",")[0]?.trim().toLowerCase();
  return first === "https" && trusted.has(req.socket.remoteAddress ?? "");
}

/** What a proxy says about the client's connection: believed only from TRUSTED_PROXIES. */
const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];

/**
 * Removes the forwarding headers from a request whose connection is not a trusted proxy, so that
 * nothing after this (publicOrigin's webhook and invitation URLs, the origin check, the Secure
 * cookie flag) can take a client's word for the host or scheme; Next.js then fills them in from the
 * connection itself.
 */
export function dropUntrustedForwarding(req: IncomingMessage, trusted: TrustedProxies): void {
  if (trusted.has(req.socket.remoteAddress ?? "")) return;
  for (const name of FORWARDING_HEADERS) delete req.headers[name];
}
