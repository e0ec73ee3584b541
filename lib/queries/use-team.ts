import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { roleSchema, type Role } from "@/lib/auth/roles";
import { apiFetch } from "./api-client";

export const teamUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  canExport: z.boolean(),
  status: z.enum(["invited", "active"]),
  createdAt: z.string(),
  lastSignInAt: z.string().nullable(),
  inviteExpiresAt: z.string().nullable(),
});
export type TeamUser = z.infer<typeof teamUserSchema>;

export const teamSchema = z.object({ users: z.array(teamUserSchema) });
export const inviteSchema = z.object({ id: z.string(), inviteUrl: z.string(), inviteToken: z.string() });

const teamKey = ["team"] as const;

export function useTeam() {
  return useQuery({ queryKey: teamKey, queryFn: () => apiFetch("/api/users", teamSchema) });
}

export function useTeamMutations() {
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: teamKey });
  return {
    invite: useMutation({
      mutationFn: (input: { email: string; name: string; role: Role; canExport: boolean }) =>
        apiFetch("/api/users", inviteSchema, { method: "POST", body: JSON.stringify(input) }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...input }: { id: string; role?: Role; canExport?: boolean }) =>
        apiFetch(`/api/users/${encodeURIComponent(id)}`, z.object({}).passthrough(), { method: "PATCH", body: JSON.stringify(input) }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/users/${encodeURIComponent(id)}`, z.object({}).passthrough(), { method: "DELETE" }),
      onSuccess: refresh,
    }),
    reinvite: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/users/${encodeURIComponent(id)}/invite`, inviteSchema, { method: "POST" }),
      onSuccess: refresh,
    }),
  };
}
