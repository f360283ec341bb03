import {
  Counter,
  Gauge,
  HotCounter,
  HotHistogram,
  LATENCY_BUCKETS,
  statusClass,
  TOKEN_BUCKETS,
  type Registry,
} from '#telemetry';
import type { Balancer } from './balancer.js';
import type { OutcomeSink, RequestOutcome } from './request-outcome.js';
import type { RoutingTable } from './routing-table.js';

/** A virtual model's target called in this role. */
export type Role = 'primary' | 'fallback' | 'escalation' | 'shadow';

/**
 * What routing does along a request, for the metrics: decisions, attempts per target, fallbacks, retries.
 * Every argument comes from the registry (virtual models, targets, providers) or a fixed vocabulary
 * (roles, results, the policy's reason names).
 */
export interface RoutingEvents {
  decided(virtualModel: string, target: string, reason: string): void;
  /** What a call to `target` in `role` came to: an HTTP status or a failure's name (timeout, connection, stream_break…). */
  attempted(virtualModel: string, target: string, role: Role, result: number | string): void;
  fellBack(virtualModel: string, target: string): void;
  /** A model route's request tried `provider` again or another one after a failed attempt. */
  retried(model: string, provider: string): void;
}

/** Unknown to the registry (a model asked for that does not exist): never the request's own text. */
export const UNKNOWN = '(unknown)';
/** No provider was called. */
export const NONE = '(none)';

/**
 * The gateway's Prometheus metrics (OpenTelemetry's GenAI names where they exist, ours beside them), an
 * OutcomeSink for what each finished request came to and RoutingEvents for what happened on the way.
 * Scrape-time gauges read the balancer (in flight) and the routing table (READY providers per model).
 */
export class GatewayMetrics implements OutcomeSink, RoutingEvents {
  // Updated once per request: prom-client's label handling would cost more than the rest of the request's telemetry.
  private readonly duration: HotHistogram;
  private readonly tokens: HotHistogram;
  private readonly ttft: HotHistogram;
  private readonly tpot: HotHistogram;
  private readonly requests: HotCounter;
  private readonly errors: HotCounter;
  private readonly retries: Counter<string>;
  private readonly fallbacks: Counter<string>;
  private readonly decisions: Counter<string>;
  private readonly attempts: Counter<string>;
  /** Workspaces of the table last seen (labels only for these). */
  private known: { table: RoutingTable | null; workspaces: Set<string> } = { table: null, workspaces: new Set() };

