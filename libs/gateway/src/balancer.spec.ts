import { Balancer, retryAfterMs } from './balancer.js';
import { GatewayError } from './gateway-error.js';
import { buildRoutingTable, type ProviderRow } from './routing-table.js';

function row(name: string, status: string, entity = 'ws/m'): ProviderRow {
  return {
    id: name,
    workspace: 'ws',
    name,
    hostUrl: `http://${name}:8000`,
    status,
    statusMessage: status === 'READY' ? '' : 'unreachable',
    servedModels: [{ model_entity_id: entity, served_model_name: 'served' }],
    defaultExtraHeaders: null,
    requiredExtraHeaders: null,
    defaultExtraBody: null,
    requiredExtraBody: null,
    authHeader: null,
    keyError: null,
  };
}

describe('Balancer', () => {
  it('chooses READY providers only, the fewest in flight first, ties in turn', () => {
    const model = buildRoutingTable([row('a', 'READY'), row('b', 'READY'), row('c', 'ERROR')]).models.get('ws/m')!;
    const balancer = new Balancer();
    const firsts = [0, 1, 2, 3].map(() => balancer.candidates(model)[0].provider.name);
    expect(new Set(firsts)).toEqual(new Set(['a', 'b'])); // in turn, never c
    expect(
      balancer
        .candidates(model)
        .map((c) => c.provider.name)
        .sort(),
    ).toEqual(['a', 'b']);
    const endA = balancer.begin('ws/a');
    balancer.begin('ws/a');
    expect(balancer.candidates(model)[0].provider.name).toBe('b');
    endA();
    endA(); // once only
    expect(balancer.inFlightOf('ws/a')).toBe(1);
  });

  it('puts a provider that is cooling down last until its time is up', () => {
    const model = buildRoutingTable([row('a', 'READY'), row('b', 'READY')]).models.get('ws/m')!;
    const balancer = new Balancer();
    balancer.coolDown('ws/a', 1000, 10_000);
    expect(balancer.candidates(model, 10_500).map((c) => c.provider.name)).toEqual(['b', 'a']);
    expect(balancer.candidates(model, 11_001).length).toBe(2);
  });

  it('answers 503 naming every provider and its state when none is READY', () => {
    const model = buildRoutingTable([row('a', 'ERROR'), row('b', 'LOST')]).models.get('ws/m')!;
    try {
      new Balancer().candidates(model);
      throw new Error('expected a 503');
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).status).toBe(503);
      expect((error as GatewayError).message).toContain('ws/a is ERROR (unreachable); ws/b is LOST (unreachable)');
    }
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('soon')).toBeNull();
  });
});
