import { CodeBlock } from "@/components/ui/code-block";
import { getDb } from "@/lib/db/client";
import { providers } from "@/lib/providers/registry";

export const dynamic = "force-dynamic";

async function databaseStatus(): Promise<{ ok: boolean; kind: string }> {
  const db = getDb();
  try {
    await db.prisma.$queryRaw`SELECT 1`;
    return { ok: true, kind: db.kind === "pglite" ? "embedded PGlite" : "PostgreSQL" };
  } catch {
    return { ok: false, kind: db.kind === "pglite" ? "embedded PGlite" : "PostgreSQL" };
  }
}

// Public page: it shows no candidate data, only how to connect a provider. Data needs the admin token.
export default async function HomePage() {
  const status = await databaseStatus();
  return (
    <main className="mx-auto max-w-4xl px-6 py-12">
      <header className="flex items-center justify-between">
        <div className="flex items-center gap-3">
          <img src="/favicon.svg" alt="" className="h-8 w-8" />
          <h1 className="text-xl font-semibold tracking-tight">Candidate History</h1>
        </div>
        <span
          role="status"
          className={`rounded-full px-3 py-1 text-xs font-medium ${status.ok ? "bg-emerald-100 text-emerald-800" : "bg-red-100 text-red-800"}`}
        >
          {status.kind}: {status.ok ? "connected" : "unavailable"}
        </span>
      </header>

      <p className="mt-6 max-w-2xl text-slate-600">
        Point your applicant-tracking system&apos;s candidate webhooks here. Every delivery is kept exactly as received and
        turned into normalized events on each candidate&apos;s timeline.
      </p>

      <section className="mt-10 space-y-4" aria-labelledby="connect">
        <h2 id="connect" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Connect a provider
        </h2>
        <ol className="list-decimal space-y-2 pl-5 text-slate-700">
          <li>Find the admin token printed when the server started (or in <code className="font-mono">DATA_DIR/admin-token</code>).</li>
          <li>Create an endpoint for your provider; the answer holds the webhook URL and, where the provider signs, the secret.</li>
          <li>Paste both into the provider&apos;s webhook settings.</li>
        </ol>
        <CodeBlock label="Create an endpoint">
          {`curl -X POST http://localhost:3000/api/endpoints \\
  -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \\
  -d '{"provider":"greenhouse","name":"Greenhouse production"}'`}
        </CodeBlock>
      </section>

      <section className="mt-10" aria-labelledby="providers">
        <h2 id="providers" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Supported providers
        </h2>
        <ul className="mt-3 grid grid-cols-2 gap-3">
          {Object.values(providers).map((p) => (
            <li key={p.id} className="rounded-lg border border-slate-200 bg-white p-4">
              <div className="font-medium">{p.displayName}</div>
              <div className="mt-1 text-sm text-slate-600">{p.setup.signature}</div>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
