import { z } from "zod";

/**
 * Roles (issue 19): owner — everything, including the team, tokens of others and the audit log;
 * admin — endpoints, secrets, reprocess and the other changes to data; viewer — browsing only.
 * Exporting personal data is its own permission (`canExport`), given to any role.
 *
 * A route or page names the one permission it needs; a personal API token carries scopes with
 * the same names, and can do only what both its scopes and its user's role allow.
 */
export const roleSchema = z.enum(["owner", "admin", "viewer"]);
export type Role = z.infer<typeof roleSchema>;

export const permissionSchema = z.enum(["read", "write", "export", "admin"]);
export type Permission = z.infer<typeof permissionSchema>;

const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  owner: ["read", "write", "admin"],
  admin: ["read", "write"],
  viewer: ["read"],
};

export function permissionsOf(role: Role, canExport: boolean): Permission[] {
  return [...ROLE_PERMISSIONS[role], ...(canExport ? (["export"] as const) : [])];
}

/** Who is asking, as every authenticated request knows it. */
export interface Principal {
  /** Written into the audit log: `admin-token`, `user:<email>`, or `token:<id> (<owner>)`. */
  actor: string;
  /** null for the admin token's holder (the bootstrap owner) and tokens made with it. */
  userId: string | null;
  role: Role;
  permissions: Permission[];
  /** The API token used, when it was one. */
  tokenId: string | null;
}

/** The admin token from ADMIN_TOKEN / DATA_DIR/admin-token: the owner, with every permission. */
export const adminTokenPrincipal: Principal = {
  actor: "admin-token",
  userId: null,
  role: "owner",
  permissions: permissionsOf("owner", true),
  tokenId: null,
};

export function userPrincipal(user: { id: string; email: string; role: string; canExport: boolean }): Principal {
  const role = roleSchema.catch("viewer").parse(user.role);
  return { actor: `user:${user.email}`, userId: user.id, role, permissions: permissionsOf(role, user.canExport), tokenId: null };
}

/** A token can do what its scopes and its owner's role both allow. */
export function tokenPrincipal(owner: Principal, token: { id: string; scopes: string[] }): Principal {
  return {
    ...owner,
    actor: `token:${token.id} (${owner.actor})`,
    permissions: owner.permissions.filter((p) => token.scopes.includes(p)),
    tokenId: token.id,
  };
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.includes(permission);
}

const PERMISSION_REASONS: Record<Permission, string> = {
  read: "browsing needs a signed-in team member or a token with the read scope",
  write: "changing endpoints, secrets or data needs the admin or owner role (and the write scope for a token)",
  export: "exporting personal data needs the export permission (and the export scope for a token)",
  admin: "managing the team, other people's sessions and tokens, and the audit log needs the owner role (and the admin scope for a token)",
};

export function missingPermissionReason(permission: Permission): string {
  return PERMISSION_REASONS[permission];
}

/** Request header proxy.ts sets for pages: `{actor, role, permissions}` of the signed-in person. */
export const PRINCIPAL_HEADER = "x-ch-principal";

export const pagePrincipalSchema = z.object({ actor: z.string(), role: roleSchema, permissions: z.array(permissionSchema) });
export type PagePrincipal = z.infer<typeof pagePrincipalSchema>;
