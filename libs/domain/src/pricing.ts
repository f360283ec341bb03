/**
 * A model entity's prices (the `pricing` JSON column of models): what the gateway's cost rule compares and
 * what it reports with each decision. The API validated the column before writing it.
 */
export interface ModelPricing {
  input_per_million_tokens: number;
  output_per_million_tokens: number;
  /** ISO 4217: three uppercase letters. */
  currency: string;
}

export const DEFAULT_CURRENCY = 'USD';
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/** The column's value as ModelPricing, or null when it is unset (or not a price: read defensively at the boundary). */
export function parseModelPricing(value: unknown): ModelPricing | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const {
    input_per_million_tokens: input,
    output_per_million_tokens: output,
    currency,
  } = value as Record<string, unknown>;
  const price = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;
  if (!price(input) || !price(output)) return null;
  return {
    input_per_million_tokens: input,
    output_per_million_tokens: output,
    currency: typeof currency === 'string' && CURRENCY_PATTERN.test(currency) ? currency : DEFAULT_CURRENCY,
  };
}
