import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { PermissionsProvider } from "@/components/team/permissions";
import { readPagePrincipal } from "@/lib/auth/page-principal";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await readPagePrincipal();
  return (
    <PermissionsProvider principal={principal}>
      <Nav />
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </PermissionsProvider>
  );
}
