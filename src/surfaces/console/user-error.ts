/**
 * The message of a verb's refusal (a coded 4xx: invalid, conflict, stale), to show beside the
 * form; anything else is not the user's to fix and goes on to the error handler.
 */
export function userError(error: unknown): string {
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return (error as Error).message;
  throw error;
}

/** Whether a verb refused because the incident changed since the form was opened (`If-Match`). */
export function isStale(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 412;
}
