import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { firstHiddenCharacter, hiddenCharacterMessage } from '../names/hidden-characters';

/**
 * A name others read (an organization's, a service's): trimmed, in Unicode normal form C (so that `é`
 * typed as one character or as e and an accent is stored alike), and refused with a 400 naming the
 * field, the kind of character and its place if it holds a control, bidirectional-formatting or other
 * invisible character (see hidden-characters.ts).
 */
export const VisibleName = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().normalize('NFC') : value)),
    ValidateBy({
      name: 'visibleName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !firstHiddenCharacter(value),
        defaultMessage: (args?: ValidationArguments) => hiddenCharacterMessage(args!.property, firstHiddenCharacter(String(args!.value))!),
      },
    }),
  );
