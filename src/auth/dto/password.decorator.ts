import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsHardToGuess } from '../../common/validation/password-strength';

// Length and unpredictability make a password strong; the upper bound only keeps hashing cheap to refuse.
export const IsPassword = () =>
  applyDecorators(
    IsString(),
    MinLength(12, { message: '$property must be at least 12 characters long' }),
    MaxLength(256, { message: '$property must be at most 256 characters long' }),
    IsHardToGuess(),
  );
