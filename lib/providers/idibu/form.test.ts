import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { IncomingDelivery } from "../types";
import { decodeIdibuForm, IdibuFormError, MAX_FORM_DEPTH, MAX_FORM_FIELDS } from "./form";
import { mapIdibu } from "./map";

const fixture = (name: string) => readFileSync(path.join(__dirname, "fixtures", name));
const docBody = () => JSON.parse(fixture("candidate-create.json").toString("utf8")) as Record<string, any>;
const form = (text: string) => decodeIdibuForm(Buffer.from(text));

const delivery: IncomingDelivery = {
  method: "POST",
  headers: {},
  query: new URLSearchParams(),
  body: Buffer.alloc(0),
  contentType: "application/x-www-form-urlencoded",
  receivedAt: new Date("2024-01-01T00:00:00Z"),
};

function eventsOf(body: unknown) {
  const result = mapIdibu(body, delivery);
  if (result.status !== "processed") throw new Error(JSON.stringify(result));
  // Snapshots legitimately differ (http_build_query drops empty arrays such as videos: []).
  return result.events.map(({ snapshot: _snapshot, ...event }) => event);
}

describe("decodeIdibuForm", () => {
  it("decodes JSON-valued fields (PHP json_encode, escaped slashes) into the JSON body exactly", () => {
    expect(decodeIdibuForm(fixture("candidate-create.form-json.txt"))).toEqual(docBody());
  });

  it("decodes PHP bracket notation into the JSON body, minus the empty array PHP omits", () => {
    const expected = docBody();
    delete expected.payload.videos;
    const decoded = decodeIdibuForm(fixture("candidate-create.form-brackets.txt"));
    expect(decoded).toEqual(expected);
    expect(Array.isArray((decoded as any).payload.vacancies)).toBe(true);
  });

  it("both encodings map to the same events as the JSON doc example", () => {
    const expected = eventsOf(docBody());
    expect(expected[0].stage).toEqual({ from: null, to: "Applicants" });
    expect(eventsOf(decodeIdibuForm(fixture("candidate-create.form-json.txt")))).toEqual(expected);
    expect(eventsOf(decodeIdibuForm(fixture("candidate-create.form-brackets.txt")))).toEqual(expected);
  });

  it("reports no drift for either encoding", () => {
    for (const file of ["candidate-create.form-json.txt", "candidate-create.form-brackets.txt"]) {
      expect(mapIdibu(decodeIdibuForm(fixture(file)), delivery)).toMatchObject({ status: "processed", drift: [] });
    }
  });

  it("reads unencoded brackets, + as space and percent escapes", () => {
    expect(form("payload[id]=12345&payload[source]=Job+Board%20X&payload[vacancies][0][status][label]=Applicants")).toEqual({
      payload: { id: "12345", source: "Job Board X", vacancies: [{ status: { label: "Applicants" } }] },
    });
  });

  it("appends with empty brackets", () => {
    expect(form("payload[videos][]=a.mp4&payload[videos][]=b.mp4&payload[tags][]=")).toEqual({
      payload: { videos: ["a.mp4", "b.mp4"], tags: [""] },
    });
  });

  it("turns only dense 0..n-1 indices into arrays, in index order", () => {
    expect(form("a[1]=y&a[0]=x&b[0]=p&b[2]=q&c[01]=z")).toEqual({ a: ["x", "y"], b: { "0": "p", "2": "q" }, c: { "01": "z" } });
  });

  it("lets a later field win, as PHP does", () => {
    expect(form("a=1&a=2&b=x&b[c]=y")).toEqual({ a: "2", b: { c: "y" } });
  });

  it("keeps non-JSON and malformed-JSON top-level values as strings", () => {
    expect(form("a=hello&b=%7Bnot+json&c=%5B1%2C2%5D")).toEqual({ a: "hello", b: "{not json", c: [1, 2] });
  });

  it("keeps a key that is not well-formed bracket notation literally", () => {
    expect(form("a[b=1&c]d=2")).toEqual({ "a[b": "1", "c]d": "2" });
  });

  it("decodes an empty body to an empty object, which mapping then rejects", () => {
    expect(form("")).toEqual({});
    expect(mapIdibu(form(""), delivery).status).toBe("failed");
  });

  it("skips __proto__, constructor and prototype keys without polluting prototypes", () => {
    const decoded = form(
      "__proto__[polluted]=1&payload[__proto__][polluted]=1&payload[constructor][prototype][polluted]=1" +
        "&constructor=x&payload[prototype]=y&payload[id]=7&%5F%5Fproto%5F%5F%5Bpolluted%5D=1",
    ) as Record<string, any>;
    expect(decoded).toEqual({ payload: { id: "7" } });
    expect(Object.getPrototypeOf(decoded.payload)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(decoded, "constructor")).toBe(false);
  });

  it("caps nesting depth with a reportable error", () => {
    const ok = "a" + "[x]".repeat(MAX_FORM_DEPTH - 1) + "=1";
    expect(form(ok)).not.toBeInstanceOf(Error);
    const result = form("a" + "[x]".repeat(MAX_FORM_DEPTH) + "=1");
    expect(result).toBeInstanceOf(IdibuFormError);
    expect((result as Error).message).toContain(String(MAX_FORM_DEPTH));
    const mapped = mapIdibu(result, delivery);
    expect(mapped.status).toBe("failed");
  });

  it("caps the field count with a reportable error", () => {
    const many = Array.from({ length: MAX_FORM_FIELDS + 1 }, (_, i) => `f${i}=1`).join("&");
    expect(form(many)).toBeInstanceOf(IdibuFormError);
    const allowed = Array.from({ length: MAX_FORM_FIELDS }, (_, i) => `f${i}=1`).join("&");
    expect(form(allowed)).not.toBeInstanceOf(Error);
  });

  it("reports broken percent-encoding", () => {
    expect(form("payload[id]=%E0%A4%A")).toBeInstanceOf(IdibuFormError);
  });
});
