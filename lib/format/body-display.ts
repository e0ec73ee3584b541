import { formatBoundedJson } from "./bounded-json";

/** Bodies larger than this are shown cut (the exact bytes are a download away). */
export const BODY_DISPLAY_MAX_BYTES = 256 * 1024;
/** Nesting shown in a pretty-printed body; deeper containers are collapsed into a marker. */
export const BODY_DISPLAY_MAX_DEPTH = 32;
/** Pretty-printing can triple a body with deep indentation: the text shown stays under this. */
export const BODY_PRETTY_MAX_CHARS = 3 * BODY_DISPLAY_MAX_BYTES;

export interface BodyDisplay {
  /** What to show: pretty JSON, or the text as received. */
  text: string;
  json: boolean;
  /** The shown text is not the whole body (one of the three below). */
  clipped: boolean;
  /** The body was over BODY_DISPLAY_MAX_BYTES: `text` is its first part as received, not parsed. */
  truncated: boolean;
  /** Nesting deeper than BODY_DISPLAY_MAX_DEPTH is collapsed into markers. */
  collapsed: boolean;
  /** The pretty print was cut at BODY_PRETTY_MAX_CHARS. */
  prettyCut: boolean;
}

/**
 * A delivery body for the dashboard: pretty-printed when it parses as JSON, else as received; in
 * either case bounded (size and depth), because the body is whatever a webhook caller sent.
 */
export function formatBodyForDisplay(text: string, bytes: number): BodyDisplay {
  if (bytes > BODY_DISPLAY_MAX_BYTES) {
    // Characters, not bytes, but never more than the limit's worth of text.
    return { text: text.slice(0, BODY_DISPLAY_MAX_BYTES), json: false, clipped: true, truncated: true, collapsed: false, prettyCut: false };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { text, json: false, clipped: false, truncated: false, collapsed: false, prettyCut: false };
  }
  const pretty = formatBoundedJson(parsed, { maxDepth: BODY_DISPLAY_MAX_DEPTH, maxChars: BODY_PRETTY_MAX_CHARS });
  return { text: pretty.text, json: true, clipped: pretty.clipped, truncated: false, collapsed: pretty.collapsed, prettyCut: pretty.truncated };
}

/** The authenticated download of a delivery's exact bytes. */
export function deliveryBodyUrl(deliveryId: string): string {
  return `/api/deliveries/${encodeURIComponent(deliveryId)}/body`;
}

/** Schema-drift keys listed in a delivery's views; a body can hold tens of thousands of unknown keys. */
export const DRIFT_KEYS_SHOWN = 100;

/** A stored processing error can join one issue per invalid field of the body: show its start. */
const ERROR_DISPLAY_MAX_CHARS = 2_000;

export function formatDeliveryError(error: string): string {
  return error.length > ERROR_DISPLAY_MAX_CHARS ? `${error.slice(0, ERROR_DISPLAY_MAX_CHARS)}… (${error.length.toLocaleString("en-GB")} characters)` : error;
}
