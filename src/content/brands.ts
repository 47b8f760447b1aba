import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { brandSchema, type BrandConfig } from '../schemas/brand.ts';
import type { LocalizedText } from '../schemas/index.ts';
import { readBrandImages, readCollectionIcons } from './brand-images.ts';
import { checkStyling, styledTheme } from './brand-styling.ts';
import type { Brand, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { unknownThemeMessage } from './themes.ts';
import { formatPath, suggest, validate } from './validate.ts';
import { readYaml, type YamlSource } from './yaml.ts';

const BRAND_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads `brands/*.yaml` and resolves each brand to its help center, theme, languages, domain and
 * image files; checks brand and collection images with sharp. Brands with errors are left out of
 * the result, so even a build past `check` publishes nothing of them.
 */
export async function readBrands(root: string, model: Model, problems: Problems): Promise<Brand[]> {
  const icons = readCollectionIcons(model, problems);
  const dir = path.join(root, 'brands');
  if (!fs.existsSync(dir)) {
    problems.error(
      dir,
      undefined,
      'no brands/ folder; add brands/<brand>.yaml with at least name and helpCenter',
    );
    await icons;
    return [];
  }
  const files = fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort((a, b) => a.replace(/\.ya?ml$/, '').localeCompare(b.replace(/\.ya?ml$/, '')));
  if (!files.length)
    problems.error(
      dir,
      undefined,
      'no brand files; add brands/<brand>.yaml with at least name and helpCenter',
    );
  const pending: Promise<Brand | undefined>[] = [];
  const domains = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    const id = name.replace(/\.ya?ml$/, '');
    const source = readYaml(file, problems);
    if (source.data === undefined) continue;
    const config = validate(brandSchema, source, problems);
    // One schema error must not hide the brand's other mistakes: what is valid is still checked.
    const { config: valid, invalid } = config ? { config, invalid: new Set<string>() } : validParts(source);
    if (!BRAND_ID.test(id))
      problems.error(
        file,
        undefined,
        `brand id "${id}" becomes a folder and a sub-domain; rename the file to lower-case letters, digits and dashes`,
      );

    const helpCenter = valid.helpCenter === undefined ? undefined : model.helpCenters.get(valid.helpCenter);
    if (valid.helpCenter !== undefined && !helpCenter)
      problems.error(
        file,
        source.lineOf(['helpCenter']),
        `helpCenter: no folder help-centers/${valid.helpCenter}; ${suggest(valid.helpCenter, [...model.helpCenters.keys()], 'create it or name an existing one')}`,
      );
    const named = valid.theme === undefined ? undefined : model.themes.get(valid.theme);
    if (valid.theme !== undefined && !named)
      problems.error(file, source.lineOf(['theme']), unknownThemeMessage(valid.theme, model.themes));
    const theme = named && styledTheme(named, valid.styling);
    if (theme) checkStyling(theme, valid.styling, id, file, source.lineOf, problems);

    const { languages: workspaceLanguages, defaultLanguage: workspaceDefault } = model.workspace;
    const languages = (valid.languages ?? workspaceLanguages).map((l) => Intl.getCanonicalLocales(l)[0] ?? l);
    // A list that failed the schema is not checked against a default it never meant.
    const languagesValid = !invalid.has('languages') && !invalid.has('defaultLanguage');
    if (languagesValid)
      languages.forEach((lang, i) => {
        if (!workspaceLanguages.includes(lang))
          problems.error(
            file,
            source.lineOf(['languages', i]),
            `languages: "${lang}" is not a workspace language (${workspaceLanguages.join(', ')}); add it to workspace.yaml or remove it here`,
          );
        else if (languages.indexOf(lang) !== i)
          problems.error(
            file,
            source.lineOf(['languages', i]),
            `languages: "${lang}" is listed twice; remove one`,
          );
      });
    const defaultLanguage = valid.defaultLanguage
      ? (Intl.getCanonicalLocales(valid.defaultLanguage)[0] ?? valid.defaultLanguage)
      : languages.includes(workspaceDefault)
        ? workspaceDefault
        : (languages[0] ?? workspaceDefault);
    if (languagesValid && !languages.includes(defaultLanguage))
      problems.error(
        file,
        source.lineOf(['defaultLanguage']),
        `defaultLanguage: "${defaultLanguage}" is not one of this brand's languages (${languages.join(', ')}); add it there`,
      );

    const domain = valid.domain ?? `${id}.${model.workspace.domain}`;
    if (!invalid.has('domain') && domains.has(domain))
      problems.error(
        file,
        source.lineOf(['domain']),
        `domain: ${domain} is also the domain of brand "${domains.get(domain)}"; each brand needs its own`,
      );
    domains.set(domain, id);

    if (valid.footer) checkFooter(valid.footer, file, source.lineOf, problems);
    if (languagesValid) checkBrandText(valid, id, languages, defaultLanguage, file, source.lineOf, problems);

    if (helpCenter && valid.home)
      valid.home.sections.forEach((section, i) => {
        if (section.type !== 'articles') return;
        section.ids.forEach((articleId, j) => {
          const group = helpCenter.articles.get(articleId);
          const line = source.lineOf(['home', 'sections', i, 'ids', j]);
          if (!group)
            problems.error(
              file,
              line,
              `home.sections[${i}].ids: no article "${articleId}" in help center "${helpCenter.id}"; ${suggest(articleId, [...helpCenter.articles.keys()], 'fix the id')}`,
            );
          else if (
            ![...group.translations.values()].some(
              (t) => t.state === 'published' && t.visibility === 'public',
            )
          )
            problems.error(
              file,
              line,
              `home.sections[${i}].ids: "${articleId}" is not a published public article, so it cannot be featured; feature another`,
            );
        });
      });

    // Private articles need a way in: without privacy settings no visitor could ever sign in.
    if (helpCenter && !valid.privacy && !invalid.has('privacy')) {
      const privateArticle = [...helpCenter.articles.values()]
        .flatMap((g) => [...g.translations.values()])
        .find((t) => t.visibility === 'private' && t.state === 'published' && languages.includes(t.language));
      if (privateArticle)
        problems.error(
          file,
          1,
          `privacy: help center "${helpCenter.id}" has private articles (${path.relative(path.dirname(file), privateArticle.file)}) that no visitor could sign in to read; add privacy.loginUrl and privacy.jwt`,
        );
    }

    pending.push(
      readBrandImages(valid, file, source.lineOf, problems).then((assets) =>
        config && helpCenter && theme
          ? { id, file, config, helpCenter, theme, languages, defaultLanguage, domain, assets }
          : undefined,
      ),
    );
  }
  const [read] = await Promise.all([Promise.all(pending), icons]);
  // Checked last, once the images have been read: a refused logo leaves its brand out too.
  return read.filter(
    (brand): brand is Brand => !!brand && !problems.errors.some((p) => p.file === brand.file),
  );
}

