import { FIELD_REASONS, FieldReason, GENERAL_ERRORS, GeneralCode } from './error.catalog';

export interface ErrorEntry {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface ErrorsBody {
  fieldErrors?: Record<string, ErrorEntry[]>;
  generalErrors?: ErrorEntry[];
}

/** An answer with a FusionAuth `Errors` JSON body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorsBody,
  ) {
    super(`API error ${status}`);
  }

  static general(code: GeneralCode): ApiError {
    const entry = GENERAL_ERRORS[code];
    return new ApiError(entry.status, {
      generalErrors: [{ code: `[${code}]`, message: entry.message }],
    });
  }

  static field(reason: FieldReason, field: string, message?: string): ApiError {
    return new FieldErrors().add(reason, field, message).toError();
  }
}

/** Collects field errors, then throws them all at once. */
export class FieldErrors {
  private readonly errors: Record<string, ErrorEntry[]> = {};

  add(reason: FieldReason, field: string, message?: string): this {
    (this.errors[field] ??= []).push({
      code: `[${reason}]${field}`,
      message: message ?? FIELD_REASONS[reason](field),
    });
    return this;
  }

  has(field?: string): boolean {
    return field === undefined ? Object.keys(this.errors).length > 0 : field in this.errors;
  }

  toError(): ApiError {
    return new ApiError(400, { fieldErrors: this.errors });
  }

  throwIfAny(): void {
    if (this.has()) throw this.toError();
  }
}

/**
 * An answer with no body (401, 403, 404). Instances are made once and reused, so a refusal
 * costs no stack capture.
 */
export class EmptyResponse extends Error {
  private constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }

  static readonly unauthorized = new EmptyResponse(401);
  static readonly notFound = new EmptyResponse(404);
  /** FusionAuth's answer for a feature the tenant has turned off (never for a credential). */
  static readonly forbidden = new EmptyResponse(403);
}
