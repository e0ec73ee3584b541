import { ashbyProvider } from "./ashby/provider";
import { greenhouseProvider } from "./greenhouse/provider";
import { idibuProvider } from "./idibu/provider";
import { leverProvider } from "./lever/provider";
import { outhireProvider } from "./outhire/provider";
import { talviewProvider } from "./talview/provider";
import { isProviderId } from "./catalog";
import type { Provider, ProviderId } from "./types";

/**
 * The server side of each provider in lib/providers/catalog.ts (verify, map, sign, simulator). The type
 * holds the two lists to the same ids: a provider missing here, or here and not in the catalog, does not compile.
 */
export const providers: Record<ProviderId, Provider> = {
  greenhouse: greenhouseProvider,
  talview: talviewProvider,
  idibu: idibuProvider,
  outhire: outhireProvider,
  lever: leverProvider,
  ashby: ashbyProvider,
};

export function getProvider(id: string): Provider | null {
  return isProviderId(id) ? providers[id] : null;
}
