import type { ChangeView } from "@/lib/contracts/responses";
import { formatJsonValue, JsonValue } from "@/components/ui/json-value";
import { PathText } from "./path-text";

const kindStyles: Record<ChangeView["kind"], { row: string; marker: string; symbol: string; label: string }> = {
  added: { row: "bg-emerald-50/70", marker: "border-l-emerald-500 text-emerald-700", symbol: "+", label: "added" },
  removed: { row: "bg-rose-50/70", marker: "border-l-rose-500 text-rose-700", symbol: "−", label: "removed" },
  changed: { row: "bg-amber-50/70", marker: "border-l-amber-500 text-amber-800", symbol: "~", label: "changed" },
};

const MAX_PRETTY = 1_500;
/** Keys are the sender's too: a path can be as long as the body. */
const MAX_PATH = 500;

/** A value cell; an absent side (before of an addition, after of a removal) reads "—", not null. */
function ValueCell({ value, absent, className, label }: { value: unknown; absent: boolean; className: string; label: string }) {
  if (absent) {
    return (
      <td data-label={label} className="px-3 py-1.5 align-top text-xs leading-5 text-slate-400">
        <span aria-hidden>—</span>
        <span className="sr-only">absent</span>
      </td>
    );
  }
  if (value !== null && typeof value === "object") {
    // Records and lists (an added array item, say) read better indented than on one long line.
    const shown = formatJsonValue(value, MAX_PRETTY, 2);
    return (
      <td data-label={label} className="min-w-0 px-3 py-1.5 align-top" title={shown.endsWith("…") ? formatJsonValue(value, 4_000) : undefined}>
        <code tabIndex={0} className={`block max-h-64 overflow-y-auto whitespace-pre-wrap break-all font-mono text-xs leading-5 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-400 ${className}`}>{shown}</code>
      </td>
    );
  }
  return (
    <td data-label={label} className="min-w-0 px-3 py-1.5 align-top" title={formatJsonValue(value, 4_000)}>
      <JsonValue value={value} className={`block whitespace-pre-wrap leading-5 ${className}`} />
    </td>
  );
}

/** Field-level changes as rows: path, before, after, colored by kind. Only changed fields exist here. */
export function ChangeRows({ changes, caption = "Field changes" }: { changes: ChangeView[]; caption?: string }) {
  if (changes.length === 0) return null;
  return (
    <div className="overflow-hidden rounded-md border border-slate-200">
      <table className="stack-on-phone w-full table-fixed border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <colgroup>
          <col className="w-[34%]" />
          <col className="w-[33%]" />
          <col className="w-[33%]" />
        </colgroup>
        <thead className="bg-slate-50 text-[11px] font-medium uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Field
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Before
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200/70">
          {changes.map((change, i) => {
            const style = kindStyles[change.kind];
            return (
              <tr key={`${change.path}-${i}`} className={`${style.row} ${change.noise ? "opacity-70" : ""}`}>
                <th scope="row" className={`border-l-4 px-3 py-1.5 align-top font-normal ${style.marker}`}>
                  <span className="flex items-start gap-1.5">
                    <span aria-hidden className="w-3 shrink-0 font-mono text-xs font-bold leading-5">
                      {style.symbol}
                    </span>
                    <span className="sr-only">{style.label}: </span>
                    <code className="min-w-0 font-mono text-xs leading-5 text-slate-800 [overflow-wrap:anywhere]" title={change.path.length > MAX_PATH ? change.path.slice(0, 4_000) : undefined}>
                      <PathText path={change.path.length > MAX_PATH ? `${change.path.slice(0, MAX_PATH)}…` : change.path} />
                    </code>
                    {change.noise ? (
                      <span className="ml-auto mt-0.5 shrink-0 rounded bg-slate-200/80 px-1 text-[10px] font-medium uppercase tracking-wide text-slate-600">
                        bookkeeping
                      </span>
                    ) : null}
                  </span>
                </th>
                <ValueCell value={change.before} absent={change.kind === "added"} className="text-slate-700" label="Before" />
                <ValueCell value={change.after} absent={change.kind === "removed"} className="text-slate-900" label="After" />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
