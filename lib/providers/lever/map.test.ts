import { describe, expect, it } from "vitest";
import { mapLeverBody } from "./map";

const opportunityId = "3410c8b9-5c31-4bab-b7e9-9f710206d647";
const envelope = (event: string, data: unknown) => ({ triggeredAt: 1431454330072, event, data, token: "t", signature: "s" });

function only(result: ReturnType<typeof mapLeverBody>) {
  if (result.status !== "processed") throw new Error(`${result.status}: ${result.status === "failed" ? result.error : result.reason}`);
  return result.events[0];
}

describe("Lever mapping (thin events: ids only)", () => {
  it("triggeredAt in milliseconds is the event time; without it the received time stands in", () => {
    expect(only(mapLeverBody(envelope("candidateHired", { opportunityId }))).occurredAt?.toISOString()).toBe("2015-05-12T18:12:10.072Z");
    const { triggeredAt: _dropped, ...timeless } = envelope("candidateHired", { opportunityId });
    expect(only(mapLeverBody(timeless)).occurredAt).toBeNull();
  });

  it("a stage change moves between stage ids, which the timeline shows until the stages are named", () => {
    const event = only(mapLeverBody(envelope("candidateStageChange", { opportunityId, fromStageId: "lead-new", toStageId: "phone-screen" })));
    expect(event).toMatchObject({ type: "stage_changed", stage: { from: "lead-new", to: "phone-screen" }, job: null });
    expect(mapLeverBody(envelope("candidateStageChange", { opportunityId, fromStageId: "a" }))).toMatchObject({ status: "failed" });
  });

  it("archived is a rejection (with the archive reason id), unarchived an unrejection, a missing state a clear failure", () => {
    const archived = only(mapLeverBody(envelope("candidateArchiveChange", { opportunityId, toArchived: { archivedAt: 1, reason: "reason-1" } })));
    expect(archived).toMatchObject({ type: "rejected", details: { archiveReasonId: "reason-1" } });
    expect(only(mapLeverBody(envelope("candidateArchiveChange", { opportunityId, fromArchived: { archivedAt: 1 }, toArchived: null }))).type).toBe("unrejected");
    const missing = mapLeverBody(envelope("candidateArchiveChange", { opportunityId }));
    expect(missing).toMatchObject({ status: "failed" });
    if (missing.status === "failed") expect(missing.error).toMatch(/toArchived/);
  });

  it("applied, hired and deleted map to the normalized types the candidate status reads", () => {
    expect(only(mapLeverBody(envelope("applicationCreated", { opportunityId, applicationId: "app-1" })))).toMatchObject({ type: "applied", applicationId: "app-1" });
    expect(only(mapLeverBody(envelope("candidateHired", { opportunityId }))).type).toBe("hired");
    expect(only(mapLeverBody(envelope("candidateDeleted", { opportunityId, deletedBy: "user-1" })))).toMatchObject({ type: "deleted", details: { deletedBy: "user-1" } });
  });

  it("the candidate is its opportunity id (legacy candidateId when that is all there is), with no name or email", () => {
    expect(only(mapLeverBody(envelope("candidateHired", { opportunityId, candidateId: "legacy", contactId: "c" }))).candidate).toEqual({ externalId: opportunityId, name: null, email: null });
    expect(only(mapLeverBody(envelope("candidateHired", { candidateId: "legacy" }))).candidate.externalId).toBe("legacy");
  });

  it("the settings page's test request is acknowledged and ignored; interview, contact and unknown events are ignored; no id at all fails", () => {
    expect(mapLeverBody(envelope("candidateHired", {}))).toMatchObject({ status: "ignored" });
    expect(mapLeverBody(envelope("interviewCreated", { opportunityId }))).toMatchObject({ status: "ignored" });
    const unknown = mapLeverBody(envelope("candidateTeleported", { opportunityId }));
    expect(unknown).toMatchObject({ status: "ignored" });
    if (unknown.status === "ignored") expect(unknown.reason).toMatch(/^not understood/);
    expect(mapLeverBody(envelope("candidateHired", { contactId: "c" }))).toMatchObject({ status: "failed" });
    expect(mapLeverBody([1])).toMatchObject({ status: "failed" });
  });
});
