import { describe, expect, it } from "vitest";
import { isEmailVerified, readOidcSettings } from "./oidc";

describe("OIDC settings and email verification", () => {
  it("SSO is on only with issuer, client id and secret", () => {
    expect(readOidcSettings({ OIDC_ISSUER: "https://id.example", OIDC_CLIENT_ID: "c" })).toBeNull();
    expect(readOidcSettings({ OIDC_ISSUER: "https://id.example", OIDC_CLIENT_ID: "c", OIDC_CLIENT_SECRET: "s" })).toEqual({ issuer: "https://id.example", clientId: "c", clientSecret: "s" });
  });

  it("trusts email_verified: true, and Entra's xms_edov only when email_verified is absent", () => {
    expect(isEmailVerified({ email_verified: true })).toBe(true);
    expect(isEmailVerified({ email_verified: "true" })).toBe(false);
    expect(isEmailVerified({ email_verified: false, xms_edov: true })).toBe(false);
    expect(isEmailVerified({ xms_edov: true })).toBe(true);
    expect(isEmailVerified({})).toBe(false);
    expect(isEmailVerified(undefined)).toBe(false);
  });
});
