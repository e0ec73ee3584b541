import { describe, expect, it } from "vitest";
import { splitSqlScript } from "./sql-script";

describe("splitSqlScript", () => {
  it("splits on semicolons outside quotes, dollar quotes and comments", () => {
    const script = `-- a comment; with a semicolon
CREATE TABLE "a;b" (x text DEFAULT 'it''s; here');
/* block; comment */ CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1; -- inside
  RETURN NULL;
END
$$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
SELECT $1::int;
-- trailing comment only`;
    const parts = splitSqlScript(script);
    expect(parts).toHaveLength(4);
    expect(parts[0]).toContain(`CREATE TABLE "a;b" (x text DEFAULT 'it''s; here')`);
    expect(parts[1]).toMatch(/^\/\* block; comment \*\/ CREATE FUNCTION f\(\)[\s\S]*END\n\$\$$/);
    expect(parts[2]).toBe("CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$");
    expect(parts[3]).toBe("SELECT $1::int");
  });

  it("keeps a Prisma-generated script's statements", () => {
    const script = `-- AlterTable\nALTER TABLE "events" ADD COLUMN "x" TEXT;\n\n-- CreateIndex\nCREATE INDEX "i" ON "events"("x");\n`;
    expect(splitSqlScript(script)).toEqual(['-- AlterTable\nALTER TABLE "events" ADD COLUMN "x" TEXT', '-- CreateIndex\nCREATE INDEX "i" ON "events"("x")']);
  });
});
