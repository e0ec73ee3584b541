import * as client from "openid-client";
import { logEvent } from "../log";

/**
 * Single sign-on with any OpenID Connect provider (Okta, Google, Entra ID, Keycloak…): the
 * authorization code flow with PKCE, state and nonce (openid-client). Configured by OIDC_ISSUER,
 * OIDC_CLIENT_ID and OIDC_CLIENT_SECRET; without them the "Sign in with SSO" button is not shown.
 */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export function readOidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | null {
  const issuer = env.OIDC_ISSUER?.trim();
  const clientId = env.OIDC_CLIENT_ID?.trim();
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim();
  return issuer && clientId && clientSecret ? { issuer, clientId, clientSecret } : null;
}

const discovered = new Map<string, Promise<client.Configuration>>();

/** The provider's metadata, discovered once per process (a failure is retried on the next sign-in). */
export function oidcConfiguration(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer} ${settings.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    const issuer = new URL(settings.issuer);
    // Plain http only for an issuer on this machine (a local test provider); anything else must be https.
    const local = issuer.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(issuer.hostname);
    found = client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, local ? { execute: [client.allowInsecureRequests] } : undefined);
    found.catch((error) => {
      discovered.delete(key);
      logEvent("error", "OIDC discovery failed", { issuer: settings.issuer, error: String(error) });
    });
    discovered.set(key, found);
  }
  return found;
}

export const SSO_COOKIE = "ch_sso";

export interface SsoState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** Where to send the browser, and what the callback must find again (kept in a short-lived httpOnly cookie). */
export async function startSso(settings: OidcSettings, redirectUri: string, next: string): Promise<{ url: URL; pending: SsoState }> {
  const config = await oidcConfiguration(settings);
  const verifier = client.randomPKCECodeVerifier();
  const pending: SsoState = { state: client.randomState(), nonce: client.randomNonce(), verifier, next };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return { url, pending };
}

/** The verified email the provider vouches for, or why there is none. */
export async function finishSso(settings: OidcSettings, callbackUrl: URL, pending: SsoState): Promise<{ email: string; name: string | null } | { error: string }> {
  const config = await oidcConfiguration(settings);
  const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  // Many providers put email in the ID token; those that do not (or conform it away) answer at userinfo.
  const claims = typeof idClaims?.email === "string" ? idClaims : { ...idClaims, ...(await client.fetchUserInfo(config, tokens.access_token, idClaims!.sub)) };
  const email = typeof claims?.email === "string" ? claims.email.trim().toLowerCase() : null;
  if (!email) return { error: "the identity provider sent no email address; ask your administrator to release the email claim" };
  if (!isEmailVerified(claims)) return { error: "the identity provider has not verified this email address" };
  return { email, name: typeof claims.name === "string" ? claims.name : null };
}

/**
 * `email_verified: true`, or — only when that claim is absent — Microsoft Entra ID's optional
 * `xms_edov: true` (the email's domain is verified by the tenant): Entra never sends
 * `email_verified` for work accounts. Use a tenant-specific issuer with Entra, not `common`.
 */
export function isEmailVerified(claims: Record<string, unknown> | undefined): boolean {
  if (!claims) return false;
  if (claims.email_verified !== undefined) return claims.email_verified === true;
  return claims.xms_edov === true;
}
