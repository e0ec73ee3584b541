"use client";

import { useState } from "react";
import { useDeleteTestData } from "@/lib/queries/use-delete-test-data";

const buttonClass =
  "h-9 rounded-md px-3 text-sm font-medium ring-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-60";

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** "Delete test data": removes the candidates, events and deliveries "Send test delivery" created, after a confirmation. */
export function TestDataSection() {
  const remove = useDeleteTestData();
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="test-data-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="test-data-heading" className="text-sm font-semibold text-slate-900">
        Test data
      </h2>
      <p className="text-sm text-slate-600">
        <em>Send test delivery</em> creates a candidate marked <span className="rounded bg-violet-100 px-1 text-xs font-medium text-violet-900">Test</span>,
        kept out of the candidate list, the overview and exports. Delete it when you are done.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {confirming ? (
          <>
            <span className="text-sm text-slate-800">Delete every test candidate with its events and deliveries?</span>
            <button
              type="button"
              className={`${buttonClass} bg-red-600 text-white ring-red-600 hover:bg-red-700`}
              disabled={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSettled: () => setConfirming(false) })}
            >
              {remove.isPending ? "Deleting…" : "Delete"}
            </button>
            <button type="button" className={`${buttonClass} bg-white text-slate-700 ring-slate-300 hover:bg-slate-50`} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className={`${buttonClass} bg-white text-red-700 ring-red-300 hover:bg-red-50`} onClick={() => setConfirming(true)}>
            Delete test data
          </button>
        )}
        <span role="status" className="text-sm text-slate-700">
          {remove.data
            ? `Deleted ${count(remove.data.deleted.candidates, "candidate", "candidates")}, ${count(remove.data.deleted.events, "event", "events")} and ${count(remove.data.deleted.deliveries, "delivery", "deliveries")}.`
            : ""}
        </span>
        {remove.error ? (
          <span role="alert" className="text-sm text-red-700">
            {remove.error.message}
          </span>
        ) : null}
      </div>
    </section>
  );
}
