/**
 * The Node.js floor of the gateway benchmark: a bare Fastify + undici
 * pass-through, what a proxy costs in Node with nothing but forwarding.
 * `/{upstream}/{path}` goes to the upstream named `fast` or `paced`.
 *   node dist/bench/gateway-floor.js <port> <fast origin> <paced origin>
 */
import Fastify from 'fastify';
import { Pool } from 'undici';

const [port, fast, paced] = process.argv.slice(2);
const pools: Record<string, Pool> = {
  fast: new Pool(fast, { connections: 256 }),
  paced: new Pool(paced, { connections: 256 }),
};
const app = Fastify();
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_req, _payload, done) => done(null));

app.all<{ Params: { upstream: string; '*': string } }>('/:upstream/*', async (req, reply) => {
  reply.hijack();
  const { host: _, connection: __, ...headers } = req.headers;
  const upstream = await pools[req.params.upstream].request({
    path: `/${req.params['*']}`,
    method: req.method as 'POST',
    headers,
    body: req.method === 'GET' ? null : req.raw,
  });
  const { connection: ___, 'transfer-encoding': ____, ...out } = upstream.headers;
  reply.raw.writeHead(upstream.statusCode, out);
  upstream.body.pipe(reply.raw);
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as { port: number }).port });
