import { hash, verify } from "@node-rs/argon2";
import commonPasswords from "fxa-common-password-list";

export const MIN_PASSWORD_LENGTH = 12;
/** argon2 hashes any length, but a megabyte of "password" is only a way to spend our CPU. */
export const MAX_PASSWORD_LENGTH = 256;

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  // Mozilla's list of the most common breached passwords (fxa-common-password-list).
  if (commonPasswords.test(password) || commonPasswords.test(password.toLowerCase())) return "that password is on a list of common breached passwords; choose another";
  if (context.email && password.toLowerCase().includes(context.email.toLowerCase().split("@")[0]!)) return "the password must not contain your email name";
  return null;
}

/** argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum recommendation). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$g9lwhziBlauTUH5wOmgqwg$F/OakHG4ou1UHccjKbVVwi3vWnlsP6hc/WM4Efh8Lsw";

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  try {
    const ok = await verify(storedHash ?? DUMMY_HASH, password);
    return ok && storedHash !== null;
  } catch {
    return false;
  }
}
