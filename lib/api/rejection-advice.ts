import { getProvider } from "../providers/registry";

/**
 * What to do about a refused request, by its cause: a signature refusal is about the secret, a
 * content-type refusal about the sender's format setting (never the secret, which an unsigned
 * provider does not even have).
 */
export function adviseRejection(rejection: { status: number; provider: string }): string {
  const provider = getProvider(rejection.provider);
  const name = provider?.displayName ?? rejection.provider;
  switch (rejection.status) {
    case 401:
      return `The signature did not match: paste the endpoint's secret again into ${name}'s webhook settings (or rotate it in Settings), and check that nothing between ${name} and this server rewrites the body.`;
    case 415:
      return `${name} was expected to send a different content type: check the webhook's format setting in ${name}, and that no proxy in between changes the Content-Type header.`;
    case 405:
      return `${name} delivers with ${provider?.methods.join(", ") ?? "POST"}: this request came from something else, such as a browser or an uptime check, or the webhook's method setting in ${name} is wrong.`;
    case 410:
      return "The endpoint is disabled: enable it in Settings to receive deliveries again.";
    case 404:
      return "No endpoint has this URL: copy the webhook URL again from Settings.";
    case 413:
      return "The body is over the 1 MiB limit.";
    default:
      return provider?.signs ? "Check the endpoint's secret and the webhook's settings in the provider." : `Check the webhook's settings in ${name}.`;
  }
}
