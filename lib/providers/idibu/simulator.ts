import { fixtureJson, isoWithOffset } from "../../simulator/fixtures";
import { asciiSlug, randomPerson } from "../../simulator/people";
import type { Rng } from "../../simulator/random";
import { candidateStart, Timeline } from "../../simulator/timeline";
import type { ProviderSimulator } from "../types";
import type { BuilderRun, CandidateHistory, SimulatedDelivery } from "../../simulator/types";

type Json = Record<string, any>;

interface Status {
  id: string;
  type: "default" | "extra";
  label: string;
}

// Applicants (11) and Shortlisted (14) are the documented ids; the rest follow the same scheme.
const statuses = {
  applicants: { id: "11", type: "default", label: "Applicants" },
  rejected: { id: "12", type: "default", label: "Rejected" },
  shortlisted: { id: "14", type: "default", label: "Shortlisted" },
  cvSent: { id: "1001", type: "extra", label: "Client CV Sent" },
  interview: { id: "15", type: "default", label: "Interview" },
  offered: { id: "16", type: "default", label: "Offered" },
  placed: { id: "17", type: "default", label: "Placed" },
} satisfies Record<string, Status>;

const vacancyTitles = ["Recruitment Consultant", "Warehouse Operative", "Registered Nurse", "Senior Java Developer", "Payroll Administrator", "Site Manager"] as const;
const jobBoards = ["Aptrack Test Feed", "Indeed", "Reed", "Totaljobs", "CV-Library", "LinkedIn"] as const;
const consultants = [
  { firstname: "Tim", lastname: "Parker" },
  { firstname: "Ruth", lastname: "Nwosu" },
  { firstname: "Søren", lastname: "Holm" },
] as const;
const notes = [
  "Strong communicator, available immediately.",
  "Prefers hybrid; salary expectation £42k.",
  "Références vérifiées — très bon profil.",
  "Needs sponsorship; follow up in two weeks.",
] as const;

/** idibu sends the candidate with its vacancies on every create and update; status labels move along the pipeline. */
export function buildIdibuHistories(run: BuilderRun): CandidateHistory[] {
  const { rng } = run;
  const accountId = String(run.uniqueInt(rng, 100, 999));
  const createdBy = consultants.map((c) => {
    const profileId = String(run.uniqueInt(rng, 100, 9_999));
    return { id: accountId, profile_id: profileId, email: `${asciiSlug(c.firstname)}.${asciiSlug(c.lastname)}@agency.example.com`, firstname: c.firstname, lastname: c.lastname };
  });
  const vacancies = rng.sample(vacancyTitles, 3).map((title) => ({
    id: String(run.uniqueInt(rng, 10_000, 99_999)),
    reference: `${title.split(" ").map((w) => w[0]).join("").toUpperCase()}-${rng.int(1000, 9999)}`,
    title,
  }));
  // idibu writes local times with their UTC offset; UK agencies sit at +00:00 or +01:00.
  const offset = rng.pick([0, 60, 120]);
  const ids = Array.from({ length: run.count }, () => String(run.uniqueInt(rng, 10_000, 9_999_999)));
  return ids.map((id, index) => buildOne(run.candidateRng(index), run, { id, accountId, createdBy, vacancies, offset }));
}

interface Plan {
  id: string;
  accountId: string;
  createdBy: Json[];
  vacancies: Array<{ id: string; reference: string; title: string }>;
  offset: number;
}

