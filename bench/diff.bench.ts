/**
 * Benchmark for the field-level diff engine: `npx tsx bench/diff.bench.ts [runs]`.
 *
 * Diffs a ~50 KB Talview-shaped snapshot pair (every subordinate array filled, ~20 meaningful
 * changes plus their updated_at/updated_by noise) `runs` times (default 500) and prints p50/p95/max
 * in ms, next to a baseline measured in the same run: JSON.stringify of both snapshots plus a naive
 * recursive positional equality walk over both. Not a test: timing assertions do not belong in CI.
 *
 * The snapshot generator is exported for the tests (lib/providers/talview/history.test.ts); importing
 * this module does not run the benchmark.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { diffSnapshots } from "../lib/history/diff";
import { talviewHistory } from "../lib/providers/talview/history";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Row = { [key: string]: Json };

/** Deterministic PRNG (mulberry32) so every run and every test sees the same snapshot. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  "platform", "data", "pipeline", "service", "migration", "latency", "customer", "search", "billing",
  "ledger", "graph", "stream", "cache", "schema", "queue", "mobile", "analytics", "security", "audit", "sync",
];
const technologies = ["TypeScript", "Go", "Rust", "PostgreSQL", "Kafka", "Redis", "React", "Python", "Kotlin", "Terraform", "gRPC", "Elixir"];

/** Sizes that give a ~50 KB JSON snapshot with every Talview subordinate array filled. */
export const talviewBenchSizes = {
  attachments: 8,
  contacts: 4,
  calendars: 10,
  education: 6,
  experiences: 14,
  certifications: 8,
  preferred_locations: 4,
  projects: 14,
  technologiesPerProject: 6,
  skill_proficiencies: 36,
  social_media_links: 5,
} as const;

/** A Talview candidate (shape of the can.candidate.created payload type) with every array filled. */
export function talviewSizedSnapshot(seed = 42): Row {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const sentence = (n: number) => Array.from({ length: n }, () => pick(words)).join(" ");
  const date = (year: number) => `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-01`;
  let nextId = 1000;
  const audit = (): Row => ({ created_at: "2023-11-01T10:00:00Z", created_by: 1, updated_at: "2023-11-01T10:00:00Z", updated_by: 1 });
  const rows = (count: number, make: (i: number) => Row): Row[] =>
    Array.from({ length: count }, (_, i) => ({ id: nextId++, ...make(i), ...audit() }));
  const s = talviewBenchSizes;

  return {
    id: 101,
    first_name: "Jane",
    middle_name: "Marie",
    last_name: "Doe",
    email: "jane.doe@example.com",
    phone_number: "+19876543210",
    country: "USA",
    user_id: 123,
    external_id: "ext_can_101",
    old_id: null,
    resume_file_id: 77,
    profile_pic_file_id: null,
    cf: { notice_period_days: 30, relocation: true, source_campaign: sentence(3), referral: { name: "Sam Roe", employee_id: 9911 } },
    meta: { imported_from: "legacy-ats", tags: ["priority", "backend", "remote"] },
    is_active: true,
    is_tnc_accepted: true,
    is_recording_consent_accepted: null,
    thread_id: 5512,
    notice_period: "30 days",
    work_authorization: "citizen",
    expected_salary: "150000",
    total_years_experience: 11,
    avg_tenure_months: 28,
    ...audit(),
    attachments: rows(s.attachments, (i) => ({
      file_id: 9000 + i,
      file_type_id: 1 + (i % 3),
      education_id: null,
      experience_id: null,
      external_id: null,
    })),
    contacts: rows(s.contacts, (i) => ({
      phone_number: `+1555000${String(i).padStart(4, "0")}`,
      address: `${100 + i} ${pick(words)} street`,
      city: "Springfield",
      state: "IL",
      country: "USA",
      zipcode: `6270${i}`,
      is_current: i === 0,
      external_id: null,
    })),
    calendars: rows(s.calendars, (i) => ({
      from: `2024-01-${String(1 + i).padStart(2, "0")}T09:00:00Z`,
      to: `2024-01-${String(1 + i).padStart(2, "0")}T17:00:00Z`,
      availability_status: pick(["available", "busy", "tentative"]),
      external_id: null,
    })),
    education: rows(s.education, (i) => ({
      title: `${pick(["Bachelor", "Master", "Diploma"])} of ${pick(words)}`,
      type: pick(["bachelors", "masters", "diploma"]),
      field_of_study: sentence(2),
      awarding_board: null,
      institute: `${pick(words)} University`,
      grade: pick(["A", "B", null]),
      gpa_value: Math.round(random() * 40) / 10,
      started_at: date(2005 + i),
      completed_at: date(2008 + i),
      is_current: false,
      external_id: null,
    })),
    experiences: rows(s.experiences, (i) => ({
      type: "full_time",
      organization: `${pick(words)} corp`,
      location: "Remote",
      designation: `${pick(["Senior", "Staff", "Lead"])} engineer`,
      description: sentence(25),
      started_at: date(2010 + i),
      completed_at: i === 0 ? null : date(2011 + i),
      is_current: i === 0,
      responsibilities: Array.from({ length: 4 }, () => sentence(8)),
      tools_used: Array.from({ length: 4 }, () => pick(technologies)).filter((v, k, all) => all.indexOf(v) === k),
      external_id: null,
    })),
    certifications: rows(s.certifications, (i) => ({
      name: `${pick(words)} certified professional`,
      issuer: `${pick(words)} institute`,
      issue_date: date(2015 + (i % 8)),
      expiry_date: null,
      external_id: null,
    })),
    preferred_locations: rows(s.preferred_locations, (i) => ({
      location: { city: pick(["Berlin", "Lisbon", "Austin", "Toronto"]), country_code: "XX", lat: 40 + i, lng: -3 - i, radius_km: 50 },
    })),
    projects: rows(s.projects, (i) => ({
      title: `${pick(words)} ${pick(words)} project ${i}`,
      description: sentence(20),
      start_date: date(2016 + (i % 7)),
      end_date: null,
      external_id: null,
      technologies: rows(s.technologiesPerProject, (k) => ({ technology: technologies[(i + k) % technologies.length] })),
    })),
    skill_proficiencies: rows(s.skill_proficiencies, (i) => ({
      skill_id: 300 + i,
      proficiency: pick(["1", "2", "3", "4", "5"]),
      proficiency_label: pick(["beginner", "intermediate", "advanced", "expert"]),
      last_used: date(2020 + (i % 5)),
      evidence_snippet: i % 2 === 0 ? { source: "resume", text: sentence(10) } : null,
    })),
    social_media_links: rows(s.social_media_links, (i) => ({
      social_media: pick(["linkedin", "github", "x", "mastodon", "dribbble"]),
      link: `https://social.example.com/jane-${i}`,
    })),
  };
}

