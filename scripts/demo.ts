/**
 * Loads demo data into a running dashboard over HTTP: creates one "(demo)" endpoint per provider
 * through the admin API, then posts ~20 simulated, correctly signed candidate histories to them.
 *   npm run demo -- --url http://localhost:3000 --token <ADMIN_TOKEN>
 */
import { parseArgs } from "node:util";
import { httpEndpointCreator } from "../lib/demo/http-endpoints";
import { runDemo } from "../lib/demo/run-demo";

const usage = `Usage: npm run demo -- [--url <origin>] [--token <admin token>] [--candidates <n>] [--seed <seed>] [--json]

  --url <url>          Dashboard origin (default http://localhost:3000)
  --token <token>      Admin token (default: $ADMIN_TOKEN)
  --candidates <n>     Candidate histories per provider (default 12, starting over four weeks)
  --seed <seed>        Seed for names, ids and times (default: random)
  --json               Print the result as JSON
  -h, --help           Show this help

Exits 1 when any delivery was not accepted or not processed, 2 on a usage error.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: "string", default: "http://localhost:3000" },
      token: { type: "string" },
      candidates: { type: "string", default: "12" },
      seed: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const baseUrl = values.url.replace(/\/+$/, "");
  const token = values.token ?? process.env.ADMIN_TOKEN;
  const candidates = Number(values.candidates);
  const problems = [
    !/^https?:\/\//.test(baseUrl) && `--url must start with http:// or https://, got "${values.url}"`,
    !token && "--token (or ADMIN_TOKEN) is required to create the demo endpoints",
    !(Number.isInteger(candidates) && candidates >= 1 && candidates <= 200) && `--candidates must be a whole number from 1 to 200, got "${values.candidates}"`,
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(`demo: ${problems.join("\ndemo: ")}\nRun with --help for usage.`);
    return 2;
  }

  let done = 0;
  const result = await runDemo({
    baseUrl,
    createEndpoint: httpEndpointCreator(baseUrl, token!),
    candidatesPerProvider: candidates,
    seed: values.seed,
    onResult: () => {
      done++;
      if (!values.json && process.stderr.isTTY) process.stderr.write(`\r${done} deliveries sent`);
    },
  });
  if (!values.json && process.stderr.isTTY) process.stderr.write("\n");

  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`${result.message}\nseed ${result.seed}, histories from ${result.startAt}`);
    for (const run of result.runs) {
      const endpoint = result.endpoints.find((e) => e.id === run.endpointId)!;
      const statuses = Object.entries(run.byStatus).map(([s, n]) => `${s} ${n}`).join(", ");
      console.log(`  ${endpoint.name.padEnd(20)} ${run.endpointId}: ${run.sent} deliveries — ${statuses}`);
      for (const f of run.failures.slice(0, 3)) console.log(`    ✗ ${f.httpStatus ?? "no response"} ${f.label}: ${f.message}`);
    }
    console.log(`Open ${baseUrl}/ to see them.`);
  }
  return result.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usageError = (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}${usageError ? "\nRun with --help for usage." : ""}`);
    process.exitCode = usageError ? 2 : 1;
  },
);
