import { errorMessage } from "../log";

/**
 * A lost, refused or exhausted database connection (node-postgres, Prisma, PostgreSQL's admin
 * shutdown codes 57P01–57P03): worth answering 503 and retrying later, unlike a data error.
 */
export function isConnectionError(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ""} ${errorMessage(error)}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|P1001|P1017|57P0[123]|DatabaseNotReachable|connection terminated|timeout exceeded when trying to connect|the database system is|Can't reach database|server closed the connection/i.test(
    text,
  );
}
