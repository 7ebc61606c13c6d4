import { ErrorCode } from './error-code';

/** An error code a feature module defines in its own `*.errors.ts` (see defineErrorCodes). */
export type ModuleErrorCode = string & { readonly __moduleErrorCode: true };

/** Every code an error body may carry: the platform's, and those the modules define. */
export type AnyErrorCode = ErrorCode | ModuleErrorCode;

const CODE_PATTERN = /^[A-Z][A-Z0-9_]*$/;
const defined = new Set<string>();

/**
 * A feature module's own error codes, declared in its folder (so adding a module never edits the
 * platform's enum); they join the documented `ErrorCode` list of the OpenAPI document. Codes are
 * stable API: append, never rename. A code that clashes with another is refused at start.
 *
 *     export const TasksError = defineErrorCodes('TASK_NOT_FOUND', 'TASK_CLOSED');
 *     throw AppError.notFound(TasksError.TASK_NOT_FOUND, 'Task not found');
 */
export function defineErrorCodes<const T extends readonly string[]>(
  ...codes: T
): { [K in T[number]]: ModuleErrorCode } {
  for (const code of codes) {
    if (!CODE_PATTERN.test(code)) throw new Error(`error code ${code} must be UPPER_SNAKE_CASE`);
    if (code in ErrorCode || defined.has(code)) throw new Error(`error code ${code} is defined twice`);
    defined.add(code);
  }
  return Object.fromEntries(codes.map((code) => [code, code])) as { [K in T[number]]: ModuleErrorCode };
}

/** The platform's codes, then the modules' (in the order their files were loaded). */
export function allErrorCodes(): string[] {
  return [...Object.values(ErrorCode), ...defined];
}
