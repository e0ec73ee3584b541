"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { PagePrincipal, Permission } from "@/lib/auth/roles";

const PermissionsContext = createContext<PagePrincipal | null>(null);

/** What the signed-in person may do, so the UI hides the rest (the server enforces it regardless). */
export function PermissionsProvider({ principal, children }: { principal: PagePrincipal | null; children: ReactNode }) {
  return <PermissionsContext.Provider value={principal}>{children}</PermissionsContext.Provider>;
}

export function useCan(permission: Permission): boolean {
  const principal = useContext(PermissionsContext);
  // Outside the dashboard's layout (tests rendering a component alone) nothing is hidden.
  return principal === null ? true : principal.permissions.includes(permission);
}

export function usePrincipal(): PagePrincipal | null {
  return useContext(PermissionsContext);
}
