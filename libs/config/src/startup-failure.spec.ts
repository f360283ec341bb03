import { connect } from 'node:net';
import { redactUrl } from '#domain';
import { describeStartupFailure } from './startup-failure.js';

/** The error Node gives for a connection nothing accepts (a real one, from a port nobody listens on). */
function refusedAt(port: number): Promise<Error> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('error', resolve);
  });
}

describe('describeStartupFailure', () => {
  const services = {
    DATABASE_URL: 'postgresql://app:s3cret-pw@127.0.0.1:1/modelplane',
    REDIS_URL: 'redis://:r3dis-pw@127.0.0.1:2',
  };

  it('names PostgreSQL, its address without the password, and what to do', async () => {
    const line = describeStartupFailure(await refusedAt(1), services);
    expect(line).toBe(
      'Cannot reach PostgreSQL at postgresql://app:***@127.0.0.1:1/modelplane (ECONNREFUSED). ' +
        'Start PostgreSQL there, or set DATABASE_URL to one that runs.',
    );
  });

  it('names Redis by the port that refused', async () => {
    const line = describeStartupFailure(await refusedAt(2), services);
    expect(line).toMatch(/^Cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:2 \(ECONNREFUSED\)\. .*REDIS_URL/);
    expect(line).not.toContain('r3dis-pw');
  });

  it('never names Redis when the queue is in PostgreSQL (QUEUE_BACKEND=postgres)', async () => {
    const line = describeStartupFailure(await refusedAt(2), { ...services, QUEUE_BACKEND: 'postgres' });
    expect(line).not.toContain('Redis');
    expect(line).not.toContain('r3dis-pw');
    expect(line).toMatch(/^Cannot connect \(ECONNREFUSED\)/);
  });

  it('finds the service from the message when a wrapper dropped the address fields', () => {
    const wrapped = Object.assign(new Error('getaddrinfo ENOTFOUND db.internal'), { code: 'ENOTFOUND' });
    const line = describeStartupFailure(wrapped, { DATABASE_URL: 'postgresql://u:pw@db.internal/x' });
    expect(line).toBe(
      'Cannot reach PostgreSQL at postgresql://u:***@db.internal/x (ENOTFOUND). ' +
        'Start PostgreSQL there, or set DATABASE_URL to one that runs.',
    );
  });

  it('says what PostgreSQL refused when it answered (SQLSTATE), without the password', () => {
    const refused = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });
    const line = describeStartupFailure(refused, services);
    expect(line).toBe(
      'PostgreSQL at postgresql://app:***@127.0.0.1:1/modelplane answered, but it refused the password ' +
        '(28P01: password authentication failed for user "app"). Check DATABASE_URL.',
    );
  });

  it("passes any other error's message through, one line", () => {
    expect(describeStartupFailure(new Error('Invalid configuration: PORT must be a port'), services)).toBe(
      'Invalid configuration: PORT must be a port',
    );
  });

  it('hides only the password of a URL', () => {
    expect(redactUrl('postgresql://u:p@h:5/d?sslmode=require')).toBe('postgresql://u:***@h:5/d?sslmode=require');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('(an unparsable URL)');
  });
});
