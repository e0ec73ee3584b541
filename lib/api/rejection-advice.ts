import { getProvider } from "../providers/registry";

/**
 * What to do about a refused request, by its cause: a signature refusal is about the secret, a
 * content-type refusal about the sender's format setting (never the secret, which an unsigned
 * provider does not even have).
 */
export function adviseRejection(rejection: { status: number; provider: string | null; error?: string }): string {
  const provider = rejection.provider === null ? undefined : getProvider(rejection.provider);
  const name = provider?.displayName ?? rejection.provider ?? "the sender";
  switch (rejection.status) {
    case 401:
      return `The signature did not match: paste the endpoint's secret again into ${name}'s webhook settings (or rotate it in Settings), and check that nothing between ${name} and this server rewrites the body.`;
    case 415:
      return `${name} was expected to send a different content type: check the webhook's format setting in ${name}, and that no proxy in between changes the Content-Type header.`;
    case 405:
      return `${name} delivers with ${provider?.methods.join(", ") ?? "POST"}: this request came from something else, such as a browser or an uptime check, or the webhook's method setting in ${name} is wrong.`;
    case 410:
      return rejection.error === "endpoint_deleted"
        ? `The endpoint was deleted: create a new one in Settings and paste its URL into ${name}'s webhook settings, or remove the webhook from ${name}.`
        : `The endpoint is disabled: enable it in Settings to receive deliveries again (${name} keeps being refused until then).`;
    case 404:
      if (rejection.error === "endpoint_url_replaced") {
        return `${name} still uses a URL that a URL rotation replaced and whose overlap has ended: paste the endpoint's current URL (Settings) into ${name}'s webhook settings. If nobody at ${name} should have it, the old URL leaked: nothing sent to it is stored.`;
      }
      return "No endpoint has this URL: copy the webhook URL again from Settings into the sender's webhook settings. If the endpoint's URL was rotated, the old one stopped at the end of its overlap. Requests from unknown senders can be ignored.";
    case 413:
      return `The body is over the 1 MiB limit and was not stored: check what ${name} sends to this webhook (attachments or a whole export in one event?) and whether it can send less.`;
    default:
      return provider?.signs ? "Check the endpoint's secret and the webhook's settings in the provider." : `Check the webhook's settings in ${name}.`;
  }
}
