"use client";

import { useState } from "react";
import { ErrorState, SkeletonRows } from "@/components/ui/states";
import { Time } from "@/components/ui/time";
import { useSaveStageNames, useStageNames } from "@/lib/queries/use-stage-names";

const buttonClass =
  "h-9 rounded-md bg-sky-700 px-3 text-sm font-medium text-white hover:bg-sky-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-60";
const inputClass =
  "h-9 w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-900 focus:border-sky-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

/**
 * The endpoint's stage names: every stage id its events carried, with a name field. Names apply
 * when stages are read, so saving renames the stage in every past event; an empty name shows the id again.
 */
export function StageNamesSection({ endpointId }: { endpointId: string }) {
  const view = useStageNames(endpointId);
  const save = useSaveStageNames(endpointId);
  // Only what the user typed; untouched fields show the saved name.
  const [edits, setEdits] = useState<Record<string, string>>({});

  const stages = view.data?.stages ?? [];
  const changed = Object.fromEntries(Object.entries(edits).filter(([stageId, name]) => name.trim() !== (view.data?.names[stageId] ?? "")));
  const changedCount = Object.keys(changed).length;

  return (
    <section aria-labelledby="stage-names-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="stage-names-heading" className="text-sm font-semibold text-slate-900">
        Stage names
      </h2>
      <p className="text-sm text-slate-600">
        Some providers send stage ids only. Name a stage and every event, candidate and export shows the name, past events included; clear a name to
        show the id again.
      </p>
      {view.isPending ? (
        <SkeletonRows rows={2} />
      ) : view.isError ? (
        <ErrorState message={view.error.message} onRetry={() => void view.refetch()} />
      ) : stages.length === 0 ? (
        <p className="text-sm text-slate-700">No stage seen yet: stages show here once this endpoint&apos;s events carry them.</p>
      ) : (
        <form
          aria-label="Stage names"
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (changedCount === 0) return;
            save.mutate(changed, { onSuccess: () => setEdits({}) });
          }}
        >
          <ul className="divide-y divide-slate-100">
            {stages.map((stage) => {
              const inputId = `stage-name-${stage.stageId}`;
              return (
                <li key={stage.stageId} className="grid gap-1 py-2 sm:grid-cols-[minmax(0,1fr)_minmax(0,16rem)] sm:items-center sm:gap-3">
                  <div className="min-w-0">
                    <label htmlFor={inputId} className="block break-all font-mono text-xs text-slate-800">
                      {stage.stageId}
                    </label>
                    <span className="text-xs text-slate-600">{stage.lastSeenAt ? <>last seen <Time iso={stage.lastSeenAt} /></> : "named, not seen here"}</span>
                  </div>
                  <input
                    id={inputId}
                    name={stage.stageId}
                    className={inputClass}
                    maxLength={200}
                    placeholder="Name"
                    value={edits[stage.stageId] ?? stage.name ?? ""}
                    onChange={(event) => setEdits((current) => ({ ...current, [stage.stageId]: event.target.value }))}
                  />
                </li>
              );
            })}
          </ul>
          <div className="flex flex-wrap items-center gap-2">
            <button type="submit" className={buttonClass} disabled={save.isPending || changedCount === 0}>
              {save.isPending ? "Saving…" : "Save names"}
            </button>
            <span role="status" className="text-sm text-slate-700">
              {save.isSuccess && changedCount === 0 ? "Saved." : changedCount > 0 ? `${changedCount} unsaved` : ""}
            </span>
            {save.error ? (
              <span role="alert" className="text-sm text-red-700">
                {save.error.message}
              </span>
            ) : null}
          </div>
        </form>
      )}
    </section>
  );
}
