"use client";

import { useState } from "react";
import type { EndpointView } from "@/lib/contracts/responses";
import type { ProviderId } from "@/lib/providers/types";
import { useEndpointMutations } from "@/lib/queries/use-endpoint-mutations";
import { useEndpoints } from "@/lib/queries/use-endpoints";
import { EmptyState, ErrorState, SkeletonRows } from "../ui/states";
import { CreateEndpointForm } from "./create-endpoint-form";
import { EndpointRow } from "./endpoint-row";
import { EndpointSearch, matchesEndpoint } from "./endpoint-search";
import { SecretReveal } from "./secret-reveal";
import { TestDataSection } from "./test-data-section";
import { ErasuresSection, RetentionSection } from "./retention-section";

export interface ProviderOption {
  id: ProviderId;
  displayName: string;
  signs: boolean;
}

export function SettingsView({ providers }: { providers: ProviderOption[] }) {
  const endpoints = useEndpoints();
  const mutations = useEndpointMutations();
  const [created, setCreated] = useState<(EndpointView & { secret: string | null }) | null>(null);
  const [search, setSearch] = useState("");
  const providerName = (id: string) => providers.find((p) => p.id === id)?.displayName ?? id;
  const shown = endpoints.data?.endpoints.filter((e) => matchesEndpoint(e, providerName(e.provider), search)) ?? [];

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-slate-600">Provider endpoints: where each applicant-tracking system posts its candidate webhooks.</p>
      </div>

      <CreateEndpointForm
        providers={providers}
        pending={mutations.create.isPending}
        error={mutations.create.error?.message ?? null}
        onCreate={async (input) => setCreated(await mutations.create.mutateAsync(input))}
      />

      {created ? <SecretReveal endpoint={created} secret={created.secret} title="Endpoint created" onDismiss={() => setCreated(null)} /> : null}

      <section aria-labelledby="endpoints-heading" className="space-y-3">
        <h2 id="endpoints-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          Endpoints
        </h2>
        {endpoints.isPending ? (
          <SkeletonRows rows={3} />
        ) : endpoints.isError ? (
          <ErrorState message={endpoints.error.message} onRetry={() => endpoints.refetch()} />
        ) : endpoints.data.endpoints.length === 0 ? (
          <EmptyState title="No endpoints yet">Create one above, then paste its URL into your provider&apos;s webhook settings.</EmptyState>
        ) : (
          <>
            <EndpointSearch value={search} onChange={setSearch} shown={shown.length} total={endpoints.data.endpoints.length} />
            <ul className="space-y-3">
              {shown.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} providerName={providerName(endpoint.provider)} />
              ))}
            </ul>
          </>
        )}
      </section>

      <TestDataSection />
      <RetentionSection />
      <ErasuresSection />
    </div>
  );
}
