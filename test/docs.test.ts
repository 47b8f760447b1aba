import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { README_URL, replaceReference } from '../src/cli/docs.ts';
import { buildDocsIndex } from '../src/schemas/jsdoc.ts';
import { configReference, referenceFor } from '../src/schemas/reference.ts';

const reference = configReference();

/** The reference's section for one file kind, from its `###` heading to the next. */
function section(title: string): string {
  const start = reference.indexOf(`### ${title}\n`);
  expect(start, `no section ${title}`).toBeGreaterThanOrEqual(0);
  const end = reference.indexOf('\n### ', start + 1);
  return reference.slice(start, end < 0 ? undefined : end);
}

describe('configuration reference', () => {
  it('is current in README.md', () => {
    const readme = readFileSync(README_URL, 'utf8');
    expect(
      replaceReference(readme, reference),
      'README.md configuration reference is stale; run `npm run docs`',
    ).toBe(readme);
  });

  it('has a section per file kind, in order', () => {
    const headings = reference.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual([
      '### `content/workspace.yaml`',
      '### `content/brands/<brand>.yaml`',
      '### `themes/<theme>.yaml`',
      '### `<collection>/_collection.yaml`',
      '### `internal/<folder>/_folder.yaml`',
      '### Article front matter',
      '### `content/authors.yaml`',
      '### `content/audiences.yaml`',
    ]);
  });

  it('lists types, defaults and descriptions from the schemas', () => {
    const brand = section('`content/brands/<brand>.yaml`');
    expect(brand).toContain(
      '| `footer.template` | simple \\| classic \\| multi-level | `"classic"` | Layout: `simple` (one row of links, social profiles and "Powered by"; no logo), `classic` (logo, one row of links, social profiles) or `multi-level` (logo, link groups as columns, social profiles). Default: `classic`. |',
    );
    expect(brand).toMatch(
      /^\| `privacy\.jwt\.secretEnv` \| string \| {2}\| Name of the environment variable/m,
    );
    expect(brand).toMatch(/^\| `hero\.background\.color` \| hex colour \| {2}\| Hex colour\. \|$/m);
    expect(brand).toMatch(
      /^\| `header\.links\[\]\.label` \| string or map of language → string \| required \|/m,
    );
    expect(brand).toMatch(
      /^\| `home\.sections\[\] \(type: articles\)\.ids` \| list of strings \| required \|/m,
    );
    expect(section('Article front matter')).toMatch(
      /^\| `title` \| string \| required \| The article's title\./m,
    );
    expect(section('`themes/<theme>.yaml`')).toMatch(/^\| `cornerRadius` \| number \| `8` \|/m);
    expect(section('`content/audiences.yaml`')).toMatch(
      /^\| `<key>\.rules\[\]\.operator` \| eq \\\| ne \\\|/m,
    );
  });
});

describe('referenceFor', () => {
  const source = `
    const plan = z.strictObject({
      /** Plan name. */ name: z.string(),
      /**
       * Seats included.
       *
       * Second paragraph, left out.
       */
      seats: z.number().default(5),
    });`;
  const docs = buildDocsIndex([{ path: 'plan.ts', text: source }]);

  it('documents a schema from its source comments', () => {
    const plan = z.strictObject({ name: z.string(), seats: z.number().default(5) });
    expect(referenceFor(plan, docs)).toBe(
      [
        '| key | type | default | description |',
        '| --- | --- | --- | --- |',
        '| `name` | string | required | Plan name. |',
        '| `seats` | number | `5` | Seats included. |',
      ].join('\n'),
    );
  });

  it('throws when a field has no JSDoc comment', () => {
    // `tier` is not in the source the index was built from, so this object matches no literal.
    const withNewField = z.strictObject({ name: z.string(), seats: z.number(), tier: z.string() });
    expect(() => referenceFor(withNewField, docs)).toThrow(
      /no JSDoc comment in src\/schemas for name, seats, tier/,
    );
    const undocumented = buildDocsIndex([
      { path: 'plan.ts', text: 'z.object({ /** Plan name. */ name: z.string(), seats: z.number() })' },
    ]);
    expect(() => referenceFor(z.object({ name: z.string(), seats: z.number() }), undocumented)).toThrow(
      /for seats;/,
    );
  });
});
