/** Problems keyed by the path of the field they concern, e.g. `{ "organization.kind": ["..."] }`. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** A stable code for failures a client may handle by itself, e.g. sending the request again. */
  code?: string;
  details?: FieldErrors | Record<string, unknown>;
}
