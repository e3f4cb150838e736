import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { ApiToken } from '../entities/api-token.entity';
import { ApiTokensService } from '../api-tokens.service';

export const BEARER_STRATEGY = 'bearer';

@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(private readonly tokens: ApiTokensService) {
    super();
  }

  validate(token: string): Promise<ApiToken> {
    return this.tokens.authenticate(token);
  }
}
