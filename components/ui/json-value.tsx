/**
 * Payload values are rendered as text only, never as HTML: React escapes strings, and nothing here
 * uses dangerouslySetInnerHTML or turns payload strings into links.
 */
export function formatJsonValue(value: unknown, maxLength = 300): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

export function JsonValue({ value, className }: { value: unknown; className?: string }) {
  return <code className={`break-all font-mono text-xs ${className ?? ""}`}>{formatJsonValue(value)}</code>;
}
