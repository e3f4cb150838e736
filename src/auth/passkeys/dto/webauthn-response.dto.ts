import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { Equals, IsArray, IsIn, IsInt, IsNotEmptyObject, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

/** Binary data as WebAuthn's JSON carries it: base64url, bounded so that a huge value is refused before any parsing. */
const Base64Url = (max = 8192) =>
  applyDecorators(IsString(), MaxLength(max), Matches(/^[A-Za-z0-9_-]+={0,2}$/, { message: '$property must be base64url-encoded' }));

const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

/** What every public-key credential JSON has, as the browser's PublicKeyCredential.toJSON() writes it. */
class CredentialJsonDto {
  @Base64Url(1366)
  id: string;

  @Base64Url(1366)
  rawId: string;

  @Equals('public-key', { message: 'type must be "public-key"' })
  type: 'public-key';

  @IsObject()
  clientExtensionResults: Record<string, unknown>;

  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';
}

class AttestationDto {
  @Base64Url()
  clientDataJSON: string;

  @Base64Url(65536)
  attestationObject: string;

  @IsOptional()
  @Base64Url()
  authenticatorData?: string;

  @IsOptional()
  @IsArray()
  @IsIn(TRANSPORTS, { each: true })
  transports?: string[];

  @IsOptional()
  @IsInt()
  publicKeyAlgorithm?: number;

  @IsOptional()
  @Base64Url()
  publicKey?: string;
}

class AssertionDto {
  @Base64Url()
  clientDataJSON: string;

  @Base64Url()
  authenticatorData: string;

  @Base64Url()
  signature: string;

  @IsOptional()
  @Base64Url(256)
  userHandle?: string;
}

/** An authenticator's answer to `navigator.credentials.create()`: a new passkey. */
export class RegistrationResponseDto extends CredentialJsonDto {
  @IsNotEmptyObject({}, { message: 'response is required' })
  @ValidateNested()
  @Type(() => AttestationDto)
  response: AttestationDto;
}

/** An authenticator's answer to `navigator.credentials.get()`: a signed challenge. */
export class AuthenticationResponseDto extends CredentialJsonDto {
  @IsNotEmptyObject({}, { message: 'response is required' })
  @ValidateNested()
  @Type(() => AssertionDto)
  response: AssertionDto;
}
