import { AsyncResource } from 'node:async_hooks';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiConfig } from '#config';
import {
  DEPLOYMENT_STATUSES,
  InvalidFieldError,
  statusesOnWire,
  statusFromWire,
  statusOnWire,
  type DeploymentStatus,
  type Dialect,
} from '#domain';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Page } from '#db';
import type { FastifyReply } from 'fastify';
import { VersionedListQueryDto } from '../common/list.js';
import { ApiDoc, ApiPage } from '../common/openapi.decorators.js';
import { parseBoolParam, ParseVersionPipe } from '../common/version.pipe.js';
import {
  CreateDeploymentDto,
  DeploymentDto,
  DeploymentModelsDto,
  DeploymentStatusUpdateDto,
  UpdateDeploymentDto,
} from './deployment.dto.js';
import { DeploymentService } from './deployment.service.js';
import { Access, currentDialect } from '#auth';

@ApiTags('Deployments')
@Controller('v2/workspaces/:workspace/deployments')
export class DeploymentController {
  constructor(
    private readonly service: DeploymentService,
    @Inject(ApiConfig) private readonly config: ApiConfig,
  ) {}

  @Post()
  @Access('deployments.write')
  @ApiDoc(
    'Create a deployment (version 1, CREATED)',
    [400, 404, 409, 413, 422],
    '400 when the config or config version does not exist.',
  )
  @ApiCreatedResponse({ type: DeploymentDto })
  create(@Param('workspace') workspace: string, @Body() dto: CreateDeploymentDto): Promise<DeploymentDto> {
    return this.service.create(workspace, dto);
  }

  @Get()
  @Access('deployments.read')
  @ApiDoc('List deployments (latest version of each)', [400, 404, 422])
  @ApiQuery({
    name: 'all_versions',
    required: false,
    type: Boolean,
    description: 'List every version instead of the latest of each.',
  })
  @ApiPage(DeploymentDto)
  list(
    @Param('workspace') workspace: string,
    @Query() query: VersionedListQueryDto,
    @Query('all_versions') allVersions?: string,
  ): Promise<Page<DeploymentDto>> {
    return this.service.list(workspace, query, parseBoolParam(allVersions, 'all_versions') ?? false);
  }

  @Get(':name')
  @Access('deployments.read')
  @ApiDoc(
    'Get the latest version of a deployment, optionally waiting for a status',
    [404, 422],
    'With `wait_for` (comma-separated statuses, e.g. `READY,FAILED`) the request is held until the latest version ' +
      'reaches one of them or `timeout` seconds pass, then answers with the deployment as it is: a CI pipeline can ' +
      'block on one request instead of polling. Compare `status` with what you waited for. A deployment DELETED is ' +
      'removed (after DELETED_DEPLOYMENT_RETENTION_SECONDS, 0 by default: a plain GET is then 404); a wait it ' +
      'outlives, or a `wait_for=DELETED` after it, answers its final DELETED state from its record in the audit log.',
  )
  @ApiQuery({ name: 'wait_for', required: false, example: 'READY,FAILED', description: 'Statuses to wait for.' })
  @ApiQuery({
    name: 'timeout',
    required: false,
    type: Number,
    example: 600,
    description: 'Seconds to wait at most (default 60).',
  })
  @ApiOkResponse({ type: DeploymentDto })
  get(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Query('wait_for') waitFor?: string,
    @Query('timeout') timeout?: string,
  ): Promise<DeploymentDto> {
    if (waitFor === undefined) return this.service.get(workspace, name);
    return this.service.waitFor(workspace, name, parseStatuses(waitFor, 'wait_for'), this.timeoutMs(timeout));
  }

  @Get(':name/models')
  @Access('deployments.read')
  @ApiDoc(
    'The models a deployment serves',
    [404],
    "What the serving version's server listed on /v1/models, as model entities and the names they are served under " +
      '(the reference answers an empty stub here).',
  )
  @ApiOkResponse({ type: DeploymentModelsDto })
  models(@Param('workspace') workspace: string, @Param('name') name: string): Promise<DeploymentModelsDto> {
    return this.service.models(workspace, name);
  }