  constructor(
    registry: Registry,
    private readonly table: () => RoutingTable,
    balancer: Balancer,
  ) {
    const registers = [registry];
    const genAi = ['gen_ai_operation_name', 'gen_ai_request_model', 'gen_ai_provider_name', 'workspace'] as const;
    this.duration = new HotHistogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'Gateway requests from arrival to the end of the answer (OpenTelemetry gen_ai.client.operation.duration)',
      labelNames: [...genAi, 'error_type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.tokens = new HotHistogram({
      name: 'gen_ai_client_token_usage',
      help: "Input and output tokens per request, from the upstream's usage (gen_ai.client.token.usage)",
      labelNames: [...genAi, 'gen_ai_token_type'],
      buckets: TOKEN_BUCKETS,
      registers,
    });
    const server = ['gen_ai_request_model', 'gen_ai_provider_name', 'workspace'] as const;
    this.ttft = new HotHistogram({
      name: 'gen_ai_server_time_to_first_token_seconds',
      help: 'Streams: from arrival to the first content chunk sent to the client',
      labelNames: server,
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.tpot = new HotHistogram({
      name: 'gen_ai_server_time_per_output_token_seconds',
      help: 'Streams: time per output token after the first (inter-token latency)',
      labelNames: server,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5],
      registers,
    });
    this.requests = new HotCounter({
      name: 'modelplane_gateway_requests_total',
      help: 'Gateway requests by workspace, model, provider, route and status class (0xx: the client went away)',
      labelNames: ['workspace', 'model', 'provider', 'route', 'status_class'],
      registers,
    });
    this.errors = new HotCounter({
      name: 'modelplane_gateway_errors_total',
      help: 'Failed gateway requests by cause (upstream_status, timeout, connection, stream_cut, no_provider, …)',
      labelNames: ['workspace', 'model', 'provider', 'cause'],
      registers,
    });
    new Gauge({
      name: 'modelplane_gateway_in_flight_requests',
      help: 'Upstream requests under way per provider',
      labelNames: ['provider'],
      registers,
      collect() {
        this.reset();
        for (const { ref } of table().providers.values()) this.set({ provider: ref }, balancer.inFlightOf(ref));
      },
    });
    this.retries = new Counter({
      name: 'modelplane_gateway_retries_total',
      help: 'Further upstream attempts of a request to a model entity after a failed one',
      labelNames: ['model', 'provider'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'modelplane_gateway_fallbacks_total',
      help: "Virtual model requests that went on to a fallback target (the target is the fallback's)",
      labelNames: ['virtual_model', 'target'],
      registers,
    });
    this.decisions = new Counter({
      name: 'modelplane_gateway_routing_decisions_total',
      help: "Virtual model routing decisions by chosen target and the policy's reason",
      labelNames: ['virtual_model', 'target', 'reason'],
      registers,
    });
    this.attempts = new Counter({
      name: 'modelplane_gateway_route_attempts_total',
      help: 'Calls to virtual model targets by role and result (status class or failure)',
      labelNames: ['virtual_model', 'target', 'role', 'result'],
      registers,
    });
    new Gauge({
      name: 'modelplane_gateway_model_ready_providers',
      help: 'READY providers serving each routable model entity, from the routing table',
      labelNames: ['workspace', 'model'],
      registers,
      collect() {
        this.reset();
        for (const model of table().models.values()) {
          let ready = 0;
          for (const { provider } of model.providers) if (provider.status === 'READY') ready++;
          this.set({ workspace: model.workspace, model: model.name }, ready);
        }
      },
    });
  }

  record(outcome: RequestOutcome): void {
    const workspace = this.workspaceLabel(outcome.workspace);
    const model = outcome.model ? nameOf(outcome.model) : UNKNOWN;
    const provider = outcome.provider ?? NONE;
    const operation = outcome.operation;
    const status = outcome.status === 0 ? '0xx' : statusClass(outcome.status);
    // Label values in each metric's labelNames order.
    this.requests.inc([workspace, model, provider, outcome.route, status]);
    if (outcome.cause) this.errors.inc([workspace, model, provider, outcome.cause]);
    this.duration.observe([operation, model, provider, workspace, outcome.cause ?? ''], outcome.durationMs / 1000);
    if (outcome.inputTokens > 0 || outcome.outputTokens > 0) {
      this.tokens.observe([operation, model, provider, workspace, 'input'], outcome.inputTokens);
      this.tokens.observe([operation, model, provider, workspace, 'output'], outcome.outputTokens);
    }
    const ttft = outcome.timeToFirstTokenMs;
    if (ttft !== null) {
      const server = [model, provider, workspace];
      this.ttft.observe(server, ttft / 1000);
      if (outcome.outputTokens > 1) {
        this.tpot.observe(server, (outcome.durationMs - ttft) / 1000 / (outcome.outputTokens - 1));
      }
    }
  }

  decided(virtualModel: string, target: string, reason: string): void {
    this.decisions.inc({ virtual_model: virtualModel, target, reason });
  }

  attempted(virtualModel: string, target: string, role: Role, result: number | string): void {
    const label = typeof result === 'number' ? statusClass(result) : result;
    this.attempts.inc({ virtual_model: virtualModel, target, role, result: label });
  }

  fellBack(virtualModel: string, target: string): void {
    this.fallbacks.inc({ virtual_model: virtualModel, target });
  }

  retried(model: string, provider: string): void {
    this.retries.inc({ model, provider });
  }

  /** The workspace when the routing table knows it (a refused request to any path is `(unknown)`). */
  private workspaceLabel(workspace: string): string {
    const table = this.table();
    if (this.known.table !== table) {
      const workspaces = new Set<string>(table.modelsByWorkspace.keys());
      for (const p of table.providers.values()) workspaces.add(p.workspace);
      this.known = { table, workspaces };
    }
    return this.known.workspaces.has(workspace) ? workspace : UNKNOWN;
  }
}

/** No metrics (METRICS_ENABLED=false): routing events cost a call that does nothing. */
export const NO_ROUTING_EVENTS: RoutingEvents = {
  decided: () => undefined,
  attempted: () => undefined,
  fellBack: () => undefined,
  retried: () => undefined,
};

function nameOf(ref: string): string {
  const at = ref.indexOf('/');
  return at < 0 ? ref : ref.slice(at + 1);
}
