import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/*
 * The shape of a code version's YAML file, checked field by field. Rules that span fields (unique keys,
 * levels that exist, applicability rules that type-check) are checked afterwards in code-document.rules.ts.
 */

const TEXT = 20_000;
const LINE = 300;

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const QUESTION_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class LevelSchema {
  @IsInt()
  @Min(1)
  level: number;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  name: string;

  @IsString()
  @MinLength(1)
  @MaxLength(TEXT)
  description: string;
}

export class OptionSchema {
  @IsString()
  @Matches(QUESTION_KEY_PATTERN, { message: 'value must be lower case letters, digits and underscores, starting with a letter' })
  @MaxLength(64)
  value: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  label: string;
}

export class ProfileQuestionSchema {
  @IsString()
  @Matches(QUESTION_KEY_PATTERN, { message: 'key must be lower case letters, digits and underscores, starting with a letter' })
  @MaxLength(64)
  key: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  label: string;

  @IsIn(['boolean', 'single_choice', 'multiple_choice'])
  type: 'boolean' | 'single_choice' | 'multiple_choice';

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  help?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OptionSchema)
  options?: OptionSchema[];
}

export class RequirementSchema {
  @IsString()
  @Matches(KEY_PATTERN, { message: 'key must be letters, digits, dots, dashes and underscores' })
  @MaxLength(32)
  key: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  title: string;

  @IsString()
  @MinLength(1)
  @MaxLength(TEXT)
  text: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  guidance?: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  evidence?: string;

  @IsInt()
  @Min(1)
  level: number;

  @IsBoolean()
  evidence_required: boolean;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  applies_when?: string;
}

export class SectionSchema {
  @IsString()
  @Matches(KEY_PATTERN, { message: 'key must be letters, digits, dots, dashes and underscores' })
  @MaxLength(32)
  key: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  title: string;

  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  summary?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Type(() => RequirementSchema)
  requirements: RequirementSchema[];
}

export class CodeDocumentSchema {
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'code must be lower case letters and digits separated by single dashes' })
  @MaxLength(64)
  code: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  title: string;

  @IsString()
  @MinLength(1)
  @MaxLength(LINE)
  owner: string;

  @IsString({ message: 'version must be a semantic version such as 1.0.0, written as text' })
  version: string;

  @IsString({ message: "effective_date must be a date such as '2027-01-01', written as text" })
  effective_date: string;

  @IsString()
  @MinLength(1)
  @MaxLength(TEXT)
  summary: string;

  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => LevelSchema)
  levels: LevelSchema[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ProfileQuestionSchema)
  profile_questions?: ProfileQuestionSchema[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => SectionSchema)
  sections: SectionSchema[];
}
