import type { Metadata } from "next";
import { Overview } from "@/components/overview/overview";
import { providers } from "@/lib/providers/registry";

export const metadata: Metadata = { title: "Overview · Candidate History" };

export default function OverviewPage() {
  // Provider modules are server code (signatures, crypto): pass the client only what it shows.
  const list = Object.values(providers).map((p) => ({ id: p.id, displayName: p.displayName, signature: p.setup.signature }));
  return <Overview providers={list} />;
}
