import { Prisma } from '../generated/prisma/client.js';

/** A unique constraint refused the write (Prisma P2002): someone else's row, or this one retried, won. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
