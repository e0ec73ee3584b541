import { z } from "zod";
import { recordAudit } from "../auth/audit";
import { authenticate, isSameOriginMutation, type AuthResult } from "../auth/request-auth";
import { can, missingPermissionReason, type Permission, type Principal } from "../auth/roles";
import { getDb } from "../db/client";
import { isConnectionError } from "../db/connection-errors";
import type { PrismaClient } from "../db/generated/client";
import type { Sql } from "../db/sql";
import { errorMessage, logEvent } from "../log";
import { HttpError } from "./errors";
import { jsonResponse } from "./json";
import { publicOrigin } from "./origin";

export interface AdminContext<P> {
  request: Request;
  params: P;
  prisma: PrismaClient;
  /** Plain SQL on the same database (what ingest and processing use). */
  sql: Sql;
  url: URL;
  /** Who is asking: their role, permissions and how they appear in the audit log. */
  principal: Principal;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * What a route needs (issue 19): the one permission (lib/auth/roles.ts), and for a route whose
 * success must be on record, the audit action. Mutations are audited with the request's JSON body
 * (secret-looking keys redacted) and the route's `id`; exports with their query.
 */
export type RouteAccess = Permission | { permission: Permission; audit?: string };

/**
 * Wraps an API handler: authentication (session, personal token or admin token), the route's
 * permission (403 with the reason), the audit entry, then maps known errors to status codes
 * (HttpError → its status, zod → 400 with the issues, lost database → 503) so handlers stay small.
 */
export function adminRoute<P = Record<string, never>>(handler: (ctx: AdminContext<P>) => Promise<Response | object>, access: RouteAccess) {
  const { permission, audit } = typeof access === "string" ? { permission: access, audit: undefined } : access;
  return async (request: Request, context?: RouteContext<P>): Promise<Response> => {
    let auth: AuthResult;
    try {
      auth = await authenticate(getDb().sql, request.headers);
    } catch (error) {
      return errorResponse(error);
    }
    if (!auth.ok && auth.retryAfterSeconds !== null) return tooManyAttempts(auth.retryAfterSeconds);
    if (!auth.ok) {
      return jsonResponse(
        401,
        { error: "unauthorized", message: "log in at /login, or send the admin token as `Authorization: Bearer <ADMIN_TOKEN>`" },
        { "www-authenticate": 'Bearer realm="candidate-history"' },
      );
    }
    if (auth.via === "session" && !isSameOriginMutation(request, publicOrigin(request))) {
      return jsonResponse(403, { error: "cross_site_request", message: "this request did not come from the dashboard's own pages" });
    }
    const principal = auth.principal;
    if (!can(principal, permission)) {
      return jsonResponse(403, { error: "forbidden", message: missingPermissionReason(permission), permission, role: principal.role });
    }
    try {
      const params = (context ? await context.params : {}) as P;
      const body = audit && request.method !== "GET" ? await auditedBody(request) : undefined;
      const url = new URL(request.url);
      const result = await handler({ request, params, prisma: getDb().prisma, sql: getDb().sql, url, principal });
      const response = result instanceof Response ? result : jsonResponse(200, result);
      if (audit && response.status < 400) {
        const id = (params as { id?: unknown } | undefined)?.id;
        await recordAudit(getDb().sql, {
          actor: principal.actor,
          action: audit,
          target: typeof id === "string" ? id : null,
          details: { method: request.method, status: response.status, ...(url.search ? { query: Object.fromEntries(url.searchParams) } : {}), ...(body !== undefined ? { body } : {}) },
        });
      }
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** The JSON body as the handler will read it (a clone), for the audit entry; small bodies only. */
async function auditedBody(request: Request): Promise<unknown> {
  const text = await request.clone().text();
  if (text.trim() === "" || text.length > 16_384) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function tooManyAttempts(retryAfterSeconds: number): Response {
  return jsonResponse(
    429,
    { error: "too_many_attempts", message: `too many wrong credentials from this address; try again in ${retryAfterSeconds} s`, retryAfterSeconds },
    { "retry-after": String(retryAfterSeconds) },
  );
}

export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) return jsonResponse(error.status, { error: error.code, message: error.message, ...error.extra });
  if (error instanceof z.ZodError) {
    return jsonResponse(400, {
      error: "invalid_request",
      message: error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
      issues: error.issues,
    });
  }
  if (isConnectionError(error)) {
    logEvent("error", "database unavailable", { error: errorMessage(error) });
    return jsonResponse(503, { error: "storage_unavailable", message: "the database is unavailable; retry later" }, { "retry-after": "5" });
  }
  logEvent("error", "unhandled API error", { error: errorMessage(error) });
  return jsonResponse(500, { error: "internal_error", message: "unexpected error; see the server log" });
}

export async function readJson<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    const text = await request.text();
    // An empty body means "all defaults" (e.g. rotate-secret with the default overlap).
    value = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "request body must be a JSON object");
  }
  return schema.parse(value);
}

export function readQuery<T>(url: URL, schema: z.ZodType<T>): T {
  return schema.parse(Object.fromEntries(url.searchParams));
}
