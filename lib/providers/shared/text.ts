import type { z } from "zod";

/** The first few zod issues as one line a person can act on: `payload.candidate.id: candidate id is missing`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`)
    .join("; ");
}

function formatIssuePath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), "") || "body";
}

/** A person's name from its parts, blanks left out; null when nothing is left. */
export function joinName(parts: Array<string | null | undefined>): string | null {
  const name = parts
    .filter((part): part is string => typeof part === "string" && part.trim() !== "")
    .map((part) => part.trim())
    .join(" ");
  return name === "" ? null : name;
}
