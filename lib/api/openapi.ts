import { OpenApiGeneratorV31, OpenAPIRegistry, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { demoResultSchema } from "../contracts/demo";
import { overviewStatsSchema } from "../contracts/stats";
import * as analytics from "../contracts/analytics";
import * as people from "../contracts/people";
import * as res from "../contracts/responses";
import * as req from "../contracts/requests";
import type { Permission } from "../auth/roles";

/**
 * The API reference (GET /api/openapi.json, the API page), generated from the zod schemas the
 * routes parse their input with and the dashboard parses their answers with. Each operation names
 * the permission it needs, as lib/http/admin-route.ts enforces it.
 */
type Operation = {
  method: RouteConfig["method"];
  path: string;
  summary: string;
  permission: Permission | "public";
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  csv?: boolean;
};

const id = z.object({ id: z.string() });
const errorSchema = z.object({ error: z.string(), message: z.string() });
const inviteSchema = z.object({ id: z.string(), inviteUrl: z.string(), inviteToken: z.string() });

export const OPERATIONS: Operation[] = [
  { method: "post", path: "/api/auth/login", summary: "Sign in with `{email, password}` or `{token}` (the admin token); sets the session cookie", permission: "public", body: z.union([z.object({ email: z.string(), password: z.string() }), z.object({ token: z.string() })]) },
  { method: "post", path: "/api/auth/accept-invite", summary: "Accept an invitation: choose a password, get a session", permission: "public", body: z.object({ token: z.string(), password: z.string() }) },
  { method: "get", path: "/api/auth/sso", summary: "Start single sign-on (redirects to the OpenID Connect provider); 404 when not configured", permission: "public", query: z.object({ next: z.string().optional() }) },
  { method: "get", path: "/api/auth/sso/callback", summary: "The OpenID Connect provider's redirect back; signs a team member in", permission: "public" },
  { method: "delete", path: "/api/auth/sessions", summary: "End every session", permission: "admin" },
  { method: "get", path: "/api/health", summary: "Liveness and database reachability", permission: "public" },
  { method: "get", path: "/api/stats", summary: "The overview's numbers", permission: "read", response: overviewStatsSchema },
  { method: "get", path: "/api/candidates", summary: "Candidates, newest activity first", permission: "read", query: req.listCandidatesQuerySchema, response: res.candidateListSchema },
  { method: "get", path: "/api/candidates/{id}", summary: "One candidate", permission: "read", response: res.candidateViewSchema },
  { method: "get", path: "/api/candidates/{id}/timeline", summary: "A candidate's events with field-level changes", permission: "read", response: res.timelineSchema },
  { method: "get", path: "/api/people", summary: "People (records grouped across providers), newest activity first", permission: "read", query: people.listPeopleQuerySchema, response: people.personListSchema },
  { method: "get", path: "/api/people/{id}", summary: "One person: emails, phones, records with why each is linked, applications", permission: "read", response: people.personViewSchema },
  { method: "get", path: "/api/people/{id}/timeline", summary: "Every record's events in one timeline, each with its provider", permission: "read", response: people.personTimelineSchema },
  { method: "post", path: "/api/people/{id}/link", summary: "Link a candidate record to this person by hand (audited)", permission: "write", body: people.candidateRefSchema, response: people.moveResultSchema },
  { method: "post", path: "/api/people/{id}/unlink", summary: "Split a record off into a person of its own; automatic linking never puts it back (audited)", permission: "write", body: people.candidateRefSchema, response: people.moveResultSchema },
  { method: "get", path: "/api/people/{id}/suggestions", summary: "Records that may be this person (phone, or exact name and a job)", permission: "read", response: people.suggestionListSchema },
  { method: "post", path: "/api/people/{id}/suggestions/accept", summary: "Accept a suggestion: link the record (audited)", permission: "write", body: people.candidateRefSchema, response: people.moveResultSchema },
  { method: "post", path: "/api/people/{id}/suggestions/dismiss", summary: "Dismiss a suggestion: it is not made again (audited)", permission: "write", body: people.candidateRefSchema },
  { method: "get", path: "/api/events", summary: "Events", permission: "read", query: req.listEventsQuerySchema, response: res.eventListSchema },
  { method: "get", path: "/api/events/export.csv", summary: "Events as CSV", permission: "export", query: req.exportEventsQuerySchema, csv: true },
  { method: "get", path: "/api/deliveries", summary: "The delivery log", permission: "read", query: req.listDeliveriesQuerySchema, response: res.deliveryListSchema },
  { method: "get", path: "/api/deliveries/{id}", summary: "One delivery with headers and raw body", permission: "read", response: res.deliveryDetailSchema },
  { method: "get", path: "/api/deliveries/export.csv", summary: "Deliveries as CSV", permission: "export", query: req.exportDeliveriesQuerySchema, csv: true },
  { method: "post", path: "/api/deliveries/{id}/reprocess", summary: "Re-run parsing and mapping of one delivery", permission: "write", response: res.reprocessResultSchema },
  { method: "get", path: "/api/candidates/{id}/timeline/events/{eventId}/changes", summary: "One event's changes, paged (beyond the timeline's inline bound)", permission: "read", response: res.eventChangesSchema },
  { method: "get", path: "/api/deliveries/{id}/body", summary: "A delivery's exact bytes, as a download", permission: "read" },
  { method: "post", path: "/api/deliveries/reprocess", summary: "Reprocess the deliveries the log's filters select (NDJSON progress)", permission: "write", query: req.listDeliveriesQuerySchema },
  { method: "get", path: "/api/events/export-count", summary: "The rows and candidates the events export would write", permission: "read", query: req.exportEventsQuerySchema },
  { method: "delete", path: "/api/test-data", summary: "Delete the test deliveries, candidates and events", permission: "write" },
  { method: "get", path: "/api/endpoints/{id}/activity", summary: "An endpoint's outcomes per UTC day", permission: "read" },
  { method: "post", path: "/api/reprocess", summary: "Rebuild every event from the raw deliveries (NDJSON progress)", permission: "write" },
  { method: "post", path: "/api/demo", summary: "Load demo endpoints and candidates", permission: "write", response: demoResultSchema, status: 201 },
  { method: "get", path: "/api/endpoints", summary: "Provider endpoints", permission: "read", response: res.endpointListSchema },
  { method: "post", path: "/api/endpoints", summary: "Create an endpoint (the secret is shown once)", permission: "write", body: req.createEndpointSchema, response: res.createdEndpointSchema, status: 201 },
  { method: "get", path: "/api/endpoints/{id}", summary: "One endpoint", permission: "read", response: res.endpointSchema },
  { method: "patch", path: "/api/endpoints/{id}", summary: "Rename, enable or disable", permission: "write", body: req.updateEndpointSchema, response: res.endpointSchema },
  { method: "delete", path: "/api/endpoints/{id}", summary: "Delete an endpoint (its events stay)", permission: "write" },
  { method: "post", path: "/api/endpoints/{id}/rotate-secret", summary: "Rotate the signing secret with an overlap", permission: "write", body: req.rotateSecretSchema, response: res.rotatedSecretSchema },
  { method: "post", path: "/api/endpoints/{id}/rotate-url", summary: "Issue a new webhook URL (unsigned providers); the old one keeps working for the overlap", permission: "write", body: req.rotateUrlSchema, response: res.rotatedUrlSchema },
  { method: "post", path: "/api/endpoints/{id}/test-delivery", summary: "Send a signed sample delivery through the real webhook route", permission: "write", response: res.testDeliveryResultSchema },
  { method: "get", path: "/api/endpoints/{id}/stage-names", summary: "Every stage id seen through the endpoint, with the name given to it", permission: "read", response: res.stageNamesSchema },
  { method: "put", path: "/api/endpoints/{id}/stage-names", summary: "Name stages by id (an empty name removes it); every past event shows the new names", permission: "write", body: req.putStageNamesSchema, response: res.stageNamesSchema },
  { method: "get", path: "/api/users", summary: "The team", permission: "admin" },
  { method: "post", path: "/api/users", summary: "Invite a team member", permission: "admin", body: req.createUserSchema, response: inviteSchema, status: 201 },
  { method: "patch", path: "/api/users/{id}", summary: "Change name, role or export permission", permission: "admin", body: req.updateUserSchema },
  { method: "delete", path: "/api/users/{id}", summary: "Remove a member (their sessions and tokens end)", permission: "admin" },
  { method: "post", path: "/api/users/{id}/invite", summary: "A fresh invitation link", permission: "admin", response: inviteSchema },
  { method: "get", path: "/api/tokens", summary: "Personal API tokens (never the token itself)", permission: "read" },
  { method: "post", path: "/api/tokens", summary: "Create a personal API token (shown once)", permission: "read", body: req.createTokenSchema, response: z.object({ id: z.string(), token: z.string() }), status: 201 },
  { method: "delete", path: "/api/tokens/{id}", summary: "Revoke a token", permission: "read" },
  { method: "get", path: "/api/sessions", summary: "Signed-in sessions (own; everyone's for the owner)", permission: "read" },
  { method: "delete", path: "/api/sessions/{id}", summary: "End a session at once", permission: "read" },
  { method: "get", path: "/api/audit", summary: "The audit log, newest first", permission: "admin", query: req.auditQuerySchema },
  { method: "get", path: "/api/audit/export.csv", summary: "The audit log as CSV (itself audited)", permission: "admin", query: req.auditQuerySchema, csv: true },
  { method: "post", path: "/api/people/{id}/erase", summary: "Erase a person: every record of theirs and the records merged into them, in one erasure (confirm with the person's id); answers the erasure record", permission: "write", body: req.eraseCandidateSchema, response: res.erasureSchema },
  { method: "post", path: "/api/candidates/{id}/erase", summary: "Erase a candidate and the records merged into them (confirm with the provider id); answers the erasure record", permission: "write", body: req.eraseCandidateSchema, response: res.erasureSchema },
  { method: "get", path: "/api/erasures", summary: "Erasure records, newest first (when, by whom, counts; no personal data)", permission: "write", query: req.listErasuresQuerySchema, response: res.erasureListSchema },
  { method: "get", path: "/api/settings/retention", summary: "Retention settings (days; null keeps forever)", permission: "write", response: res.retentionSettingsSchema },
  { method: "put", path: "/api/settings/retention", summary: "Change the retention settings", permission: "write", body: req.retentionSettingsInputSchema, response: res.retentionSettingsSchema },
  { method: "post", path: "/api/retention/run", summary: "Run retention now (once per cluster; 409 while another instance runs it); answers counts", permission: "write", response: res.retentionRunSchema },
  { method: "get", path: "/api/openapi.json", summary: "This document", permission: "read" },
  { method: "get", path: "/api/analytics/jobs", summary: "Jobs and providers to pick for the pipeline analytics", permission: "read", query: analytics.analyticsJobsQuerySchema, response: analytics.analyticsJobsSchema },
  { method: "get", path: "/api/analytics/funnel", summary: "A job's funnel: reached, conversion to the next stage, where applications left (format=csv: the data as CSV)", permission: "read", query: analytics.analyticsQuerySchema, response: analytics.funnelSchema },
  { method: "get", path: "/api/analytics/time-in-stage", summary: "Median and p90 time per stage over completed stays, open stays counted (format=csv: as CSV)", permission: "read", query: analytics.analyticsQuerySchema, response: analytics.timeInStageSchema },
  { method: "get", path: "/api/analytics/flow", summary: "Entries per stage per week, hires, rejections and withdrawals per week (format=csv: as CSV)", permission: "read", query: analytics.analyticsQuerySchema, response: analytics.flowSchema },
];

export function buildOpenApiDocument(serverUrl: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", description: "A personal API token (`cht_…`) or the admin token" });
  registry.registerComponent("securitySchemes", "session", { type: "apiKey", in: "cookie", name: "ch_session" });
  for (const op of OPERATIONS) {
    const needsId = op.path.includes("{id}");
    registry.registerPath({
      method: op.method,
      path: op.path,
      summary: op.summary,
      description: op.permission === "public" ? "No credentials needed." : `Needs the \`${op.permission}\` permission (a token needs the scope of the same name).`,
      security: op.permission === "public" ? [] : [{ bearer: [] }, { session: [] }],
      request: {
        ...(needsId ? { params: id } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: { content: { "application/json": { schema: op.body } } } } : {}),
      },
      responses: {
        [op.status ?? 200]: op.csv
          ? { description: "CSV", content: { "text/csv": { schema: z.string() } } }
          : { description: "Success", ...(op.response ? { content: { "application/json": { schema: op.response } } } : {}) },
        ...(op.permission === "public" ? {} : { 401: { description: "No or wrong credentials", content: { "application/json": { schema: errorSchema } } }, 403: { description: "The permission is missing", content: { "application/json": { schema: errorSchema } } } }),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Candidate History API", version: "1", description: "The dashboard's HTTP API. Webhook receivers (`/api/webhooks/{endpointId}`) are described in the README." },
    servers: [{ url: serverUrl }],
  });
}
