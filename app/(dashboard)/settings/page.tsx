import { SettingsView } from "@/components/settings/settings-view";
import { providers } from "@/lib/providers/registry";

export const dynamic = "force-dynamic";

export default function SettingsPage() {
  // Provider modules stay on the server; the client only needs their names.
  const options = Object.values(providers).map((p) => ({ id: p.id, displayName: p.displayName, signs: p.signs }));
  return <SettingsView providers={options} />;
}
