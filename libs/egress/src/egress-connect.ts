import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';
import { EgressRefusedError, within } from '#domain';
import { bareHost, type EgressPolicy } from './egress-policy.js';

/** A host name's addresses, as `dns.lookup(name, { all: true })` gives them (injectable in tests). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * The lookup a socket connects through: it resolves the name, refuses the connection when any address
 * is refused, and hands the socket only the addresses it checked, so the address connected to is the
 * one checked (a name that changes its answer between the check and the connect gains nothing).
 */
export function checkedLookup(policy: EgressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const check = async (): Promise<LookupAddress[]> => {
      const addresses = await resolve(hostname);
      if (!policy.allowsName(hostname)) {
        for (const { address } of addresses) {
          const problem = policy.addressProblem(address, hostname);
          if (problem !== null) throw new EgressRefusedError(problem);
        }
      }
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const usable = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
      if (usable.length === 0)
        throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return usable;
    };
    check().then(
      (addresses) =>
        options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family),
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * An undici connector for a manual provider's upstream: IP literals (which sockets do not look up)
 * are checked before connecting, host names through `checkedLookup`. Pass it as a Pool's or an Agent's
 * `connect`.
 */
export function egressConnector(
  policy: EgressPolicy,
  options: { timeoutMs: number; resolve?: Resolver },
): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: checkedLookup(policy, options.resolve) });
  return (opts, callback) => {
    const host = bareHost(opts.hostname);
    const problem = isIP(host) !== 0 ? policy.addressProblem(host) : null;
    if (problem !== null) {
      callback(new EgressRefusedError(problem), null);
      return;
    }
    connect(opts, callback);
  };
}

/**
 * Why a manual provider's `host_url` is refused when it is written, or null. A host name is resolved
 * (within `timeoutMs`) and every address checked; a name that does not resolve from here is accepted
 * (a corporate name may resolve only where the gateway runs): the connect-time check still applies.
 */
export async function providerUrlProblem(
  policy: EgressPolicy,
  hostUrl: string,
  options: { timeoutMs: number; resolve?: Resolver },
): Promise<string | null> {
  const url = new URL(hostUrl);
  const problem = policy.urlProblem(url);
  if (problem !== null) return problem;
  const host = bareHost(url.hostname);
  if (isIP(host) !== 0 || policy.allowsName(host)) return null;
  let answer;
  try {
    answer = await within((options.resolve ?? systemResolver)(host), options.timeoutMs);
  } catch {
    return null;
  }
  if (answer.timedOut) return null;
  for (const { address } of answer.value) {
    const refused = policy.addressProblem(address, host);
    if (refused !== null) return refused;
  }
  return null;
}
