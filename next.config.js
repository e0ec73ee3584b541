/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native-ish packages with wasm and data files must stay as real node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm"],
};

export default nextConfig;
