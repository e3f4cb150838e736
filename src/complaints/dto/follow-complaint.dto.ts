import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

/** What a complainant was given when filing: the reference and the secret, never sent in a URL. */
export class FollowComplaintDto {
  @ApiProperty({ example: 'C-7K3Q-9MXD' })
  @Trim()
  @IsString({ message: 'reference must be text' })
  @IsNotEmpty({ message: 'reference must be the reference you were given, such as C-7K3Q-9MXD' })
  @MaxLength(40, { message: 'reference must be at most 40 characters' })
  reference: string;

  @ApiProperty()
  @Trim()
  @IsString({ message: 'secret must be text' })
  @IsNotEmpty({ message: 'secret must be the secret you were given with the reference' })
  @MaxLength(200, { message: 'secret must be at most 200 characters' })
  secret: string;
}
