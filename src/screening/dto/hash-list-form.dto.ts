import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const HASH_LIST_NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** A hash list to load: its name, and its lines as a file (multipart `file`) or, in the API, the text/plain body. */
export class HashListFormDto {
  @IsString()
  @Matches(HASH_LIST_NAME, { message: 'name must be 1 to 100 letters, digits, dots, dashes or underscores' })
  name: string;

  /** The lines pasted instead of a file. */
  @IsOptional()
  @IsString()
  @MaxLength(1024 * 1024)
  text?: string;
}
