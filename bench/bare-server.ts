/**
 * The baseline: a bare Fastify + pg handler running the same queries the API
 * runs for "list models" and "get model by name", with the same response
 * envelope and pool size. What a hand-written endpoint costs, with no
 * framework, validation or ORM.
 */
import Fastify from 'fastify';
import pg from 'pg';

const port = Number(process.argv[2] ?? 0);
const pool = new pg.Pool({ connectionString: process.argv[3], max: Number(process.argv[4] ?? 10) });
const app = Fastify();

// A model's adapters live in their own table; the API reads them with the model (one subquery), as here.
const COLUMNS = `id, workspace, name, project, description, spec, finetuning_type, fileset, trust_remote_code, base_model,
  api_endpoint, backend_format, prompt, custom_fields, ownership, model_providers, created_at, updated_at,
  (SELECT json_agg(to_jsonb(a) ORDER BY a.created_at, a.id) FROM adapters a
    WHERE a.model_workspace = t.workspace AND a.model_name = t.name AND a.workspace = t.workspace) AS adapters`;

function present(r: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (v !== null) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

app.get<{ Params: { ws: string }; Querystring: { page?: string; page_size?: string } }>(
  '/v2/workspaces/:ws/models',
  async (req) => {
    const page = Number(req.query.page ?? 1);
    const size = Number(req.query.page_size ?? 100);
    const [rows, count] = await Promise.all([
      pool.query(
        `SELECT ${COLUMNS} FROM models t WHERE workspace = $1 ORDER BY created_at ASC, id ASC LIMIT $2 OFFSET $3`,
        [req.params.ws, size, (page - 1) * size],
      ),
      pool.query('SELECT count(*)::int AS n FROM models WHERE workspace = $1', [req.params.ws]),
    ]);
    const total = count.rows[0].n as number;
    return {
      data: rows.rows.map(present),
      pagination: {
        page,
        page_size: size,
        current_page_size: rows.rowCount,
        total_pages: Math.max(1, Math.ceil(total / size)),
        total_results: total,
      },
      sort: 'created_at',
    };
  },
);

app.get<{ Params: { ws: string; name: string } }>('/v2/workspaces/:ws/models/:name', async (req, reply) => {
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM models t WHERE workspace = $1 AND name = $2`, [
    req.params.ws,
    req.params.name,
  ]);
  if (!rows[0]) return reply.status(404).send({ detail: 'not found' });
  return present(rows[0]);
});

await app.listen({ port, host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as { port: number }).port });