function buildOne(rng: Rng, run: BuilderRun, plan: Plan): CandidateHistory {
  const { id, offset } = plan;
  const person = randomPerson(rng, id);
  const clock = new Timeline(rng, candidateStart(rng, run.startAt, run.startSpreadDays));
  const fileSlug = `${asciiSlug(person.firstName) || "Candidate"}_${asciiSlug(person.lastName) || id}`;

  const payload = fixtureJson<Json>("idibu", "fixtures/candidate-create.json").payload;
  const vacancy = rng.pick(plan.vacancies);
  Object.assign(payload, {
    id,
    firstname: person.firstName,
    lastname: person.lastName,
    comms_status: "applied",
    email: person.email,
    background_info: "",
    created_by: { ...rng.pick(plan.createdBy) },
    creation_date: isoWithOffset(clock.now, offset),
    videos: [],
    source: rng.pick(jobBoards),
    vacancies: [{ ...vacancy, status: { ...statuses.applicants } }],
    attachments: [attachment(rng, plan, `${fileSlug}_CV.docx`, "cv_doc")],
  });

  const deliveries: SimulatedDelivery[] = [];
  const push = (event: "candidate.create" | "candidate.update", at: Date, detail: string) => {
    const body = { payload, "payload-information": { timestamp: isoWithOffset(at, offset), webhook_event: event } };
    const only = payload.vacancies.length === 1 ? payload.vacancies[0] : null;
    deliveries.push({
      // Tab-indented, like the documented example.
      body: Buffer.from(JSON.stringify(body, null, "\t"), "utf8"),
      contentType: "application/json",
      method: "POST",
      occurredAt: at,
      label: `idibu ${id} #${deliveries.length + 1} ${event}${detail}`,
      expected: { providerEvent: event, type: event === "candidate.create" ? "created" : "updated", stage: only?.status?.label ?? null },
    });
  };
  push("candidate.create", clock.now, " (Applicants)");

  const outcome = rng.weighted([
    ["placed", 0.4],
    ["offered", 0.2],
    ["rejected", 0.25],
    ["interview", 0.15],
  ] as const);
  const path: Status[] = [statuses.shortlisted];
  if (rng.chance(0.3)) path.push(statuses.cvSent);
  if (outcome === "rejected") {
    if (rng.chance(0.5)) path.push(statuses.interview);
    path.push(statuses.rejected);
  } else {
    path.push(statuses.interview);
    if (outcome === "offered" || outcome === "placed") path.push(statuses.offered);
    if (outcome === "placed") path.push(statuses.placed);
  }

  // Profile edits happen between status moves: a consultant note, another file, an opt-out, a second vacancy.
  const edits = rng.sample(["note", "attachment", "unsubscribe", "second-vacancy"] as const, rng.int(0, 2)).filter(
    (edit) => (edit !== "unsubscribe" || rng.chance(0.3)) && (edit !== "second-vacancy" || rng.chance(0.4)),
  );
  const steps: Array<Status | (typeof edits)[number]> = [...path];
  for (const edit of edits) steps.splice(rng.int(1, steps.length), 0, edit);

  for (const step of steps) {
    const at = clock.advance();
    if (typeof step === "string") {
      if (step === "note") payload.background_info = rng.pick(notes);
      if (step === "attachment") payload.attachments.push(attachment(rng, plan, `${fileSlug}_Cover_Letter.pdf`, rng.pick(["document", "note"])));
      if (step === "unsubscribe") payload.comms_status = "unsubscribed";
      if (step === "second-vacancy") {
        const other = plan.vacancies.find((v) => !payload.vacancies.some((p: Json) => p.id === v.id));
        if (other) payload.vacancies.push({ ...other, status: { ...statuses.applicants } });
      }
      push("candidate.update", at, ` (${step === "note" ? "background info" : step === "attachment" ? "attachment added" : step === "unsubscribe" ? "unsubscribed" : "applied to another vacancy"})`);
    } else {
      payload.vacancies[0].status = { ...step };
      push("candidate.update", at, ` (${payload.vacancies[0].title}: ${step.label})`);
    }
  }
  return { provider: "idibu", candidateId: id, name: `${person.firstName} ${person.lastName}`, email: person.email, deliveries };
}

function attachment(rng: Rng, plan: Plan, filename: string, type: string): Json {
  const fileId = String(rng.int(10_000, 999_999));
  const token = Array.from({ length: 64 }, () => rng.pick([..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"])).join("");
  return {
    file_id: fileId,
    filename,
    file_link: `https://v3.idibu.com/c/cloud/get-file/clientID/${plan.accountId}/type/apptrack/file/${token}/id/${fileId}`,
    type,
  };
}

export const idibuSimulator: ProviderSimulator = {
  buildHistories: buildIdibuHistories,
  coverageSeed: 1,
  burstSeeds: [5, 1, 13],
  fixtureCandidateIdPath: ["payload", "id"],
};
