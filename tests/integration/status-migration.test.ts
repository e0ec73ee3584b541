import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/lib/db/client";
import { applyMigrations, migrationsDir } from "@/lib/db/migrations";

/** The last migration before status and derived stage moves: data stored by that version's ingest. */
const BEFORE = "20261123233000_events_endpoint_no_fk";

const at = (iso: string) => new Date(iso).toISOString();

describe("the status migration sets status and derived stage moves of data stored before it (PGlite)", () => {
  let db: Db;
  let oldMigrations: string;

  beforeAll(async () => {
    oldMigrations = mkdtempSync(path.join(tmpdir(), "ch-migrations-"));
    cpSync(path.join(migrationsDir, "migration_lock.toml"), path.join(oldMigrations, "migration_lock.toml"));
    for (const name of readdirSync(migrationsDir).filter((n) => n <= BEFORE && n !== "migration_lock.toml")) {
      cpSync(path.join(migrationsDir, name), path.join(oldMigrations, name), { recursive: true });
    }
    db = openDb({});
    await applyMigrations({ adapterFactory: db.adapterFactory, dir: oldMigrations });

    // What the previous save_processing_outcomes stored: an idibu candidate whose second update repeats
    // the stage, and a Greenhouse candidate rejected on its job (application.status).
    await db.sql.query({ text: `INSERT INTO endpoints (id, provider, name, created_at, updated_at) VALUES ('ep1', 'idibu', 'x', now(), now()), ('ep2', 'greenhouse', 'y', now(), now())` });
    const deliveries = ["d1", "d2", "d3", "d4"].map((id, i) => ({ id, status: "processed", error: null, event_type: null, schema_drift: null, processed_at: at("2026-01-10T00:00:00Z"), i }));
    for (const d of deliveries) {
      await db.sql.query({
        text: `INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, headers, body, body_sha256, idempotency_key, idempotency_source, status)
               VALUES ($1, $2, $3, now(), 'POST', '{}', '\\x7b7d', 'x', $1, 'test', 'received')`,
        params: [d.id, d.i < 3 ? "ep1" : "ep2", d.i < 3 ? "idibu" : "greenhouse"],
      });
    }
    const event = (id: string, delivery: string, provider: string, candidate: string, type: string, occurred: string, details: unknown, jobId: string) => ({
      id, delivery_id: delivery, seq: 0, endpoint_id: provider === "idibu" ? "ep1" : "ep2", provider, type, provider_event: type, type_inferred: false,
      occurred_at: at(occurred), received_at: at(occurred), candidate_external_id: candidate, candidate_name: null, candidate_email: null,
      job_id: jobId, job_title: "Job", application_id: null, stage_from: null, stage_to: null, actor: null, details, snapshot: { id: candidate },
    });
    const stage = (eventId: string, provider: string, candidate: string, jobKey: string, label: string, occurred: string) => ({
      event_id: eventId, provider, candidate_external_id: candidate, job_key: jobKey, job_title: "Job", stage: label, occurred_at: at(occurred), received_at: at(occurred),
    });
    const events = [
      event("e1", "d1", "idibu", "i1", "created", "2026-01-01T00:00:00Z", null, "v1"),
      event("e2", "d2", "idibu", "i1", "updated", "2026-01-02T00:00:00Z", null, "v1"),
      event("e3", "d3", "idibu", "i1", "updated", "2026-01-03T00:00:00Z", null, "v1"),
      event("e4", "d4", "greenhouse", "g1", "stage_changed", "2026-01-04T00:00:00Z", { application: { status: "rejected" } }, "j1"),
    ];
    const stages = [
      stage("e1", "idibu", "i1", "v1", "Applicants", "2026-01-01T00:00:00Z"),
      stage("e2", "idibu", "i1", "v1", "Interview", "2026-01-02T00:00:00Z"),
      stage("e3", "idibu", "i1", "v1", "Interview", "2026-01-03T00:00:00Z"),
      stage("e4", "greenhouse", "g1", "j1", "Offer", "2026-01-04T00:00:00Z"),
    ];
    const candidates = [
      { id: "c1", provider: "idibu", external_id: "i1", at: at("2026-01-01T00:00:00Z") },
      { id: "c2", provider: "greenhouse", external_id: "g1", at: at("2026-01-04T00:00:00Z") },
    ];
    await db.sql.query({
      text: "SELECT save_processing_outcomes($1::jsonb, $2::jsonb, $3::jsonb, $4::jsonb)",
      params: [JSON.stringify(deliveries.map(({ i: _i, ...d }) => d)), JSON.stringify(candidates), JSON.stringify(events), JSON.stringify(stages)],
    });

    // Then the app is upgraded.
    await applyMigrations({ adapterFactory: db.adapterFactory });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
  });

  it("types the idibu update that moved the stage as a derived stage_changed, and the one that did not as updated", async () => {
    const rows = await db.sql.query<{ id: string; type: string; stage_derived: boolean }>({ text: `SELECT id, type, stage_derived FROM events ORDER BY id` });
    expect(rows).toEqual([
      { id: "e1", type: "created", stage_derived: false },
      { id: "e2", type: "stage_changed", stage_derived: true },
      { id: "e3", type: "updated", stage_derived: false },
      { id: "e4", type: "stage_changed", stage_derived: false },
    ]);
  });

  it("sets each job's and each candidate's status", async () => {
    const candidates = await db.sql.query({ text: `SELECT external_id, status FROM candidates ORDER BY external_id` });
    expect(candidates).toEqual([
      { external_id: "g1", status: "rejected" },
      { external_id: "i1", status: "active" },
    ]);
    const jobs = await db.sql.query<{ job_key: string; status: string; status_since: Date | string }>({ text: `SELECT job_key, status, status_since FROM candidate_stages ORDER BY job_key` });
    expect(jobs.map((j) => [j.job_key, j.status, new Date(j.status_since).toISOString()])).toEqual([
      ["j1", "rejected", "2026-01-04T00:00:00.000Z"],
      ["v1", "active", "2026-01-01T00:00:00.000Z"],
    ]);
  });
});
