import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { z } from "zod";
import { permissionSchema, type Permission } from "@/lib/auth/roles";
import { apiFetch } from "./api-client";

export const tokenViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  scopes: z.array(permissionSchema),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const sessionViewSchema = z.object({ id: z.string(), userId: z.string().nullable(), createdAt: z.string(), expiresAt: z.string(), current: z.boolean() });
const ok = z.object({}).passthrough();

export function useTokens() {
  return useQuery({ queryKey: ["tokens"], queryFn: () => apiFetch("/api/tokens", z.object({ tokens: z.array(tokenViewSchema) })) });
}

export function useSessions() {
  return useQuery({ queryKey: ["sessions"], queryFn: () => apiFetch("/api/sessions", z.object({ sessions: z.array(sessionViewSchema) })) });
}

export function useAccountMutations() {
  const client = useQueryClient();
  return {
    createToken: useMutation({
      mutationFn: (input: { name: string; scopes: Permission[]; expiresInDays?: number }) =>
        apiFetch("/api/tokens", z.object({ id: z.string(), token: z.string() }), { method: "POST", body: JSON.stringify(input) }),
      onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
    }),
    revokeToken: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/tokens/${encodeURIComponent(id)}`, ok, { method: "DELETE" }),
      onSuccess: () => client.invalidateQueries({ queryKey: ["tokens"] }),
    }),
    revokeSession: useMutation({
      mutationFn: (id: string) => apiFetch(`/api/sessions/${encodeURIComponent(id)}`, ok, { method: "DELETE" }),
      onSuccess: () => client.invalidateQueries({ queryKey: ["sessions"] }),
    }),
  };
}
