import { applyDecorators } from '@nestjs/common';
import { IsObject, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';

/** Optional free text about the service; `null` clears it. */
export const IsOptionalDescription = () => applyDecorators(IsOptional(), Trim(), IsString(), MaxLength(5_000));

/** Optional web address of the service; `null` clears it. */
export const IsOptionalServiceUrl = () =>
  applyDecorators(
    IsOptional(),
    Trim(),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be a web address starting with http:// or https://' }),
    MaxLength(2_000),
  );

/** An optional object of profile answers; each answer is checked against the codes' questions. */
export const IsOptionalProfile = () => applyDecorators(IsOptional(), IsObject());
