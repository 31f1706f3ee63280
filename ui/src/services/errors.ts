/** The problem types the API names for the two-factor flows (api/src/errors.ts). */
export const PROBLEM_TYPES = {
  totpRequired: 'urn:taskstack:problem:totp-required',
  totpEnrolmentRequired: 'urn:taskstack:problem:totp-enrolment-required',
} as const;

/** One field the API rejected (problem+json `errors`). */
export type FieldError = { path: string; message: string };

/** A failed API call, carrying the RFC 9457 problem detail the API sent so the UI can show it as is. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  /** The problem's `type` (`about:blank` unless the API named one, e.g. PROBLEM_TYPES). */
  readonly type: string;
  /** The problem's other members (a sign-in challenge…). */
  readonly extensions: Record<string, unknown>;

  constructor(
    status: number,
    title: string,
    detail?: string,
    errors: FieldError[] = [],
    type = 'about:blank',
    extensions: Record<string, unknown> = {},
  ) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail || title;
    this.errors = errors;
    this.type = type;
    this.extensions = extensions;
  }

  /** The message of the field `path` names, for showing beside its input. */
  fieldError(path: string): string | undefined {
    return this.errors.find((error) => error.path === path || error.path.endsWith(`.${path}`))?.message;
  }
}

/** Turns any failed response into an ApiError, reading problem+json when the API sent it. */
export async function problemFrom(response: Response): Promise<ApiError> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Record<string, unknown>;
      const errors = Array.isArray(body.errors)
        ? (body.errors as unknown[]).flatMap((e) => {
            const item = e as { path?: unknown; message?: unknown };
            return typeof item.message === 'string'
              ? [
                  {
                    path: Array.isArray(item.path) ? item.path.join('.') : String(item.path ?? ''),
                    message: item.message,
                  },
                ]
              : [];
          })
        : [];
      return new ApiError(
        response.status,
        typeof body.title === 'string' ? body.title : response.statusText || 'Error',
        typeof body.detail === 'string' ? body.detail : undefined,
        errors,
        typeof body.type === 'string' ? body.type : undefined,
        body,
      );
    } catch {
      // fall through to the generic message: a broken body must not hide the status
    }
  }
  return new ApiError(
    response.status,
    response.statusText || 'Error',
    `The server answered ${response.status}.`,
  );
}

/** The words to show a person for any thrown value. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection.';
  return error instanceof Error ? error.message : String(error);
}
