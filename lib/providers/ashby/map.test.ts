import { describe, expect, it } from "vitest";
import { computeChanges } from "../../history/build-timeline";
import { ashbyHistory } from "./history";
import { mapAshbyBody } from "./map";

const application = (extra: Record<string, unknown> = {}) => ({
  id: "app-1",
  updatedAt: "2026-03-11T10:00:00.000Z",
  status: "Active",
  candidate: { id: "cand-1", name: " Ada Lovelace ", primaryEmailAddress: { value: "ada@example.com", type: "Work", isPrimary: true } },
  currentInterviewStage: { id: "s2", title: "Recruiter Screen", type: "Active", orderInInterviewPlan: 1, interviewPlanId: "p" },
  job: { id: "job-1", title: "Staff Engineer" },
  ...extra,
});
const envelope = (action: string, data: unknown) => ({ webhookActionId: "act-1", action, data });

function only(result: ReturnType<typeof mapAshbyBody>) {
  if (result.status !== "processed") throw new Error(`${result.status}: ${result.status === "failed" ? result.error : result.reason}`);
  return result.events[0];
}

describe("Ashby mapping", () => {
  it("the application's updatedAt is the event time; without it the received time stands in", () => {
    expect(only(mapAshbyBody(envelope("applicationUpdate", { application: application() }))).occurredAt?.toISOString()).toBe("2026-03-11T10:00:00.000Z");
    expect(only(mapAshbyBody(envelope("applicationUpdate", { application: application({ updatedAt: null }) }))).occurredAt).toBeNull();
  });

  it("submit is applied in its first stage; a stage change names only the new stage (the previous one is the history's)", () => {
    const submitted = only(mapAshbyBody(envelope("applicationSubmit", { application: application({ currentInterviewStage: { title: "Application Review" } }) })));
    expect(submitted).toMatchObject({ type: "applied", stage: { from: null, to: "Application Review" }, applicationId: "app-1", job: { id: "job-1", title: "Staff Engineer" } });
    expect(submitted.candidate).toEqual({ externalId: "cand-1", name: "Ada Lovelace", email: "ada@example.com" });
    expect(only(mapAshbyBody(envelope("candidateStageChange", { application: application() })))).toMatchObject({ type: "stage_changed", stage: { from: null, to: "Recruiter Screen" } });
    expect(only(mapAshbyBody(envelope("applicationUpdate", { application: application() }))).stage).toBeNull();
  });

  it("a move into an Archived stage is a rejection with its reason; a hire carries the offer", () => {
    const archived = only(mapAshbyBody(envelope("candidateStageChange", { application: application({ status: "Archived", archiveReason: { text: "Withdrew" } }) })));
    expect(archived).toMatchObject({ type: "rejected", details: { archiveReason: "Withdrew" } });
    // The application's status is stated as the job's: an un-archived application (Active again) is open.
    expect(archived.details).toMatchObject({ status: "Archived", application: { status: "rejected" } });
    const reopened = only(mapAshbyBody(envelope("applicationUpdate", { application: application({ status: "Active" }) })));
    expect(reopened).toMatchObject({ type: "updated", details: { status: "Active", application: { status: "active" } } });
    expect(only(mapAshbyBody(envelope("applicationUpdate", { application: application({ status: "Lead" }) }))).details).not.toHaveProperty("application");
    expect(only(mapAshbyBody(envelope("applicationUpdate", { application: application({ status: "toString" }) }))).details).not.toHaveProperty("application");
    const offer = { id: "o1", acceptanceStatus: "Accepted", decidedAt: "2026-03-10T00:00:00Z", latestVersion: { startDate: "2026-04-01T00:00:00Z", salary: { currencyCode: "EUR", value: 90000 } } };
    const hired = only(mapAshbyBody(envelope("candidateHire", { application: application({ status: "Hired" }), offer })));
    expect(hired).toMatchObject({ type: "hired", details: { offer: { id: "o1", acceptanceStatus: "Accepted", startDate: "2026-04-01T00:00:00Z", salary: { currencyCode: "EUR", value: 90000 } } } });
  });

  it("delete names the candidate; merge folds the deleted candidate into the survivor", () => {
    expect(only(mapAshbyBody(envelope("candidateDelete", { candidate: { id: "cand-1" } })))).toMatchObject({ type: "deleted", candidate: { externalId: "cand-1" }, occurredAt: null });
    const merged = only(mapAshbyBody(envelope("candidateMerge", { deletedCandidate: { id: "cand-1" }, mergedCandidate: { id: "cand-2" } })));
    expect(merged).toMatchObject({ type: "merged", candidate: { externalId: "cand-1" }, details: { newCandidateId: "cand-2" } });
    expect(mapAshbyBody(envelope("candidateMerge", { deletedCandidate: { id: "cand-1" } }))).toMatchObject({ status: "failed" });
  });

  it("delete and merge carry no snapshot: the timeline does not show the application's id changing to the candidate's", () => {
    const updated = only(mapAshbyBody(envelope("applicationUpdate", { application: application() })));
    const deleted = only(mapAshbyBody(envelope("candidateDelete", { candidate: { id: "cand-1" } })));
    const merged = only(mapAshbyBody(envelope("candidateMerge", { deletedCandidate: { id: "cand-1" }, mergedCandidate: { id: "cand-2" } })));
    expect([deleted.snapshot, merged.snapshot]).toEqual([null, null]);
    const events = [updated, deleted, merged].map((e, i) => ({ id: `e${i}`, providerEvent: e.providerEvent, snapshot: e.snapshot ?? null, details: e.details }));
    const changes = computeChanges(events as never, undefined, ashbyHistory);
    expect(changes.get("e1")).toEqual({ changes: [], basis: "none" });
    expect(changes.get("e2")).toEqual({ changes: [], basis: "none" });
  });

  it("ping is acknowledged and ignored; other documented and unknown actions are ignored; a missing candidate id fails", () => {
    expect(mapAshbyBody({ action: "ping", data: { webhookActionType: "ping" } })).toMatchObject({ status: "ignored", providerEvent: "ping" });
    expect(mapAshbyBody(envelope("offerUpdate", {}))).toMatchObject({ status: "ignored" });
    const unknown = mapAshbyBody(envelope("somethingNew", {}));
    if (unknown.status === "ignored") expect(unknown.reason).toMatch(/^not understood/);
    expect(unknown.status).toBe("ignored");
    expect(mapAshbyBody(envelope("applicationUpdate", { application: application({ candidate: { name: "x" } }) }))).toMatchObject({ status: "failed" });
    expect(mapAshbyBody("x")).toMatchObject({ status: "failed" });
  });
});
