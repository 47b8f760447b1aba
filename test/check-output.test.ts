import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FOLD_OVER, report } from '../src/cli/check.ts';
import type { LoadResult } from '../src/content/load.ts';
import { Problems, formatProblem } from '../src/content/problems.ts';
import { readThemes } from '../src/content/themes.ts';
import { validate } from '../src/content/validate.ts';
import { parseYaml } from '../src/content/yaml.ts';
import { articleSchema } from '../src/schemas/article.ts';
import { PROJECT, copyExample, errorLines, type ExampleCopy } from './helpers/example.ts';

const run = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `signpost <args>` in `cwd` with stdout piped, as CI and `| less` do; `env` adds to an
 * environment without colour settings.
 */
async function signpost(args: string[], env: Record<string, string> = {}, cwd = PROJECT): Promise<Run> {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...base } = process.env;
  const main = path.join(PROJECT, 'src/cli/main.ts');
  try {
    const { stdout, stderr } = await run(path.join(PROJECT, 'node_modules/.bin/node'), [main, ...args], {
      cwd,
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as Run;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('check output a writer can scan', () => {
  let example: ExampleCopy;
  beforeEach(() => {
    example = copyExample();
  });
  afterEach(() => example.remove());
  const errors = () => errorLines(example.content, example.root);

  it('a title containing ": " says to quote it, and does not hide the file’s other errors', async () => {
    example.edit('help-centers/main/billing/refunds.en.md', (t) =>
      t
        .replace('title: Request a refund', 'title: Refunds: how they work')
        .replace('author: jane', 'auther: jane'),
    );
    // Other articles link to refunds; a file with its own errors does not cascade into link errors.
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/help-centers/main/billing/refunds.en.md:2: put the title in "quotes": it contains ": "",
        "error: content/help-centers/main/billing/refunds.en.md:4: unknown key "auther"; did you mean "author"?",
      ]
    `);
  });

  it('tabs, duplicate keys, unclosed quotes and bad indentation are named in plain words', async () => {
    example.edit('help-centers/main/billing/download-invoices.en.md', (t) =>
      t.replace('\ntitle:', '\n\ttitle:'),
    );
    example.edit('brands/acme-eu.yaml', (t) =>
      t.replace('name: Acme EU\n', 'name: Acme EU\nname: Acme Europe\n'),
    );
    example.edit('brands/globex.yaml', (t) => t.replace('searchBar: short', 'searchBar: "short'));
    example.edit('help-centers/main/billing/_collection.yaml', (t) => `${t}  stray: key\n`);
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/acme-eu.yaml:4: name: written twice (also on line 3); keep one of them",
        "error: content/brands/globex.yaml:22: hero.searchBar: the " quote is never closed; add " at the end of the value",
        "error: content/help-centers/main/billing/_collection.yaml:13: stray: indented under "order", which already has a value; line it up with the keys above it",
        "error: content/help-centers/main/billing/download-invoices.en.md:2: title: indented with a tab; YAML allows only spaces, so indent with spaces",
      ]
    `);
  });

  it('a theme with errors makes its brand say "invalid", never "missing"', async () => {
    example.edit('../themes/dark.yaml', (t) => t.replace(/^cornerRadius: .*$/m, 'cornerRadius: 99'));
    const lines = await errors();
    expect(lines).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:4: theme: themes/dark.yaml has errors, listed under that file; fix them to use theme "dark"",
        "error: themes/dark.yaml:15: cornerRadius: must be at most 32",
      ]
    `);
    expect(lines.join('\n')).not.toContain('no themes/dark.yaml');
  });

  it('a misspelled theme name gets a "did you mean"', async () => {
    example.edit('brands/globex.yaml', (t) => t.replace('theme: dark', 'theme: drak'));
    expect(await errors()).toMatchInlineSnapshot(`
      [
        "error: content/brands/globex.yaml:4: theme: no themes/drak.yaml; did you mean "dark"?",
      ]
    `);
  });
});

describe('YAML mistakes, in plain words', () => {
  /** Each mistake in its own front matter, as `check` words it (`line: message`). */
  const say = (yaml: string) => {
    const problems = new Problems();
    const source = parseYaml(yaml, 'refunds.en.md', problems, 1);
    validate(articleSchema, source, problems);
    return problems.sorted().map((p) => `${p.line}: ${p.message}`);
  };

  it('names the key and says what to type', () => {
    expect({
      colon: say('title: Step 1: open Billing\n'),
      special: say('title: @acme refunds\n'),
      quoted: say('title: "Refunds" explained\n'),
      glued: say('title:Refunds\nauthor: jane\n'),
      gluedAlone: say('title:Refunds\n'),
      bracket: say('title: Refunds\ntags: [billing, money\nauthor: jane\n'),
      misaligned: say('title: Refunds\nai:\n    agent: true\n  copilot: false\n'),
      number: say('title: 2024\n'),
    }).toMatchInlineSnapshot(`
      {
        "bracket": [
          "3: tags: "[" is never closed; add "]" at the end of that line, or put the tags in "quotes" if it is text",
        ],
        "colon": [
          "2: put the title in "quotes": it contains ": "",
        ],
        "glued": [
          "2: title: put a space after the colon ("title: Refunds")",
        ],
        "gluedAlone": [
          "2: put a space after the colon ("title: Refunds")",
        ],
        "misaligned": [
          "5: copilot: not lined up with the keys above it; indent it with as many spaces as the other keys at its level",
        ],
        "number": [
          "2: title: expected text, got 2024; put it in "quotes" to keep it as text",
        ],
        "quoted": [
          "2: put the whole title in 'single quotes': text follows its closing "",
        ],
        "special": [
          "2: put the title in "quotes": it starts with "@"",
        ],
      }
    `);
  });

  it('still checks the rest of the file, without echoing the broken line', () => {
    expect(say('title: Refunds: a guide\nvisibility: secret\nauther: jane\n')).toMatchInlineSnapshot(`
      [
        "2: put the title in "quotes": it contains ": "",
        "3: visibility: expected one of public | unlisted | private, got "secret"",
        "4: unknown key "auther"; did you mean "author"?",
      ]
    `);
  });
});

describe('theme problems', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-themes-'));
    fs.mkdirSync(path.join(dir, 'themes'));
    fs.writeFileSync(path.join(dir, 'themes/pale.yaml'), "colors:\n  text: '#bbbbbb'\n");
    fs.symlinkSync(path.join(dir, 'themes'), path.join(dir, 'linked'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('count once in the summary when one file is read by three paths', () => {
    const problems = new Problems();
    for (const folder of ['themes', 'content/../themes', 'linked'])
      problems.noteRead(path.join(dir, folder, 'pale.yaml'));
    expect(problems.filesRead).toBe(1);
  });

  it('are reported once when one folder is reached by two paths (content/../themes is built in)', () => {
    const problems = new Problems();
    const themes = readThemes(
      [path.join(dir, 'themes'), path.join(dir, 'content', '..', 'themes'), path.join(dir, 'linked')],
      problems,
    );
    expect([...themes.keys()]).toEqual(['pale']);
    expect(problems.sorted().map((p) => formatProblem(p, dir))).toMatchInlineSnapshot(`
      [
        "warning: themes/pale.yaml:2: colors.text #bbbbbb on colors.background #ffffff has contrast 1.92:1, below WCAG AA 4.5:1; darken or lighten one of them",
        "warning: themes/pale.yaml:2: colors.text #bbbbbb on colors.surface #f6f8fa has contrast 1.80:1, below WCAG AA 4.5:1; darken or lighten one of them",
      ]
    `);
  });
});

describe('the summary line', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-tiny-'));
    const write = (file: string, text: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write(
      'content/workspace.yaml',
      'name: Tiny\ndefaultLanguage: en\nlanguages: [en]\ndomain: help.tiny.test\n',
    );
    write('content/brands/tiny.yaml', 'name: Tiny\nhelpCenter: main\n');
    write('content/help-centers/main/start/_collection.yaml', 'name: Start here\n');
    write('content/help-centers/main/start/hello.md', '---\ntitle: Hello\n---\n\nHello.\n');
    write('content/help-centers/main/start/broken.md', '---\ntitle: Broken: yes\n---\n\nText.\n');
    write(
      'content/help-centers/main/start/screen.png',
      fs.readFileSync(path.join(PROJECT, 'content/avatars/jane.png')),
    );
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('counts the YAML and article files check read, broken ones included, images not', async () => {
    const result = await signpost(['check', '--content', path.join(root, 'content')]);
    expect(result.code).toBe(1);
    // workspace.yaml, tiny.yaml, _collection.yaml, hello.md, broken.md, and the built-in
    // themes/default.yaml and themes/dark.yaml: 7. screen.png is not a content file.
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(
      /^✗ 1 error, 0 warnings in 7 content files \(\d+\.\d\d s\)$/,
    );
  });
});

describe('folding', () => {
  const result = (problems: Problems): LoadResult => ({ model: undefined, problems, files: 0 });
  const lines = (problems: Problems, verbose = false) => {
    const out: string[] = [];
    report(result(problems), 0.5, (line) => out.push(line), { verbose, colour: false });
    return out.map((line) => line.replace(path.join(os.tmpdir(), 'c') + path.sep, ''));
  };
  const missing = (problems: Problems, file: string, lang: string) =>
    problems.warn(
      path.join(os.tmpdir(), 'c', file),
      undefined,
      `no ${lang} translation; add ${file}.${lang}.md`,
      {
        kind: 'missing-translation',
        tally: lang,
      },
    );

  it(`folds more than ${FOLD_OVER} warnings of a kind into one line with a count per language`, () => {
    const problems = new Problems();
    for (const file of ['a', 'b', 'c']) missing(problems, file, 'fr');
    missing(problems, 'a', 'de');
    problems.error(path.join(os.tmpdir(), 'c', 'a.md'), 3, 'title: missing; add "title:" (text)');
    expect(lines(problems)).toMatchInlineSnapshot(`
      [
        "error: a.md:3: title: missing; add "title:" (text)",
        "warning: 4 missing translations (fr: 3, de: 1); check --verbose lists them",
        "✗ 1 error, 4 warnings in 0 content files (0.50 s)",
      ]
    `);
    expect(lines(problems, true)).toHaveLength(6);
  });

  it(`lists ${FOLD_OVER} or fewer one by one, and never folds errors`, () => {
    const problems = new Problems();
    for (const file of ['a', 'b', 'c']) missing(problems, file, 'fr');
    for (const file of ['a', 'b', 'c', 'd', 'e'])
      problems.error(path.join(os.tmpdir(), 'c', `${file}.md`), 1, 'bad');
    expect(lines(problems)).toMatchInlineSnapshot(`
      [
        "warning: a: no fr translation; add a.fr.md",
        "error: a.md:1: bad",
        "warning: b: no fr translation; add b.fr.md",
        "error: b.md:1: bad",
        "warning: c: no fr translation; add c.fr.md",
        "error: c.md:1: bad",
        "error: d.md:1: bad",
        "error: e.md:1: bad",
        "✗ 5 errors, 3 warnings in 0 content files (0.50 s)",
      ]
    `);
  });
});

describe('the command line', () => {
  it('--help and -h print the usage and exit 0', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await signpost([flag]);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^usage: signpost <command> \[options\]/);
      expect(result.stdout).toContain('check ');
    }
  });

  it('check --help prints the check usage', async () => {
    const result = await signpost(['check', '--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatchInlineSnapshot(`
      "usage: signpost check [--content DIR] [--verbose]

      Reads every content file and prints every problem, one line each:
        error: <file>:<line>: what is wrong; what to do
      Exits 1 when there is an error; warnings (e.g. missing translations) do not fail it.

      options:
        --content DIR   the content folder (default: content)
        --verbose       list every warning; otherwise more than 3 of one kind are folded into a count
        -h, --help      show this help
      "
    `);
  });

  it('an unknown flag is one line, exit 2, no stack trace', async () => {
    expect(await signpost(['check', '--foo'])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "signpost: unknown option --foo; see signpost check --help
      ",
        "stdout": "",
      }
    `);
    expect(await signpost(['--foo'])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "signpost: unknown option --foo; see signpost --help
      ",
        "stdout": "",
      }
    `);
    expect(await signpost(['check', '--verbos'])).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "signpost: unknown option --verbos (did you mean "--verbose"?); see signpost check --help
      ",
        "stdout": "",
      }
    `);
  });
});

