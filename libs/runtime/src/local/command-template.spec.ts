import { CommandTemplate, splitShellWords } from './command-template.js';

describe('splitShellWords', () => {
  it.each([
    ['vllm serve {model} --port {port}', ['vllm', 'serve', '{model}', '--port', '{port}']],
    ['  a\tb\n c  ', ['a', 'b', 'c']],
    [`'/opt/my models/bin' "say \\"hi\\"" it\\'s`, ['/opt/my models/bin', 'say "hi"', "it's"]],
    [`a'b'"c" '' ""`, ['abc', '', '']],
    [`"a\\nb" 'a\\b'`, ['a\\nb', 'a\\b']],
    ['line \\\n continued', ['line', 'continued']],
  ])('%j', (input, words) => {
    expect(splitShellWords(input)).toEqual(words);
  });

  it('refuses an unterminated quote', () => {
    expect(() => splitShellWords(`serve 'model`)).toThrow("Unterminated '");
  });
});

describe('CommandTemplate', () => {
  const vars = { port: 41234, model: 'meta/llama 3', instanceId: 'ws.llama.v1', host: '127.0.0.1' };

  it('substitutes placeholders inside words, after splitting', () => {
    expect(
      new CommandTemplate('vllm serve {model} --port={port} --host {host} --name {instanceId}').render(vars),
    ).toEqual(['vllm', 'serve', 'meta/llama 3', '--port=41234', '--host', '127.0.0.1', '--name', 'ws.llama.v1']);
  });

  it('takes an argv array as it is, placeholders included', () => {
    expect(new CommandTemplate(['/usr/bin/node', 'main.js', '{port}']).render(vars)).toEqual([
      '/usr/bin/node',
      'main.js',
      '41234',
    ]);
  });

  it('refuses an empty command and unknown placeholders', () => {
    expect(() => new CommandTemplate('   ')).toThrow('empty');
    expect(() => new CommandTemplate([])).toThrow('empty');
    expect(() => new CommandTemplate('serve {gpu}')).toThrow('Unknown placeholder {gpu}');
  });
});