/**
 * A copy of `snapshot` with 20 meaningful changes (listed, in the engine's output order, by the
 * returned `expected` paths), each touched row's updated_at/updated_by bumped as Talview's bubble-up
 * does (noise), and a few arrays reordered (which must not count as changes).
 */
export function talviewSizedUpdate(snapshot: Row): { after: Row; expected: string[] } {
  const after = structuredClone(snapshot) as Record<string, any>;
  const touch = (row: Record<string, any>) => {
    row.updated_at = "2023-11-05T14:30:00Z";
    row.updated_by = 2;
  };
  touch(after);
  after.phone_number = "+19876500000";
  after.expected_salary = "160000";
  after.cf.notice_period_days = 60;

  // Reorders: not changes.
  after.calendars.reverse();
  after.skill_proficiencies.reverse();
  after.projects.push(after.projects.shift());

  const education0 = after.education[0];
  education0.institute = "Renamed University";
  education0.grade = "A+";
  touch(education0);

  const experience1 = after.experiences[1];
  experience1.designation = "Principal engineer";
  experience1.responsibilities.push("mentor the platform team");
  touch(experience1);
  const removedExperience = after.experiences.splice(5, 1)[0];

  const projectOriginal = (snapshot.projects as Row[])[3];
  const project = after.projects.find((p: Row) => p.id === projectOriginal.id);
  project.title = "Ledger rewrite";
  const tech = project.technologies[2];
  tech.technology = "Zig";
  touch(tech);
  project.technologies.splice(4, 1);
  project.technologies.push({ id: 99001, technology: "WebAssembly", created_at: "2023-11-05T14:30:00Z", created_by: 2, updated_at: "2023-11-05T14:30:00Z", updated_by: 2 });
  touch(project);

  const skillOriginal = (snapshot.skill_proficiencies as Row[])[7];
  const skill = after.skill_proficiencies.find((s: Row) => s.id === skillOriginal.id);
  skill.proficiency_label = "expert";
  skill.evidence_snippet = { source: "interview", text: "designed the ledger" };
  touch(skill);

  after.certifications.push({
    id: 99002, name: "Kubernetes administrator", issuer: "CNCF", issue_date: "2023-10-01", expiry_date: "2026-10-01", external_id: null,
    created_at: "2023-11-05T14:30:00Z", created_by: 2, updated_at: "2023-11-05T14:30:00Z", updated_by: 2,
  });
  const removedLink = after.social_media_links.pop();
  after.preferred_locations[1].location.radius_km = 25;
  touch(after.preferred_locations[1]);
  after.contacts[0].is_current = false;
  after.contacts[1].is_current = true;
  touch(after.contacts[0]);
  touch(after.contacts[1]);
  after.attachments[2].file_type_id = 9;
  touch(after.attachments[2]);

  const e0 = education0.id;
  const ex1 = experience1.id;
  const skillPath = `skill_proficiencies[id=${skill.id}]`;
  const evidence = (skillOriginal.evidence_snippet ?? null) === null ? [`${skillPath}.evidence_snippet`] : [`${skillPath}.evidence_snippet.source`, `${skillPath}.evidence_snippet.text`];
  const expected = [
    "phone_number",
    "cf.notice_period_days",
    "expected_salary",
    `attachments[id=${after.attachments[2].id}].file_type_id`,
    `contacts[id=${after.contacts[0].id}].is_current`,
    `contacts[id=${after.contacts[1].id}].is_current`,
    `education[id=${e0}].institute`,
    `education[id=${e0}].grade`,
    `experiences[id=${ex1}].designation`,
    `experiences[id=${ex1}].responsibilities[]`,
    `experiences[id=${removedExperience.id}]`,
    `certifications[id=99002]`,
    `preferred_locations[id=${after.preferred_locations[1].id}].location.radius_km`,
    `projects[id=${project.id}].title`,
    `projects[id=${project.id}].technologies[id=${tech.id}].technology`,
    `projects[id=${project.id}].technologies[id=${(projectOriginal.technologies as Row[])[4].id}]`,
    `projects[id=${project.id}].technologies[id=99001]`,
    `${skillPath}.proficiency_label`,
    ...evidence,
    `social_media_links[id=${removedLink.id}]`,
  ];
  return { after, expected };
}

