import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { PLAIN_EMAIL_ADDRESS } from '../../notifications/notification-input.check';
import { COMPLAINT_CATEGORIES, type ComplaintCategory } from '../complaint-categories';

export const COMPLAINT_TEXT_MAX = 5_000;

const blankToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);

/** A complaint about a register entry, from anyone. */
export class FileComplaintDto {
  @ApiProperty({ enum: COMPLAINT_CATEGORIES })
  @IsIn(COMPLAINT_CATEGORIES, { message: `category must be one of: ${COMPLAINT_CATEGORIES.join(', ')}` })
  category: ComplaintCategory;

  @ApiProperty({ maxLength: COMPLAINT_TEXT_MAX, description: 'What the complaint is about; only the monitoring body reads it' })
  @Trim()
  @IsString({ message: 'text must be text' })
  @IsNotEmpty({ message: 'text must say what the complaint is about' })
  @MaxLength(COMPLAINT_TEXT_MAX, { message: `text must be at most ${COMPLAINT_TEXT_MAX} characters` })
  text: string;

  @ApiPropertyOptional({ description: 'Only to hear how the complaint is handled; never shown publicly' })
  @Transform(blankToUndefined)
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address such as name@example.org' })
  @Matches(PLAIN_EMAIL_ADDRESS, { message: 'email must be a plain address such as name@example.org, without a name, quotes or brackets' })
  @MaxLength(254, { message: 'email must be at most 254 characters' })
  email?: string;
}
