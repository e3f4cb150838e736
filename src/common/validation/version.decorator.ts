import { applyDecorators } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { NumberFromText } from './from-text';

/** PostgreSQL's `integer`: a version, a level or a revision number beyond it can only be a mistake. */
export const MAX_INTEGER = 2_147_483_647;

/** The version a change is based on: a whole number the database can hold. */
export const IsVersion = (message = 'version must be the version you read, a whole number from 1') =>
  applyDecorators(NumberFromText(), IsInt({ message }), Min(1, { message }), Max(MAX_INTEGER, { message }));