type LineOf = YamlSource['lineOf'];

/**
 * A brand file that fails its schema, with each failing key as if it were absent (its default,
 * or nothing), so its help center, theme, languages and images are checked all the same. Maps
 * are taken apart key by key: a bad header link leaves `header.logo` checked. `invalid` names the
 * failing keys (`footer.links`), already reported by `validate`.
 */
function validParts(source: YamlSource): { config: Partial<BrandConfig>; invalid: Set<string> } {
  const invalid = new Set<string>();
  const visit = (schema: z.ZodType, value: unknown, keyPath: string[]): unknown => {
    // What a YAML syntax error mangled is already reported at its line; no guessing at its value.
    const mangled =
      keyPath.length > 0 && value !== undefined && source.broken?.lines.has(source.lineOf(keyPath));
    const whole = mangled ? undefined : schema.safeParse(value);
    if (whole?.success) return whole.data;
    const object = objectIn(schema);
    if (!mangled && object && value && typeof value === 'object' && !Array.isArray(value))
      return Object.fromEntries(
        Object.entries(object.shape).flatMap(([key, field]) => {
          const part = visit(field as z.ZodType, (value as Record<string, unknown>)[key], [...keyPath, key]);
          return part === undefined ? [] : [[key, part]];
        }),
      );
    invalid.add(keyPath.join('.'));
    const absent = schema.safeParse(undefined);
    return absent.success ? absent.data : undefined;
  };
  return { config: visit(brandSchema, source.data ?? {}, []) as Partial<BrandConfig>, invalid };
}

/** The object schema under optional/default wrappers, if it is one. */
function objectIn(schema: z.ZodType): z.ZodObject | undefined {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault)
    s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? s : undefined;
}

/**
 * The footer templates differ in what they show (see `footer.template`): a setting the chosen
 * one would not show is an error, never dropped without a word.
 */
function checkFooter(footer: BrandConfig['footer'], file: string, lineOf: LineOf, problems: Problems): void {
  const { template } = footer;
  if (template === 'simple' && footer.logo)
    problems.error(
      file,
      lineOf(['footer', 'logo']),
      'footer.logo: the simple footer shows no logo; remove footer.logo, or set template: classic to show it',
    );
  if (template !== 'multi-level')
    footer.links.forEach((link, i) => {
      if ('links' in link)
        problems.error(
          file,
          lineOf(['footer', 'links', i]),
          `footer.links[${i}]: a group of links needs template: multi-level (the ${template} footer shows one row of links); list its links directly, or set template: multi-level`,
        );
    });
}

/**
 * A warning for each brand-file text given per language that lacks a language the brand
 * publishes, like a missing article translation: visitors in that language get another's text.
 */
function checkBrandText(
  config: Partial<BrandConfig>,
  id: string,
  languages: string[],
  defaultLanguage: string,
  file: string,
  lineOf: LineOf,
  problems: Problems,
): void {
  const texts: [PropertyKey[], LocalizedText | undefined][] = [
    [['header', 'title'], config.header?.title],
    [['hero', 'welcome'], config.hero?.welcome],
  ];
  config.header?.links.forEach((l, i) => texts.push([['header', 'links', i, 'label'], l.label]));
  config.home?.sections.forEach((s, i) => {
    texts.push([['home', 'sections', i, 'title'], s.title]);
    if (s.type === 'content') texts.push([['home', 'sections', i, 'markdown'], s.markdown]);
  });
  config.footer?.links.forEach((l, i) => {
    texts.push([['footer', 'links', i, 'label'], l.label]);
    if ('links' in l)
      l.links.forEach((inner, j) => texts.push([['footer', 'links', i, 'links', j, 'label'], inner.label]));
  });
  for (const [keyPath, text] of texts) {
    // A plain string is the text for every language, as with a collection's name.
    if (text === undefined || typeof text === 'string') continue;
    const shown = defaultLanguage in text ? defaultLanguage : Object.keys(text)[0];
    for (const lang of languages)
      if (!(lang in text))
        problems.warn(
          file,
          lineOf(keyPath),
          `${formatPath(keyPath)}: no ${lang} text (brand ${id} publishes ${lang}); add it, or visitors see the ${shown} text`,
          { kind: 'missing-translation', tally: lang },
        );
  }
}
