/** Problems keyed by the path of the field they concern, e.g. `{ "organization.kind": ["..."] }`. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldErrors | Record<string, unknown>;
}
