import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RegisterModule } from '../register/register.module';
import { ActiveSigningKey } from './active-signing-key';
import { AttestationSigner } from './attestation-signer';
import { AttestationVerifier } from './attestation-verifier';
import { AttestationsController } from './attestations.controller';
import { AttestationsPagesController } from './attestations.pages.controller';
import { VerifyFormModel } from './verify-form.page';
import { RegisterSigningKey } from './entities/register-signing-key.entity';
import { JwksController } from './jwks.controller';
import { PublishedKeys } from './published-keys';

/** Signed attestations of register entries, the published keys that check them, and the page that does. */
@Module({
  imports: [TypeOrmModule.forFeature([RegisterSigningKey]), RegisterModule],
  controllers: [JwksController, AttestationsController, AttestationsPagesController],
  providers: [ActiveSigningKey, PublishedKeys, AttestationSigner, AttestationVerifier, VerifyFormModel],
})
export class AttestationsModule {}
