import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { candidateListSchema } from "../contracts/responses";
import { getCandidatesPage } from "../api/reads";
import { listCandidatesQuerySchema } from "../contracts/requests";
import { getDb } from "../db/client";
import { CANDIDATES_PAGE_SIZE, candidateListParams, readCandidateFilters } from "./candidate-list-params";
import { queryKeys } from "./keys";
import { toWire } from "./prefetch-candidate";

/**
 * Server-side first page of the candidates list, for the URL's filters: the rows are in the first
 * HTML instead of waiting for the browser to load the scripts and ask the API. Filters the API would
 * refuse are left to the client, which shows the error.
 */
export async function prefetchCandidatesPage(searchParams: Record<string, string | string[] | undefined>): Promise<DehydratedState> {
  const client = new QueryClient();
  const first = (key: string) => {
    const value = searchParams[key];
    return (Array.isArray(value) ? value[0] : value) ?? null;
  };
  const params = candidateListParams(readCandidateFilters({ get: first }));
  const query = listCandidatesQuerySchema.safeParse({ ...Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)), limit: String(CANDIDATES_PAGE_SIZE) });
  if (query.success) {
    await client.prefetchInfiniteQuery({
      queryKey: queryKeys.candidates.list(params),
      initialPageParam: undefined as string | undefined,
      queryFn: async () => toWire(candidateListSchema, await getCandidatesPage(getDb(), query.data)),
    });
  }
  return dehydrate(client);
}
