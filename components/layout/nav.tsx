"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useKeyShortcut } from "./keyboard";
import type { Permission } from "@/lib/auth/roles";
import { usePrincipal } from "../team/permissions";
import { useCurrentPath, useListHref } from "./url-state";

const items: { href: string; label: string; permission: Permission }[] = [
  { href: "/", label: "Overview", permission: "read" },
  { href: "/candidates", label: "Candidates", permission: "read" },
  { href: "/deliveries", label: "Deliveries", permission: "read" },
  { href: "/analytics", label: "Analytics", permission: "read" },
  { href: "/settings", label: "Settings", permission: "write" },
  { href: "/team", label: "Team", permission: "admin" },
  { href: "/audit", label: "Audit", permission: "admin" },
  { href: "/account", label: "Tokens", permission: "read" },
  { href: "/api-reference", label: "API", permission: "read" },
];

const linkFocus = "focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400";

/** After a client-side navigation the search box appears a moment later: focus it then (or give up after 3 s). */
function focusSearchWhenShown(started = performance.now()) {
  const search = document.querySelector<HTMLInputElement>('main input[type="search"]');
  if (search) search.focus();
  else if (performance.now() - started < 3_000) requestAnimationFrame(() => focusSearchWhenShown(started));
}

export function Nav() {
  const pathname = useCurrentPath();
  // Back to a list keeps its filters.
  const listHrefs: Record<string, string> = { "/candidates": useListHref("/candidates") };
  const principal = usePrincipal();
  // Below the sm breakpoint the links and Log out fold behind a Menu button, so a phone keeps all of them.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [pathname]);
  const menuButton = useRef<HTMLButtonElement>(null);
  useKeyShortcut(
    "Escape",
    () => {
      if (!open) return false;
      setOpen(false);
      menuButton.current?.focus();
      return true;
    },
    { inFields: true },
  );
  const router = useRouter();
  // "/" focuses the page's search box; a page without one goes to the candidates list, which has one.
  useKeyShortcut("/", () => {
    const search = document.querySelector<HTMLInputElement>('main input[type="search"]');
    if (search) {
      search.focus();
      search.select();
    } else {
      router.push("/candidates");
      focusSearchWhenShown();
    }
    return true;
  });
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur">
      <a
        href="#main"
        className="sr-only rounded-md bg-white px-3 py-2 text-sm font-medium text-slate-900 focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-30 focus:ring-2 focus:ring-sky-400"
      >
        Skip to content
      </a>
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-8 px-4 sm:px-6 xl:h-14 xl:flex-nowrap">
        <Link href="/" className={`flex h-14 items-center gap-2 rounded-md font-semibold whitespace-nowrap tracking-tight xl:h-auto ${linkFocus}`}>
          <img src="/favicon.svg" alt="" className="h-6 w-6" />
          Candidate History
        </Link>
        <button
          ref={menuButton}
          type="button"
          aria-expanded={open}
          aria-controls="main-menu"
          onClick={() => setOpen((o) => !o)}
          className={`ml-auto rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 xl:hidden ${linkFocus}`}
        >
          <span aria-hidden className="mr-1.5">
            {open ? "✕" : "☰"}
          </span>
          Menu
        </button>
        <div id="main-menu" className={`${open ? "flex" : "hidden"} w-full flex-col gap-1 pb-3 xl:flex xl:w-auto xl:flex-1 xl:flex-row xl:items-center xl:pb-0`}>
          <nav aria-label="Main" className="flex flex-col gap-1 text-sm xl:flex-row">
            {items.filter((item) => principal === null || principal.permissions.includes(item.permission)).map((item) => {
              const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href) || (item.href === "/candidates" && pathname.startsWith("/people"));
              return (
                <Link
                  key={item.href}
                  href={listHrefs[item.href] ?? item.href}
                  aria-current={active ? "page" : undefined}
                  className={`rounded-md px-3 py-1.5 ${linkFocus} ${
                    active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                  }`}
                >
                  {item.label}
                </Link>
              );
            })}
          </nav>
          {principal ? (
            <span className="truncate px-3 text-xs text-slate-500 xl:ml-auto" title={principal.actor}>
              {principal.actor.replace(/^user:/, "")} · {principal.role}
            </span>
          ) : null}
          <form method="post" action="/logout" className={principal ? "" : "xl:ml-auto"}>
            <input type="hidden" name="everywhere" value="1" />
            <button
              type="submit"
              title="End every session of yours, in every browser (the admin token's holder ends everyone's)"
              className={`w-full rounded-md px-3 py-1.5 text-left text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 xl:whitespace-nowrap ${linkFocus}`}
            >
              Sign out everywhere
            </button>
          </form>
          <form method="post" action="/logout">
            <button type="submit" className={`w-full rounded-md px-3 py-1.5 text-left text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 xl:whitespace-nowrap ${linkFocus}`}>
              Log out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
