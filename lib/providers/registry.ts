import { greenhouseProvider } from "./greenhouse/provider";
import { idibuProvider } from "./idibu/provider";
import { outhireProvider } from "./outhire/provider";
import { talviewProvider } from "./talview/provider";
import { providerIds, type Provider, type ProviderId } from "./types";

/** The providers the app knows. Adding one: a folder under lib/providers and a line here. */
export const providers: Record<ProviderId, Provider> = {
  greenhouse: greenhouseProvider,
  talview: talviewProvider,
  idibu: idibuProvider,
  outhire: outhireProvider,
};

export function getProvider(id: string): Provider | null {
  return (providerIds as readonly string[]).includes(id) ? providers[id as ProviderId] : null;
}
