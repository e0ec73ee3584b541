import type { CandidateHistory } from "./types";

/**
 * People present in two providers, as a recruiting team sees them (an ATS and an assessment tool):
 * history `i` of each provider after the first takes over the email and the name of one history of
 * the first provider — each a different one — so linking by email has someone to link, and the
 * person reads as one person. Pure: the bodies are rewritten where the email and the name are written
 * as is (JSON: the whole name, or its first and last names as string values); a body that encodes
 * them otherwise keeps its own.
 */
export function shareEmails(byProvider: CandidateHistory[][], perProvider = 1): CandidateHistory[][] {
  const [first, ...rest] = byProvider;
  if (!first) return byProvider;
  let next = 0;
  return [
    first,
    ...rest.map((histories) =>
      histories.map((history, i) => {
        if (i >= perProvider || next >= first.length) return history;
        const { email, name } = first[next++];
        if (!history.email || history.email === email) return history;
        return {
          ...history,
          email,
          name,
          deliveries: history.deliveries.map((d) => ({ ...d, body: Buffer.from(renamed(d.body.toString("utf8").split(history.email).join(email), history.name, name)) })),
        };
      }),
    ),
  ];
}

/** The name written whole, then its first and last names where they stand alone as JSON strings. */
function renamed(body: string, from: string, to: string): string {
  let out = body.split(from).join(to);
  const [fromFirst, ...fromRest] = from.split(" ");
  const [toFirst, ...toRest] = to.split(" ");
  if (fromRest.length > 0 && toRest.length > 0) {
    out = out.split(JSON.stringify(fromFirst)).join(JSON.stringify(toFirst));
    out = out.split(JSON.stringify(fromRest.join(" "))).join(JSON.stringify(toRest.join(" ")));
  }
  return out;
}
