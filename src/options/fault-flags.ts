import { UsageError } from '../errors.js';
import type { FaultRule } from '../sim/options.js';
import { parseShare } from './units.js';

/**
 * A fault flag's value: `VALUE` (on the default share of cameras) or `VALUE@SHARE`, e.g. `50@10%` = every
 * 50 frames on 10% of the active cameras.
 */
export function parseFaultRule<T>(text: string, flag: string, defaultShare: number, parseValue: (value: string, flag: string) => T): FaultRule<T> {
  const at = text.lastIndexOf('@');
  const valueText = at === -1 ? text : text.slice(0, at);
  if (valueText.trim() === '') throw new UsageError(`${flag} expects VALUE or VALUE@SHARE; got '${text}'`);
  const share = at === -1 ? defaultShare : parseShare(text.slice(at + 1), flag);
  return { value: parseValue(valueText, flag), share };
}
