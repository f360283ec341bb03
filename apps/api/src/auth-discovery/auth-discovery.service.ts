import { Injectable } from '@nestjs/common';
import { AccessService } from '#auth';
import { AccessConfig } from '#config';
import { compact } from '../common/present.js';
import type { AuthDiscoveryDto, OidcDiscoveryDto } from './auth-discovery.dto.js';

/**
 * What a client needs to sign in: whether authentication is on and, when OIDC tokens are accepted, the
 * issuer and the endpoints from its openid-configuration (fetched at most hourly by the verifier; the
 * last good copy, or none, while the issuer is down: the issuer and client id are answered regardless).
 */
@Injectable()
export class AuthDiscoveryService {
  constructor(
    private readonly config: AccessConfig,
    private readonly access: AccessService,
  ) {}

  async discover(): Promise<AuthDiscoveryDto> {
    const verifier = this.access.oidcVerifier;
    if (!this.config.AUTH_ENABLED || !verifier || !this.config.OIDC_ISSUER)
      return { auth_enabled: this.config.AUTH_ENABLED };
    const metadata = await verifier.metadata();
    const oidc: OidcDiscoveryDto = compact({
      issuer: metadata?.issuer ?? this.config.OIDC_ISSUER,
      client_id: this.clientId(),
      authorization_endpoint: metadata?.authorization_endpoint,
      token_endpoint: metadata?.token_endpoint,
      device_authorization_endpoint: metadata?.device_authorization_endpoint,
      userinfo_endpoint: metadata?.userinfo_endpoint,
      default_scopes: this.config.OIDC_DEFAULT_SCOPES.split(/\s+/).filter(Boolean),
      scope_prefix: this.config.OIDC_SCOPE_PREFIX,
    });
    return { auth_enabled: true, oidc };
  }

  /** OIDC_CLIENT_ID, else the first accepted audience (which most identity providers set to the client id). */
  private clientId(): string {
    return this.config.OIDC_CLIENT_ID ?? (this.config.OIDC_AUDIENCE ?? '').split(',')[0].trim();
  }
}
