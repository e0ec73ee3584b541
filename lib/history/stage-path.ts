import { isClosedStatus, jobStatuses, type JobStatus } from "./status";

export interface StageObservation {
  jobKey: string;
  jobTitle: string | null;
  stage: string;
  occurredAt: Date;
}

export interface StageSpan {
  stage: string;
  enteredAt: Date;
  /** null while the candidate is still in this stage. */
  leftAt: Date | null;
  /** Until `leftAt`, or until `now` for the current stage. */
  durationMs: number;
}

export interface JobStagePath {
  jobKey: string;
  jobTitle: string | null;
  spans: StageSpan[];
  status: JobStatus;
  /** When the application was hired, rejected or withdrawn (the current stage's clock stops there); null while open. */
  closedAt: Date | null;
}

/** The job's current status, as candidate_stages keeps it. */
export interface JobStatusRow {
  jobKey: string;
  status: string;
  statusSince: Date | null;
}

/**
 * The stage path per job (Applied → Phone screen → Interview …) with the time spent in each stage.
 * Observations must be in history order per job; repeated observations of one stage are one span.
 * The current stage counts until now, or until the application closed (hired, rejected, withdrawn).
 */
export function buildStagePaths(observations: StageObservation[], now: Date, statuses: JobStatusRow[] = []): JobStagePath[] {
  const byJob = new Map<string, JobStagePath>();
  for (const o of observations) {
    let path = byJob.get(o.jobKey);
    if (!path) {
      path = { jobKey: o.jobKey, jobTitle: o.jobTitle, spans: [], status: "active", closedAt: null };
      byJob.set(o.jobKey, path);
    }
    if (o.jobTitle) path.jobTitle = o.jobTitle;
    const last = path.spans.at(-1);
    if (last && last.stage === o.stage) continue;
    if (last) {
      last.leftAt = o.occurredAt;
      last.durationMs = o.occurredAt.getTime() - last.enteredAt.getTime();
    }
    path.spans.push({ stage: o.stage, enteredAt: o.occurredAt, leftAt: null, durationMs: 0 });
  }
  const statusOf = new Map(statuses.map((s) => [s.jobKey, s]));
  for (const path of byJob.values()) {
    const known = statusOf.get(path.jobKey);
    if (known && (jobStatuses as readonly string[]).includes(known.status)) path.status = known.status as JobStatus;
    if (isClosedStatus(path.status) && known?.statusSince) path.closedAt = known.statusSince;
    const current = path.spans.at(-1);
    const end = path.closedAt ?? now;
    if (current) current.durationMs = Math.max(0, end.getTime() - current.enteredAt.getTime());
  }
  return [...byJob.values()];
}
