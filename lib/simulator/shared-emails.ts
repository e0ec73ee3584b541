import type { CandidateHistory } from "./types";

/**
 * People present in two providers, as a recruiting team sees them (an ATS and an assessment tool):
 * history `i` of each provider after the first takes over the email of one history of the first
 * provider — each a different one — so linking by email has someone to link. Pure: the bodies are
 * rewritten where the email is written as is (JSON); a body that encodes it otherwise keeps its own.
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
        const email = first[next++].email;
        if (!history.email || history.email === email) return history;
        return {
          ...history,
          email,
          deliveries: history.deliveries.map((d) => ({ ...d, body: Buffer.from(d.body.toString("utf8").split(history.email).join(email)) })),
        };
      }),
    ),
  ];
}
