import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as ssoCallbackRoute } from "@/app/api/auth/sso/callback/route";
import { GET as ssoStartRoute } from "@/app/api/auth/sso/route";
import { GET as listEndpointsRoute } from "@/app/api/endpoints/route";
import { POST as createUserRoute } from "@/app/api/users/route";
import { setDb } from "@/lib/db/client";
import { BASE, call } from "../helpers/api";
import { createTestDb, type TestDb } from "../helpers/test-db";

/**
 * Single sign-on end to end against a real OpenID Connect provider (the `oidc-provider` package)
 * started here on a local port: discovery, the authorization code flow with PKCE, the provider's
 * own login and consent forms, the code exchange, ID token and userinfo verification.
 */
const CLIENT = { client_id: "candidate-history", client_secret: "a-long-enough-client-secret-0123456789" };

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * A person at the provider: follows its redirects and submits its forms (login with `login`,
 * then consent) until the provider sends the browser back to the dashboard's callback.
 */
async function signInAtProvider(start: string, login: string): Promise<string> {
  const jar = new CookieJar();
  let url = start;
  let form: { action: string; fields: Record<string, string> } | null = null;
  for (let step = 0; step < 20; step++) {
    const response: Response = form
      ? await fetch(form.action, { method: "POST", redirect: "manual", headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form.fields) })
      : await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.take(response);
    form = null;
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      if (url.startsWith(`${BASE}/api/auth/sso/callback`)) return url;
      continue;
    }
    const html: string = await response.text();
    const action: string | undefined = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no form at ${url}: ${response.status} ${html.slice(0, 300)}`);
    const fields: Record<string, string> = {};
    for (const [, name, value] of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields[name!] = value!;
    if (/name="login"/.test(html)) Object.assign(fields, { login, password: "any" });
    form = { action: new URL(action.replace(/&amp;/g, "&"), url).href, fields };
  }
  throw new Error("the provider never sent the browser back");
}

describe("single sign-on against a local OpenID Connect provider", () => {
  let t: TestDb;
  let server: Server;
  let issuer: string;

  beforeAll(async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{ ...CLIENT, redirect_uris: [`${BASE}/api/auth/sso/callback`], token_endpoint_auth_method: "client_secret_post" }],
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      // The login form's `login` is the account: `unverified.` accounts have an unverified email.
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => ({ sub, email: sub.replace(/^unverified\./, ""), email_verified: !sub.startsWith("unverified."), name: "SSO Person" }),
      }),
      pkce: { required: () => true },
    });
    handler = provider.callback();
    process.env.OIDC_ISSUER = issuer;
    process.env.OIDC_CLIENT_ID = CLIENT.client_id;
    process.env.OIDC_CLIENT_SECRET = CLIENT.client_secret;
    t = await createTestDb("pglite");
    setDb(t.db);
  }, 60_000);
  afterAll(async () => {
    delete process.env.OIDC_ISSUER;
    delete process.env.OIDC_CLIENT_ID;
    delete process.env.OIDC_CLIENT_SECRET;
    setDb(undefined);
    await t?.drop();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function ssoSignIn(login: string) {
    const start = await ssoStartRoute(new Request(`${BASE}/api/auth/sso?next=/candidates`));
    expect(start.status).toBe(303);
    const authorize = start.headers.get("location")!;
    expect(authorize.startsWith(`${issuer}/auth?`)).toBe(true);
    expect(new URL(authorize).searchParams.get("code_challenge_method")).toBe("S256");
    const ssoCookie = start.headers.getSetCookie()[0]!.split(";")[0]!;
    const callback = await signInAtProvider(authorize, login);
    return ssoCallbackRoute(new Request(callback, { headers: { cookie: ssoCookie } }));
  }

  it("an invited email signs in (accepting the invitation) and gets the invited role", async () => {
    const invited = await call(createUserRoute as never, "POST", "/api/users", { body: JSON.stringify({ email: "sso.viewer@example.test", name: "S", role: "viewer" }), headers: { "content-type": "application/json" } });
    expect(invited.status).toBe(201);
    const answer = await ssoSignIn("sso.viewer@example.test");
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`${BASE}/candidates`);
    const session = answer.headers.getSetCookie().find((c) => c.startsWith("ch_session="))!.split(";")[0]!;
    const browse = await call(listEndpointsRoute as never, "GET", "/api/endpoints", { headers: { cookie: session }, auth: false });
    expect(browse.status).toBe(200);
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email: "sso.viewer@example.test" } });
    expect(user.inviteTokenHash).toBeNull();
    expect(user.lastSignInAt).not.toBeNull();
  }, 60_000);

  it("an email not on the team, or not verified by the provider, is refused with the reason", async () => {
    const stranger = await ssoSignIn("stranger@example.test");
    expect(stranger.status).toBe(303);
    expect(decodeURIComponent(stranger.headers.get("location")!)).toMatch(/error=sso.*stranger@example\.test is not on the team/);
    expect(stranger.headers.getSetCookie().some((c) => c.startsWith("ch_session="))).toBe(false);
    const unverified = await ssoSignIn("unverified.sso.viewer@example.test");
    expect(decodeURIComponent(unverified.headers.get("location")!)).toMatch(/not verified/);
  }, 60_000);

  it("a callback without the browser's own state is refused", async () => {
    const start = await ssoStartRoute(new Request(`${BASE}/api/auth/sso`));
    const callback = await signInAtProvider(start.headers.get("location")!, "sso.viewer@example.test");
    const forged = await ssoCallbackRoute(new Request(callback));
    expect(decodeURIComponent(forged.headers.get("location")!)).toMatch(/start again/);
  }, 60_000);
});
