import { ConflictError, DomainError } from '#domain';
import { Prisma } from './generated/prisma/client.js';

/** Prisma's known request error with a given code (P2002 unique, P2003 foreign key, P2025 missing). */
export function isPrismaError(error: unknown, code: string): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
}

export const isUniqueViolation = (e: unknown) => isPrismaError(e, 'P2002');
export const isForeignKeyViolation = (e: unknown) => isPrismaError(e, 'P2003');
export const isRecordMissing = (e: unknown) => isPrismaError(e, 'P2025');

/**
 * PostgreSQL aborted a transaction because of a deadlock or a serialization
 * failure: nothing was written, and the client may simply retry.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (isPrismaError(error, 'P2034')) return true;
  const message = error instanceof Error ? error.message : '';
  return /deadlock detected|could not serialize access/i.test(message);
}

/**
 * Runs `fn`, turning a unique violation into `onDuplicate()` and a foreign-key
 * violation into `onMissingRef()` (or a generic conflict). Domain errors pass.
 */
export async function mapWriteErrors<T>(
  fn: () => Promise<T>,
  handlers: { onDuplicate?: () => DomainError; onMissingRef?: () => DomainError | Promise<DomainError> },
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (handlers.onDuplicate && isUniqueViolation(error)) throw handlers.onDuplicate();
    if (isForeignKeyViolation(error)) {
      throw (
        (await handlers.onMissingRef?.()) ??
        new ConflictError('reference/violation', 'The request conflicts with a reference held by another resource')
      );
    }
    throw error;
  }
}

/** A nullable JSON column's value: SQL NULL for null, the value otherwise. */
export function jsonColumn(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}
