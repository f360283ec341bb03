import { BlockList, isIP } from 'node:net';

type Family = 'ipv4' | 'ipv6';

interface Range {
  list: BlockList;
  /** What the range is, for the refusal message: `loopback (127.0.0.0/8)`. */
  rule: string;
}

function range(network: string, prefix: number, family: Family, what: string): Range {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, rule: `${what} (${network}/${prefix})` };
}

/**
 * Addresses a manual provider may not reach: the IANA special-purpose registries (RFC 6890 and their
 * updates), except the IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64 well-known prefix),
 * whose IPv4 address is checked against these instead. 2001::/23 and 2002::/16 are refused whole:
 * Teredo and 6to4 tunnel to IPv4 hosts through relays, and nothing a provider needs lives there.
 * Order matters only for the message: the first range that holds the address names the rule.
 */
const REFUSED: Range[] = [
  range('0.0.0.0', 8, 'ipv4', 'an unspecified ("this network") address'),
  range('10.0.0.0', 8, 'ipv4', 'a private address'),
  range('100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'),
  range('127.0.0.0', 8, 'ipv4', 'a loopback address'),
  range('169.254.0.0', 16, 'ipv4', 'a link-local address (cloud metadata)'),
  range('172.16.0.0', 12, 'ipv4', 'a private address'),
  range('192.0.0.0', 24, 'ipv4', 'an IETF protocol assignment'),
  range('192.0.2.0', 24, 'ipv4', 'a documentation address'),
  range('192.88.99.0', 24, 'ipv4', 'a 6to4 relay address'),
  range('192.168.0.0', 16, 'ipv4', 'a private address'),
  range('198.18.0.0', 15, 'ipv4', 'a benchmarking address'),
  range('198.51.100.0', 24, 'ipv4', 'a documentation address'),
  range('203.0.113.0', 24, 'ipv4', 'a documentation address'),
  range('224.0.0.0', 4, 'ipv4', 'a multicast address'),
  range('240.0.0.0', 4, 'ipv4', 'a reserved or broadcast address'),
  range('::', 128, 'ipv6', 'the unspecified address'),
  range('::1', 128, 'ipv6', 'the loopback address'),
  range('::', 96, 'ipv6', 'an IPv4-compatible address'),
  range('64:ff9b:1::', 48, 'ipv6', 'a local-use NAT64 address'),
  range('100::', 64, 'ipv6', 'a discard-only address'),
  range('2001::', 23, 'ipv6', 'an IETF protocol assignment (Teredo included)'),
  range('2001:db8::', 32, 'ipv6', 'a documentation address'),
  range('2002::', 16, 'ipv6', 'a 6to4 address'),
  range('fc00::', 7, 'ipv6', 'a unique local (private) address'),
  range('fe80::', 10, 'ipv6', 'a link-local address'),
  range('fec0::', 10, 'ipv6', 'a site-local address'),
  range('ff00::', 8, 'ipv6', 'a multicast address'),
];

/** IPv6 prefixes whose last 32 bits are an IPv4 address that the connection ends up reaching. */
const EMBEDDING: Range[] = [range('::ffff:0:0', 96, 'ipv6', 'IPv4-mapped'), range('64:ff9b::', 96, 'ipv6', 'NAT64')];

const HINT = 'manual providers may reach public addresses only (PROVIDER_EGRESS_ALLOW lists exceptions)';

/**
 * Which upstreams a provider registered by hand may reach. By default only public addresses; an
 * operator allows more with PROVIDER_EGRESS_ALLOW: addresses, CIDR ranges and host names (`*.corp.example`
 * for every name under corp.example). An allowed name is trusted whatever it resolves to (a corporate
 * endpoint on a private address); an allowed range makes its addresses reachable under any name.
 */
export class EgressPolicy {
  private constructor(
    private readonly allowed: BlockList,
    private readonly names: Set<string>,
    private readonly suffixes: string[],
  ) {}

