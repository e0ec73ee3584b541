"use client";

import { CopyButton } from "@/components/ui/copy-button";

/** Pretty-prints when the body is JSON, else shows it raw. Always plain text in a <pre>: never HTML, never links. */
export function prettyBody(text: string): { text: string; json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

export function BodyView({ body, contentType }: { body: { text: string; bytes: number; base64: string }; contentType: string | null }) {
  const pretty = prettyBody(body.text);
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        <p className="text-xs text-slate-600">
          <span className="font-mono">{contentType ?? "no content type"}</span> · {body.bytes.toLocaleString("en-GB")} bytes
          {pretty.json ? " · pretty-printed" : body.text ? " · not valid JSON, shown as received" : ""}
        </p>
        <div className="flex gap-1.5">
          <CopyButton text={body.text} label="Copy raw" />
          {pretty.json ? <CopyButton text={pretty.text} label="Copy pretty" /> : null}
        </div>
      </div>
      {body.bytes === 0 ? (
        <p className="p-3 text-sm text-slate-600">Empty body.</p>
      ) : (
        <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all bg-white p-3 font-mono text-xs leading-relaxed text-slate-800">
          {pretty.text}
        </pre>
      )}
    </div>
  );
}
