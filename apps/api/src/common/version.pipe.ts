import { Injectable, type PipeTransform } from '@nestjs/common';
import { BadRequestError, InvalidFieldError } from '#domain';

/** A version in a path or query: a positive integer, else 400 (reference checklist 22). */
@Injectable()
export class ParseVersionPipe implements PipeTransform<string | undefined, number | undefined> {
  constructor(private readonly optional = false) {}

  transform(value: string | undefined): number | undefined {
    if (value === undefined || value === '') {
      if (this.optional) return undefined;
      throw new BadRequestError('version/invalid', 'version is required');
    }
    if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
      throw new BadRequestError('version/invalid', `version must be a positive integer, not '${value.slice(0, 32)}'`);
    }
    return Number(value);
  }
}

/** `true/false/True/False/1/0` → boolean (reference checklist 4); anything else → 422 naming the parameter. */
export function parseBoolParam(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const s = String(value).toLowerCase();
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  throw new InvalidFieldError(['query', name], `${name} must be true or false`);
}
