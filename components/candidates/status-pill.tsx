import type { CandidateStatus } from "@/lib/history/status";

const styles: Record<CandidateStatus, string> = {
  active: "bg-sky-50 text-sky-800 ring-sky-200",
  hired: "bg-emerald-100 text-emerald-900 ring-emerald-300",
  rejected: "bg-amber-100 text-amber-900 ring-amber-300",
  withdrawn: "bg-slate-100 text-slate-800 ring-slate-300",
  deleted: "bg-red-100 text-red-800 ring-red-200",
  merged: "bg-fuchsia-100 text-fuchsia-800 ring-fuchsia-200",
};

export const statusLabels: Record<CandidateStatus, string> = {
  active: "Active",
  hired: "Hired",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
  deleted: "Deleted",
  merged: "Merged",
};

/** Where a candidate (or one application) stands: active, hired, rejected, withdrawn, deleted, merged. */
export function StatusPill({ status, title, size = "sm" }: { status: CandidateStatus; title?: string; size?: "sm" | "md" }) {
  return (
    <span
      data-status={status}
      title={title}
      className={`inline-flex shrink-0 items-center rounded-full font-medium ring-1 ring-inset ${styles[status]} ${
        size === "md" ? "px-2 py-0.5 text-xs" : "px-1.5 py-px text-[11px]"
      }`}
    >
      {statusLabels[status]}
    </span>
  );
}

/** Marks data created by "Send test delivery". */
export function TestBadge() {
  return (
    <span title="Created by Send test delivery" className="inline-flex shrink-0 items-center rounded bg-violet-100 px-1.5 py-px text-[11px] font-medium text-violet-900">
      Test
    </span>
  );
}
