/** `signpost brand import <url> --brand ID`: logo, icons and colours from a company's homepage. */
import fs from 'node:fs';
import path from 'node:path';
import { writeBrandFile, type BrandUpdate } from './brand-file.ts';
import { FetchError, fetchLimited, sameSite } from '../import/fetch.ts';
import { formatName, pickImage, rankIcons, type FetchedImage, type ImageRule } from './images.ts';
import { readManifest, readPage, type PageFacts } from './page.ts';

/** The largest homepage read, in bytes. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

// As the brand schema documents them (src/schemas/brand.ts), so a saved file passes `check`.
const RULES = {
  icon: { formats: ['png', 'jpeg'], ratio: 1, maxBytes: 1024 * 1024 },
  socialImage: { formats: ['png', 'jpeg'], ratio: 1.91, maxBytes: 2 * 1024 * 1024 },
} satisfies Record<string, ImageRule>;

/** What to import, and where. */
export interface ImportOptions {
  url: URL;
  brand: string;
  /** The content folder (`content/`). */
  content: string;
  /** One report line at a time (stdout). */
  print(line: string): void;
  /** The one line saying the page could not be read (stderr, as other commands' failures). */
  printError(line: string): void;
}

/** Runs one import; returns the exit code: 0 imported, 1 the page could not be read or had nothing. */
export async function importBrand({
  url,
  brand,
  content,
  print,
  printError,
}: ImportOptions): Promise<number> {
  let facts: PageFacts;
  let pageUrl: URL;
  try {
    const page = await fetchLimited(url, { maxBytes: MAX_PAGE_BYTES, allowRedirect: sameSite });
    pageUrl = page.url;
    facts = readPage(page.body.toString('utf8'), page.url);
  } catch (error) {
    if (!(error instanceof FetchError)) throw error;
    printError(`signpost brand import: ${url.href}: ${error.message}`);
    return 1;
  }
  if (facts.manifest) {
    try {
      const manifest = await fetchLimited(facts.manifest, { maxBytes: MAX_PAGE_BYTES });
      readManifest(manifest.body.toString('utf8'), manifest.url, facts);
    } catch (error) {
      if (!(error instanceof FetchError || error instanceof SyntaxError)) throw error;
      print(
        `manifest: ${facts.manifest.href} skipped: ${error instanceof SyntaxError ? 'not JSON' : error.message}`,
      );
    }
  }

  const brandsDir = path.join(content, 'brands');
  const shown = (file: string) => path.relative(content, file).split(path.sep).join('/');
  const cache = new Map<string, Promise<FetchedImage | string>>();
  const update: BrandUpdate = {
    source: pageUrl,
    themeColor: facts.themeColor,
    backgroundColor: facts.backgroundColor,
  };
  let imported = 0;

  const images = [
    { key: 'icon', candidates: rankIcons(facts.icons), none: 'no icon, apple-touch-icon or manifest icon' },
    { key: 'socialImage', candidates: facts.socialImage ? [facts.socialImage] : [], none: 'no og:image' },
  ] as const;
  for (const { key, candidates, none } of images) {
    const { image, rejected } = await pickImage(candidates, RULES[key], cache);
    for (const { candidate, reason } of rejected)
      print(`skipped: ${candidate.url.href} (${candidate.source}): ${reason}`);
    if (!image) {
      print(`${key}: none found (${candidates.length ? 'no candidate was usable' : none})`);
      continue;
    }
    const file = path.join(
      brandsDir,
      'assets',
      `${brand}-${key === 'icon' ? 'icon' : 'social'}${image.extension}`,
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, image.data);
    update[key] = `./${path.relative(brandsDir, file).split(path.sep).join('/')}`;
    imported++;
    print(
      `${key}: ${image.candidate.url.href} (${image.width}×${image.height} ${formatName(image.format)}) → ${shown(file)}`,
    );
  }

  const colours = [
    facts.themeColor && `theme-color ${facts.themeColor}`,
    facts.backgroundColor && `background_color ${facts.backgroundColor}`,
  ].filter(Boolean);
  if (colours.length) imported++;
  if (!imported) {
    print(`nothing to import from ${pageUrl.href}; the brand file is unchanged`);
    return 1;
  }

  const brandFile = path.join(brandsDir, `${brand}.yaml`);
  const helpCenters = listHelpCenters(content);
  const result = writeBrandFile(brandFile, update, {
    name: facts.name || brand,
    helpCenter: helpCenters.length === 1 ? helpCenters[0] : undefined,
    helpCenters,
  });
  if (!colours.length) print('colours: none found (no theme-color, no manifest colours)');
  if (result.written.length) print(`colours: ${result.written.join(', ')} → ${shown(brandFile)}`);
  if (result.commented.length)
    print(
      `colours: ${result.commented.join(', ')} kept as a comment in ${shown(brandFile)} (the brand schema has no such key yet)`,
    );
  print(
    `${result.created ? 'created' : 'updated'}: ${shown(brandFile)}${result.created ? ` (name "${facts.name || brand}")` : ''}`,
  );
  if (result.todo) print(`todo: ${shown(brandFile)}: ${result.todo}`);
  return 0;
}

function listHelpCenters(content: string): string[] {
  try {
    return fs
      .readdirSync(path.join(content, 'help-centers'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
