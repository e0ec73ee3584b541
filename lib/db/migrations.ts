import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { openSchemaEngine } from "./schema-engine";

export const projectRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
export const schemaPath = path.join(projectRoot, "prisma/schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma/migrations");

const noFilters = { externalTables: [], externalEnums: [] };

/** The committed migrations folder in the shape the engine expects (standard Prisma layout). */
export async function loadMigrationList(dir = migrationsDir) {
  const lockPath = path.join(dir, "migration_lock.toml");
  const entries = existsSync(dir) ? (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()) : [];
  const migrationDirectories = await Promise.all(
    entries
      .map((e) => e.name)
      .sort()
      .map(async (name) => {
        const file = path.join(dir, name, "migration.sql");
        const content = existsSync(file)
          ? ({ tag: "ok", value: await readFile(file, "utf8") } as const)
          : ({ tag: "error", value: `missing ${file}` } as const);
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
  );
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

export interface ApplyMigrationsOptions {
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  dir?: string;
}

/** What `prisma migrate deploy` does: applies pending migrations, recorded in `_prisma_migrations`. */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<string[]> {
  const engine = await openSchemaEngine({ schemaPath, adapterFactory: options.adapterFactory });
  try {
    const migrationsList = await loadMigrationList(options.dir);
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes a database from the committed migrations to the current schema.prisma. */
export async function diffMigrationsToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine({ schemaPath, adapterFactory });
  try {
    const migrationsList = await loadMigrationList();
    const from =
      migrationsList.migrationDirectories.length === 0
        ? ({ tag: "empty" } as const)
        : ({ tag: "migrations", ...migrationsList } as const);
    const result = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? "";
  } finally {
    engine.free();
  }
}
