import {
  authHeaderFormatProblem,
  DEFAULT_AUTH_HEADER_FORMAT,
  renderAuthHeader,
  secretHeaderValueProblem,
} from './auth-header.js';

describe('authHeaderFormatProblem', () => {
  it.each([
    DEFAULT_AUTH_HEADER_FORMAT,
    'Authorization: Bearer {{ auth_secret }}',
    'x-api-key: {{auth_secret}}',
    'X-Key: {{   auth_secret   }}',
    'api-key: {{ auth_secret }}',
    'Authorization: Basic {{ auth_secret }}',
    'X-Token: pre-{{ auth_secret }}-post',
    "X_Odd!#$%&'*+.^`|~: {{ auth_secret }}",
  ])('accepts %j', (format) => {
    expect(authHeaderFormatProblem(format)).toBeNull();
  });

  it.each([
    ['no placeholder', 'Authorization: Bearer token', /exactly once \(found 0\)/],
    ['the empty string', '', /exactly once \(found 0\)/],
    ['two placeholders', 'Authorization: {{ auth_secret }} {{ auth_secret }}', /exactly once \(found 2\)/],
    ['another variable only', 'Authorization: Bearer {{ other }}', /exactly once \(found 0\)/],
    ['a misspelt variable', 'Authorization: Bearer {{ auth_secrets }}', /exactly once \(found 0\)/],
    ['another variable as well', 'X-Key: {{ auth_secret }} {{ other }}', /no template expression other than/],
    ['a filter', 'X-Key: {{ auth_secret | upper }}', /exactly once \(found 0\)/],
    ['a filter besides the placeholder', 'X-Key: {{ auth_secret }}{{ x | e }}', /no template expression/],
    ['a statement', '{% if x %}X-Key: {{ auth_secret }}{% endif %}', /no template expression/],
    ['a stray opening brace pair', 'X-Key: {{ auth_secret }} {{', /no template expression/],
    ['a stray closing brace pair', 'X-Key: }} {{ auth_secret }}', /no template expression/],
    ['no ": " separator', 'Authorization:Bearer {{ auth_secret }}', /must render to "Header-Name: value"/],
    ['no separator', 'Authorization {{ auth_secret }}', /must render to/],
    ['an empty name', ': {{ auth_secret }}', /must render to/],
    ['a blank name', '   : {{ auth_secret }}', /must render to/],
    ['an empty value', '{{ auth_secret }}: ', /must render to/],
    ['a blank value', '{{ auth_secret }}:    ', /must render to/],
    ['a space in the name', 'Bad Header: {{ auth_secret }}', /'Bad Header', which is not a valid HTTP header name/],
    ['parentheses in the name', 'X(Key): {{ auth_secret }}', /not a valid HTTP header name/],
    ['a colon in the name', 'X:Y: {{ auth_secret }}', /not a valid HTTP header name/],
    ['non-ASCII in the name', 'Schlüssel: {{ auth_secret }}', /not a valid HTTP header name/],
    ['CRLF (header injection)', 'X-Key: {{ auth_secret }}\r\nX-Admin: true', /line breaks/],
    ['a bare LF', 'X-Key: a\n{{ auth_secret }}', /line breaks/],
  ])('refuses %s', (_label, format, problem) => {
    expect(authHeaderFormatProblem(format)).toMatch(problem);
  });
});

describe('renderAuthHeader', () => {
  it('renders the default Bearer header', () => {
    expect(renderAuthHeader(DEFAULT_AUTH_HEADER_FORMAT, 'sk-123')).toEqual({
      name: 'Authorization',
      value: 'Bearer sk-123',
    });
  });

  it('renders a custom header with any spacing inside the braces', () => {
    expect(renderAuthHeader('x-api-key: {{auth_secret}}', 'k')).toEqual({ name: 'x-api-key', value: 'k' });
    expect(renderAuthHeader('X-T: a-{{  auth_secret }}-b', 'k')).toEqual({ name: 'X-T', value: 'a-k-b' });
  });

  it('inserts the secret literally, even when it looks like a replacement pattern', () => {
    // String.replace would expand $& and $1 in a replacement string; the secret must not be rewritten.
    expect(renderAuthHeader(DEFAULT_AUTH_HEADER_FORMAT, 'a$&b$1c$$d')).toEqual({
      name: 'Authorization',
      value: 'Bearer a$&b$1c$$d',
    });
  });

  it('splits on the first ": " only, so a secret containing ": " stays in the value', () => {
    expect(renderAuthHeader('X-Key: {{ auth_secret }}', 'user: pass')).toEqual({ name: 'X-Key', value: 'user: pass' });
  });

  it('gives null when the rendered header has no value', () => {
    expect(renderAuthHeader('X-Key: {{ auth_secret }}', '   ')).toBeNull();
    expect(renderAuthHeader('X-Key: {{ auth_secret }}', '')).toBeNull();
  });
});

describe('secretHeaderValueProblem', () => {
  it('accepts printable ASCII', () => {
    expect(secretHeaderValueProblem('nvapi-AbC_123.~+/=')).toBeNull();
  });

  it.each([
    ['a Unicode ellipsis', 'nvapi-abc\u2026', /only printable ASCII/],
    ['a Latin-1 letter', 'clé', /only printable ASCII/],
    ['a NUL', 'a\u0000b', /only printable ASCII/],
    ['a line break', 'abc\r\nX-Admin: 1', /line break/],
  ])('refuses %s, without quoting it', (_label, value, rule) => {
    const problem = secretHeaderValueProblem(value);
    expect(problem).toMatch(rule);
    expect(problem).not.toContain(value);
    expect(renderAuthHeader(DEFAULT_AUTH_HEADER_FORMAT, value)).toBeNull();
  });
});
