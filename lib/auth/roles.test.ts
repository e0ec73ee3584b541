import { describe, expect, it } from "vitest";
import { passwordProblem } from "./passwords";
import { adminTokenPrincipal, can, permissionsOf, tokenPrincipal, userPrincipal } from "./roles";

describe("roles and permissions", () => {
  it("give each role its permissions, and export only with canExport", () => {
    expect(permissionsOf("viewer", false)).toEqual(["read"]);
    expect(permissionsOf("admin", true)).toEqual(["read", "write", "export"]);
    expect(permissionsOf("owner", false)).toEqual(["read", "write", "admin"]);
    expect(can(adminTokenPrincipal, "export")).toBe(true);
  });

  it("a token can do what both its scopes and its user's role allow", () => {
    const viewer = userPrincipal({ id: "usr_1", email: "v@example.test", role: "viewer", canExport: false });
    const token = tokenPrincipal(viewer, { id: "tok_1", scopes: ["read", "write", "admin"] });
    expect(token.permissions).toEqual(["read"]);
    expect(token.actor).toBe("token:tok_1 (user:v@example.test)");
  });

  it("an unknown stored role is read as the least one", () => {
    expect(userPrincipal({ id: "usr_2", email: "x@example.test", role: "superuser", canExport: false }).role).toBe("viewer");
  });
});

describe("password policy", () => {
  it("refuses short, overlong, common and email-derived passwords", () => {
    expect(passwordProblem("short")).toMatch(/at least 12/);
    expect(passwordProblem("x".repeat(257))).toMatch(/at most 256/);
    expect(passwordProblem("password1234")).toMatch(/common breached/);
    expect(passwordProblem("ritaremembers-42", { email: "rita@example.test" })).toMatch(/email/);
    expect(passwordProblem("violet-harbour-7-lanterns")).toBeNull();
  });
});
