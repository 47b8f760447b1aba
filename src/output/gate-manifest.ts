import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GateManifest } from '../gate/manifest.ts';
import type { Handoff } from '../integration/handoff.ts';
import { audienceIndexDir, gateManifestFile, urls } from '../routing/layout.ts';
import type { ArticlePage, BrandSite, SiteData } from '../routing/types.ts';
import { inPrivateSearch } from '../routing/visibility.ts';

/**
 * The gate manifest of one brand (its schema, the contract, is `src/gate/manifest.ts`): which URLs
 * are private and for whom, the audience rules, the private search indexes, how visitors sign in,
 * and the inline scripts its CSP allows by hash, so the gate never reads `content/`.
 */
export function gateManifest(site: SiteData, brand: BrandSite, scripts: Iterable<string>): GateManifest {
  const privatePages = brand.pages.filter((p): p is ArticlePage => p.private && p.kind === 'article');
  const sets = new Map<string, string[]>();
  for (const page of brand.pages)
    if (inPrivateSearch(page)) sets.set(audienceIndexDir(page.audiences), [...page.audiences].sort());
  return {
    version: 1,
    brand: brand.id,
    domain: brand.domain,
    defaultLanguage: brand.defaultLanguage,
    languages: brand.languages,
    private: Object.fromEntries(privatePages.map((p) => [p.url, { audiences: [...p.audiences].sort() }])),
    audiences: site.audiences,
    searchIndexes: [...sets].sort().map(([dir, audiences]) => ({
      url: audiences.length ? urls.audienceSearchIndex(audiences) : urls.privateSearchIndex(),
      dir,
      audiences,
    })),
    notAvailable: Object.fromEntries(
      brand.pages.flatMap((p) => (p.kind === 'not-available' ? [[p.lang, p.url]] : [])),
    ),
    privacy: brand.privacy ?? null,
    csp: {
      scriptHashes: [...new Set(scripts)]
        .map((s) => `sha256-${createHash('sha256').update(s).digest('base64')}`)
        .sort(),
      ga4: brand.ga4 !== undefined,
      ...(brand.ga4 && { ga4Id: brand.ga4 }),
      ...(site.embedHosts.length && { frameHosts: site.embedHosts }),
    },
  };
}

/** Writes `_gate/<brand>.json` for every brand. */
export async function writeGateManifests(outDir: string, site: SiteData, handoff: Handoff): Promise<void> {
  for (const brand of site.brands) {
    const file = path.join(outDir, gateManifestFile(brand.id));
    await fs.mkdir(path.dirname(file), { recursive: true });
    const manifest = gateManifest(site, brand, handoff.inlineScripts.get(brand.id) ?? []);
    await fs.writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  }
}
