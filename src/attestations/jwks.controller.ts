import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { Public } from '../access/access.decorator';
import { jwkOf, PublishedKeys } from './published-keys';
import { openToOtherSites } from '../common/web/open-to-other-sites';

/** The register's public keys as a JWK Set (RFC 7517): the key in use first, then every retired one. */
@ApiTags('register')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: PublishedKeys) {}

  @Get('jwks.json')
  @Public()
  @ApiOkResponse({ description: '`{keys: [{kty: "OKP", crv: "Ed25519", x, kid, use: "sig", alg: "EdDSA"}]}`; answers 304 to a matching If-None-Match.' })
  async jwks(@Res({ passthrough: true }) response: Response) {
    const body = { keys: (await this.keys.list()).map(jwkOf) };
    response.setHeader('Cache-Control', 'public, max-age=300');
    openToOtherSites(response);
    // Express answers 304 itself when If-None-Match names this tag.
    response.setHeader('ETag', `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}"`);
    return body;
  }
}
