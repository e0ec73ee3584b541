import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/lib/db/client";
import { applyMigrations, migrationsDir } from "@/lib/db/migrations";

/** The People migration; candidates stored before it are linked by email when it runs. */
const PEOPLE = "20261202160702_people";

describe("the People migration links candidates stored before it by email (PGlite)", () => {
  let db: Db;
  let oldMigrations: string;

  beforeAll(async () => {
    oldMigrations = mkdtempSync(path.join(tmpdir(), "ch-migrations-"));
    cpSync(path.join(migrationsDir, "migration_lock.toml"), path.join(oldMigrations, "migration_lock.toml"));
    for (const name of readdirSync(migrationsDir).filter((n) => n < PEOPLE && n !== "migration_lock.toml")) {
      cpSync(path.join(migrationsDir, name), path.join(oldMigrations, name), { recursive: true });
    }
    db = openDb({});
    await applyMigrations({ adapterFactory: db.adapterFactory, dir: oldMigrations });
    await db.sql.query({
      text: `INSERT INTO candidates (id, provider, external_id, name, email, first_seen_at, last_event_at, status, updated_at) VALUES
        ('c1', 'greenhouse', 'g1', 'Ada Lovelace', ' Ada@Example.com', '2026-01-01', '2026-01-05', 'active', now()),
        ('c2', 'talview', 't1', 'Ada L.', 'ada@example.com', '2026-01-02', '2026-01-09', 'hired', now()),
        ('c3', 'outhire', 'o1', 'Grace Hopper', 'grace@example.com', '2026-01-03', '2026-01-04', 'rejected', now()),
        ('c4', 'lever', 'l1', NULL, NULL, '2026-01-03', '2026-01-03', 'active', now())`,
    });
    // Now the People migration, on the data the earlier version stored.
    await applyMigrations({ adapterFactory: db.adapterFactory, dir: migrationsDir });
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    if (oldMigrations) rmSync(oldMigrations, { recursive: true, force: true });
  });

  it("gives every candidate a person, groups equal normalized emails, and derives name, status and last event", async () => {
    const rows = await db.sql.query<{ candidate_id: string; person_id: string; reason: string }>({
      text: "SELECT candidate_id, person_id, reason FROM person_members ORDER BY candidate_id",
    });
    expect(rows.map((r) => r.candidate_id)).toEqual(["c1", "c2", "c3", "c4"]);
    const personOf = Object.fromEntries(rows.map((r) => [r.candidate_id, r.person_id]));
    expect(personOf.c1).toBe(personOf.c2);
    expect(new Set([personOf.c1, personOf.c3, personOf.c4]).size).toBe(3);
    expect(rows.filter((r) => r.person_id === personOf.c1).map((r) => r.reason).sort()).toEqual(["email", "new"]);

    const [ada] = await db.sql.query<{ name: string; status: string; last_event_at: Date }>({
      text: "SELECT name, status, last_event_at FROM people WHERE id = $1",
      params: [personOf.c1],
    });
    expect(ada.status).toBe("hired");
    expect(ada.name).toBe("Ada L.");
    expect(new Date(ada.last_event_at).toISOString()).toBe("2026-01-09T00:00:00.000Z");
    expect((await db.sql.query({ text: "SELECT id FROM people" })).length).toBe(3);
  });
});
