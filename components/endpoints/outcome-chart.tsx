import type { EndpointActivityView } from "@/lib/queries/use-endpoint-activity";

const series = [
  { key: "succeeded", label: "Succeeded", fill: "fill-emerald-600", swatch: "bg-emerald-600" },
  { key: "failed", label: "Failed", fill: "fill-red-600", swatch: "bg-red-600" },
  { key: "rejected", label: "Rejected", fill: "fill-amber-500", swatch: "bg-amber-500" },
] as const;

const dayLabel = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" });

/** Stacked bars per UTC day (plain SVG), with the same figures as a table for screen readers. */
export function OutcomeChart({ days }: { days: EndpointActivityView["days"] }) {
  const totals = days.map((d) => d.succeeded + d.failed + d.rejected);
  const max = Math.max(1, ...totals);
  const sum = (key: (typeof series)[number]["key"]) => days.reduce((n, d) => n + d[key], 0);
  const all = sum("succeeded") + sum("failed") + sum("rejected");
  const width = 100 / days.length;
  return (
    <figure className="space-y-2">
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
        {series.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-sm ${s.swatch}`} />
            {s.label} {sum(s.key).toLocaleString("en-GB")}
            {all > 0 ? ` (${Math.round((sum(s.key) / all) * 100)} %)` : ""}
          </span>
        ))}
      </figcaption>
      <svg viewBox="0 0 100 40" preserveAspectRatio="none" aria-hidden className="h-32 w-full rounded bg-slate-50">
        {days.map((d, i) => {
          let y = 40;
          return series.map((s) => {
            const h = (d[s.key] / max) * 38;
            y -= h;
            return h > 0 ? <rect key={`${d.day}-${s.key}`} x={i * width + width * 0.15} y={y} width={width * 0.7} height={h} className={s.fill} /> : null;
          });
        })}
      </svg>
      <div aria-hidden className="flex justify-between text-[11px] text-slate-500">
        <span>{dayLabel.format(new Date(`${days[0]?.day}T00:00:00Z`))}</span>
        <span>{dayLabel.format(new Date(`${days.at(-1)?.day}T00:00:00Z`))}</span>
      </div>
      {/* sr-only on the table itself does not hold it to 1 px (tables size to their content) and it widened the page on phones. */}
      <div className="sr-only">
        <table>
          <caption>Deliveries per day (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {series.map((s) => (
                  <td key={s.key}>{d[s.key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
