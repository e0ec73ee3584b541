"use client";
import { usePathname, useSearchParams } from "next/navigation";

/*
 * On App Router pages these are never null, but Next types them as possibly null once the app also
 * has a Pages Router route (the webhook route, pages/api/webhooks). One place to say so.
 */
const noParams = new URLSearchParams();

export function useCurrentPath(): string {
  return usePathname() ?? "/";
}

export function useCurrentSearchParams(): Pick<URLSearchParams, "get" | "toString"> {
  return useSearchParams() ?? noParams;
}
