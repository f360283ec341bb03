import type pg from 'pg';
import type { MiddlewareCall, RoutingPolicy } from '#routing';

/** One entry of a virtual model's `models` (NeMo's VirtualModelInferenceConfig). */
export interface VirtualModelTarget {
  /** `workspace/name` of a model entity of the virtual model's workspace. */
  model: string;
  backend_format?: 'OPENAI_CHAT' | 'ANTHROPIC_MESSAGES';
}

/** A virtual model as the gateway's routing table needs it. */
export interface VirtualModelRoute extends RoutingPolicy {
  models: VirtualModelTarget[];
}

interface Row {
  workspace: string;
  name: string;
  default_model_entity: string | null;
  models: VirtualModelTarget[];
  request_middleware: MiddlewareCall[];
  response_middleware: MiddlewareCall[];
  post_response_middleware: MiddlewareCall[];
}

/**
 * Every virtual model of every workspace, for the gateway's routing table. Plain SQL on a pg pool and no
 * Prisma, so the gateway can call it on its own pool (import `#db/virtual-model-routes`); the API's
 * repository calls it too. The JSON columns are typed here without a second check: the API validated
 * every pipeline (libs/routing's validatePipeline) and every reference before it wrote them, and nothing
 * else writes the table.
 */
export async function loadVirtualModelRoutes(pool: pg.Pool): Promise<VirtualModelRoute[]> {
  const { rows } = await pool.query<Row>(
    `SELECT workspace, name, default_model_entity, models,
            request_middleware, response_middleware, post_response_middleware
       FROM virtual_models ORDER BY workspace, name`,
  );
  return rows.map((r) => ({
    workspace: r.workspace,
    name: r.name,
    default_model_entity: r.default_model_entity,
    models: r.models,
    request_middleware: r.request_middleware,
    response_middleware: r.response_middleware,
    post_response_middleware: r.post_response_middleware,
  }));
}
