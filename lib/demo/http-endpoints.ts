import type { CreateDemoEndpoint } from "./run-demo";

/** Demo endpoints made through the admin API over HTTP (`POST {baseUrl}/api/endpoints`), as scripts/demo.ts does. */
export function httpEndpointCreator(baseUrl: string, token: string, fetchImpl: typeof fetch = globalThis.fetch): CreateDemoEndpoint {
  const origin = baseUrl.replace(/\/+$/, "");
  return async (provider, name) => {
    let response: Response;
    try {
      response = await fetchImpl(`${origin}/api/endpoints`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ provider, name }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string; code?: string } }).cause;
      throw new Error(`POST ${origin}/api/endpoints failed: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.code ?? cause.message})` : ""}`);
    }
    const text = await response.text();
    let json: { id?: unknown; secret?: unknown; message?: unknown } | null = null;
    try {
      json = JSON.parse(text);
    } catch {
      // reported below
    }
    if (!response.ok || !json || typeof json.id !== "string") {
      const why = json && typeof json.message === "string" ? json.message : text.slice(0, 300);
      throw new Error(`POST ${origin}/api/endpoints → HTTP ${response.status}: ${why}`);
    }
    return { id: json.id, secret: typeof json.secret === "string" ? json.secret : null };
  };
}