  @Get(':name/events')
  @Access('deployments.read')
  @ApiDoc(
    'Stream status changes of a deployment (server-sent events)',
    [404, 422],
    'A `text/event-stream`: an `event: status` with the deployment (as GET returns it) at once and on every status ' +
      'change of any version, and a comment every 15 s to keep proxies from closing it. With `until` (e.g. ' +
      '`READY,FAILED`) the stream ends after the latest version reaches one of those statuses. A deployment whose ' +
      'records are removed once DELETED ends the stream with its final DELETED state; with `until=DELETED`, one ' +
      'already removed is streamed so (from its record in the audit log) instead of 404.',
  )
  @ApiQuery({ name: 'until', required: false, type: String, example: 'READY,FAILED' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'The event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  async events(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Query('until') until: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const stop = until === undefined ? null : parseStatuses(until, 'until');
    // 404 before the stream starts; a deployment already removed is streamed as it ended when DELETED is awaited.
    const first = await this.service.current(workspace, name, stop?.has('DELETED') ?? false);
    let last = first.deployment;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (d: DeploymentDto) => raw.write(`event: status\ndata: ${JSON.stringify(d)}\n\n`);
    let closed = false;
    let unsubscribe: () => void = () => undefined;
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 15_000);
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      raw.end();
    };
    raw.on('close', finish);
    let reading = Promise.resolve();
    const refresh = () => {
      reading = reading.then(async () => {
        if (closed) return;
        // Removed meanwhile: its final state (from the audit log) is the last event, unless already sent.
        const read = await this.service.current(workspace, name, true).catch(() => null);
        if (!read) return finish();
        const next = read.deployment;
        if (
          next.status_history.length !== last.status_history.length ||
          next.status !== last.status ||
          next.entity_version !== last.entity_version
        ) {
          last = next;
          send(next);
        }
        if (read.removed || stop?.has(next.status)) finish();
      });
    };
    // Run in this request's context, whichever notification calls it (its vocabulary, its principal).
    unsubscribe = await this.service.subscribe(workspace, name, AsyncResource.bind(refresh));
    send(last);
    if (first.removed || stop?.has(last.status)) return finish();
    refresh(); // catches a change between the first read and the subscription
  }

  private timeoutMs(timeout: string | undefined): number {
    if (timeout === undefined || timeout === '') return 60_000;
    const seconds = Number(timeout);
    if (!/^\d{1,6}$/.test(timeout) || seconds > this.config.MAX_WAIT_SECONDS) {
      throw new InvalidFieldError(
        ['query', 'timeout'],
        `timeout must be whole seconds from 0 to ${this.config.MAX_WAIT_SECONDS}`,
      );
    }
    return seconds * 1000;
  }

  @Post(':name')
  @Access('deployments.write')
  @ApiDoc(
    'Create a new version of a deployment (PENDING)',
    [400, 404, 409, 413, 422],
    'Points the deployment at another config or config version. The previous version keeps serving until the new one is READY.',
  )
  @ApiCreatedResponse({ type: DeploymentDto })
  newVersion(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Body() dto: UpdateDeploymentDto,
  ): Promise<DeploymentDto> {
    return this.service.newVersion(workspace, name, dto);
  }

  @Get(':name/versions')
  @Access('deployments.read')
  @ApiDoc('List every version of a deployment, newest first', [404])
  @ApiOkResponse({ type: [DeploymentDto] })
  versions(@Param('workspace') workspace: string, @Param('name') name: string): Promise<DeploymentDto[]> {
    return this.service.versions(workspace, name);
  }

  @Get(':name/versions/:version')
  @Access('deployments.read')
  @ApiDoc('Get one version of a deployment', [400, 404])
  @ApiOkResponse({ type: DeploymentDto })
  version(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Param('version', new ParseVersionPipe()) version: number,
  ): Promise<DeploymentDto> {
    return this.service.get(workspace, name, version);
  }

  @Post(':name/status')
  @Access('deployments.write')
  @HttpCode(200)
  @ApiDoc(
    'Write a deployment status',
    [400, 404, 409, 422],
    'Applies to the latest version unless `version` is given. Transitions follow the lifecycle table; an illegal one is a 409 naming both states. ' +
      'From DELETING only DELETED is allowed. Writing the stored status and message again changes nothing.',
  )
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiOkResponse({ type: DeploymentDto })
  setStatus(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Query('version', new ParseVersionPipe(true)) version: number | undefined,
    @Body() dto: DeploymentStatusUpdateDto,
  ): Promise<DeploymentDto> {
    return this.service.setStatus(workspace, name, version, dto);
  }

  @Delete(':name')
  @Access('deployments.write')
  @ApiDoc(
    'Delete a deployment',
    [404, 409, 422],
    'Marks every version that is not DELETED as DELETING (202); the workers tear it down, mark it DELETED and ' +
      'remove its records after DELETED_DEPLOYMENT_RETENTION_SECONDS (0 by default, as NeMo), keeping its versions ' +
      'and status history in the audit log (`deployment.removed`). When all are already DELETED, removes the records ' +
      'at once (204).',
  )
  @ApiAcceptedResponse({ description: 'Marked DELETING; the workers tear it down.' })
  @ApiNoContentResponse({ description: 'Removed.' })
  async delete(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.service.delete(workspace, name);
    await reply.status(outcome === 'marked' ? 202 : 204).send();
  }

  @Delete(':name/versions/:version')
  @Access('deployments.write')
  @ApiDoc(
    'Delete one version of a deployment',
    [400, 404, 409, 422],
    'DELETING (202) unless it is already DELETED, in which case it is removed (204).',
  )
  @ApiAcceptedResponse({ description: 'Marked DELETING.' })
  @ApiNoContentResponse({ description: 'Removed.' })
  async deleteVersion(
    @Param('workspace') workspace: string,
    @Param('name') name: string,
    @Param('version', new ParseVersionPipe()) version: number,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.service.delete(workspace, name, version);
    await reply.status(outcome === 'marked' ? 202 : 204).send();
  }
}

/** `READY,FAILED` → the set, each checked against the lifecycle's statuses. */
/**
 * Comma-separated statuses, as the request's vocabulary says them (compared with what it is answered:
 * on NeMo's paths a failed deployment is ERROR, and FAILED is read as ERROR there too).
 */
export function parseStatuses(value: string, param: string, dialect: Dialect = currentDialect()): Set<string> {
  const wire = statusesOnWire(DEPLOYMENT_STATUSES, dialect);
  const statuses = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean)
    .map((s) => (wire.includes(s) ? s : statusOnWire(statusFromWire(s, dialect) as DeploymentStatus, dialect)));
  const unknown = statuses.filter((s) => !wire.includes(s));
  if (statuses.length === 0 || unknown.length > 0) {
    throw new InvalidFieldError(['query', param], `${param} takes comma-separated statuses from ${wire.join(', ')}`);
  }
  return new Set(statuses);
}
