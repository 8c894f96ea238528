/** RFC 7644 §3.12's `scimType` values Portcullis answers with. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export interface ScimErrorBody {
  schemas: string[];
  /** A string, as RFC 7644 §3.12 writes it. */
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** An answer with a SCIM error body; `detail` is written for the client, never a stack or SQL. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | null,
    readonly detail: string,
  ) {
    super(`SCIM error ${status}`);
  }

  static invalidFilter(detail: string): ScimError {
    return new ScimError(400, 'invalidFilter', detail);
  }

  static invalidValue(detail: string): ScimError {
    return new ScimError(400, 'invalidValue', detail);
  }

  static invalidSyntax(detail: string): ScimError {
    return new ScimError(400, 'invalidSyntax', detail);
  }

  static invalidPath(detail: string): ScimError {
    return new ScimError(400, 'invalidPath', detail);
  }

  static notFound(resource: string, id: string): ScimError {
    return new ScimError(404, null, `${resource} ${id} not found.`);
  }

  body(): ScimErrorBody {
    return {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType === null ? {} : { scimType: this.scimType }),
      detail: this.detail,
    };
  }
}
