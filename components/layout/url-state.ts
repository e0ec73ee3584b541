"use client";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

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

/*
 * A list page's filters live in its URL. Every way back to the list (the "← Candidates" link, the
 * main navigation) returns to the filters last used in this tab, kept per list in sessionStorage.
 */
const listQueryKey = (path: string) => `list-query:${path}`;

/** Remembers the list's current query string (call on the list page). */
export function useRememberListQuery(path: string, query: string): void {
  useEffect(() => {
    try {
      if (query) sessionStorage.setItem(listQueryKey(path), query);
      else sessionStorage.removeItem(listQueryKey(path));
    } catch {
      // Storage disabled: links fall back to the bare list.
    }
  }, [path, query]);
}

/** The list's URL with the filters last used in this tab (the bare path until the page has mounted). */
export function useListHref(path: string): string {
  const [href, setHref] = useState(path);
  const current = useCurrentPath();
  useEffect(() => {
    let query: string | null = null;
    try {
      query = sessionStorage.getItem(listQueryKey(path));
    } catch {
      query = null;
    }
    setHref(query ? `${path}?${query}` : path);
    // Read again after each navigation: the list may have changed its filters meanwhile.
  }, [path, current]);
  return href;
}
