"use client";

import { useState } from "react";
import type { ProviderId } from "@/lib/providers/types";
import type { ProviderOption } from "./settings-view";

export function CreateEndpointForm({
  providers,
  pending,
  error,
  onCreate,
}: {
  providers: ProviderOption[];
  pending: boolean;
  error: string | null;
  onCreate: (input: { provider: ProviderId; name: string }) => Promise<void>;
}) {
  const [provider, setProvider] = useState<ProviderId>(providers[0].id);
  const [name, setName] = useState("");
  return (
    <form
      aria-label="New endpoint"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={async (event) => {
        event.preventDefault();
        await onCreate({ provider, name: name.trim() || `${providers.find((p) => p.id === provider)?.displayName} endpoint` });
        setName("");
      }}
    >
      <div>
        <label htmlFor="new-provider" className="block text-xs font-medium text-slate-600">
          Provider
        </label>
        <select
          id="new-provider"
          value={provider}
          onChange={(e) => setProvider(e.target.value as ProviderId)}
          className="mt-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
        >
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.displayName}
            </option>
          ))}
        </select>
      </div>
      <div className="min-w-64 flex-1">
        <label htmlFor="new-name" className="block text-xs font-medium text-slate-600">
          Name
        </label>
        <input
          id="new-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Greenhouse production"
          maxLength={200}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-sky-500 focus:outline-none focus:ring-2 focus:ring-sky-200"
        />
      </div>
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:opacity-50"
      >
        {pending ? "Creating…" : "Create endpoint"}
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
