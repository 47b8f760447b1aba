import type { AuthConfig, Rule, RuleOperator } from './config.ts';

type Audiences = AuthConfig['audiences'];

/**
 * The value at an attribute path in a claims object. A literal key wins over a dotted walk, so
 * namespaced claims (`https://acme.com/plan`) and the flat claims a session keeps both resolve.
 * Only own properties count: `__proto__` or `constructor` never reach the prototype.
 */
export function lookup(claims: unknown, attribute: string): unknown {
  if (!isRecord(claims)) return undefined;
  if (Object.hasOwn(claims, attribute)) return claims[attribute];
  for (let dot = attribute.indexOf('.'); dot > 0; dot = attribute.indexOf('.', dot + 1)) {
    const head = attribute.slice(0, dot);
    if (Object.hasOwn(claims, head)) {
      const found = lookup(claims[head], attribute.slice(dot + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/**
 * Whether one rule holds on the claims. Negative operators (`ne`, `not_contains`, `not_in`) need
 * the attribute to be present: private content fails closed, and `not_exists` says "absent".
 */
export function ruleHolds(claims: unknown, rule: Rule): boolean {
  const actual = lookup(claims, rule.attribute);
  const present = actual !== undefined && actual !== null;
  const test = operators[rule.operator] as Operator | undefined;
  // An operator this gate does not know (a newer manifest) never grants access.
  if (!test) return false;
  if (rule.operator === 'exists' || rule.operator === 'not_exists') return test(actual, rule.value, present);
  return present && rule.value !== undefined && test(actual, rule.value, present);
}

type Operator = (actual: unknown, expected: Rule['value'], present: boolean) => boolean;

// A Record over every operator, so adding one to the schema is a type error here until it is handled.
const operators: Record<RuleOperator, Operator> = {
  eq: (actual, expected) => same(actual, expected),
  ne: (actual, expected) => !same(actual, expected),
  contains: (actual, expected) => contains(actual, expected),
  not_contains: (actual, expected) => !Array.isArray(expected) && !contains(actual, expected),
  starts_with: (actual, expected) => texts(actual, expected, (a, b) => a.startsWith(b)),
  ends_with: (actual, expected) => texts(actual, expected, (a, b) => a.endsWith(b)),
  gt: (actual, expected) => compare(actual, expected, (a, b) => a > b),
  lt: (actual, expected) => compare(actual, expected, (a, b) => a < b),
  in: (actual, expected) =>
    Array.isArray(expected) && members(actual).some((item) => expected.some((e) => same(item, e))),
  not_in: (actual, expected) =>
    Array.isArray(expected) && !members(actual).some((item) => expected.some((e) => same(item, e))),
  exists: (_actual, _expected, present) => present,
  not_exists: (_actual, _expected, present) => !present,
};

/** Whether the claims put the visitor in this audience: every rule holds. Unknown key: never. */
export function inAudience(claims: unknown, audiences: Audiences, key: string): boolean {
  const audience = Object.hasOwn(audiences, key) ? audiences[key] : undefined;
  return audience !== undefined && audience.rules.every((rule) => ruleHolds(claims, rule));
}

/** `[]` → any signed-in visitor; else whether ANY of the listed audiences takes them. */
export function allowedBy(claims: unknown, audiences: Audiences, keys: readonly string[]): boolean {
  return keys.length === 0 || keys.some((key) => inAudience(claims, audiences, key));
}

/**
 * The claims the session must keep: only attributes some rule names, keyed by that attribute, so
 * the cookie stays small and `lookup` finds them again by the same path.
 */
export function pickClaims(claims: Record<string, unknown>, audiences: Audiences): Record<string, unknown> {
  const attributes = new Set(
    Object.values(audiences).flatMap((audience) => audience.rules.map((r) => r.attribute)),
  );
  // fromEntries defines own properties, so an attribute named `__proto__` cannot set a prototype.
  return Object.fromEntries(
    [...attributes]
      .map((attribute) => [attribute, lookup(claims, attribute)])
      .filter(([, value]) => value !== undefined),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Equality that lets YAML's `value: 42` match a claim `"42"` (apps send ids either way). */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'number' && typeof expected === 'string') return actual === number(expected);
  if (typeof actual === 'string' && typeof expected === 'number') return number(actual) === expected;
  return false;
}

function contains(actual: unknown, expected: Rule['value']): boolean {
  if (Array.isArray(expected)) return false;
  if (Array.isArray(actual)) return actual.some((item) => same(item, expected));
  return texts(actual, expected, (a, b) => a.includes(b));
}

/** A claim as a list of members: an array claim's items, or the scalar itself. */
function members(actual: unknown): unknown[] {
  return Array.isArray(actual) ? actual : [actual];
}

/** A string test on two scalars; numbers count as their decimal text (`seats starts_with 1`). */
function texts(actual: unknown, expected: unknown, holds: (a: string, b: string) => boolean): boolean {
  const a = text(actual);
  const b = text(expected);
  return a !== undefined && b !== undefined && holds(a, b);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A number, or a numeric string (`"12"`, `" 3.5 "`), as a number; anything else is not comparable. */
function number(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function compare(actual: unknown, expected: unknown, holds: (a: number, b: number) => boolean): boolean {
  const a = number(actual);
  const b = number(expected);
  return a !== undefined && b !== undefined && holds(a, b);
}
