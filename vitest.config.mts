import { configDefaults, defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "tests/**/*.test.ts", "scripts/**/*.test.ts"],
    // The fault suite drives the built app (crash, outage, hostile input, two instances behind
    // nginx): `npm test` runs it after `next build`, with FAULT_TESTS=1.
    // The security suite probes the built app the same way (SECURITY_TESTS=1).
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.FAULT_TESTS ? [] : ["tests/fault/**"]),
      ...(process.env.SECURITY_TESTS ? [] : ["tests/security/**"]),
    ],
    environment: "node",
    setupFiles: ["tests/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites create their own databases; keep files sequential to bound memory on 2 cores.
    fileParallelism: false,
  },
});
