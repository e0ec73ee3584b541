import { AccountView } from "@/components/account/account-view";

export const dynamic = "force-dynamic";

export default function AccountPage() {
  return <AccountView />;
}
