import { formatBoundedJson } from "@/lib/format/bounded-json";

/** Nesting a value cell shows before collapsing: a diff cell is a glance, the raw delivery has the rest. */
const VALUE_MAX_DEPTH = 8;

/**
 * A value as JSON text, bounded in length and depth whatever the payload held ("…" marks a cut).
 * Payload values are rendered as text only, never as HTML: React escapes strings, and nothing here
 * uses dangerouslySetInnerHTML or turns payload strings into links.
 */
export function formatJsonValue(value: unknown, maxLength = 300, indent = 0): string {
  if (value === undefined) return "—";
  const out = formatBoundedJson(value, { maxDepth: VALUE_MAX_DEPTH, maxChars: maxLength, indent });
  return out.truncated ? `${out.text}…` : out.text;
}

export function JsonValue({ value, className }: { value: unknown; className?: string }) {
  return <code className={`break-all font-mono text-xs ${className ?? ""}`}>{formatJsonValue(value)}</code>;
}
