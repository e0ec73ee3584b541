import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { computeChanges, stateFromPredecessors, type HistoryEvent } from "../history/build-timeline";
import { stageOf } from "../history/stage-move";
import type { EventKey, HistoryConfig } from "../history/types";
import { EVENT_COLUMNS, changedFieldPaths, type ExportEvent } from "./events";
import { eventCsvChunks, type EventExportSource } from "./export-events";

const history: HistoryConfig = { arrayKeys: { tags: "set" }, noise: ["updated_at"], partialSnapshots: ["partial"] };
const cmp = (a: EventKey, b: EventKey) =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Candidates with interleaved histories: full, partial and snapshot-less events. */
function makeEvents(): ExportEvent[] {
  const events: ExportEvent[] = [];
  for (let i = 0; i < 60; i++) {
    const c = i % 4;
    const k = Math.floor(i / 4);
    const partial = c === 1 && k % 3 === 2;
    const none = c === 2 && k % 4 === 3;
    events.push({
      id: `ev${String(i).padStart(3, "0")}`,
      type: k === 0 ? "created" : c === 3 ? "stage_changed" : "updated",
      providerEvent: partial ? "partial" : "full",
      provider: "p",
      endpointId: c === 0 ? "ep2" : "ep1",
      endpointName: "Endpoint",
      deliveryId: `dl${i}`,
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      receivedAt: new Date(Date.UTC(2026, 0, 1, 0, i, 5)),
      candidateId: `cand${c}`,
      candidateExternalId: `x${c}`,
      candidateName: `Name ${c}`,
      candidateEmail: null,
      jobId: null,
      jobTitle: null,
      stageFrom: null,
      stageTo: c === 3 ? `Stage ${k}` : null,
      actor: null,
      details: null,
      snapshot: none ? null : partial ? { stage: `S${k}` } : { name: `N${c}`, tags: k % 2 ? ["a", "b"] : ["a"], level: Math.floor(k / 2), stage: `S${k}`, updated_at: `t${i}` },
    });
  }
  return events;
}

function memorySource(all: ExportEvent[], filter: (e: ExportEvent) => boolean, queries: string[]): EventExportSource {
  const newestFirst = [...all].sort((a, b) => cmp(b, a));
  return {
    async page(cursor, take) {
      queries.push("page");
      return newestFirst.filter((e) => filter(e) && (!cursor || cmp(e, cursor) < 0)).slice(0, take);
    },
    async statesBefore(events, historyFor) {
      queries.push("statesBefore");
      const out = new Map<string, unknown>();
      for (const e of events) {
        const preds = newestFirst.filter((p) => p.candidateId === e.candidateId && cmp(p, e as ExportEvent) < 0);
        out.set(e.id, stateFromPredecessors(preds as HistoryEvent[], historyFor(e.provider)).state);
      }
      return out;
    },
    async stageTransitions() {
      queries.push("stageTransitions");
      return [];
    },
  };
}

/** The reference: each candidate's whole history folded oldest first, as a timeline would. */
function expectedChanged(all: ExportEvent[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of new Set(all.map((e) => e.candidateId))) {
    const own = all.filter((e) => e.candidateId === c).sort(cmp);
    for (const [id, ch] of computeChanges(own as HistoryEvent[], undefined, history)) out.set(id, changedFieldPaths(ch.changes).join("; "));
  }
  return out;
}

async function exportAll(source: EventExportSource, contiguous: boolean, pageSize: number) {
  let text = "";
  for await (const chunk of eventCsvChunks(source, { contiguous, pageSize, historyFor: () => history })) text += chunk;
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe("events export generator", () => {
  const all = makeEvents();
  const expected = expectedChanged(all);

  for (const pageSize of [1, 3, 7, 1000]) {
    it(`computes changed fields like the timeline across page boundaries (page size ${pageSize})`, async () => {
      const rows = await exportAll(memorySource(all, () => true, []), true, pageSize);
      expect(rows.map((r) => r.event_id)).toEqual([...all].sort((a, b) => cmp(b, a)).map((e) => e.id));
      for (const r of rows) expect(r.changed_fields, r.event_id).toBe(expected.get(r.event_id) ?? "");
      expect(rows.some((r) => r.changed_fields.includes("tags[]"))).toBe(true);
      expect(rows.some((r) => r.changed_fields.includes("updated_at"))).toBe(false);
    });
  }

  it("diffs each event against the whole history when filters leave events out", async () => {
    const onlyEp1 = (e: ExportEvent) => e.endpointId === "ep1";
    const rows = await exportAll(memorySource(all, onlyEp1, []), false, 4);
    expect(rows.map((r) => r.event_id)).toEqual([...all].filter(onlyEp1).sort((a, b) => cmp(b, a)).map((e) => e.id));
    for (const r of rows) expect(r.changed_fields, r.event_id).toBe(expected.get(r.event_id) ?? "");
  });

  it("writes the header alone when nothing matches", async () => {
    let text = "";
    for await (const chunk of eventCsvChunks(memorySource(all, () => false, []), { contiguous: true })) text += chunk;
    expect(text).toBe(EVENT_COLUMNS.join(",") + "\r\n");
  });

  it("stops reading pages when the consumer stops", async () => {
    const queries: string[] = [];
    const chunks = eventCsvChunks(memorySource(all, () => true, queries), { contiguous: true, pageSize: 2 });
    await chunks.next();
    await chunks.return(undefined);
    // The first page, plus the next one read ahead while the first was written.
    expect(queries.filter((q) => q === "page").length).toBeLessThanOrEqual(2);
  });

  it("shows the stage change as the timeline does", () => {
    const e = { type: "updated", jobId: "j1", stageFrom: null, stageTo: null };
    expect(stageOf(e, [{ event_id: "x", job_key: "j1", job_title: "Dev", stage: "Onsite", prev_stage: "Phone" }])).toEqual({ from: "Phone", to: "Onsite" });
    expect(stageOf(e, [{ event_id: "x", job_key: "j1", job_title: "Dev", stage: "Onsite", prev_stage: "Onsite" }])).toBeNull();
    expect(stageOf({ ...e, type: "stage_changed", stageTo: "Offer" }, [{ event_id: "x", job_key: "j1", job_title: null, stage: "Offer", prev_stage: "Onsite" }])).toEqual({ from: "Onsite", to: "Offer" });
  });
});
