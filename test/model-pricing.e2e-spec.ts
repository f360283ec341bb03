import { jest } from '@jest/globals';
import { newWorkspace, startApi, type Api, type ApiResponse } from './api-harness.js';

jest.setTimeout(60_000);

const locs = (res: ApiResponse): string[] => res.body.detail.map((i: { loc: string[] }) => i.loc.join('.'));

/** Prices on model entities, which the gateway's cost rule reads: validated, defaulted, kept by PATCH. */
describe('model pricing', () => {
  let api: Api;
  let base: string;
  beforeAll(async () => {
    api = await startApi();
    base = `/v2/workspaces/${await newWorkspace(api, 'price')}/models`;
  });
  afterAll(async () => {
    await api?.close();
  });

  it('round-trips prices, with USD when no currency is given', async () => {
    const created = await api.request('POST', base, {
      name: 'priced',
      pricing: { input_per_million_tokens: 0.18, output_per_million_tokens: 0.6 },
    });
    expect(created.status).toBe(201);
    expect(created.body.pricing).toEqual({
      input_per_million_tokens: 0.18,
      output_per_million_tokens: 0.6,
      currency: 'USD',
    });
    expect((await api.request('GET', `${base}/priced`)).body.pricing).toEqual(created.body.pricing);

    const free = { input_per_million_tokens: 0, output_per_million_tokens: 0, currency: 'EUR' };
    const patched = await api.request('PATCH', `${base}/priced`, { pricing: free });
    expect(patched.body.pricing).toEqual(free);
    // As every field of a model entity: omitted or null keeps the stored value.
    expect((await api.request('PATCH', `${base}/priced`, { description: 'x' })).body.pricing).toEqual(free);
    expect((await api.request('PATCH', `${base}/priced`, { pricing: null })).body.pricing).toEqual(free);

    const listed = await api.request('GET', `${base}?filter[name]=priced`);
    expect(listed.body.data[0].pricing).toEqual(free);
  });

  it('leaves pricing out of a model entity that has none', async () => {
    const res = await api.request('POST', base, { name: 'unpriced' });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('pricing');
  });

  it.each([
    [{ input_per_million_tokens: -1, output_per_million_tokens: 1 }, ['body.pricing.input_per_million_tokens']],
    [{ input_per_million_tokens: 1 }, ['body.pricing.output_per_million_tokens']],
    [{ input_per_million_tokens: '1', output_per_million_tokens: 1 }, ['body.pricing.input_per_million_tokens']],
    [{ input_per_million_tokens: 1, output_per_million_tokens: 2e6 }, ['body.pricing.output_per_million_tokens']],
    [{ input_per_million_tokens: 1, output_per_million_tokens: 1, currency: 'usd' }, ['body.pricing.currency']],
    [{ input_per_million_tokens: 1, output_per_million_tokens: 1, per: 'token' }, ['body.pricing.per']],
    [5, ['body.pricing']],
  ])('refuses pricing %j with a 422 naming the field, on create and on PATCH', async (pricing, fields) => {
    const created = await api.request('POST', base, { name: 'bad-price', pricing });
    expect(created.status).toBe(422);
    expect(locs(created)).toEqual(expect.arrayContaining(fields));
    const patched = await api.request('PATCH', `${base}/unpriced`, { pricing });
    expect(patched.status).toBe(422);
    expect(locs(patched)).toEqual(expect.arrayContaining(fields));
  });
});
