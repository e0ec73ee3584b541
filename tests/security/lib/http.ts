/**
 * Raw HTTP for the probes: node:http with no connection reuse, and a chosen source address —
 * every 127.x.y.z is this machine, so a test can be "another client" (127.0.0.3) or the trusted
 * reverse proxy (127.0.0.2) without any network set-up.
 */
import http from "node:http";
import net from "node:net";
import { readFixture } from "../../helpers/fixtures";

export interface ProbeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: any;
  ms: number;
}

export interface ProbeRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address of the connection (default 127.0.0.1). */
  from?: string;
  timeoutMs?: number;
}

export function probe(baseUrl: string, pathname: string, init: ProbeRequest = {}): Promise<ProbeResponse> {
  const url = new URL(pathname, baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: init.method ?? "GET",
        headers: { ...(init.body !== undefined ? { "content-length": String(Buffer.byteLength(init.body)) } : {}), ...(init.headers ?? {}) },
        localAddress: init.from ?? "127.0.0.1",
        agent: false,
        timeout: init.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: any = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer to ${pathname} within ${init.timeoutMs ?? 30_000} ms`)));
    req.on("error", reject);
    req.end(init.body);
  });
}

/** An idibu delivery (idibu does not sign) for candidate `externalId`. */
export function idibuDelivery(externalId: string): string {
  const fixture = JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString("utf8"));
  fixture.payload.id = externalId;
  return JSON.stringify(fixture);
}

export interface StalledUpload {
  /** The status line the server answered with, if any. */
  statusLine(): string | null;
  /** The answer's head (status line and headers) as far as received, or "". */
  head(): string;
  /** The answer as far as received (its first 4 KB). */
  response(): string;
  /** ms from the start until the server closed the connection, or null while it is open. */
  closedAfterMs(): number | null;
  destroy(): void;
}

/**
 * A webhook upload that declares `declared` bytes, sends `send` of them and then stalls with the
 * connection open, as an attacker would to hold the server's memory.
 */
export function stallUpload(port: number, pathname: string, declared: number, send: number): StalledUpload {
  const started = performance.now();
  let closed: number | null = null;
  let response = "";
  const socket = net.connect({ host: "127.0.0.1", port });
  socket.on("error", () => {}); // the server hanging up on us is the point
  socket.on("data", (chunk: Buffer) => {
    if (response.length < 4096) response += chunk.toString("latin1");
  });
  socket.on("close", () => {
    closed = performance.now() - started;
  });
  socket.on("connect", () => {
    socket.write(`POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
    socket.write(Buffer.alloc(send, 0x61));
  });
  return {
    statusLine: () => (response ? response.split("\r\n")[0] : null),
    head: () => response.split("\r\n\r\n")[0],
    response: () => response,
    closedAfterMs: () => closed,
    destroy: () => socket.destroy(),
  };
}
