import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

export class VerifyAttestationDto {
  @ApiProperty({ description: 'A compact JWS as GET /api/v1/register/:id/attestation gives it; spaces and line breaks are ignored.' })
  @Trim()
  @IsString({ message: 'attestation must be the attestation as text' })
  @IsNotEmpty({ message: 'attestation is empty: paste the attestation to check' })
  @MaxLength(20_000, { message: 'attestation is too long to be an attestation (at most 20000 characters)' })
  attestation: string;
}