  /** The policy for a validated PROVIDER_EGRESS_ALLOW (see egressAllowProblem). */
  static fromAllowList(allow: string): EgressPolicy {
    const allowed = new BlockList();
    const names = new Set<string>();
    const suffixes: string[] = [];
    for (const entry of allowEntries(allow)) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address);
      if (family !== 0) {
        const fam: Family = family === 4 ? 'ipv4' : 'ipv6';
        if (prefix === undefined) allowed.addAddress(address, fam);
        else allowed.addSubnet(address, Number(prefix), fam);
      } else if (entry.startsWith('*.')) {
        suffixes.push(entry.slice(1).toLowerCase());
      } else {
        names.add(entry.toLowerCase());
      }
    }
    return new EgressPolicy(allowed, names, suffixes);
  }

  /** Whether the operator allowed this host name (then its addresses are not checked). */
  allowsName(hostname: string): boolean {
    const name = bareHost(hostname).toLowerCase().replace(/\.$/, '');
    return this.names.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }

  /**
   * Why `address` (an IP address) may not be reached, or null when it may; `name` is the host name it was
   * resolved from, for the message.
   */
  addressProblem(address: string, name?: string): string | null {
    const ip = bareHost(address);
    const rule = this.addressRule(ip);
    if (rule === null) return null;
    return `egress policy refused ${name === undefined || name === ip ? ip : `${name} (${ip})`}: ${rule}; ${HINT}`;
  }

  private addressRule(ip: string): string | null {
    const family = isIP(ip);
    if (family === 0) return 'not an IP address';
    const fam: Family = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(ip, fam)) return null;
    if (fam === 'ipv6') {
      const embedding = EMBEDDING.find((r) => r.list.check(ip, 'ipv6'));
      if (embedding) {
        const v4 = embeddedIpv4(ip);
        const inner = this.addressRule(v4);
        return inner === null ? null : `${embedding.rule} ${v4}, ${inner}`;
      }
    }
    return REFUSED.find((r) => r.list.check(ip, fam))?.rule ?? null;
  }

  /**
   * What can be said of a URL without resolving it: credentials in it, a `localhost` name, an IP
   * literal in a refused range. Null when it is fine as written (a name still needs its addresses
   * checked). WHATWG parsing has already turned `0x7f000001`, `2130706433` and `127.1` into 127.0.0.1.
   */
  urlProblem(url: URL): string | null {
    if (url.username !== '' || url.password !== '') {
      return 'egress policy refused credentials in the URL (user:pass@): put the key in a secret named by api_key_secret_name';
    }
    const host = bareHost(url.hostname).toLowerCase().replace(/\.$/, '');
    if (isIP(host) !== 0) return this.addressProblem(host);
    if (this.allowsName(host)) return null;
    if (host === 'localhost' || host.endsWith('.localhost')) {
      return `egress policy refused '${host}': a loopback name; ${HINT}`;
    }
    return null;
  }
}

/** What is wrong with a PROVIDER_EGRESS_ALLOW value, or null (for the config's validation at boot). */
export function egressAllowProblem(allow: string): string | null {
  for (const entry of allowEntries(allow)) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      if (extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) {
        return `'${entry}' is not an address or CIDR range (prefix 0-${max})`;
      }
    } else if (!HOST_PATTERN.test(entry)) {
      return `'${entry}' is not an IP address, a CIDR range, a host name or *.domain`;
    }
  }
  return null;
}

const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function allowEntries(allow: string): string[] {
  return allow
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** `[::1]` → `::1`: URL host names keep IPv6 brackets, socket APIs do not. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function embeddedIpv4(ip: string): string {
  // The URL serializer writes any spelling (dotted tail, upper case) as compressed hex groups.
  const canonical = new URL(`http://[${ip}]`).hostname.slice(1, -1);
  const [head, tail] = canonical.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const hi = parseInt(groups[6], 16);
  const lo = parseInt(groups[7], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
