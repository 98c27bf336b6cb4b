import type { z } from 'zod';

/** zod's issues as `key.path: message` lines, for errors a person has to act on. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}
