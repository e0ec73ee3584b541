import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "./http/client-address";

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "DATABASE_URL must start with postgres:// or postgresql://"),
  DATA_DIR: z.string().trim().default("./data"),
  ADMIN_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 16, "ADMIN_TOKEN must be at least 16 characters"),
  /** 32 bytes, base64 or hex: encrypts endpoint secrets at rest. Generated into DATA_DIR when unset. */
  SECRET_KEY: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined)),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Address to listen on; unset → all interfaces. */
  HOST: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined)),
  /**
   * When a webhook is answered: `processed` waits (up to 5 s) to report the processing outcome in
   * the answer; `stored` answers as soon as the raw delivery is committed, the outcome then only
   * on the dashboard. Both acknowledge only stored deliveries.
   */
  WEBHOOK_ANSWER: z.enum(["processed", "stored"]).default("processed"),
  /** Bearer token for `GET /metrics` (a Prometheus scraper), besides the admin credential. */
  METRICS_TOKEN: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || v.length >= 16, "METRICS_TOKEN must be at least 16 characters"),
  /** Base URL providers reach this app at; used to print webhook URLs. Defaults to the request's own origin. */
  PUBLIC_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : undefined)),
  /**
   * Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: comma-separated
   * addresses or CIDR ranges. Unset: the client is the socket's address, whatever a request says.
   */
  TRUSTED_PROXIES: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  /** At start-up, how long to wait for an unreachable PostgreSQL before exiting with an error. */
  DATABASE_WAIT_SECONDS: z.coerce.number().min(0).default(30),
  /** A request's headers must arrive within this (slow-header connections are cut). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(10_000),
  /** The whole request, headers and body, must arrive within this; an answer may take longer. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** An idle keep-alive connection is closed after this. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Webhook body bytes this instance holds in memory at once; beyond it, 503 with Retry-After. */
  WEBHOOK_BODY_BUDGET_MB: z.coerce.number().min(1).default(32),
});

export type AppEnv = z.infer<typeof envSchema> & { dataDir: string };

let cached: AppEnv | null = null;

export function getEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  if (source === process.env && cached) return cached;
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid configuration: ${reasons}`);
  }
  const env = { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
  if (source === process.env) cached = env;
  return env;
}
