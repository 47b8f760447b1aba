import { describe, expect, it } from 'vitest';
import { parseArticleFileName } from '../src/content/files.ts';
import { Problems } from '../src/content/problems.ts';
import { contrastRatio } from '../src/content/themes.ts';
import { validate } from '../src/content/validate.ts';
import { parseYaml } from '../src/content/yaml.ts';
import { articleSchema, brandSchema, themeSchema, workspaceSchema } from '../src/schemas/index.ts';
import type { z } from 'zod';

/** Validates YAML text and returns the messages as `line: message`. */
function messages(schema: z.ZodType, yaml: string): string[] {
  const problems = new Problems();
  const source = parseYaml(yaml, 'file.yaml', problems);
  if (source.data !== undefined) validate(schema, source, problems);
  return problems.sorted().map((p) => `${p.line}: ${p.message}`);
}

describe('schema messages name the key, its line and the fix', () => {
  it('suggests the closest key for a typo', () => {
    expect(messages(articleSchema, 'title: Refunds\nauther: jane\n')).toMatchInlineSnapshot(`
      [
        "2: unknown key "auther"; did you mean "author"?",
      ]
    `);
  });

  it('lists the allowed keys when nothing is close', () => {
    expect(messages(themeSchema, 'article:\n  toc: true\n  sidebar: left\n')).toMatchInlineSnapshot(`
      [
        "3: article: unknown key "sidebar"; remove it (allowed: toc, relatedArticles)",
      ]
    `);
  });

  it('shows enum choices and the wrong value at the nested key', () => {
    expect(messages(brandSchema, 'name: Acme\nhelpCenter: main\nfooter:\n  template: fancy\n'))
      .toMatchInlineSnapshot(`
      [
        "4: footer.template: expected one of simple | classic | multi-level, got "fancy"",
      ]
    `);
  });

  it('reports a missing required key at the top of the file', () => {
    expect(messages(articleSchema, 'description: no title here\n')).toMatchInlineSnapshot(`
      [
        "1: title: missing; add "title:" (text)",
      ]
    `);
  });

  it('reports every problem of a file at once, each at its own line', () => {
    const yaml = [
      'name: Acme',
      'helpCenter: main',
      'analytics:',
      '  ga4: UA-1234',
      'header:',
      '  links:',
      '    - { label: A, url: /a }',
      '    - { label: B, url: /b }',
      '    - { label: C, url: /c }',
      '    - { label: D, url: /d }',
      'privacy:',
      '  loginUrl: https://app.acme.test/login?r={returnTo}',
      '  jwt: {}',
    ].join('\n');
    expect(messages(brandSchema, yaml)).toMatchInlineSnapshot(`
      [
        "4: analytics.ga4: expected a GA4 measurement id such as G-ABC123XYZ (Universal Analytics UA- ids no longer work)",
        "6: header.links: at most 3 header links; move the rest to the footer",
        "13: privacy.jwt: set exactly one of secretEnv, publicKey or jwksUrl",
      ]
    `);
  });

  it('rejects invalid language tags and time zones', () => {
    const yaml =
      'name: W\ntimezone: Mars/Olympus\ndefaultLanguage: en\nlanguages: [en, "de_DE!"]\ndomain: help.example.com\n';
    expect(messages(workspaceSchema, yaml)).toMatchInlineSnapshot(`
      [
        "2: timezone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Berlin, America/New_York)",
        "4: languages[1]: "de_DE!" is not a valid BCP-47 language tag (e.g. en, pt-BR, zh-Hans)",
      ]
    `);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(messages(brandSchema, 'name: Acme\nhelpCenter: [main\ntheme: default\n')).toHaveLength(1);
    // The duplicate is named in plain words, and does not hide the file's other problems.
    expect(messages(brandSchema, 'name: Acme\nname: Again\n')).toEqual([
      expect.stringMatching(/^1: helpCenter: missing/),
      expect.stringMatching(/^2: name: written twice \(also on line 1\)/),
    ]);
  });

  it('applies defaults, so later code never guesses', () => {
    const theme = themeSchema.parse({});
    expect(theme.collectionCards).toBe('classic');
    expect(theme.article.relatedArticles).toBe(3);
    const article = articleSchema.parse({ title: 'T' });
    expect(article).toMatchObject({ state: 'published', visibility: 'public' });
  });
});

describe('article file names', () => {
  const langs = ['en', 'de', 'pt-BR', 'zh-Hans'];
  it('splits id, language and format', () => {
    expect(parseArticleFileName('refunds.de.md', langs, 'en')).toEqual({
      id: 'refunds',
      language: 'de',
      format: 'md',
    });
    expect(parseArticleFileName('refunds.md', langs, 'en')).toEqual({
      id: 'refunds',
      language: 'en',
      format: 'md',
    });
    expect(parseArticleFileName('setup.pt-br.mdx', langs, 'en')).toEqual({
      id: 'setup',
      language: 'pt-BR',
      format: 'mdx',
    });
    expect(parseArticleFileName('v1.2.md', langs, 'en')).toEqual({
      id: 'v1.2',
      language: 'en',
      format: 'md',
    });
    expect(parseArticleFileName('screen.png', langs, 'en')).toBeUndefined();
  });
  it('reports a language the workspace does not have', () => {
    expect(parseArticleFileName('refunds.fr.md', langs, 'en')).toEqual({
      error:
        'language "fr" in the file name is not in workspace.yaml languages (en, de, pt-BR, zh-Hans); add it there or rename the file',
    });
  });
});

describe('colour contrast', () => {
  it('computes WCAG ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#fff', '#ffffff')).toBe(1);
  });
});
