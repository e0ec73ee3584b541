import { jsonResponse } from "@/lib/http/json";

// Every /api/ path no route claims: a JSON 404 (an API client cannot use the HTML not-found page).
export const dynamic = "force-dynamic";

function notFound(request: Request): Response {
  return jsonResponse(404, { error: "not_found", message: `no API route ${new URL(request.url).pathname}; see the README's API section` });
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
