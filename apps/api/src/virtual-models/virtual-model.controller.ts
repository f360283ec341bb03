import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '#auth';
import { InvalidFieldError } from '#domain';
import type { Page } from '#db';
import { etagOf, parseIfMatch } from '../common/if-match.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { parseBoolParam } from '../common/version.pipe.js';
import {
  CreateVirtualModelDto,
  UpdateVirtualModelDto,
  VirtualModelDto,
  VirtualModelListQueryDto,
} from './virtual-model.dto.js';
import { VirtualModelService } from './virtual-model.service.js';

const IF_MATCH = {
  name: 'If-Match',
  required: false,
  description: 'Optimistic locking: `"<db_version>"` as last read (or its ETag); 412 when it is no longer current.',
  schema: { type: 'string', example: '"1"' },
} as const;

const ETAG = {
  ETag: { description: 'The db_version, as an entity tag If-Match accepts.', schema: { type: 'string' } },
};

/** NeMo's VirtualModel store, also served at `/apis/inference-gateway/v2/workspaces/{ws}/virtual-models`. */
@ApiTags('Virtual models')
@Controller('v2/workspaces/:workspace/virtual-models')
export class VirtualModelController {
  constructor(private readonly service: VirtualModelService) {}

  @Post()
  @Access('virtual-models.write')
  @ApiDoc(
    'Create a virtual model',
    [404, 409, 413, 422],
    'A routing policy callers name as a model. 409 `virtual_model/name_taken` when a model entity of the workspace ' +
      'has the name: the gateway resolves a virtual model before an entity of the same name.',
  )
  @ApiCreatedResponse({ type: VirtualModelDto, headers: ETAG })
  async create(
    @Param('workspace') workspace: string,
    @Body() dto: CreateVirtualModelDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VirtualModelDto> {
    return tagged(reply, await this.service.create(workspace, dto));
  }

  @Get()
  @Access('virtual-models.read')
  @ApiDoc('List virtual models', [400, 404, 422])
  @ApiQuery({
    name: 'include_autoprovisioned',
    required: false,
    type: Boolean,
    description: 'false leaves out autoprovisioned (controller-managed) virtual models; default true.',
  })
  @ApiQuery({
    name: 'exclude_autoprovisioned',
    required: false,
    type: Boolean,
    description: "NeMo's spelling of the same choice: true leaves them out; default false. Not both at once.",
  })
  @ApiPage(VirtualModelDto)
  list(
    @Param('workspace') workspace: string,
    @Query() query: VirtualModelListQueryDto,
    @Query('include_autoprovisioned') include?: string,
    @Query('exclude_autoprovisioned') exclude?: string,
  ): Promise<Page<VirtualModelDto>> {
    const included = parseBoolParam(include, 'include_autoprovisioned');
    const excluded = parseBoolParam(exclude, 'exclude_autoprovisioned');
    if (included !== undefined && excluded !== undefined) {
      throw new InvalidFieldError(
        ['query', 'exclude_autoprovisioned'],
        'give include_autoprovisioned or exclude_autoprovisioned, not both',
      );
    }
    return this.service.list(workspace, query, included ?? (excluded === undefined ? true : !excluded));
  }

  @Get(':name')
  @Access('virtual-models.read')
  @ApiDoc('Get a virtual model', [404])
  @ApiOkResponse({ type: VirtualModelDto, headers: ETAG })
  async get(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VirtualModelDto> {
    return tagged(reply, await this.service.get(workspace, name));
  }

  @Patch(':name')
  @Access('virtual-models.write')
  @ApiDoc(
    'Update a virtual model',
    [404, 412, 413, 422],
    'Partial update: a field that is present changes, null clears it (default_model_entity unset, lists emptied). ' +
      'Every write increments db_version.',
  )
  @ApiHeader(IF_MATCH)
  @ApiOkResponse({ type: VirtualModelDto, headers: ETAG })
  async update(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateVirtualModelDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VirtualModelDto> {
    return tagged(reply, await this.service.update(workspace, name, dto, parseIfMatch(ifMatch)));
  }

  @Delete(':name')
  @Access('virtual-models.write')
  @HttpCode(204)
  @ApiDoc('Delete a virtual model', [404, 412])
  @ApiHeader(IF_MATCH)
  @ApiNoContentResponse({ description: 'Deleted.' })
  delete(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    return this.service.delete(workspace, name, parseIfMatch(ifMatch));
  }
}

function tagged(reply: FastifyReply, dto: VirtualModelDto): VirtualModelDto {
  void reply.header('etag', etagOf(dto.db_version));
  return dto;
}
