// Prisma's CLI insists on a native schema-engine binary even for `generate`, which only
// needs the wasm formatter. The binary host is unreachable offline, so point the CLI at
// any existing executable; generation itself never runs it.
import { spawnSync } from "node:child_process";

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const result = spawnSync("npx", ["--no-install", "prisma", "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
