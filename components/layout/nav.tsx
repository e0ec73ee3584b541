"use client";

import Link from "next/link";
import type { Permission } from "@/lib/auth/roles";
import { usePrincipal } from "../team/permissions";
import { useCurrentPath, useListHref } from "./url-state";

const items: { href: string; label: string; permission: Permission }[] = [
  { href: "/", label: "Overview", permission: "read" },
  { href: "/candidates", label: "Candidates", permission: "read" },
  { href: "/deliveries", label: "Deliveries", permission: "read" },
  { href: "/settings", label: "Settings", permission: "write" },
  { href: "/team", label: "Team", permission: "admin" },
  { href: "/audit", label: "Audit", permission: "admin" },
  { href: "/account", label: "Tokens", permission: "read" },
  { href: "/api-reference", label: "API", permission: "read" },
];

export function Nav() {
  const pathname = useCurrentPath();
  // Back to a list keeps its filters.
  const listHrefs: Record<string, string> = { "/candidates": useListHref("/candidates") };
  const principal = usePrincipal();
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-8 px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <img src="/favicon.svg" alt="" className="h-6 w-6" />
          Candidate History
        </Link>
        <nav aria-label="Main" className="flex gap-1 text-sm">
          {items.filter((item) => principal === null || principal.permissions.includes(item.permission)).map((item) => {
            const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
            return (
              <Link
                key={item.href}
                href={listHrefs[item.href] ?? item.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-400 ${
                  active ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                }`}
              >
                {item.label}
              </Link>
            );
          })}
        </nav>
        {principal ? (
          <span className="ml-auto truncate text-xs text-slate-500" title={principal.actor}>
            {principal.actor.replace(/^user:/, "")} · {principal.role}
          </span>
        ) : null}
        <form method="post" action="/logout" className={principal ? "" : "ml-auto"}>
          <input type="hidden" name="everywhere" value="1" />
          <button
            type="submit"
            title="End every session of yours, in every browser (the admin token's holder ends everyone's)"
            className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
          >
            Sign out everywhere
          </button>
        </form>
        <form method="post" action="/logout">
          <button type="submit" className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900">
            Log out
          </button>
        </form>
      </div>
    </header>
  );
}
