import type { Rng } from "./random";

/** Varied on purpose: accents, apostrophes, particles and CJK names exercise the UI and search. */
export const firstNames = [
  "Zoë", "José", "Åsa", "明", "Siobhán", "Ngozi", "Mateusz", "Priya", "Yuki", "Björn",
  "Amélie", "Kwame", "Fatima", "Chloé", "Dmitri", "Aoife", "Léa", "Olusegun", "Ingrid", "Raúl",
  "Mei", "Ananya", "Tomás", "Hannah", "Jürgen", "Noor", "Ewa", "Kai", "Marguerite", "Thandiwe",
] as const;

export const lastNames = [
  "O'Brien", "García", "Müller", "李", "Nakamura", "Okafor", "Ødegaard", "Nguyen", "Kowalski", "Dubois",
  "Smith", "van der Berg", "Al-Sayed", "Wang", "Fernández", "Johansson", "Mbeki", "Ó Briain", "Kim", "Rossi",
  "Papadopoulos", "Schröder", "Dąbrowska", "Haddad", "Laurent", "Patel", "Çelik", "Lindqvist", "Mendes", "Adeyemi",
] as const;

export const emailDomains = ["example.com", "example.org", "example.net", "mail.example.com"] as const;

export interface SimPerson {
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
  /** E.164, e.g. +447700900123. */
  phone: string;
}

const phonePrefixes = ["+1415555", "+1212555", "+447700900", "+4915155", "+61400", "+33612", "+81901", "+46701"] as const;

/** ASCII local part for an email: strips accents and drops what is left outside [a-z0-9]. */
export function asciiSlug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/gi, "o")
    .replace(/å/gi, "a")
    .replace(/ß/g, "ss")
    .replace(/ł/gi, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

export function randomPhone(rng: Rng): string {
  const prefix = rng.pick(phonePrefixes);
  let digits = "";
  while (prefix.length - 1 + digits.length < 11) digits += String(rng.int(0, 9));
  return prefix + digits;
}

/** A person whose email is unique in the run because it carries `uniqueTag` (derived from the candidate id). */
export function randomPerson(rng: Rng, uniqueTag: string): SimPerson {
  const firstName = rng.pick(firstNames);
  const lastName = rng.pick(lastNames);
  const first = asciiSlug(firstName) || "candidate";
  const last = asciiSlug(lastName) || "x";
  return {
    firstName,
    lastName,
    // CJK names are written family name first.
    fullName: /^[\u4e00-\u9fff]/.test(lastName) && /^[\u4e00-\u9fff]/.test(firstName) ? `${lastName}${firstName}` : `${firstName} ${lastName}`,
    email: `${first}.${last}.${uniqueTag}@${rng.pick(emailDomains)}`,
    phone: randomPhone(rng),
  };
}
