import type { ruleOperators } from '../../schemas/audiences.ts';

/** A comparison an audience rule applies (the same list as `content/audiences.yaml`). */
export type RuleOperator = (typeof ruleOperators)[number];

/** One audience rule, as the gate manifest carries it: `{ attribute: 'plan', operator: 'eq', value: 'enterprise' }`. */
export interface Rule {
  /** A claim, or a dotted path into one: `plan`, `company.seats`. */
  attribute: string;
  operator: RuleOperator;
  /** A list for `in` / `not_in`; absent for `exists` / `not_exists`. */
  value?: string | number | boolean | (string | number)[] | undefined;
}

/** What the gate knows of a brand's sign-in: its `privacy` block and its audiences, from the manifest. */
export interface AuthConfig {
  /** Brand id (`acme`), named in every operator message and bound into every session. */
  brand: string;
  privacy: {
    /** Where visitors sign in; `{returnTo}` is replaced by the URL-encoded page they asked for. */
    loginUrl: string;
    /** How the identity token is verified: exactly one of `secretEnv`, `publicKey`, `jwksUrl`. */
    jwt: {
      secretEnv?: string | undefined;
      publicKey?: string | undefined;
      jwksUrl?: string | undefined;
      issuer?: string | undefined;
      audience?: string | undefined;
      algorithms?: string[] | undefined;
    };
    /** The gate's own session; `maxAge` in seconds. */
    session: { maxAge: number };
  };
  /** Audience key → rules that must all hold. */
  audiences: Record<string, { rules: Rule[] }>;
}

/** A signed-in visitor, as read from the gate's own cookie. */
export interface Session {
  /** The customer's stable user id (the token's `sub`). */
  sub: string;
  /** Only the claims audience rules name, keyed by the rule's attribute (`company.seats`). */
  claims: Record<string, unknown>;
  /** When the session ends, in milliseconds since the epoch. */
  expires: number;
}

/**
 * A configuration or environment problem the operator must fix before the gate can start. The
 * message is one line naming the brand and the setting; the shell prints it without a stack.
 */
export class OperatorError extends Error {
  constructor(brand: string, message: string) {
    super(`brand ${brand}: ${message}`);
    this.name = 'OperatorError';
  }
}

/** The clock, in milliseconds since the epoch; tests inject one. */
export type Clock = () => number;
