/**
 * Field-level history: the types shared by the diff engine (./diff.ts) and the per-provider
 * configurations (lib/providers/<provider>/history.ts).
 *
 * ## Path format (Change.path)
 *
 * A path is read left to right from the snapshot root; the root itself is the empty path "".
 *
 *   - Object key:      `first_name`, `status.label`. Keys made only of letters, digits, `_`, `$` and `-`
 *                      are written bare (joined with `.`); any other key, including the empty key, is
 *                      written as a JSON string in brackets: `cf["Notice period"]`, `meta["a.b"]`.
 *   - Record in an array matched by identity: `[field=value]`, composite keys as
 *                      `[field=value,field=value]` in the configured key order:
 *                      `vacancies[id=98765].status.label`,
 *                      `email_addresses[value=a@b.com,type=work]`.
 *                      A value is written bare unless it is empty, has leading/trailing white space,
 *                      contains one of `[ ] = , " \` or a control character, or is a string that reads
 *                      `null`, `true` or `false`; then it is a JSON string: `[value="a,b",type=null]`.
 *                      A missing or null part of a composite key is written `null`.
 *                      Numbers and numeric strings render the same (`id=5` for both 5 and "5"), and
 *                      two records are the same record exactly when their selectors render the same.
 *   - Duplicate identities: the n-th (n ≥ 2) record with an identity already seen in the same array
 *                      gets `,#=n`: `[id=5,#=2]`. Occurrences are paired in document order (the 2nd
 *                      `id=5` before ↔ the 2nd `id=5` after).
 *   - Position (no identity, or configured `ordered`): `[0]`, `educations[0].degree`.
 *   - Element of an array compared as a (multi)set: `[]` — `tags[]`; the element is the change's
 *                      `before` (removed) or `after` (added).
 *
 * ## Pattern syntax (HistoryConfig.arrayKeys keys and HistoryConfig.noise)
 *
 * A pattern is a path whose array levels are written `[]` (no selector), plus two wildcards:
 *   - `*`  one object key, any name (not an array level): `*.updated_at`
 *   - `**` any run of segments — keys and array levels — including none: `**.updated_at` matches
 *          `updated_at`, `education[id=5].updated_at` and `projects[id=3].technologies[id=9].updated_at`.
 *   - `[]` exactly one array level, whatever the selector (`[id=5]`, `[0]`, `[]`, `[id=5,#=2]`).
 * Keys are written as in paths (bare, or `["json string"]`); a literal `*` key is `["*"]`.
 *
 * `arrayKeys` patterns name the array itself: `"vacancies"`, `"projects[].technologies"`.
 * `noise` patterns flag a change when they match its path or any ancestor of it (so `resume_data`
 * also flags `resume_data.skills[]`).
 */

export type ChangeKind = "added" | "removed" | "changed";

export interface Change {
  path: string;
  kind: ChangeKind;
  /** The value before; `undefined` for `added`. References into the input, not copies. */
  before: unknown;
  /** The value after; `undefined` for `removed`. References into the input, not copies. */
  after: unknown;
  /** Bookkeeping (timestamps, signed URLs…): kept, hidden by default in the UI. */
  noise: boolean;
}

/**
 * How the records of one array are matched between two snapshots:
 *   - `string[]`  identity fields; several fields form a composite key (all must be scalar or
 *                 missing/null, at least one non-null). When some element has no such identity the
 *                 array falls back to the default below.
 *   - `"set"`     a multiset of elements: order is ignored, each element is `added`/`removed` at `path[]`
 *                 (records in a set are compared whole).
 *   - `"ordered"` by position: `path[0]`, `path[1]`…
 * Default when no pattern matches: arrays made only of scalars are multisets; arrays made only of
 * records are matched by `id` when every record has a non-null scalar `id`, else by `external_id`
 * likewise, else by position; anything else (mixed, nested arrays) by position.
 */
export type ArrayStrategy = string[] | "set" | "ordered";

export interface HistoryConfig {
  /** Keyed by array pattern (see above), e.g. `"vacancies"`, `"projects[].technologies"`. */
  arrayKeys: Record<string, ArrayStrategy>;
  /** Patterns of bookkeeping paths, e.g. `"**.updated_at"`, `"attachments[].file_link"`. */
  noise: string[];
  /**
   * Provider events whose snapshot carries only some of the candidate's fields (Outhire's
   * stage_changed, Greenhouse's delete/merge `person`). Their absent fields are unknown, not removed:
   * the history merges them over the known state instead of replacing it.
   */
  partialSnapshots?: string[];
}

export interface DiffOptions {
  /**
   * Paths deeper than this many segments are not descended: a difference below the cut is reported
   * as one `changed` at the cut with both whole values. Default 64.
   */
  maxDepth?: number;
}

/** An event's place in a candidate's history: (occurred, received, id) orders it. */
export interface EventKey {
  occurredAt: Date;
  receivedAt: Date;
  id: string;
}

/** A stage the event states for one job, with the job's stage just before it in history order (a row of the event_stages query). */
export interface StageTransition {
  event_id: string;
  job_key: string;
  job_title: string | null;
  stage: string;
  prev_stage: string | null;
}
