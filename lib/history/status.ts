/**
 * Application status per job and per candidate. Derived in the database from the events, under the
 * candidate's lock (SQL functions event_job_status, stage_name_status, candidate_job_statuses,
 * candidate_status_rule and save_processing_outcomes; migrations 20261202101600_status_and_derived_stage_moves
 * and 20261204160000_save_writes_differences; rules in the README's "Status").
 */
export const jobStatuses = ["active", "hired", "rejected", "withdrawn"] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const candidateStatuses = [...jobStatuses, "deleted", "merged"] as const;
export type CandidateStatus = (typeof candidateStatuses)[number];

/** A status at which the stage clock stops: the application is over. */
export function isClosedStatus(status: string): boolean {
  return status === "hired" || status === "rejected" || status === "withdrawn";
}
