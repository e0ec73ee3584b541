import Link from "next/link";

/** The candidates list's two views: one row per provider record, or one per person (records grouped). */
export function RecordsTabs({ current }: { current: "records" | "people" }) {
  const tab = (key: "records" | "people", href: string, label: string) => (
    <Link
      href={href}
      aria-current={current === key ? "page" : undefined}
      className={`rounded-md px-3 py-1.5 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
        current === key ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"
      }`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Candidates views" className="inline-flex gap-1 rounded-lg border border-slate-200 bg-white p-1">
      {tab("records", "/candidates", "Records")}
      {tab("people", "/people", "People")}
    </nav>
  );
}
