/** MongoDB's duplicate-key error. FerretDB reports the same code (its messages differ: rely on the code only). */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
