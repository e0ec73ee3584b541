import type { AnonymizeRequest, ProviderAnonymization } from "../types";

/**
 * Greenhouse `candidate_anonymized` (web hook docs, "Candidate anonymized"): `payload.candidate_id`
 * and `payload.anonymized_fields`, the names of the candidate's fields Greenhouse erased. Those names
 * are Greenhouse's (the Harvest "anonymize candidate" field list), not always the keys of the
 * candidate object in web hook bodies: this maps one to the other. A name not listed here is
 * removed under its own key.
 */
const KEYS: Record<string, string[]> = {
  full_name: ["first_name", "last_name", "name"],
  current_company: ["company"],
  current_title: ["title"],
  tags: ["tags"],
  phone_numbers: ["phone_numbers"],
  email_addresses: ["email_addresses", "email"],
  emails: ["email_addresses", "email"],
  social_media_links: ["social_media_addresses"],
  website_addresses: ["website_addresses"],
  addresses: ["addresses"],
  location: ["addresses", "location"],
  attachments: ["attachments", "photo_url"],
  education: ["educations"],
  employment: ["employments"],
  headline: ["headline"],
  custom_fields: ["custom_fields", "keyed_custom_fields"],
  candidate_custom_fields: ["custom_fields", "keyed_custom_fields"],
  recruiter: ["recruiter", "recruiter_user_id"],
  coordinator: ["coordinator", "coordinator_user_id"],
};

const MARK = "[anonymized]";

export function parseAnonymized(payload: unknown): AnonymizeRequest | string {
  const p = (payload ?? {}) as { candidate_id?: unknown; candidate?: { id?: unknown }; anonymized_fields?: unknown };
  const id = p.candidate_id ?? p.candidate?.id;
  if ((typeof id !== "number" && typeof id !== "string") || String(id).trim() === "") return "payload.candidate_id is missing: cannot tell whose fields were anonymized";
  if (!Array.isArray(p.anonymized_fields) || !p.anonymized_fields.every((f) => typeof f === "string")) {
    return "payload.anonymized_fields is not a list of field names";
  }
  return { externalId: String(id), fields: p.anonymized_fields as string[] };
}

function keysOf(fields: string[]): Set<string> {
  return new Set(fields.flatMap((f) => KEYS[f] ?? [f]));
}

/** The value with its type kept (a reprocess still parses), and marked: strings say `[anonymized]`. */
function blank(value: unknown): unknown {
  if (typeof value === "string") return MARK;
  if (Array.isArray(value)) return [];
  if (value && typeof value === "object") return {};
  return null;
}

function redactCandidate(candidate: unknown, keys: Set<string>): { value: unknown; changed: boolean } {
  if (!candidate || typeof candidate !== "object" || Array.isArray(candidate)) return { value: candidate, changed: false };
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(candidate)) {
    if (keys.has(k) && v !== null && v !== MARK && !(Array.isArray(v) && v.length === 0)) {
      out[k] = blank(v);
      changed = true;
    } else out[k] = v;
  }
  return { value: out, changed };
}

export const greenhouseAnonymization: ProviderAnonymization = {
  redactSnapshot(snapshot, fields) {
    return redactCandidate(snapshot, keysOf(fields)).value;
  },
  redactBody(body, externalId, fields) {
    const payload = (body as { payload?: Record<string, unknown> } | null)?.payload;
    if (!payload || typeof payload !== "object") return null;
    const keys = keysOf(fields);
    const matches = (c: unknown) => c !== null && typeof c === "object" && String((c as { id?: unknown }).id) === externalId;
    let changed = false;
    const next: Record<string, unknown> = { ...payload };
    const application = payload.application as Record<string, unknown> | undefined;
    if (application && typeof application === "object" && matches(application.candidate)) {
      const r = redactCandidate(application.candidate, keys);
      if (r.changed) {
        next.application = { ...application, candidate: r.value };
        changed = true;
      }
    }
    for (const key of ["candidate", "person"] as const) {
      if (!matches(payload[key])) continue;
      const r = redactCandidate(payload[key], keys);
      if (r.changed) {
        next[key] = r.value;
        changed = true;
      }
    }
    return changed ? { ...(body as object), payload: next } : null;
  },
  removesName: (fields) => fields.includes("full_name"),
  removesEmail: (fields) => fields.includes("email_addresses") || fields.includes("emails"),
};
