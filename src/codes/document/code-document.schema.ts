import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateBy, ValidateNested } from 'class-validator';
import { CHANGE_KINDS, DOCUMENT_PARTS, type ChangeKind, type DocumentPart } from './code-document';
import { FILE_TYPE_GROUP_NAMES, FILE_TYPE_WORDS } from './evidence-file-types';
import { EMBEDDED_IMAGE_RULES, EVIDENCE_KIND_NAMES, type EmbeddedImageRule, type EvidenceKindName } from './evidence-policy';

/*
 * The shape of a code version's YAML file, checked field by field. Rules that span fields (unique keys,
 * levels that exist, applicability rules that type-check) are checked afterwards in code-document.rules.ts.
 * The bounds keep one file's import to a size a reader and the database handle comfortably.
 */

/** `{ each: true }` applies a check to every item of a list. */
type Each = { each: true };

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const QUESTION_KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A one-line name or title. */
const IsLine = (each?: Each) => applyDecorators(IsString(each), MinLength(1, each), MaxLength(300, each));
/** A paragraph or more. */
const IsText = () => applyDecorators(IsString(), MinLength(1), MaxLength(20_000));
const IsOptionalText = () => applyDecorators(IsOptional(), IsString(), MaxLength(20_000));
/** A section's or requirement's key, such as LIC-03. */
const IsKey = (each?: Each) =>
  applyDecorators(IsString(each), Matches(KEY_PATTERN, { ...each, message: `${each ? 'each key' : 'key'} must be letters, digits, dots, dashes and underscores` }), MaxLength(32, each));
/** A question's key or an option's value: a name rules can use. */
const IsName = (field: string, each?: Each) =>
  applyDecorators(IsString(each), Matches(QUESTION_KEY_PATTERN, { ...each, message: `${each ? `each of ${field}` : field} must be lower case letters, digits and underscores, starting with a letter` }), MaxLength(64, each));
/** The nested checks pass a list inside a list as if it were empty, so such an item is refused here. */
const HasNoListItems = () =>
  ValidateBy({
    name: 'hasNoListItems',
    validator: {
      validate: (value: unknown) => !Array.isArray(value) || !value.some(Array.isArray),
      defaultMessage: (args) => `each item of ${args?.property ?? 'the list'} must be a mapping, not a list`,
    },
  });
const IsListOf = (type: () => new () => object, max: number, min = 0) =>
  applyDecorators(IsArray(), ArrayMinSize(min), ArrayMaxSize(max), HasNoListItems(), ValidateNested({ each: true }), Type(type));

export class LevelSchema {
  @IsInt()
  @Min(1)
  level: number;

  @IsLine()
  name: string;

  @IsText()
  description: string;
}

export class OptionSchema {
  @IsName('value')
  value: string;

  @IsLine()
  label: string;
}

export class ProfileQuestionSchema {
  @IsName('key')
  key: string;

  @IsLine()
  label: string;

  @IsIn(['boolean', 'single_choice', 'multiple_choice'])
  type: 'boolean' | 'single_choice' | 'multiple_choice';

  @IsOptionalText()
  help?: string;

  @IsOptional()
  @IsListOf(() => OptionSchema, 50)
  options?: OptionSchema[];
}

export class RequirementSchema {
  @IsKey()
  key: string;

  @IsLine()
  title: string;

  @IsText()
  text: string;

  @IsOptionalText()
  guidance?: string;

  @IsOptionalText()
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
  @IsKey()
  key: string;

  @IsLine()
  title: string;

  @IsOptionalText()
  summary?: string;

  @IsListOf(() => RequirementSchema, 300, 1)
  requirements: RequirementSchema[];
}

export class ChangelogEntrySchema {
  @IsIn(CHANGE_KINDS, { message: `change must be one of: ${CHANGE_KINDS.join(', ')}` })
  change: ChangeKind;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @IsKey({ each: true })
  keys?: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsName('questions', { each: true })
  questions?: string[];

  @IsOptional()
  @IsArray({ message: `parts must be a list of: ${DOCUMENT_PARTS.join(', ')}` })
  @ArrayMaxSize(DOCUMENT_PARTS.length * 2)
  @IsIn(DOCUMENT_PARTS, { each: true, message: `each part must be one of: ${DOCUMENT_PARTS.join(', ')}` })
  parts?: DocumentPart[];

  @IsText()
  reason: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsLine({ each: true })
  references?: string[];
}

export class ChangelogSchema {
  @IsString({ message: "from must be the earlier version, such as '1.0.0', written as text" })
  from: string;

  @IsListOf(() => ChangelogEntrySchema, 500, 1)
  changes: ChangelogEntrySchema[];
}

export class EvidencePolicySchema {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(EVIDENCE_KIND_NAMES, { each: true, message: `each of kinds must be one of ${EVIDENCE_KIND_NAMES.join(', ')}` })
  kinds: EvidenceKindName[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(FILE_TYPE_WORDS.length)
  @IsIn(FILE_TYPE_WORDS, { each: true, message: `each of file_types must be a group (${FILE_TYPE_GROUP_NAMES.join(', ')}) or one of their media types` })
  file_types?: string[];

  @IsOptional()
  @IsIn(EMBEDDED_IMAGE_RULES, { message: `embedded_images must be ${EMBEDDED_IMAGE_RULES.join(' or ')}` })
  embedded_images?: EmbeddedImageRule;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  confirmation?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2_000)
  refusal_guidance?: string;
}

export class CodeDocumentSchema {
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'code must be lower case letters and digits separated by single dashes' })
  @MaxLength(64)
  code: string;

  @IsLine()
  title: string;

  @IsLine()
  owner: string;

  @IsString({ message: 'version must be a semantic version such as 1.0.0, written as text' })
  version: string;

  @IsString({ message: "effective_date must be a date such as '2027-01-01', written as text" })
  effective_date: string;

  @IsText()
  summary: string;

  @IsListOf(() => LevelSchema, 10)
  levels: LevelSchema[];

  @IsOptional()
  @IsListOf(() => ProfileQuestionSchema, 100)
  profile_questions?: ProfileQuestionSchema[];

  @IsListOf(() => SectionSchema, 60, 1)
  sections: SectionSchema[];

  @IsOptional()
  @ValidateNested()
  @IsObject({ message: 'changelog must be a mapping with from and changes' })
  @Type(() => ChangelogSchema)
  changelog?: ChangelogSchema;

  @IsOptional()
  @IsObject({ message: 'evidence_policy must be a mapping with kinds, file_types, embedded_images, confirmation and refusal_guidance' })
  @ValidateNested()
  @Type(() => EvidencePolicySchema)
  evidence_policy?: EvidencePolicySchema;
}
