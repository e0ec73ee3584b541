import { z } from "zod";

// Runs in the browser before the app's code (Next.js instrumentation-client). Zod probes whether
// `new Function` works when a schema is defined, to compile faster parsers; under our CSP (no
// eval, see proxy.ts) the probe fails harmlessly but is reported as a violation. Skip it.
z.config({ jitless: true });
