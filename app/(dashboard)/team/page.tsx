import { TeamView } from "@/components/team/team-view";

export const dynamic = "force-dynamic";

export default function TeamPage() {
  return <TeamView />;
}
