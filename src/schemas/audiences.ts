import { z } from 'zod';
import { keyName } from './authors.ts';

/** Comparison a targeting rule applies, as in Intercom's audience rules. */
export const ruleOperators = [
  'eq',
  'ne',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'gt',
  'lt',
  'in',
  'not_in',
  'exists',
  'not_exists',
] as const;

/** One targeting rule: `{ attribute: plan, operator: eq, value: enterprise }`. */
export const audienceRuleSchema = z.strictObject({
  /** User or company attribute the customer's app sends. Example: `plan`, `company.size`. */
  attribute: z.string().min(1),
  /** Comparison: eq, ne, contains, not_contains, starts_with, ends_with, gt, lt, in, not_in, exists, not_exists. */
  operator: z.enum(ruleOperators),
  /** Value to compare with; a list for `in` / `not_in`; absent for `exists` / `not_exists`. */
  value: z
    .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])
    .optional(),
});

/** One audience in `content/audiences.yaml`: all of its rules must match (Fin-style targeting). */
export const audienceSchema = z.strictObject({
  /** Name shown to writers and in the feed. Example: `Enterprise customers`. */
  name: z.string().min(1),
  /** Rules that must all hold for a user to belong to the audience. */
  rules: z.array(audienceRuleSchema).default([]),
});

/** `content/audiences.yaml`: `<key>: { name, rules: [...] }`. */
export const audiencesSchema = z.record(keyName, audienceSchema);
export type Audience = z.infer<typeof audienceSchema>;
