import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { discoverApiRoutes } from "../helpers/route-files";

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument("https://dashboard.example");

  it("documents every method of every API route file (but the JSON 404 catch-all)", async () => {
    const documented = new Set(Object.entries(doc.paths ?? {}).flatMap(([p, item]) => Object.keys(item as object).map((m) => `${m.toUpperCase()} ${p}`)));
    const missing: string[] = [];
    for (const route of await discoverApiRoutes()) {
      if (route.routePath.includes("[...")) continue;
      const key = `${route.method} ${route.routePath.replace(/\[([^\]]+)\]/g, "{$1}")}`;
      if (!documented.has(key)) missing.push(key);
    }
    expect(missing).toEqual([]);
  });

  it("carries the request and response schemas the routes use, and each operation's permission", () => {
    expect(doc.openapi).toBe("3.1.0");
    const create = (doc.paths!["/api/endpoints"] as any).post;
    const body = create.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(["provider", "name"]);
    expect(body.properties.provider.enum).toContain("greenhouse");
    expect(create.responses["201"].content["application/json"].schema.properties).toHaveProperty("secret");
    expect(create.description).toMatch(/`write` permission/);
    const candidates = (doc.paths!["/api/candidates"] as any).get;
    expect(candidates.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["q", "provider", "cursor", "limit"]));
    expect((doc.paths!["/api/users"] as any).post.requestBody.content["application/json"].schema.properties.role.enum).toEqual(["owner", "admin", "viewer"]);
  });
});
