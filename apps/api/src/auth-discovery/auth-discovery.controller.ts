import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '#auth';
import { AuthDiscoveryDto } from './auth-discovery.dto.js';
import { AuthDiscoveryService } from './auth-discovery.service.js';

@ApiTags('Auth')
@Controller('apis/auth')
export class AuthDiscoveryController {
  constructor(private readonly service: AuthDiscoveryService) {}

  /** Public: a client asks it before it holds any credential. */
  @Get('discovery')
  @Access('public')
  @ApiOperation({ summary: 'How to authenticate (NeMo CLI sign-in)' })
  @ApiOkResponse({ type: AuthDiscoveryDto })
  discover(): Promise<AuthDiscoveryDto> {
    return this.service.discover();
  }
}
