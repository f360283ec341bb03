import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Where and how a client (NeMo's CLI) signs in at the identity provider. */
export class OidcDiscoveryDto {
  @ApiProperty({ example: 'https://login.example.com/realms/acme' }) issuer!: string;
  @ApiProperty({ example: 'modelplane-cli' }) client_id!: string;
  @ApiPropertyOptional() authorization_endpoint?: string;
  @ApiPropertyOptional() token_endpoint?: string;
  @ApiPropertyOptional() device_authorization_endpoint?: string;
  @ApiPropertyOptional() userinfo_endpoint?: string;
  @ApiProperty({ type: [String], example: ['openid', 'profile', 'email', 'offline_access'] }) default_scopes!: string[];
  @ApiPropertyOptional({ example: 'api://modelplane/' }) scope_prefix?: string;
}

/** NeMo's AuthDiscoveryResponse. */
export class AuthDiscoveryDto {
  @ApiProperty() auth_enabled!: boolean;
  @ApiPropertyOptional({ type: OidcDiscoveryDto, description: 'Present when OIDC tokens are accepted.' })
  oidc?: OidcDiscoveryDto;
}
