/**
 * The export's database side: the ports lib/csv streams from (EventExportSource,
 * DeliveryExportSource) over the queries of lib/db/export-queries.ts, with the known state before
 * rows whose changed fields are not stored folded by lib/history (the fill's and the timeline's fold).
 */
import type { DeliveryExportSource } from "../csv/deliveries";
import type { EventExportSource } from "../csv/export-events";
import { readSnapshotPredecessors, readStageTransitions } from "../db/changed-paths-queries";
import type { EventFilters } from "../db/event-queries";
import {
  candidateExternalIds,
  endpointNames,
  eventSnapshots,
  exportStoredPathsPage,
  readDeliveryExportPage,
  type DeliveryExportFilters,
  type ExportEventRow,
} from "../db/export-queries";
import type { PrismaClient } from "../db/generated/client";
import type { Sql } from "../db/sql";
import { CURRENT_CHANGED_PATHS_VERSION } from "../history/provider-config";
import { statesBefore } from "../history/states-before";
import type { StageTransition } from "../history/types";

export function eventExportSource(
  sql: Sql,
  filters: EventFilters,
  options: { contiguous: boolean; onQuery?: (name: string) => void; changedPathsVersion?: number },
): EventExportSource {
  const endpoints = endpointNames(sql);
  const externalIds = candidateExternalIds(sql);
  let endpointsLoaded: Promise<void> | null = null;
  return {
    page: async (cursor, take) => {
      options.onQuery?.("page");
      endpointsLoaded ??= endpoints.load();
      await endpointsLoaded;
      let unknown = false;
      const endpointName = (id: string) => {
        const name = endpoints.get(id);
        if (name === undefined) unknown = true;
        return name ?? null;
      };
      const rows = await exportStoredPathsPage(sql, filters, cursor, take, endpointName, options.changedPathsVersion ?? CURRENT_CHANGED_PATHS_VERSION);
      if (unknown) {
        // An endpoint created after the export started: read the names again.
        await (endpointsLoaded = endpoints.load());
        for (const r of rows) r.endpointName = endpoints.get(r.endpointId) ?? null;
      }
      await externalIds.load(rows.map((r) => r.candidateId));
      for (const r of rows) r.candidateExternalId = externalIds.get(r.candidateId);
      return rows;
    },
    snapshots: (events) => {
      options.onQuery?.("snapshots");
      return eventSnapshots(sql, events.map((e) => e.id));
    },
    statesBefore: (events, historyFor) => {
      options.onQuery?.("statesBefore");
      return statesBefore(events, historyFor, (requests, take) => readSnapshotPredecessors(sql, requests, take));
    },
    stageTransitions: async (ids, rows) => {
      const out: StageTransition[] = [];
      const missing: string[] = [];
      for (const row of (rows ?? []) as ExportEventRow[]) {
        if (row.transitions !== undefined) out.push(...(row.transitions ?? []));
        else missing.push(row.id);
      }
      if (!rows) missing.push(...ids);
      if (missing.length > 0) {
        options.onQuery?.("stageTransitions");
        out.push(...(await readStageTransitions(sql, missing)));
      }
      return out;
    },
  };
}

export function deliveryExportSource(prisma: PrismaClient, filters: DeliveryExportFilters, withBody: boolean): DeliveryExportSource {
  return { page: (cursor, take) => readDeliveryExportPage(prisma, filters, cursor, take, withBody) };
}
