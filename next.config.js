/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The app build checks the app's own code; tests, benchmarks and scripts are type-checked by
  // `npm test` (tsc over the whole project), so a broken test never blocks a deploy build.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // Native-ish packages with wasm and data files must stay as real node_modules at run time; pg and
  // its Prisma adapter too, so the pool lib/db/client.ts hands the adapter is of the class it checks for.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg"],
};

export default nextConfig;
