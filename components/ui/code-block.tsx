import type { ReactNode } from "react";

export function CodeBlock({ children, label }: { children: ReactNode; label?: string }) {
  return (
    <figure className="overflow-hidden rounded-lg border border-slate-200 bg-slate-900">
      {label ? <figcaption className="border-b border-slate-700 px-4 py-2 text-xs font-medium text-slate-400">{label}</figcaption> : null}
      <pre tabIndex={0} role="region" aria-label={label ?? "Code"} className="overflow-x-auto p-4 font-mono text-[13px] leading-relaxed text-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-400">{children}</pre>
    </figure>
  );
}
