import type { Provider, SignOptions } from "./types";

/** The bytes and headers a real sender of this provider would post: the signature in the body or in headers. */
export function signRequest(provider: Provider, body: Buffer, secret: string | null, options: SignOptions): { body: Buffer; headers: Record<string, string> } {
  const signed = provider.signBody ? provider.signBody(body, secret, options) : body;
  return { body: signed, headers: provider.sign(signed, secret, options) };
}
