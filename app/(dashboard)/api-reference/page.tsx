import { headers } from "next/headers";
import { buildOpenApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

const METHOD_COLORS: Record<string, string> = { get: "bg-sky-100 text-sky-800", post: "bg-emerald-100 text-emerald-800", patch: "bg-amber-100 text-amber-800", delete: "bg-red-100 text-red-800" };

/** The API reference, read from the same OpenAPI document scripts download at /api/openapi.json. */
export default async function ApiReferencePage() {
  const host = (await headers()).get("host") ?? "localhost";
  const doc = buildOpenApiDocument(`http://${host}`);
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { summary?: string; description?: string; requestBody?: unknown; parameters?: { name: string; in: string }[] }>).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API reference</h1>
        <p className="mt-1 text-sm text-slate-600">
          Send a personal API token (Tokens page) as <code className="font-mono">Authorization: Bearer cht_…</code>. The machine-readable OpenAPI 3.1 document is at{" "}
          <a className="text-sky-700 underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
          .
        </p>
      </div>
      <ul className="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white">
        {operations.map(({ path, method, op }) => (
          <li key={`${method} ${path}`} className="p-4">
            <div className="flex items-center gap-3">
              <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_COLORS[method] ?? "bg-slate-100"}`}>{method}</span>
              <code className="font-mono text-sm">{path}</code>
              <span className="text-sm text-slate-700">{op.summary}</span>
            </div>
            <p className="mt-1 text-xs text-slate-500">
              {op.description}
              {op.parameters?.filter((p) => p.in === "query").length ? ` Query: ${op.parameters.filter((p) => p.in === "query").map((p) => p.name).join(", ")}.` : ""}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
