import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as timelineRoute } from "@/app/api/candidates/[id]/timeline/route";
import { GET as exportDeliveriesRoute } from "@/app/api/deliveries/export.csv/route";
import { GET as exportEventsRoute } from "@/app/api/events/export.csv/route";
import { setExportHooks } from "@/lib/api/export";
import { EVENT_COLUMNS } from "@/lib/csv/events";
import { setDb } from "@/lib/db/client";
import { adminHeaders, BASE, call, routes, sendWebhook } from "../helpers/api";
import { readFixture } from "../helpers/fixtures";
import { createTestDb, type DbKind, type TestDb } from "../helpers/test-db";

type Json = Record<string, any>;
const kinds: DbKind[] = ["pglite", "postgres"];

const awkwardNames = [
  { first: '=HYPERLINK("http://evil.example","click")', last: "Formula" },
  { first: 'Doe, "Jo"', last: "Two\r\nLines\nand\rCR" },
  { first: "👩‍💻 Zoë", last: "🎉" },
  { first: "نور", last: "الهدى" },
  { first: "+1 555", last: "-dash @at" },
];

const idibuCreate = (): Json => JSON.parse(readFixture("idibu", "fixtures/candidate-create.json").toString());
const greenhouseStage = (): Json => JSON.parse(readFixture("greenhouse", "fixtures/candidate-stage-change.json").toString().replace(": 00000", ': "00000"'));

