import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/access.decorator';
import { AttestationSigner } from './attestation-signer';
import { AttestationVerifier } from './attestation-verifier';
import { VerifyAttestationDto } from './dto/verify-attestation.dto';
import { openToOtherSites } from '../common/web/open-to-other-sites';

export const JOSE_MEDIA_TYPE = 'application/jose';

@ApiTags('register')
@Controller('api/v1/register')
export class AttestationsController {
  constructor(
    private readonly signer: AttestationSigner,
    private readonly verifier: AttestationVerifier,
  ) {}

  /**
   * A signed statement of the entry's current state: a compact JWS (EdDSA) as `application/jose`, or
   * `{attestation, kid}` when the request asks for `application/json`. Never cached: the status may
   * change at any time.
   */
  @Get(':id/attestation')
  @Public()
  @ApiProduces(JOSE_MEDIA_TYPE, 'application/json')
  async attestation(@Param('id') id: string, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const signed = await this.signer.attest(id);
    response.setHeader('Cache-Control', 'no-cache');
    openToOtherSites(response);
    response.vary('Accept');
    if (request.accepts([JOSE_MEDIA_TYPE, 'application/json']) === 'application/json') return signed;
    response.type(JOSE_MEDIA_TYPE);
    return signed.attestation;
  }

  /**
   * Checks an attestation's signature against the published keys, and compares what it claims with
   * the entry now: `{signature, reason?, kid, keyStatus, claims, current, matchesCurrent, differences}`.
   * Input that is not a compact JWS is a 400.
   */
  @Post('verify')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'The verification report; an invalid signature is a report too (`signature: "invalid"` with its `reason`).' })
  verify(@Body() dto: VerifyAttestationDto) {
    return this.verifier.verify(dto.attestation);
  }
}
