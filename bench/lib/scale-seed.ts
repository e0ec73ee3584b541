/**
 * Bulk-loads a dashboard's worth of history with SQL (`INSERT … SELECT generate_series`), for the
 * scale bench and the plan checks: several providers and endpoints, accented names, ~30 stages over
 * ~2,000 jobs, three years of event times, failed and duplicate deliveries, merged and deleted
 * candidates. Rows are shaped as ingest writes them (same columns, same kinds of values), not
 * produced by it: at millions of rows only SQL loads in minutes.
 *
 * Candidate c has its events k = 0, 1, … at event numbers g = k·C + c (C candidates), starting at
 * a time spread over three years by c and two to three days apart, so one candidate's history spans
 * weeks and the candidates' histories interleave as they do in a real log. Every event has its
 * delivery (`dl_…`, processed); 1% more deliveries failed (no event) and 2% are duplicates of one
 * that was processed.
 *
 * Status and people are derived as ingest derives them, by the app's own SQL functions
 * (refresh_candidate_status, refresh_people) over the loaded rows: the People migration links only
 * the records that exist when it runs, and this seed runs after it. One person in twenty has two
 * records: a Talview (assessment) record c with the name and email of the Greenhouse record c − 4,
 * linked to it by email as link_people would have.
 */
import type { Sql } from "../../lib/db/sql";

export interface ScaleSeedOptions {
  candidates: number;
  events: number;
  /** Put this many candidates (every C/N-th, so spread over the whole span) into one job, `job-big`. */
  bigJob?: number;
}

export interface ScaleSeedResult {
  candidates: number;
  events: number;
  deliveries: number;
  endpoints: string[];
  /** What the reads of the bench can ask for and find. */
  samples: {
    endpointId: string;
    candidateId: string;
    /** A name a few candidates have (0.1%). */
    rareName: string;
    /** An email exactly one candidate has. */
    email: string;
    stage: string;
    job: string;
    /** The sample candidate's job id (event_stages.job_key). */
    jobKey: string;
    /** The job of `bigJob` candidates, when asked for. */
    bigJobKey: string | null;
    eventType: string;
    /** A candidate status some candidates have (about 3%). */
    status: string;
    /** A person with two records in two providers (Greenhouse and Talview), and their shared email. */
    personId: string;
    personEmail: string;
  };
}

export const providersMix = ["greenhouse", "greenhouse", "greenhouse", "greenhouse", "talview", "talview", "idibu", "idibu", "outhire", "outhire"];
const firstNames = ["Zoë", "José", "François", "Søren", "Łukasz", "Ana", "Chloé", "Jürgen", "Renée", "Mohammed", "Wei", "Priya", "John", "María", "Emma", "Liam", "Noah", "Olivia", "Ava", "Lucas", "Ingrid", "Björn", "Agnès", "Siobhán"];
const lastNames = ["Núñez", "Müller", "Østergaard", "Kowalski", "García", "Dubois", "O'Brien", "Smith", "Nguyen", "Patel", "Schröder", "Lefèvre", "Rossi", "Silva", "Kim", "Brown", "Johansson", "Novák", "Ibáñez", "Çelik", "Dvořák", "Ångström"];
const asciiLastNames = ["nunez", "mueller", "ostergaard", "kowalski", "garcia", "dubois", "obrien", "smith", "nguyen", "patel", "schroeder", "lefevre", "rossi", "silva", "kim", "brown", "johansson", "novak", "ibanez", "celik", "dvorak", "angstrom"];
export const stages = [
  "Application Review", "Recruiter Screen", "Phone Screen", "Hiring Manager Screen", "Take-home Assignment", "Technical Interview", "Assessment Invited",
  "Assessment Started", "Assessment Completed", "Assessment Reviewed", "Video Interview", "Panel Interview", "Onsite", "Culture Interview",
  "Reference Check", "Background Check", "Executive Interview", "Debrief", "Offer Preparation", "Offer Approval", "Offer Sent", "Offer Negotiation",
  "Offer Accepted", "Offer Declined", "Hired", "Rejected", "Withdrawn", "On Hold", "Talent Pool", "Archived",
];
const jobTitles = ["Software Engineer", "Data Analyst", "Nurse", "Sales Associate", "Warehouse Operative", "Customer Success Manager", "Accountant", "Product Designer", "Electrician", "Store Manager"];
const JOBS = 2_000;
const DAY_MS = 86_400_000;
const START = "2023-11-01T00:00:00Z";
const SPAN_DAYS = 3 * 365;

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;

