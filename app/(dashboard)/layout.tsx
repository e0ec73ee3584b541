import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { PermissionsProvider } from "@/components/team/permissions";
import { readPagePrincipal } from "@/lib/auth/page-principal";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await readPagePrincipal();
  return (
    <PermissionsProvider principal={principal}>
      <Nav />
      {/* tabIndex -1: the skip link moves focus here, not only the scroll position. */}
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 focus:outline-none sm:px-6 sm:py-8">
        {children}
      </main>
    </PermissionsProvider>
  );
}
