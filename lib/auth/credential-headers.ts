/**
 * Header names that may carry a credential: a sender can add any custom header (Talview lets the
 * customer type one), so this goes by pattern, not by a list. The stored delivery keeps what was
 * received (reprocessing and audits need the exact request); everything that shows or exports
 * headers — the delivery API and panel, the CSV — goes through here.
 */
const CREDENTIAL_HEADER = /auth|token|secret|key|signature|cookie|passw|session|credential/i;

export const REDACTED = "[redacted]";

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/** The stored headers as shown: every credential-like value replaced by "[redacted]". */
export function redactCredentialHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === null || typeof headers !== "object" || Array.isArray(headers)) return out;
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    out[name] = isCredentialHeader(name) ? REDACTED : String(value);
  }
  return out;
}
