/**
 * One fill per stage position, for the flow chart and its legend. Listed literally so Tailwind
 * generates them; the dark theme flips each scale (app/globals.css), so they stay distinct there.
 */
const fills = [
  "bg-sky-600", "bg-indigo-500", "bg-emerald-600", "bg-amber-500", "bg-fuchsia-600", "bg-teal-600",
  "bg-orange-600", "bg-violet-600", "bg-lime-600", "bg-rose-600", "bg-cyan-700", "bg-slate-500",
];

export function stageFill(index: number): string {
  return fills[index % fills.length]!;
}
