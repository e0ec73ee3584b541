import { headers } from "next/headers";
import { pagePrincipalSchema, PRINCIPAL_HEADER, type PagePrincipal } from "./roles";

/** The signed-in person as proxy.ts put it on the page request (server components only). */
export async function readPagePrincipal(): Promise<PagePrincipal | null> {
  const raw = (await headers()).get(PRINCIPAL_HEADER);
  if (!raw) return null;
  const parsed = pagePrincipalSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
