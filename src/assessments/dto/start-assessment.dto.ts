import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { NumberFromText } from '../../common/validation/from-text';
import { Trim } from '../../common/validation/trim.decorator';
import { MAX_INTEGER } from '../../common/validation/version.decorator';

export class StartAssessmentDto {
  @ApiProperty({ description: 'The service being declared' })
  @IsUUID('all', { message: 'serviceId must be the id of one of your services' })
  serviceId: string;

  @ApiProperty({ description: "The code's slug", example: 'csea-detection-tools' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  code: string;

  @ApiProperty({ description: 'A published version of the code', example: '1.0.0' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  version: string;

  @ApiProperty({ description: "The slug of a monitoring body accredited for the code" })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  monitoringBody: string;

  @ApiProperty({ description: "The level of the code's levels being declared", minimum: 1 })
  @NumberFromText()
  @IsInt({ message: 'targetLevel must be a level number' })
  @Min(1)
  @Max(MAX_INTEGER)
  targetLevel: number;

  @ApiPropertyOptional({ description: 'An earlier assessment whose answers and evidence links to copy' })
  @ValidateIf((_dto, value) => value !== undefined && value !== null && value !== '')
  @IsUUID('all', { message: 'copyFrom must be the id of one of your assessments' })
  @IsOptional()
  copyFrom?: string;
}
