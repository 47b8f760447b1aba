import type { IntercomExport } from '../types.ts';
import type { PlannedFile } from '../write.ts';
import { yamlFile } from './files.ts';
import { Unique, asciiKey, reservedNames } from './ids.ts';
import { languageOf } from './languages.ts';
import { sortById } from './order.ts';
import type { HelpCenters, PlacedHelpCenter, Planning } from './types.ts';

/**
 * Help centers, brands and the workspace: each Intercom help center becomes a folder under
 * `help-centers/` and a brand file of the same id; the default help center names the workspace.
 * What Intercom does not say (a custom domain, the sign-in page private articles need) becomes a
 * placeholder and a warning.
 */

/** One folder and one brand per help center; an export without any gets one, `main`. */
export function placeHelpCenters(source: IntercomExport, planning: Planning): HelpCenters {
  let helpCenterSources = source.helpCenters;
  if (!helpCenterSources.length) {
    helpCenterSources = [{ id: 'default', identifier: 'main', display_name: 'Help Center', default: true }];
    if (source.articles.length || source.collections.length)
      planning.warn(
        'the export has no help centers (help_centers.json): everything goes to help-centers/main',
      );
  }
  const names = new Unique(reservedNames(planning.previous.helpCenters, source.helpCenters));
  const byId = new Map<string, PlacedHelpCenter>();
  for (const hc of sortById(helpCenterSources)) {
    const id = names.take(
      planning.previous.helpCenters[hc.id],
      asciiKey(hc.identifier ?? hc.display_name ?? '') || `help-center-${hc.id}`,
      hc.id,
    );
    planning.ids.helpCenters[hc.id] = id;
    const base = URL.parse(hc.url ?? '');
    byId.set(hc.id, {
      source: hc,
      id,
      defaultLanguage: '',
      languages: (hc.locales ?? []).map(languageOf),
      basePath: base ? base.pathname.replace(/\/+$/, '') : '',
      host: base?.host,
    });
  }
  const all = [...byId.values()];
  return { byId, default: all.find((hc) => hc.source.default === true) ?? all[0]! };
}

/** What the brand files and `workspace.yaml` say beyond each help center's own fields. */
export interface BrandPlan {
  /** Every language a brand or an article uses. */
  languages: string[];
  /** The help centers with a private article: their brand needs a sign-in. */
  private: Set<PlacedHelpCenter>;
  /** The workspace's domain; undefined for the placeholder. */
  domain: string | undefined;
}

/** Decides the brands' sign-in and domains, and warns once about each placeholder. */
export function planBrands(
  helpCenters: HelpCenters,
  languages: string[],
  privateHelpCenters: Set<PlacedHelpCenter>,
  planning: Planning,
): BrandPlan {
  // Brands with private articles need a sign-in: a placeholder the team fills in.
  for (const hc of privateHelpCenters)
    planning.warn(
      `brands/${hc.id}.yaml: privacy.loginUrl is a placeholder; set it to your app's sign-in page, and export ${envName(hc.id)} (the token secret) before npm run serve`,
    );
  for (const hc of helpCenters.byId.values())
    if (!validHost(hc.source.custom_domain))
      planning.warn(
        `brands/${hc.id}.yaml: no custom domain in Intercom${hc.source.url ? ` (it was ${hc.source.url})` : ''}; served at ${hc.id}.<workspace domain> until you set domain`,
      );
  const domain =
    validHost(helpCenters.default.source.custom_domain) ??
    [...helpCenters.byId.values()].map((hc) => validHost(hc.source.custom_domain)).find(Boolean);
  if (!domain)
    planning.warn(
      'workspace.yaml: domain help.example.com is a placeholder; set the domain your help centers live under',
    );
  return { languages, private: privateHelpCenters, domain };
}

/** `workspace.yaml` (written only where the team has none yet) and `brands/<id>.yaml`. */
export function brandFiles(helpCenters: HelpCenters, brands: BrandPlan): PlannedFile[] {
  const main = helpCenters.default;
  const files: PlannedFile[] = [
    {
      ...yamlFile(
        'workspace.yaml',
        {
          name: main.source.display_name || 'Help Center',
          defaultLanguage: main.defaultLanguage,
          languages: brands.languages,
          domain: brands.domain ?? 'help.example.com',
        },
        'Imported from Intercom.',
      ),
      onlyIfAbsent: true,
    },
  ];
  for (const hc of helpCenters.byId.values()) {
    const brand: Record<string, unknown> = {
      name: hc.source.display_name || hc.id,
      helpCenter: hc.id,
    };
    const domain = validHost(hc.source.custom_domain);
    if (domain) brand.domain = domain;
    brand.languages = hc.languages;
    brand.defaultLanguage = hc.defaultLanguage;
    if (brands.private.has(hc))
      brand.privacy = {
        loginUrl: 'https://app.example.com/login?return_to={returnTo}',
        jwt: { secretEnv: envName(hc.id) },
      };
    files.push(
      yamlFile(`brands/${hc.id}.yaml`, brand, `Imported from Intercom help center ${hc.source.id}.`),
    );
  }
  return files;
}

function validHost(domain: string | null | undefined): string | undefined {
  return domain &&
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i.test(domain)
    ? domain
    : undefined;
}

/** `acme-developers` → `ACME_DEVELOPERS_JWT_SECRET`. */
function envName(brand: string): string {
  return `${brand.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_JWT_SECRET`;
}
