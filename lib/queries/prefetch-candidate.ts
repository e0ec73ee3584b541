import { dehydrate, QueryClient, type DehydratedState } from "@tanstack/react-query";
import { candidateViewSchema, timelineSchema } from "../contracts/responses";
import { getNamedCandidateView, getNamedTimeline } from "../api/stage-names";
import { getDb } from "../db/client";
import { queryKeys, TIMELINE_PAGE_SIZE } from "./keys";

/** JSON as the browser would receive it, parsed with the same schema the client hook uses. */
export function toWire<T>(schema: { parse(value: unknown): T }, value: unknown): T {
  return schema.parse(JSON.parse(JSON.stringify(value)));
}

/**
 * Server-side first load of the candidate page: the header and the first timeline page are in the
 * HTML's query cache, so the browser renders them without waiting for two API round trips.
 * Unknown candidates are left to the client, which shows its not-found state.
 */
export async function prefetchCandidatePage(id: string): Promise<DehydratedState> {
  const client = new QueryClient();
  const db = getDb();
  const { prisma } = db;
  await Promise.all([
    client.prefetchQuery({
      queryKey: queryKeys.candidates.detail(id),
      queryFn: async () => {
        const view = await getNamedCandidateView(db, id);
        if (!view) throw new Error("not found");
        return toWire(candidateViewSchema, view);
      },
    }),
    client.prefetchInfiniteQuery({
      queryKey: queryKeys.candidates.timeline(id, false),
      initialPageParam: undefined as string | undefined,
      queryFn: async () => {
        const page = await getNamedTimeline(db, id, { limit: TIMELINE_PAGE_SIZE, noise: false });
        if (!page) throw new Error("not found");
        return toWire(timelineSchema, page);
      },
    }),
  ]);
  return dehydrate(client);
}
