/**
 * SIM_CLASSIFIER_RULES: turns the simulator into an intent classifier whose
 * answer a test can predict. `code:python|function|bug;math:integral;chat:*`
 * is three rules; the first whose keyword occurs in the last user message
 * (case-insensitive substring) names the category, `*` matches anything.
 */

export interface ClassifierRule {
  category: string;
  /** Lowercased; empty when the rule is `*`. */
  keywords: string[];
  matchesAll: boolean;
}

/** A category name: no whitespace and none of the rule syntax's separators. */
const CATEGORY = /^[^\s:;|*]+$/;

/** Parses the variable; throws an Error whose message says what is wrong with which rule. */
export function parseClassifierRules(raw: string): ClassifierRule[] {
  const rules: ClassifierRule[] = [];
  for (const [i, text] of raw.split(';').entries()) {
    if (text.trim() === '') continue;
    const colon = text.indexOf(':');
    if (colon < 0) throw new Error(`rule ${i + 1} (${JSON.stringify(text.trim())}) must be category:keyword|keyword`);
    const category = text.slice(0, colon).trim();
    if (!CATEGORY.test(category))
      throw new Error(`rule ${i + 1} needs a category without whitespace, ':', ';', '|' or '*'`);
    const keywords = text
      .slice(colon + 1)
      .split('|')
      .map((k) => k.trim().toLowerCase());
    if (keywords.some((k) => k === '')) throw new Error(`rule ${i + 1} (${category}) has an empty keyword`);
    const matchesAll = keywords.includes('*');
    rules.push({ category, keywords: matchesAll ? [] : keywords, matchesAll });
  }
  if (rules.length === 0) throw new Error('must hold at least one rule');
  return rules;
}

/** The category of the first matching rule, or null when none matches (then the usual answer is generated). */
export function classify(rules: readonly ClassifierRule[], lastUserText: string | null): string | null {
  const text = lastUserText?.toLowerCase() ?? null;
  for (const rule of rules) {
    if (rule.matchesAll) return rule.category;
    if (text !== null && rule.keywords.some((k) => text.includes(k))) return rule.category;
  }
  return null;
}

/** The answer's content: the bare category, or with SIM_CLASSIFIER_NOISE a sentence around it. */
export function classifierAnswer(category: string, noise: boolean): string {
  return noise ? `The category is: ${category}.` : category;
}
