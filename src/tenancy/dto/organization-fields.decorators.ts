import { applyDecorators } from '@nestjs/common';
import { IsISO31661Alpha2, IsOptional, IsUrl } from 'class-validator';

export const IsOptionalCountry = () =>
  applyDecorators(IsOptional(), IsISO31661Alpha2({ message: 'country must be a two-letter ISO 3166 code, such as DE or GB' }));

export const IsOptionalWebsite = () =>
  applyDecorators(
    IsOptional(),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'website must be an http(s) address' }),
  );
