import { Body, Controller, Get, HttpCode, HttpStatus, Injectable, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.decorator';
import { FormModel, FormView } from '../web/form-view.decorator';
import { AttestationVerifier } from './attestation-verifier';
import { verdictOf } from './attestation-verdict';
import { VerifyAttestationDto } from './dto/verify-attestation.dto';

const TITLE = 'Verify an attestation';
const DESCRIPTION = 'Paste a signed attestation from the Adhere register to check its signature, what it claims, and what the register shows today.';

/** What the verify form shows again after a refused post: only its title. */
@Injectable()
export class VerifyFormModel implements FormModel {
  locals() {
    return Promise.resolve({ title: TITLE, description: DESCRIPTION });
  }
}

/** The public page where anyone pastes an attestation and reads, in plain words, whether it holds. */
@ApiExcludeController()
@Controller('register/verify')
export class AttestationsPagesController {
  constructor(private readonly verifier: AttestationVerifier) {}

  @Get()
  @Public()
  @Render('attestations/verify')
  form() {
    return { title: TITLE, description: DESCRIPTION, values: {} };
  }

  @Post()
  @Public()
  @HttpCode(HttpStatus.OK)
  @FormView('attestations/verify', VerifyFormModel)
  @Render('attestations/verify')
  async verify(@Body() dto: VerifyAttestationDto) {
    const report = await this.verifier.verify(dto.attestation);
    return { title: TITLE, description: DESCRIPTION, values: dto, verdict: verdictOf(report), report };
  }
}
