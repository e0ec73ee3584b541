"use client";

import { useEffect, useId, useRef, useState } from "react";
import { providerIds } from "@/lib/providers/types";
import type { CandidateFilters as Filters, DeletedFilter } from "@/lib/queries/use-candidates";
import { providerLabels } from "@/components/ui/badge";
import { candidateStatuses, type CandidateStatus } from "@/lib/history/status";
import { statusLabels } from "./status-pill";

const inputClass =
  "block h-9 w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500";

/** A text input that reports its value 300 ms after typing stops (or at once on Enter). */
function DebouncedInput({
  label,
  value,
  onCommit,
  placeholder,
  list,
  type = "text",
  className,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  list?: string;
  type?: "text" | "search";
  className?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const committed = useRef(value);
  // Follow the URL when it changes from elsewhere (another filter's reset, back/forward).
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setDraft(value);
    }
  }, [value]);
  useEffect(() => {
    if (draft === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = draft;
      onCommit(draft);
    }, 300);
    return () => clearTimeout(timer);
  }, [draft, onCommit]);
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        type={type}
        value={draft}
        list={list}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && draft !== committed.current) {
            committed.current = draft;
            onCommit(draft);
          }
        }}
        className={inputClass}
      />
    </div>
  );
}

function SelectFilter({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CandidateFilters({
  filters,
  onChange,
  stageOptions,
  jobOptions,
}: {
  filters: Filters;
  onChange: (patch: Partial<Filters>) => void;
  stageOptions: string[];
  jobOptions: string[];
}) {
  const stageListId = useId();
  const jobListId = useId();
  const active = Boolean(filters.q || filters.provider || filters.stage || filters.job || filters.deleted || filters.status || filters.includeTest);
  return (
    <form
      role="search"
      aria-label="Filter candidates"
      onSubmit={(e) => e.preventDefault()}
      className="grid grid-cols-2 items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto_auto]"
    >
      <DebouncedInput
        label="Search"
        type="search"
        value={filters.q ?? ""}
        onCommit={(q) => onChange({ q })}
        placeholder="Name, email or provider ID"
        className="col-span-2 lg:col-span-1"
      />
      <SelectFilter
        label="Provider"
        value={filters.provider ?? ""}
        onChange={(provider) => onChange({ provider })}
        options={[{ value: "", label: "All providers" }, ...providerIds.map((p) => ({ value: p, label: providerLabels[p] ?? p }))]}
      />
      <SelectFilter
        label="Status"
        value={filters.status ?? ""}
        onChange={(status) => onChange({ status: (status || undefined) as CandidateStatus | undefined })}
        options={[{ value: "", label: "Any status" }, ...candidateStatuses.map((st) => ({ value: st, label: statusLabels[st] }))]}
      />
      <DebouncedInput label="Current stage" value={filters.stage ?? ""} onCommit={(stage) => onChange({ stage })} placeholder="Any stage" list={stageListId} />
      <datalist id={stageListId}>
        {stageOptions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <DebouncedInput label="Job" value={filters.job ?? ""} onCommit={(job) => onChange({ job })} placeholder="Job title or ID" list={jobListId} />
      <datalist id={jobListId}>
        {jobOptions.map((j) => (
          <option key={j} value={j} />
        ))}
      </datalist>
      <SelectFilter
        label="Deleted"
        value={filters.deleted ?? ""}
        onChange={(deleted) => onChange({ deleted: (deleted || undefined) as DeletedFilter | undefined })}
        options={[
          { value: "", label: "Show all" },
          { value: "exclude", label: "Hide deleted" },
          { value: "only", label: "Only deleted" },
        ]}
      />
      <label className="col-span-2 flex h-9 items-center gap-2 text-sm text-slate-700 lg:col-span-1">
        <input
          type="checkbox"
          checked={filters.includeTest === "1"}
          onChange={(e) => onChange({ includeTest: e.target.checked ? "1" : undefined })}
          className="h-4 w-4 rounded border-slate-300"
        />
        Test data
      </label>
      <button
        type="button"
        onClick={() => onChange({ q: "", provider: "", stage: "", job: "", deleted: undefined, status: undefined, includeTest: undefined })}
        disabled={!active}
        className="h-9 rounded-md px-3 text-sm text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 disabled:cursor-not-allowed disabled:opacity-50"
      >
        Clear
      </button>
    </form>
  );
}
