import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Trim } from '../../common/validation/trim.decorator';
import { IsVersion } from '../../common/validation/version.decorator';

export const SSO_ROLES = ['editor', 'viewer', 'reviewer'] as const;
export type SsoRole = (typeof SSO_ROLES)[number];
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** The API sends a list; the page's text area sends the domains one per line (or separated by commas). */
const domainList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean).map((domain) => domain.toLowerCase()) : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item.trim().toLowerCase() : item)) : value;

/** The organization's OpenID Connect settings (`PUT /api/v1/orgs/:org/sso` and the settings page). */
export class SsoSettingsDto {
  @Trim()
  @IsString()
  @Length(8, 500, { message: 'issuer must be an https address of at most 500 characters' })
  issuer: string;

  @Trim()
  @IsString()
  @Length(1, 200, { message: 'clientId must be 1 to 200 characters' })
  clientId: string;

  /** Required the first time; left out (or empty) later, the stored secret is kept. */
  @IsOptional()
  @IsString()
  @Length(0, 1000, { message: 'clientSecret must be at most 1000 characters' })
  clientSecret?: string;

  @Transform(domainList)
  @IsArray({ message: 'domains must be a list of e-mail domains such as example.com' })
  @ArrayMinSize(1, { message: 'domains must name at least one e-mail domain' })
  @ArrayMaxSize(20, { message: 'domains may name at most 20 e-mail domains' })
  @IsString({ each: true, message: 'each domain must be a domain name such as example.com' })
  @Length(3, 253, { each: true, message: 'each domain must be 3 to 253 characters' })
  @Matches(DOMAIN, { each: true, message: 'each domain must be a domain name such as example.com, without @' })
  domains: string[];

  @IsIn(SSO_ROLES, { message: 'defaultRole must be editor or viewer (provider) or reviewer (monitoring body); never the owner or admin role' })
  defaultRole: SsoRole;

  @IsOptional()
  @Transform(({ value }) => (value === 'on' || value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'ssoOnly must be true or false' })
  ssoOnly?: boolean;

  /** The version the change is based on; required once settings exist. */
  @IsOptional()
  @IsVersion()
  version?: number;
}

export class SsoDiscoverDto {
  @Trim()
  @IsString({ message: 'email must be an email address' })
  @Length(3, 254, { message: 'email must be an email address' })
  @Matches(/^[^\s@]+@[^\s@]+$/, { message: 'email must be an email address' })
  email: string;
}
