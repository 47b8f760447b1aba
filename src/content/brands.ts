import fs from 'node:fs';
import path from 'node:path';
import { brandSchema } from '../schemas/brand.ts';
import { checkBrandImage, type BrandImageKind } from './brand-images.ts';
import type { Brand, Model } from './model.ts';
import type { Problems } from './problems.ts';
import { unknownThemeMessage } from './themes.ts';
import { suggest, validate } from './validate.ts';
import { readYaml } from './yaml.ts';

const BRAND_ID = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads `brands/*.yaml` and resolves each brand to its help center, theme, languages, domain and
 * image files; checks brand images with sharp. Brands with errors are left out of the result.
 */
export async function readBrands(root: string, model: Model, problems: Problems): Promise<Brand[]> {
  const dir = path.join(root, 'brands');
  if (!fs.existsSync(dir)) {
    problems.error(
      dir,
      undefined,
      'no brands/ folder; add brands/<brand>.yaml with at least name and helpCenter',
    );
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
  const brands: Brand[] = [];
  const imageChecks: Promise<void>[] = [];
  const domains = new Map<string, string>();
  for (const name of files) {
    const file = path.join(dir, name);
    const id = name.replace(/\.ya?ml$/, '');
    const source = readYaml(file, problems);
    if (source.data === undefined) continue;
    const config = validate(brandSchema, source, problems);
    if (!config) continue;
    const before = problems.errors.length;
    if (!BRAND_ID.test(id))
      problems.error(
        file,
        undefined,
        `brand id "${id}" becomes a folder and a sub-domain; rename the file to lower-case letters, digits and dashes`,
      );

    const helpCenter = model.helpCenters.get(config.helpCenter);
    if (!helpCenter)
      problems.error(
        file,
        source.lineOf(['helpCenter']),
        `helpCenter: no folder help-centers/${config.helpCenter}; ${suggest(config.helpCenter, [...model.helpCenters.keys()], 'create it or name an existing one')}`,
      );
    const theme = model.themes.get(config.theme);
    if (!theme)
      problems.error(file, source.lineOf(['theme']), unknownThemeMessage(config.theme, model.themes));

    const { languages: workspaceLanguages, defaultLanguage: workspaceDefault } = model.workspace;
    const languages = (config.languages ?? workspaceLanguages).map(
      (l) => Intl.getCanonicalLocales(l)[0] ?? l,
    );
    languages.forEach((lang, i) => {
      if (!workspaceLanguages.includes(lang))
        problems.error(
          file,
          source.lineOf(['languages', i]),
          `languages: "${lang}" is not a workspace language (${workspaceLanguages.join(', ')}); add it to workspace.yaml or remove it here`,
        );
    });
    const defaultLanguage = config.defaultLanguage
      ? (Intl.getCanonicalLocales(config.defaultLanguage)[0] ?? config.defaultLanguage)
      : languages.includes(workspaceDefault)
        ? workspaceDefault
        : (languages[0] ?? workspaceDefault);
    if (!languages.includes(defaultLanguage))
      problems.error(
        file,
        source.lineOf(['defaultLanguage']),
        `defaultLanguage: "${defaultLanguage}" is not one of this brand's languages (${languages.join(', ')}); add it there`,
      );

    const domain = config.domain ?? `${id}.${model.workspace.domain}`;
    if (domains.has(domain))
      problems.error(
        file,
        source.lineOf(['domain']),
        `domain: ${domain} is also the domain of brand "${domains.get(domain)}"; each brand needs its own`,
      );
    domains.set(domain, id);

    if (helpCenter)
      config.home.sections.forEach((section, i) => {
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

    const resolve = (p: string | undefined) => (p ? path.resolve(dir, p) : undefined);
    const assets: Brand['assets'] = {};
    const images: [BrandImageKind, string | undefined][] = [
      ['icon', config.icon],
      ['favicon', config.favicon],
      ['socialImage', config.socialImage],
    ];
    for (const [kind, relative] of images) {
      const absolute = resolve(relative);
      if (!absolute) continue;
      assets[kind] = absolute;
      imageChecks.push(checkBrandImage(kind, absolute, file, source.lineOf([kind]), problems));
    }
    const otherFiles: [keyof Brand['assets'], string[], string | undefined][] = [
      ['headerLogo', ['header', 'logo'], config.header.logo],
      ['footerLogo', ['footer', 'logo'], config.footer.logo],
      [
        'heroImage',
        ['hero', 'background', 'image'],
        config.hero.background && 'image' in config.hero.background
          ? config.hero.background.image
          : undefined,
      ],
    ];
    for (const [key, keyPath, relative] of otherFiles) {
      const absolute = resolve(relative);
      if (!absolute) continue;
      if (!fs.existsSync(absolute))
        problems.error(
          file,
          source.lineOf(keyPath),
          `${keyPath.join('.')}: file ${relative} not found; fix the path (relative to this brand file)`,
        );
      assets[key] = absolute;
    }

    if (helpCenter && theme && problems.errors.length === before)
      brands.push({ id, file, config, helpCenter, theme, languages, defaultLanguage, domain, assets });
  }
  await Promise.all(imageChecks);
  return brands;
}
