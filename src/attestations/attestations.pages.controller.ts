import { Body, Controller, Get, HttpCode, HttpStatus, Post, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/access.decorator';
import { FormView } from '../web/form-view.decorator';
import { AttestationVerifier } from './attestation-verifier';
import { verdictOf } from './attestation-verdict';
import { VerifyAttestationDto } from './dto/verify-attestation.dto';
import { DESCRIPTION, TITLE, VerifyFormModel } from './verify-form.page';

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
