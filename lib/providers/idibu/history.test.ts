import { describe, expect, it } from "vitest";
import { diffSnapshots } from "../../history/diff";
import { idibuHistory } from "./history";

function paths(before: unknown, after: unknown) {
  return diffSnapshots(before, after, idibuHistory).map((c) => [c.path, c.kind, c.noise]);
}

describe("idibuHistory", () => {
  it("keys vacancies by id and attachments by file_id, whatever the order", () => {
    const before = {
      vacancies: [{ id: "1", status: { id: "11", label: "Applicants" } }, { id: "2", status: { id: "11", label: "Applicants" } }],
      attachments: [{ file_id: "7", filename: "cv.docx", file_link: "l1", type: "cv_doc" }],
    };
    const after = {
      vacancies: [{ id: "2", status: { id: "15", label: "Placed", type: "extra" } }, { id: "1", status: { id: "11", label: "Applicants" } }],
      attachments: [{ file_id: "8", filename: "cv-v2.docx", file_link: "l2", type: "cv_doc" }],
    };
    expect(paths(before, after)).toEqual([
      ["vacancies[id=2].status.id", "changed", false],
      ["vacancies[id=2].status.label", "changed", false],
      ["vacancies[id=2].status.type", "added", false],
      ["attachments[file_id=7]", "removed", false],
      ["attachments[file_id=8]", "added", false],
    ]);
  });

  it("a re-signed file_link is noise", () => {
    const file = { file_id: "7", filename: "cv.docx", file_link: "l1", type: "cv_doc" };
    expect(paths({ attachments: [file] }, { attachments: [{ ...file, file_link: "l2" }] })).toEqual([["attachments[file_id=7].file_link", "changed", true]]);
  });

  it("the documented status_id/status_type spelling is just other keys", () => {
    const before = { vacancies: [{ id: "1", status: { status_id: "11", status_type: "default", label: "Applicants" } }] };
    const after = { vacancies: [{ id: "1", status: { status_id: "14", status_type: "default", label: "Shortlisted" } }] };
    expect(paths(before, after)).toEqual([
      ["vacancies[id=1].status.status_id", "changed", false],
      ["vacancies[id=1].status.label", "changed", false],
    ]);
  });
});
