/**
 * The stage move of an event, as the timeline shows it, the export writes it (stage_from/stage_to)
 * and the changed-paths fill stores it (derived_stage_*): one rule for the three.
 */
import type { StageTransition } from "./types";

export interface StageMove {
  from: string | null;
  to: string;
}

/** The jobs whose stage the event moved (stated stage differs from the job's previous one), by job id. */
export function stageChanges(transitions: readonly StageTransition[]): (StageMove & { jobId: string | null; jobTitle: string | null })[] {
  return transitions
    .filter((t) => t.prev_stage !== t.stage)
    .map((t) => ({ jobId: t.job_key || null, jobTitle: t.job_title, from: t.prev_stage, to: t.stage }))
    .sort((a, b) => (a.jobId ?? "").localeCompare(b.jobId ?? ""));
}

/**
 * The event's stage move: a stage_changed event's own from/to (its from, when the provider does not
 * send it, from the job's previous stage), else the first job whose stage it moved; null when none.
 */
export function stageOf(
  e: { type: string; jobId: string | null; stageFrom: string | null; stageTo: string | null },
  transitions: readonly StageTransition[],
): StageMove | null {
  if (e.type === "stage_changed" && e.stageTo) {
    const ownJob = transitions.find((t) => t.job_key === (e.jobId ?? ""));
    return { from: e.stageFrom ?? ownJob?.prev_stage ?? null, to: e.stageTo };
  }
  const first = stageChanges(transitions)[0];
  return first ? { from: first.from, to: first.to } : null;
}
