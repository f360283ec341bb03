/** SIM_CLASSIFIER_RULES parsing and matching, on their own. */
import { classifierAnswer, classify, parseClassifierRules } from './classifier.rules.js';

describe('classifier rules', () => {
  it('picks the first rule with a keyword in the text, case-insensitively, `*` for anything', () => {
    const rules = parseClassifierRules('code:Python|bug;math:integral;chat:*');
    expect(classify(rules, 'PYTHON integral')).toBe('code');
    expect(classify(rules, 'an Integral')).toBe('math');
    expect(classify(rules, 'hello')).toBe('chat');
    expect(classify(rules, null)).toBe('chat');
    expect(classify(parseClassifierRules('code:bug'), 'hello')).toBeNull();
    expect(classify(parseClassifierRules('code:bug'), null)).toBeNull();
  });

  it('keeps multi-word keywords whole', () => {
    const rules = parseClassifierRules('howto:how to;other:*');
    expect(classify(rules, 'How  to?')).toBe('other');
    expect(classify(rules, 'How to cook')).toBe('howto');
  });

  it.each([
    ['code', /rule 1 \("code"\) must be category:keyword\|keyword/],
    [':python', /rule 1 needs a category/],
    ['a:x;b c:y', /rule 2 needs a category/],
    ['code:python|', /rule 1 \(code\) has an empty keyword/],
    [' ; ', /at least one rule/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseClassifierRules(raw)).toThrow(message);
  });

  it('wraps the category in a sentence only with noise', () => {
    expect(classifierAnswer('code', false)).toBe('code');
    expect(classifierAnswer('code', true)).toBe('The category is: code.');
  });
});