function guard(text: string | null): string {
  if (text === null) return "";
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Calls an export route; returns the raw bytes, the text (BOM kept) and the parsed records. */
async function exportCsv(route: typeof exportEventsRoute, path: string, init: { auth?: boolean; signal?: AbortSignal } = {}) {
  const request = new Request(`${BASE}${path}`, { headers: init.auth === false ? {} : adminHeaders, signal: init.signal });
  const response = await route(request);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let records: Record<string, string>[] = [];
  let json: Json | null = null;
  if (response.headers.get("content-type")?.startsWith("text/csv")) records = parse(text, { bom: true, columns: true, record_delimiter: "\r\n" });
  else json = JSON.parse(text);
  return { response, bytes, text, records, json };
}

async function allEvents(query = ""): Promise<Json[]> {
  const res = await routes.listEvents(`?limit=500${query ? `&${query}` : ""}`);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  expect(res.json.nextCursor).toBeNull();
  return res.json.events;
}

async function timelineOf(id: string): Promise<Json[]> {
  const res = await call(timelineRoute as never, "GET", `/api/candidates/${id}/timeline?limit=200`, { params: { id } });
  expect(res.status).toBe(200);
  return res.json.events;
}

describe.each(kinds)("CSV export through the real routes on %s", (kind) => {
  let t: TestDb;
  const ep: Record<string, { id: string; secret: string | null; name: string }> = {};

  beforeAll(async () => {
    t = await createTestDb(kind);
    setDb(t.db);
    for (const [provider, name] of [
      ["idibu", 'idibu, "main"'],
      ["greenhouse", "=cmd|' /C calc'!A0"],
    ] as const) {
      const res = await routes.createEndpoint({ provider, name });
      expect(res.status).toBe(201);
      ep[provider] = { id: res.json.id, secret: res.json.secret, name };
    }
    // Five idibu candidates with awkward names, three snapshots each (stage and the signed link change).
    for (const [i, n] of awkwardNames.entries()) {
      for (const [k, stage] of ["Applicants", "Shortlisted", "Interview"].entries()) {
        const body = idibuCreate();
        body.payload.id = `exp${i}`;
        body.payload.firstname = n.first;
        body.payload.lastname = n.last;
        body.payload.email = `c${i}@example.com`;
        body.payload.vacancies[0].status.label = stage;
        body.payload.attachments[0].file_link = `https://v3.idibu.com/c/cloud/get-file/SIG-${k}/id/67890`;
        if (k === 2) body.payload.comms_status = "interviewing";
        body["payload-information"].timestamp = `2026-01-0${1 + k}T0${i}:00:00+00:00`;
        body["payload-information"].webhook_event = k === 0 ? "candidate.create" : "candidate.update";
        const res = await sendWebhook(ep.idibu.id, JSON.stringify(body), { headers: { "x-idibu-delivery": crypto.randomUUID() } });
        expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
      }
    }
    // A Greenhouse candidate moving through three stages (out of order).
    for (const [stage, at] of [
      ["Onsite", "2026-02-12T10:00:00Z"],
      ["Application Review", "2026-02-01T10:00:00Z"],
      ["Phone Screen", "2026-02-05T10:00:00Z"],
    ]) {
      const body = greenhouseStage();
      body.payload.application.current_stage.name = stage;
      body.payload.application.last_activity_at = at;
      const res = await sendWebhook(ep.greenhouse.id, JSON.stringify(body), { sign: { provider: "greenhouse", secret: ep.greenhouse.secret } });
      expect(res.json.status, JSON.stringify(res.json)).toBe("processed");
    }
  }, 120_000);

  afterAll(async () => {
    setExportHooks({});
    setDb(undefined);
    await t?.drop();
  });

  it("exports every event, parsed back equal to the database, with the timeline's stages and changed fields", async () => {
    const { response, records, text } = await exportCsv(exportEventsRoute, "/api/events/export.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain('filename="events-all.csv"');
    expect(text.startsWith(`${EVENT_COLUMNS.join(",")}\r\n`)).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(Object.keys(records[0])).toEqual([...EVENT_COLUMNS]);

    const events = await allEvents();
    expect(records.map((r) => r.event_id)).toEqual(events.map((e) => e.id));
    const timelines = new Map<string, Json>();
    for (const candidateId of new Set(events.map((e) => e.candidateId))) {
      for (const e of await timelineOf(candidateId)) timelines.set(e.id, e);
    }
    const candidates = (await routes.listCandidates("?limit=200")).json.candidates as Json[];
    const externalIds = new Map(candidates.map((c) => [c.id, c.externalId]));

    for (const [i, r] of records.entries()) {
      const e = events[i];
      const tl = timelines.get(e.id)!;
      expect(r).toEqual({
        event_id: e.id,
        occurred_at: e.occurredAt,
        received_at: e.receivedAt,
        provider: e.provider,
        endpoint: guard(e.provider === "idibu" ? ep.idibu.name : ep.greenhouse.name),
        event_type: e.type,
        candidate_id: e.candidateId,
        candidate_external_id: externalIds.get(e.candidateId),
        candidate_name: guard(e.candidateName),
        candidate_email: guard(e.candidateEmail),
        job_id: guard(e.jobId),
        job_title: guard(e.jobTitle),
        stage_from: guard(tl.stage?.from ?? null),
        stage_to: guard(tl.stage?.to ?? null),
        actor: guard(e.actor),
        changed_fields: [...new Set((tl.changes as Json[]).map((c) => c.path))].join("; "),
        delivery_id: e.deliveryId,
      });
    }
    // The awkward names survive byte for byte (formula ones behind a quote mark).
    const names = new Set(records.map((r) => r.candidate_name));
    expect(names).toContain(`'=HYPERLINK("http://evil.example","click") Formula`);
    expect(names).toContain('Doe, "Jo" Two\r\nLines\nand\rCR');
    expect(names).toContain("👩‍💻 Zoë 🎉");
    expect(names).toContain("نور الهدى");
    expect(names).toContain("'+1 555 -dash @at");
    // Diffs are there, bookkeeping (the signed link) is not.
    const changed = records.map((r) => r.changed_fields).join("\n");
    expect(changed).toContain("vacancies[id=98765].status.label");
    expect(changed).not.toContain("file_link");
    expect(records.filter((r) => r.stage_from === "Phone Screen" && r.stage_to === "Onsite")).toHaveLength(1);
  });

  it("guards formula cells and keeps the ISO times unguarded", async () => {
    const { text, records } = await exportCsv(exportEventsRoute, "/api/events/export.csv?q=formula");
    expect(records).toHaveLength(3);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"") Formula"`);
    for (const r of records) expect(r.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("writes the header row alone when nothing matches", async () => {
    const { response, text, records } = await exportCsv(exportEventsRoute, "/api/events/export.csv?provider=outhire");
    expect(response.status).toBe(200);
    expect(text).toBe(`${EVENT_COLUMNS.join(",")}\r\n`);
    expect(records).toEqual([]);
    expect(response.headers.get("content-disposition")).toContain('filename="events-outhire.csv"');
  });

  it("starts with a UTF-8 BOM when asked", async () => {
    const { bytes, records } = await exportCsv(exportEventsRoute, "/api/events/export.csv?bom=1&provider=greenhouse");
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(records).toHaveLength(3);
    const plain = await exportCsv(exportEventsRoute, "/api/events/export.csv?provider=greenhouse");
    expect(plain.bytes[0]).toBe("e".charCodeAt(0));
  });

  it("applies the same filters as GET /api/events (which honours q, stage and job too)", async () => {
    const idibuCandidate = (await routes.listCandidates("?q=exp2")).json.candidates[0];
    const queries = [
      "provider=idibu",
      "type=stage_changed",
      `candidateId=${idibuCandidate.id}`,
      `endpointId=${ep.greenhouse.id}`,
      "q=ZOË",
      "q=_",
      "q=%25",
      "q=exp_",
      "q=Doe%2C%20%22Jo",
      "q=c3%40example",
      "q=exp4",
      "stage=Interview",
      "stage=Onsite&job=Designer",
      "stage=Onsite&job=Accountant",
      "job=Recruitment%20Consultant",
      "deleted=exclude",
      "deleted=only",
      "from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z",
      "provider=idibu&type=updated&from=2026-01-02T00:00:00Z",
    ];
    const counts: Record<string, number> = {};
    for (const q of queries) {
      const listed = await allEvents(q);
      const { response, records } = await exportCsv(exportEventsRoute, `/api/events/export.csv?${q}`);
      expect(response.status, q).toBe(200);
      expect(records.map((r) => r.event_id), q).toEqual(listed.map((e) => e.id));
      counts[q] = records.length;
    }
    expect(counts).toMatchObject({
      "provider=idibu": 15,
      [`candidateId=${idibuCandidate.id}`]: 3,
      [`endpointId=${ep.greenhouse.id}`]: 3,
      "q=ZOË": 3,
      // LIKE wildcards match themselves.
      "q=_": 0,
      "q=%25": 0,
      "q=exp_": 0,
      "q=Doe%2C%20%22Jo": 3,
      "q=c3%40example": 3,
      "q=exp4": 3,
      "stage=Interview": 15,
      "stage=Onsite&job=Designer": 3,
      "stage=Onsite&job=Accountant": 0,
      "job=Recruitment%20Consultant": 15,
      "deleted=only": 0,
      "from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z": 5,
    });
    // A filtered export diffs against the whole history, not just the exported events.
    const updates = await exportCsv(exportEventsRoute, "/api/events/export.csv?provider=idibu&type=updated");
    const all = await exportCsv(exportEventsRoute, "/api/events/export.csv?provider=idibu");
    const full = new Map(all.records.map((r) => [r.event_id, r.changed_fields]));
    for (const r of updates.records) expect(r.changed_fields).toBe(full.get(r.event_id));
  });

  it("names the file after what was exported", async () => {
    const { response } = await exportCsv(exportEventsRoute, "/api/events/export.csv?provider=greenhouse&type=stage_changed&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z");
    expect(response.headers.get("content-disposition")).toContain('filename="events-greenhouse-stage_changed-2026-01-01_2026-02-01.csv"');
    const candidate = (await routes.listCandidates("?q=exp1")).json.candidates[0];
    const one = await exportCsv(exportEventsRoute, `/api/events/export.csv?candidateId=${candidate.id}`);
    expect(one.response.headers.get("content-disposition")).toContain('filename="events-idibu-candidate-exp1.csv"');
  });

  it("answers 400 with the zod issues for bad parameters, 401 without a token", async () => {
    const bad = await exportCsv(exportEventsRoute, "/api/events/export.csv?type=exploded");
    expect(bad.response.status).toBe(400);
    expect(bad.json!.issues[0].path).toEqual(["type"]);
    expect((await exportCsv(exportEventsRoute, "/api/events/export.csv?limit=5")).response.status).toBe(400);
    expect((await exportCsv(exportEventsRoute, "/api/events/export.csv?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")).response.status).toBe(400);
    expect((await exportCsv(exportDeliveriesRoute, "/api/deliveries/export.csv?status=nope")).response.status).toBe(400);
    expect((await exportCsv(exportEventsRoute, "/api/events/export.csv", { auth: false })).response.status).toBe(401);
  });

  it("stops querying when the client cancels the download", async () => {
    const queries: string[] = [];
    setExportHooks({ pageSize: 2, onQuery: (q) => queries.push(q) });
    try {
      const response = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv`, { headers: adminHeaders }));
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain("event_id,");
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 200));
      const pages = queries.filter((q) => q === "page").length;
      // 18 events in pages of 2 would be 10 page reads; the first page and at most one read ahead happened.
      expect(pages).toBeLessThanOrEqual(2);

      queries.length = 0;
      const controller = new AbortController();
      const aborted = await exportEventsRoute(new Request(`${BASE}/api/events/export.csv`, { headers: adminHeaders, signal: controller.signal }));
      const reader2 = aborted.body!.getReader();
      await reader2.read();
      controller.abort();
      await new Promise((r) => setTimeout(r, 200));
      expect(queries.filter((q) => q === "page").length).toBeLessThanOrEqual(2);

      // Uninterrupted, the same small pages give every row.
      const whole = await exportCsv(exportEventsRoute, "/api/events/export.csv");
      expect(whole.records).toHaveLength(18);
    } finally {
      setExportHooks({});
    }
  });

  it("exports the delivery log without signatures, with bodies only when asked", async () => {
    const { response, records } = await exportCsv(exportDeliveriesRoute, "/api/deliveries/export.csv");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain('filename="deliveries-all.csv"');
    expect(records).toHaveLength(18);
    expect(Object.keys(records[0])).not.toContain("body");
    const listed = (await routes.listDeliveries("?limit=200")).json.deliveries as Json[];
    expect(records.map((r) => r.delivery_id)).toEqual(listed.map((d) => d.id));
    for (const r of records) {
      const headers = JSON.parse(r.headers);
      expect(Object.keys(headers).some((h) => /signature|authorization/i.test(h)), r.headers).toBe(false);
      expect(r.status).toBe("processed");
      expect(Number(r.body_bytes)).toBeGreaterThan(100);
    }
    expect(records.find((r) => r.provider === "greenhouse")!.endpoint).toBe(`'=cmd|' /C calc'!A0`);

    const withBodies = await exportCsv(exportDeliveriesRoute, `/api/deliveries/export.csv?body=1&endpointId=${ep.idibu.id}`);
    expect(withBodies.records).toHaveLength(15);
    expect(withBodies.response.headers.get("content-disposition")).toContain("with-bodies");
    const body = JSON.parse(withBodies.records.find((r) => r.body.includes("Zo"))!.body);
    expect(body.payload.firstname).toBe("👩‍💻 Zoë");
    const none = await exportCsv(exportDeliveriesRoute, "/api/deliveries/export.csv?status=failed");
    expect(none.records).toEqual([]);
    expect(none.text.split("\r\n")[0]).toContain("delivery_id,received_at");
  });
});
