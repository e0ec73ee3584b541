import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Before any module reads the environment: a fixed admin token, a throwaway DATA_DIR, quiet logs.
process.env.ADMIN_TOKEN = "test-admin-token-0123456789";
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "candidate-history-test-"));
process.env.LOG_LEVEL = "silent";
delete process.env.DATABASE_URL;
delete process.env.PUBLIC_URL;