describe('colour', () => {
  let example: ExampleCopy;
  beforeEach(() => {
    example = copyExample();
    example.edit(
      'help-centers/main/billing/refunds.en.md',
      (t) => `${t}\nSee [the policy](refund-policy.md).\n`,
    );
  });
  afterEach(() => example.remove());

  it('piped or under NO_COLOR, lines are plain and start with error / warning', async () => {
    for (const env of [{}, { NO_COLOR: '1' }]) {
      const result = await signpost(['check'], env, example.root);
      expect(result.code).toBe(1);
      expect(result.stdout).not.toContain('\u001b[');
      expect(result.stdout).toMatch(
        /^error: content\/help-centers\/main\/billing\/refunds\.en\.md:42: link to /m,
      );
      expect(result.stdout).toMatch(/^warning: \d+ missing translations/m);
    }
  });

  it('with FORCE_COLOR, errors are red and warnings yellow', async () => {
    const result = await signpost(['check'], { FORCE_COLOR: '1' }, example.root);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    const [red, yellow, reset] = ['\u001b[31m', '\u001b[33m', '\u001b[39m'];
    expect(lines).toContainEqual(
      expect.stringContaining(
        `${red}error${reset}: content/help-centers/main/billing/refunds.en.md:42: link to `,
      ),
    );
    expect(lines.filter((l) => l.startsWith(`${yellow}warning${reset}: `)).join('\n')).toMatch(
      /: \d+ missing translations/,
    );
    // Every line but the summary (and the empty one after it) starts with a coloured label.
    expect(lines.filter((l) => l.startsWith(red) || l.startsWith(yellow)).length).toBe(lines.length - 2);
  });
});
