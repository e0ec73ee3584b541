import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { splitSqlScript } from "./sql-script";

/*
 * Prisma's native schema engine is downloaded from a host that is unreachable on offline machines,
 * so migrations run on the same engine compiled to wasm (@prisma/schema-engine-wasm), talking to the
 * database through the same driver adapter the app uses. The package's entry imports a `.wasm` file
 * as an ES module, which Node 20 cannot do, so it is instantiated by hand here.
 */

type WasmBindings = typeof import("@prisma/schema-engine-wasm");
export type SchemaEngine = Awaited<ReturnType<WasmBindings["SchemaEngine"]["new"]>>;

let bindings: Promise<WasmBindings> | null = null;

function loadBindings(): Promise<WasmBindings> {
  bindings ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import(pathToFileURL(bgPath).href)) as WasmBindings & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const wasmBytes = await readFile(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const module = await WebAssembly.compile(wasmBytes);
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return bindings;
}

export interface OpenSchemaEngineOptions {
  schemaPath: string;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  log?: (message: string) => void;
}

/** Callers must `free()` the engine: it otherwise keeps the event loop alive for about a minute. */
export async function openSchemaEngine(options: OpenSchemaEngineOptions): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadBindings();
  const datamodel = await readFile(options.schemaPath, "utf8");
  const log = options.log ?? (() => {});
  return SchemaEngine.new(
    { datamodels: [[options.schemaPath, datamodel]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(withStatementScripts(options.adapterFactory)),
  );
}

/** Scripts run statement by statement, split where PostgreSQL would split them (see ./sql-script.ts). */
function withStatementScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter =>
    new Proxy(adapter, {
      get(target, prop) {
        if (prop === "executeScript") {
          return async (script: string) => {
            for (const sql of splitSqlScript(script)) await target.executeRaw({ sql, args: [], argTypes: [] });
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}
