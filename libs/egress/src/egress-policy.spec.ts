import { EgressPolicy, egressAllowProblem } from './egress-policy.js';

const strict = EgressPolicy.fromAllowList('');
const problem = (url: string, policy = strict) => policy.urlProblem(new URL(url));

describe('EgressPolicy: what a manual provider may reach', () => {
  it.each([
    ['http://127.0.0.1:8080', /127\.0\.0\.1: a loopback address \(127\.0\.0\.0\/8\)/],
    ['http://0x7f000001/', /127\.0\.0\.1: a loopback/],
    ['http://2130706433/', /127\.0\.0\.1: a loopback/],
    ['http://127.1/', /127\.0\.0\.1: a loopback/],
    ['http://0177.0.0.1/', /127\.0\.0\.1: a loopback/],
    ['http://0.0.0.0:8080', /0\.0\.0\.0: an unspecified/],
    ['http://169.254.169.254/latest/meta-data', /a link-local address \(cloud metadata\) \(169\.254\.0\.0\/16\)/],
    ['http://10.1.2.3', /a private address \(10\.0\.0\.0\/8\)/],
    ['http://172.20.0.1', /a private address \(172\.16\.0\.0\/12\)/],
    ['http://192.168.1.1', /a private address \(192\.168\.0\.0\/16\)/],
    ['http://100.100.100.200', /carrier-grade NAT address \(100\.64\.0\.0\/10\)/],
    ['http://192.0.0.8', /192\.0\.0\.0\/24/],
    ['http://192.0.2.1', /documentation address \(192\.0\.2\.0\/24\)/],
    ['http://198.18.0.1', /benchmarking/],
    ['http://198.51.100.7', /198\.51\.100\.0\/24/],
    ['http://203.0.113.9', /203\.0\.113\.0\/24/],
    ['http://224.0.0.251', /multicast/],
    ['http://240.0.0.1', /reserved or broadcast/],
    ['http://255.255.255.255', /reserved or broadcast/],
    ['http://[::1]:8000', /::1: the loopback address \(::1\/128\)/],
    ['http://[::]:8000', /the unspecified address/],
    ['http://[::ffff:127.0.0.1]/', /IPv4-mapped \(::ffff:0:0\/96\) 127\.0\.0\.1, a loopback address/],
    ['http://[::ffff:a9fe:a9fe]/', /IPv4-mapped .* 169\.254\.169\.254, a link-local/],
    ['http://[64:ff9b::7f00:1]/', /NAT64 \(64:ff9b::\/96\) 127\.0\.0\.1, a loopback/],
    ['http://[::127.0.0.1]/', /IPv4-compatible/],
    ['http://[fd00::1]/', /unique local/],
    ['http://[fe80::1]/', /link-local address \(fe80::\/10\)/],
    ['http://[ff02::1]/', /multicast/],
    ['http://[2001:db8::1]/', /documentation/],
    ['http://[2002:7f00:1::]/', /6to4/],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', /Teredo/],
    ['http://localhost:8000', /'localhost': a loopback name/],
    ['http://LOCALHOST./', /'localhost': a loopback name/],
    ['http://api.localhost/', /'api\.localhost': a loopback name/],
  ])('refuses %s, naming the rule', (url, rule) => {
    const refusal = problem(url);
    expect(refusal).toMatch(/^egress policy refused /);
    expect(refusal).toMatch(rule);
    expect(refusal).toContain('PROVIDER_EGRESS_ALLOW');
  });

  it('refuses credentials in the URL, wherever it points', () => {
    expect(problem('https://user:pass@integrate.api.nvidia.com')).toMatch(/credentials in the URL \(user:pass@\)/);
    expect(problem('https://token@integrate.api.nvidia.com')).toMatch(/credentials/);
  });

  it.each([
    'https://integrate.api.nvidia.com',
    'http://8.8.8.8',
    'http://1.1.1.1:8080/v1',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::808:808]/',
  ])('lets %s through', (url) => {
    expect(problem(url)).toBeNull();
  });

  it('allows what the operator lists: addresses, ranges, names and *.domain', () => {
    const policy = EgressPolicy.fromAllowList(' 10.0.0.0/8, 127.0.0.1 ,fd00::/8,llm.corp.example,*.svc.example');
    expect(problem('http://10.9.8.7', policy)).toBeNull();
    expect(problem('http://127.0.0.1:9', policy)).toBeNull();
    expect(problem('http://[::ffff:127.0.0.1]/', policy)).toBeNull();
    expect(problem('http://[64:ff9b::a00:1]/', policy)).toBeNull();
    expect(problem('http://[fd12::1]/', policy)).toBeNull();
    expect(problem('http://127.0.0.2', policy)).toMatch(/loopback/);
    expect(policy.allowsName('LLM.corp.example.')).toBe(true);
    expect(policy.allowsName('a.b.svc.example')).toBe(true);
    expect(policy.allowsName('svc.example')).toBe(false);
    expect(policy.allowsName('evil-llm.corp.example')).toBe(false);
    expect(policy.addressProblem('192.168.0.1', 'llm.corp.example')).toMatch(
      /refused llm\.corp\.example \(192\.168\.0\.1\): a private address/,
    );
  });

  it('validates PROVIDER_EGRESS_ALLOW entries', () => {
    expect(egressAllowProblem('')).toBeNull();
    expect(egressAllowProblem('10.0.0.0/8,::1/128,host.example,*.corp.example,127.0.0.1')).toBeNull();
    expect(egressAllowProblem('10.0.0.0/33')).toMatch(/'10\.0\.0\.0\/33' is not an address or CIDR range/);
    expect(egressAllowProblem('::/129')).toMatch(/prefix 0-128/);
    expect(egressAllowProblem('http://x.example')).toMatch(/not an IP address, a CIDR range, a host name/);
    expect(egressAllowProblem('*')).toMatch(/'\*'/);
  });
});
