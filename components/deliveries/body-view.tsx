"use client";

import { useMemo } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { BODY_DISPLAY_MAX_BYTES, BODY_DISPLAY_MAX_DEPTH, BODY_PRETTY_MAX_CHARS, deliveryBodyUrl, formatBodyForDisplay, type BodyDisplay } from "@/lib/format/body-display";

/** Why the text shown is not the whole body, when it is not: a cut large body, or collapsed deep nesting. */
export function BodyClipNote({ display, deliveryId, bytes }: { display: BodyDisplay; deliveryId: string; bytes: number }) {
  if (!display.clipped) return null;
  return (
    <p role="note" className="text-xs text-amber-900">
      {display.truncated ? `Showing the first ${(BODY_DISPLAY_MAX_BYTES / 1024).toLocaleString("en-GB")} KiB of ${bytes.toLocaleString("en-GB")} bytes, as received. ` : null}
      {display.collapsed ? `Nesting deeper than ${BODY_DISPLAY_MAX_DEPTH} levels is collapsed. ` : null}
      {display.prettyCut ? `The pretty print is cut after ${BODY_PRETTY_MAX_CHARS.toLocaleString("en-GB")} characters. ` : null}
      <a href={deliveryBodyUrl(deliveryId)} download className="font-medium underline underline-offset-2 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400">
        Download the exact bytes
      </a>
    </p>
  );
}

/** Pretty-prints when the body is JSON, else shows it raw; bounded in size and depth. Always plain text in a <pre>: never HTML, never links. */
export function BodyView({
  deliveryId,
  body,
  contentType,
}: {
  deliveryId: string;
  body: { text: string; bytes: number; base64: string; purged?: boolean };
  contentType: string | null;
}) {
  const display = useMemo(() => formatBodyForDisplay(body.text, body.bytes), [body.text, body.bytes]);
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5">
        <p className="text-xs text-slate-600">
          <span className="font-mono">{contentType ?? "no content type"}</span> · {body.bytes.toLocaleString("en-GB")} bytes
          {display.json ? " · pretty-printed" : display.truncated ? " · shown as received" : body.text ? " · not valid JSON, shown as received" : ""}
        </p>
        <div className="flex gap-1.5">
          <CopyButton text={body.text} label="Copy raw" />
          {display.json && !display.clipped ? <CopyButton text={display.text} label="Copy pretty" /> : null}
        </div>
      </div>
      {body.purged ? (
        <p className="p-3 text-sm text-slate-600">The body was dropped (erasure or retention); only its size and hash are kept.</p>
      ) : body.bytes === 0 ? (
        <p className="p-3 text-sm text-slate-600">Empty body.</p>
      ) : (
        <>
          {display.clipped ? (
            <div className="border-b border-amber-200 bg-amber-50 px-3 py-1.5">
              <BodyClipNote display={display} deliveryId={deliveryId} bytes={body.bytes} />
            </div>
          ) : null}
          <pre tabIndex={0} role="region" aria-label="Delivery body" className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all bg-white p-3 font-mono text-xs leading-relaxed text-slate-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-sky-400">
            {display.text}
          </pre>
        </>
      )}
    </div>
  );
}
