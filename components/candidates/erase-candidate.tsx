"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { erasureSchema, type ErasureView } from "@/lib/contracts/responses";
import { apiFetch } from "@/lib/queries/api-client";
import { queryKeys } from "@/lib/queries/keys";
import { useCan } from "../team/permissions";

/**
 * The candidate page's Erase (admin only): typing the candidate's provider id confirms it, so an
 * erasure is never one click. The server checks the same (POST /api/candidates/{id}/erase).
 */
export function EraseCandidate({ candidateId, externalId, onErased }: { candidateId: string; externalId: string; onErased: (erasure: ErasureView) => void }) {
  const canErase = useCan("write");
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState("");
  const inputId = useId();
  const client = useQueryClient();
  const erase = useMutation({
    mutationFn: () =>
      apiFetch(`/api/candidates/${encodeURIComponent(candidateId)}/erase`, erasureSchema, { method: "POST", body: JSON.stringify({ confirm: confirm.trim() }) }),
    onSuccess: async (erasure) => {
      onErased(erasure);
      await Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.deliveries.all }),
        client.invalidateQueries({ queryKey: queryKeys.stats.overview }),
        client.invalidateQueries({ queryKey: ["erasures"] }),
        client.removeQueries({ queryKey: queryKeys.candidates.all }),
      ]);
    },
  });
  if (!canErase) return null;
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-400"
      >
        Erase candidate…
      </button>
    );
  }
  const matches = confirm.trim() === externalId;
  return (
    <form
      aria-label="Erase candidate"
      className="w-full space-y-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-red-950"
      onSubmit={(e) => {
        e.preventDefault();
        if (matches) erase.mutate();
      }}
    >
      <p>
        Erasing deletes this candidate, the records merged into it, their events and stages, and the raw bodies of every
        delivery about them, for good. The deliveries stay in the log without their bodies; an erasure record (when, by
        whom, how much) is kept, with no personal data. Backups still hold the data until they expire.
      </p>
      <label htmlFor={inputId} className="block font-medium">
        Type the provider id <code className="rounded bg-white px-1 font-mono">{externalId}</code> to confirm
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={inputId}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="min-w-0 flex-1 rounded-md border border-red-300 bg-white px-2 py-1 font-mono focus:outline-none focus-visible:ring-2 focus-visible:ring-red-400"
        />
        <button
          type="submit"
          disabled={!matches || erase.isPending}
          className="rounded-md bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-400 focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:bg-red-300"
        >
          {erase.isPending ? "Erasing…" : "Erase permanently"}
        </button>
        <button type="button" onClick={() => setOpen(false)} className="rounded-md px-2 py-1.5 text-red-900 underline">
          Cancel
        </button>
      </div>
      {erase.error ? (
        <p role="alert" className="rounded-md bg-white p-2 text-red-900">
          Erase failed: {erase.error.message}
        </p>
      ) : null}
    </form>
  );
}

/** What the page shows once the candidate is gone. */
export function ErasedNotice({ erasure }: { erasure: ErasureView }) {
  const c = erasure.counts;
  return (
    <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm text-emerald-950">
      <p className="font-medium">Candidate erased.</p>
      <p className="mt-1">
        {c.candidates} candidate record{c.candidates === 1 ? "" : "s"}, {c.events} event{c.events === 1 ? "" : "s"} and the bodies of{" "}
        {c.deliveries} deliver{c.deliveries === 1 ? "y" : "ies"} removed. Erasure record <code className="font-mono">{erasure.id}</code>.
      </p>
    </div>
  );
}
