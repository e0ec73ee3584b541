import { EndpointPage } from "@/components/endpoints/endpoint-page";

export const dynamic = "force-dynamic";

export default async function EndpointSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  return <EndpointPage id={(await params).id} />;
}