/** Loads everything into an empty, migrated database, then ANALYZEs. */
export async function seedScale(sql: Sql, options: ScaleSeedOptions, log: (line: string) => void = () => {}): Promise<ScaleSeedResult> {
  const C = Math.max(1, Math.floor(options.candidates));
  const M = Math.max(C, Math.floor(options.events));
  const timed = async (label: string, text: string) => {
    const started = performance.now();
    await sql.query({ text });
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  const providers = [...new Set(providersMix)];
  const endpoints = providers.flatMap((p) => [`ep_${p}_0`, `ep_${p}_1`]);
  await timed(
    "endpoints",
    `INSERT INTO endpoints (id, provider, name, enabled, created_at, updated_at)
     SELECT 'ep_' || p || '_' || i, p, initcap(p) || ' ' || (ARRAY['EU','US'])[i + 1], true, timestamptz '${START}', now()
     FROM unnest(${sqlArray(providers)}) p, generate_series(0, 1) i`,
  );

  const bigJob = Math.min(C, Math.max(0, Math.floor(options.bigJob ?? 0)));
  const stride = bigJob > 0 ? Math.max(1, Math.floor(C / bigJob)) : 0;
  // Job number JOBS is the big job ('job-big' below); the others keep their spread over JOBS jobs.
  const jobExpr = bigJob > 0
    ? `CASE WHEN c % ${stride} = 0 AND c / ${stride} < ${bigJob} THEN ${JOBS} ELSE ((c % ${JOBS}) * 7919) % ${JOBS} END`
    : `((c % ${JOBS}) * 7919) % ${JOBS}`;
  // Per candidate: provider, its endpoint, name, email, job, number of events and time of the first.
  // n(c) = events of candidate c = M / C, one more for the first M % C candidates.
  // p: the person of record c (its own number, or c − 4 for the Talview records that share a
  // Greenhouse record's person), so both records carry the same name and email.
  const candidateCols = `
    c, p, (${sqlArray(providersMix)})[1 + c % ${providersMix.length}] AS provider,
    (${sqlArray(firstNames)})[1 + (p * 7) % ${firstNames.length}] || ' ' ||
      CASE WHEN p % 1000 = 17 THEN 'Quatermaine' ELSE (${sqlArray(lastNames)})[1 + (p / 3) % ${lastNames.length}] END AS name,
    translate(lower((${sqlArray(firstNames)})[1 + (p * 7) % ${firstNames.length}]), 'ëéèçüøłöñáíåěř', 'eeecuolonaiaer') || '.' ||
      (${sqlArray(asciiLastNames)})[1 + (p / 3) % ${asciiLastNames.length}] || p || '@' || (ARRAY['example.com','mail.test','corp.example','uni.example.edu'])[1 + p % 4] AS email,
    ${jobExpr} AS job,
    ${Math.floor(M / C)} + CASE WHEN c < ${M % C} THEN 1 ELSE 0 END AS n,
    timestamptz '${START}' + ((c::float8 / ${C}) * ${SPAN_DAYS} * ${DAY_MS} + (c::bigint * 104729) % ${DAY_MS}) * interval '1 millisecond' AS t0`;
  const eventTime = (k: string, row = "cand") => `(${row}.t0 + (${k} * 2.5 * ${DAY_MS} + (${row}.c * 31 + ${k} * 977) % ${DAY_MS} / 2) * interval '1 millisecond')`;
  const stageOf = (k: string) => `(${sqlArray(stages)})[1 + (${k} + (cand.c * 7) % ${stages.length}) % ${stages.length}]`;
  const jobKey = `CASE WHEN job = ${JOBS} THEN 'job-big' ELSE 'job-' || job END`;
  const jobTitle = `(${sqlArray(jobTitles)})[1 + cand.job % ${jobTitles.length}] || ' #' || cand.job`;

  // providersMix[c % 10]: c ≡ 4 (mod 20) is Talview and c − 4 ≡ 0 is Greenhouse. c ≡ 1 (mod 200) is a
  // Greenhouse record merged into Greenhouse record c − 1 (merge_candidate names the survivor by its
  // provider id): its last event is the merge, and it is gone from then on, as ingest stores one.
  await sql.query({
    text: `CREATE UNLOGGED TABLE cand AS SELECT ${candidateCols}
           FROM generate_series(0, ${C - 1}) c, LATERAL (SELECT CASE WHEN c % 20 = 4 THEN c - 4 ELSE c END AS p) person`,
  });
  await timed(
    "candidates",
    `INSERT INTO candidates (id, provider, external_id, name, email, current_stage, current_job, event_count, first_seen_at, last_event_at,
                             deleted_at, merged_into_external_id, created_at, updated_at)
     SELECT 'cand_' || c, provider, (100000 + c)::text, name, email, ${stageOf("(cand.n - 1)")}, ${jobTitle}, n, t0, ${eventTime("(cand.n - 1)")},
            CASE WHEN c % 100 = 3 OR (c % 200 = 1 AND n > 1) THEN ${eventTime("(cand.n - 1)")} END,
            CASE WHEN c % 200 = 1 AND n > 1 THEN (100000 + c - 1)::text END,
            t0, now()
     FROM cand`,
  );
  await timed(
    "candidate_stages",
    `INSERT INTO candidate_stages (candidate_id, job_key, job_title, stage, since)
     SELECT 'cand_' || c, ${jobKey}, ${jobTitle}, ${stageOf("(cand.n - 1)")}, ${eventTime("(cand.n - 1)")} FROM cand`,
  );

  // The events, with their deliveries (one per event, as ingest stores them).
  const eventRows = `
    SELECT g, cand.*, g / ${C} AS k, 'ev_' || lpad(g::text, 10, '0') AS id, 'dl_' || lpad(g::text, 10, '0') AS delivery_id,
           'ep_' || cand.provider || '_' || (cand.c % 2) AS endpoint_id
    FROM generate_series(0, ${M - 1}) g JOIN cand ON cand.c = g % ${C}`;
  await sql.query({ text: `CREATE UNLOGGED TABLE ev AS SELECT e.*, ${eventTime("e.k", "e")} AS at,
      CASE WHEN e.k = 0 THEN 'created' WHEN e.c % 100 = 3 AND e.k = e.n - 1 THEN 'deleted' WHEN e.c % 200 = 1 AND e.k = e.n - 1 THEN 'merged'
           WHEN e.k % 4 = 3 THEN 'updated' ELSE 'stage_changed' END AS type
    FROM (${eventRows}) e` });
  await timed(
    "deliveries",
    `INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256,
                             idempotency_key, idempotency_source, status, event_type, processed_at, process_count)
     SELECT delivery_id, endpoint_id, provider, at + interval '2 seconds', 'POST', '',
            jsonb_build_object('content-type', 'application/json', 'user-agent', provider || '-webhooks/1.0', 'x-request-id', 'r' || g),
            'application/json',
            convert_to(jsonb_build_object('action', type, 'candidate', jsonb_build_object('id', 100000 + c, 'name', name, 'email', email,
              'application', jsonb_build_object('job', ${jobKey}, 'stage', ${stageOf("k").replace(/cand\./g, "")}), 'notes', repeat('lorem ipsum ', 20)),
              'sent_at', at)::text, 'UTF8'),
            md5(g::text), provider || ':' || g, 'header', 'processed', type, at + interval '2100 milliseconds', 1
     FROM ev`,
  );
  await timed(
    "failed and duplicate deliveries",
    `INSERT INTO deliveries (id, endpoint_id, provider, received_at, method, query, headers, content_type, body, body_sha256,
                             idempotency_key, idempotency_source, status, error, event_type, duplicate_of_id, processed_at, process_count)
     SELECT CASE WHEN g % 100 = 50 THEN 'dlf_' ELSE 'dld_' END || lpad(g::text, 10, '0'), endpoint_id, provider,
            at + CASE WHEN g % 100 = 50 THEN interval '5 seconds' ELSE interval '90 seconds' END, 'POST', '',
            '{"content-type":"application/json"}'::jsonb, 'application/json',
            convert_to(CASE WHEN g % 100 = 50 THEN '{"action":"' || type || '","candidate":{"id":"not a number"' ELSE '{"action":"' || type || '","n":' || g || '}' END, 'UTF8'),
            md5('x' || g), provider || ':' || CASE WHEN g % 100 = 50 THEN 'f' || g ELSE g::text END, 'header',
            CASE WHEN g % 100 = 50 THEN 'failed' ELSE 'duplicate' END,
            CASE WHEN g % 100 = 50 THEN 'body is not valid JSON: Unexpected end of JSON input' END,
            CASE WHEN g % 100 = 50 THEN NULL ELSE type END,
            CASE WHEN g % 100 = 50 THEN NULL ELSE delivery_id END,
            at + interval '6 seconds', 1
     FROM ev WHERE g % 100 = 50 OR g % 50 = 25`,
  );
  await timed(
    "events",
    `INSERT INTO events (id, delivery_id, seq, endpoint_id, provider, type, provider_event, occurred_at, received_at, candidate_id,
                         candidate_name, candidate_email, job_id, job_title, application_id, stage_from, stage_to, actor, details, snapshot)
     SELECT id, delivery_id, 0, endpoint_id, provider, type, CASE provider WHEN 'greenhouse' THEN 'candidate_' || type ELSE type END,
            at, at + interval '2 seconds', 'cand_' || c, name, email, ${jobKey}, ${jobTitle.replace(/cand\./g, "")}, 'app' || c,
            CASE WHEN type = 'stage_changed' THEN ${stageOf("(k - 1)").replace(/cand\./g, "")} END,
            CASE WHEN type IN ('created', 'stage_changed') THEN ${stageOf("k").replace(/cand\./g, "")} END,
            'Recruiter ' || (g % 37),
            CASE WHEN type = 'deleted' THEN jsonb_build_object('reason', 'gdpr request')
                 WHEN type = 'merged' THEN jsonb_build_object('newCandidateId', (100000 + c - 1)::text) END,
            CASE WHEN type <> 'deleted' THEN jsonb_build_object(
              'id', 100000 + c, 'name', name,
              'email_addresses', jsonb_build_array(jsonb_build_object('value', email, 'type', 'personal')),
              'phone_numbers', jsonb_build_array(jsonb_build_object('value', '+44 20 7946 0' || lpad((c % 1000)::text, 3, '0'), 'type', 'mobile')),
              'tags', CASE WHEN k % 2 = 0 THEN '["remote"]'::jsonb ELSE '["remote","priority"]'::jsonb END,
              'applications', jsonb_build_array(jsonb_build_object('id', 'app' || c, 'status', 'active',
                'current_stage', jsonb_build_object('name', ${stageOf("k").replace(/cand\./g, "")}),
                'jobs', jsonb_build_array(jsonb_build_object('id', ${jobKey}, 'name', ${jobTitle.replace(/cand\./g, "")})))),
              'updated_at', to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) END
     FROM ev`,
  );
  await timed(
    "event_stages",
    // The events state no status of their own: a stage observation's status is its stage's name's (as ingest writes it).
    `INSERT INTO event_stages (event_id, candidate_id, job_key, job_title, stage, occurred_at, received_at, job_status)
     SELECT id, 'cand_' || c, ${jobKey}, ${jobTitle.replace(/cand\./g, "")}, s.stage, at, at + interval '2 seconds', stage_name_status(s.stage)
     FROM ev, LATERAL (SELECT ${stageOf("k").replace(/cand\./g, "")} AS stage) s WHERE type IN ('created', 'stage_changed')`,
  );
  // Statuses per job and per candidate (hired, rejected, withdrawn, deleted), by the function ingest
  // calls; in chunks of 250 ids: these functions test `= ANY (ids)` again per row, so one call's
  // cost grows with the square of its ids (5,000 ids: 11 s for refresh_people on PGlite, 250: 0.2 s
  // for the same 5,000).
  // Statistics first: without them the functions' plans may scan the freshly loaded tables per chunk.
  await timed("analyze", `ANALYZE candidates, candidate_stages, events, event_stages`);
  const chunked = async (label: string, fn: string, prefix: string) => {
    const started = performance.now();
    for (let from = 0; from < C; from += 250) {
      await sql.query({ text: `SELECT ${fn}(ARRAY(SELECT '${prefix}' || g FROM generate_series(${from}, ${Math.min(C, from + 250) - 1}) g))` });
    }
    log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  await chunked("status", "refresh_candidate_status", "cand_");
  // People: every record linked by email, as link_people would have linked them as they arrived (the
  // person's first record starts it, `new`; the other joins it, `email`); the people's derived
  // columns (name, status, last event) by refresh_people.
  await timed(
    "people",
    `INSERT INTO people (id, last_event_at, created_at, updated_at) SELECT 'per_' || c, t0, t0, now() FROM cand WHERE p = c`,
  );
  await timed(
    "person_members",
    `INSERT INTO person_members (candidate_id, person_id, reason, detail, linked_at, email_key)
     SELECT 'cand_' || c, 'per_' || p, CASE WHEN p = c THEN 'new' ELSE 'email' END, CASE WHEN p <> c THEN normalize_email(email) END,
            t0, normalize_email(email)
     FROM cand`,
  );
  await chunked("people derived columns", "refresh_people", "per_");
  // The analytics summary, as ingest keeps it (and the migration backfills it): every candidate's stays.
  // In chunks of 10,000 candidates: the refresh holds its batch's rows in memory (as arrays, for the
  // flow rollup's difference), which for every candidate at once outgrows an array at a million.
  await timed(
    "application_stays",
    `DO $$ DECLARE ids text[]; BEGIN
       FOR ids IN SELECT array_agg(id) FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) / 10000 AS chunk FROM candidates) c GROUP BY chunk LOOP
         PERFORM refresh_application_stays(ids);
       END LOOP;
     END $$`,
  );
  // The flow rollup's deltas that refresh appended, folded as a running instance folds them each minute.
  await timed("flow_rollup folded", `SELECT compact_flow_rollup()`);
  const [{ n: deliveries }] = await sql.query<{ n: number }>({ text: `SELECT count(*)::int AS n FROM deliveries` });
  await sql.query({ text: `DROP TABLE ev` });
  await sql.query({ text: `DROP TABLE cand` });
  const analyzeStarted = performance.now();
  await sql.query({ text: `VACUUM ANALYZE` });
  log(`  vacuum analyze: ${((performance.now() - analyzeStarted) / 1000).toFixed(1)} s`);
  return { candidates: C, events: M, deliveries: Number(deliveries), endpoints, samples: await scaleSamples(sql, { candidates: C, bigJob }) };
}

/**
 * The seed's sample rows, which the bench's reads ask for: a function of the sizes alone, so a kept
 * database (bench --reuse-db) gets the same samples its load had.
 */
export async function scaleSamples(sql: Sql, options: { candidates: number; bigJob?: number }): Promise<ScaleSeedResult["samples"]> {
  const C = Math.max(1, Math.floor(options.candidates));
  const bigJob = Math.min(C, Math.max(0, Math.floor(options.bigJob ?? 0)));
  const stride = bigJob > 0 ? Math.max(1, Math.floor(C / bigJob)) : 0;
  // The sample candidate is one of a small job (the next one after 4,242 outside the big job).
  const inBigJob = (c: number) => bigJob > 0 && c % stride === 0 && c / stride < bigJob;
  let sample = Math.min(C - 1, 4_242);
  while (inBigJob(sample) && sample < C - 1) sample++;
  // The sample person: Greenhouse record 4,240 and its Talview record 4,244 (or the last such pair).
  const person = Math.max(0, Math.min(4_240, Math.floor((C - 5) / 20) * 20));
  const emailOf = async (c: number) => (await sql.query<{ email: string }>({ text: `SELECT email FROM candidates WHERE id = $1`, params: [`cand_${c}`] }))[0].email;
  return {
    endpointId: "ep_talview_1",
    candidateId: `cand_${sample}`,
    rareName: "Quatermaine",
    email: await emailOf(sample),
    stage: "Offer Sent",
    job: `${jobTitles[(sample * 7919) % JOBS % jobTitles.length]} #${(sample * 7919) % JOBS}`,
    jobKey: `job-${(sample * 7919) % JOBS}`,
    bigJobKey: bigJob > 0 ? "job-big" : null,
    eventType: "deleted",
    status: "hired",
    personId: `per_${person}`,
    personEmail: await emailOf(person),
  };
}
