/** Problems keyed by the path of the field they concern, e.g. `{ "organization.kind": ["..."] }`. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  statusCode: number;
  /** A stable machine code, e.g. `assessment.stale_answer`, so a client can tell one 409 from another. */
  code: string;
  error: string;
  message: string;
  details?: FieldErrors | Record<string, unknown>;
}
