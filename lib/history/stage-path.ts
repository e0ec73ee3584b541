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
}

/**
 * The stage path per job (Applied → Phone screen → Interview …) with the time spent in each stage.
 * Observations must be in history order per job; repeated observations of one stage are one span.
 */
export function buildStagePaths(observations: StageObservation[], now: Date): JobStagePath[] {
  const byJob = new Map<string, JobStagePath>();
  for (const o of observations) {
    let path = byJob.get(o.jobKey);
    if (!path) {
      path = { jobKey: o.jobKey, jobTitle: o.jobTitle, spans: [] };
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
  for (const path of byJob.values()) {
    const current = path.spans.at(-1);
    if (current) current.durationMs = Math.max(0, now.getTime() - current.enteredAt.getTime());
  }
  return [...byJob.values()];
}
