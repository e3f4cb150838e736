import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The operator's import form: a YAML file (multipart `file`) or the YAML pasted into `source`. */
export class ImportCodeFormDto {
  @IsOptional()
  @IsString()
  @MaxLength(1024 * 1024)
  source?: string;
}