/** The baseline: what any diff must at least do — serialize both and walk both fully. */
function naiveWalk(a: unknown, b: unknown): number {
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b ? 0 : 1;
  let differences = 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.max(a.length, b.length);
    for (let i = 0; i < length; i++) differences += naiveWalk(a[i], b[i]);
    return differences;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of Object.keys(left)) differences += naiveWalk(left[key], Object.hasOwn(right, key) ? right[key] : undefined);
  for (const key of Object.keys(right)) if (!Object.hasOwn(left, key)) differences++;
  return differences;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function time(runs: number, work: () => unknown): number[] {
  const samples: number[] = [];
  let sink = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const result = work();
    samples.push(performance.now() - start);
    sink += Array.isArray(result) ? result.length : Number(result) || 0;
  }
  if (sink < 0) console.log(sink);
  return samples.sort((x, y) => x - y);
}

function main(): void {
  const runs = Number(process.argv[2] ?? 500);
  const before = talviewSizedSnapshot();
  const { after, expected } = talviewSizedUpdate(before);
  const size = Buffer.byteLength(JSON.stringify(before));
  const changes = diffSnapshots(before, after, talviewHistory);
  const meaningful = changes.filter((change) => !change.noise);

  // Warm up both paths so the JIT has compiled them before measuring.
  time(200, () => diffSnapshots(before, after, talviewHistory));
  time(200, () => JSON.stringify(before).length + JSON.stringify(after).length + naiveWalk(before, after));

  const diff = time(runs, () => diffSnapshots(before, after, talviewHistory));
  const baseline = time(runs, () => JSON.stringify(before).length + JSON.stringify(after).length + naiveWalk(before, after));
  const fmt = (ms: number) => ms.toFixed(3).padStart(7);
  const line = (name: string, samples: number[]) =>
    `${name.padEnd(34)} p50 ${fmt(percentile(samples, 50))} ms   p95 ${fmt(percentile(samples, 95))} ms   max ${fmt(samples[samples.length - 1])} ms`;

  console.log(`snapshot ${(size / 1024).toFixed(1)} KB, ${runs} runs, node ${process.version}`);
  console.log(`changes: ${changes.length} (${meaningful.length} meaningful, ${changes.length - meaningful.length} noise; expected ${expected.length} meaningful)`);
  console.log(line("diffSnapshots (talviewHistory)", diff));
  console.log(line("baseline stringify×2 + naive walk", baseline));
  console.log(
    `ratio diff/baseline: p50 ${(percentile(diff, 50) / percentile(baseline, 50)).toFixed(2)}×, p95 ${(percentile(diff, 95) / percentile(baseline, 95)).toFixed(2)}×`,
  );
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) main();
