import { randomBytes } from 'node:crypto';

export type IdPrefix =
  | 'workspace'
  | 'secret'
  | 'model'
  | 'adapter'
  | 'modelprovider'
  | 'deploymentconfig'
  | 'deployment'
  | 'apikey'
  | 'virtualmodel';

/** Server-made ids: a lowercase kind prefix and 20 lowercase hex characters. */
export function newId(prefix: IdPrefix): string {
  return `${prefix}-${randomBytes(10).toString('hex')}`;
}
