import type { IntercomAdmin } from '../types.ts';
import type { PlannedFile } from '../write.ts';
import { yamlFile } from './files.ts';
import { Unique, asciiKey, reservedNames } from './ids.ts';
import { extensionOf, type ImageRequest } from './images.ts';
import { compare } from './order.ts';
import type { Body, PlacedArticle, Planning, Translation } from './types.ts';

/**
 * Authors and audiences. An author is an Intercom admin who wrote something imported: a key in
 * `authors.yaml` (kept across re-imports), with their name, job title and avatar. An audience is
 * Intercom's audience id as a key in `audiences.yaml`, its rules left to the team: Intercom's API
 * does not give them.
 */

interface Author {
  key: string;
  admin: IntercomAdmin;
  avatar?: ImageRequest | undefined;
}

/** Authors: the admins who wrote what is imported, named as they are first met. */
export class Authors {
  private readonly planning: Planning;
  private readonly admins: Map<string, IntercomAdmin>;
  private readonly names: Unique;
  /** Admin id → author. */
  private readonly byAdmin = new Map<string, Author>();

  constructor(admins: IntercomAdmin[], planning: Planning) {
    this.planning = planning;
    this.admins = new Map(admins.map((admin) => [String(admin.id), admin]));
    this.names = new Unique(reservedNames(planning.previous.authors, admins));
  }

  /** The `authors.yaml` key of the admin `authorId`, who wrote `file`; undefined for none or an unknown one. */
  keyOf(authorId: unknown, file: string): string | undefined {
    if (authorId === undefined || authorId === null || authorId === '') return undefined;
    const adminId = String(authorId);
    const known = this.byAdmin.get(adminId);
    if (known) return known.key;
    const admin = this.admins.get(adminId);
    if (!admin) {
      this.planning.warn(`${file}: author ${adminId} is not among the export's admins; no author written`);
      return undefined;
    }
    const key = this.names.take(
      this.planning.previous.authors[adminId],
      asciiKey(admin.name ?? '') || asciiKey((admin.email ?? '').split('@')[0] ?? '') || `admin-${adminId}`,
      adminId,
    );
    this.planning.ids.authors[adminId] = key;
    this.byAdmin.set(adminId, { key, admin });
    return key;
  }

  /** Avatars: saved beside authors.yaml. */
  wantAvatars(): void {
    for (const author of this.byAdmin.values()) {
      const url = author.admin.avatar;
      if (!url) continue;
      const path = `avatars/${author.key}.${extensionOf(url, ['png', 'jpg', 'jpeg', 'gif', 'webp', 'avif'])}`;
      author.avatar = this.planning.images.want(path, url, 'authors.yaml');
    }
  }

  /** `authors.yaml`, if anyone wrote anything, given the images saved as files. */
  files(saved: ReadonlySet<string>): PlannedFile[] {
    if (!this.byAdmin.size) return [];
    const data: Record<string, unknown> = {};
    for (const { key, admin, avatar } of [...this.byAdmin.values()].sort((x, y) => compare(x.key, y.key))) {
      const entry: Record<string, unknown> = { name: admin.name || admin.email || key };
      if (avatar && saved.has(avatar.path)) entry.avatar = `./${avatar.path}`;
      if (admin.job_title) entry.title = admin.job_title;
      data[key] = entry;
    }
    return [yamlFile('authors.yaml', data, 'Imported from Intercom: the admins who wrote the articles.')];
  }
}

/** Audiences: Intercom's ids, their rules left to the team (the API does not give them). */
export function audiencesOf(t: Translation, a: PlacedArticle): string[] {
  const own = t.content.audience_ids ?? (a.source['audience_ids'] as number[] | null | undefined) ?? [];
  return own.map((n) => `intercom-audience-${String(n)}`);
}

/** Every audience the bodies name, in key order, each said once to need its rules. */
export function planAudiences(bodies: Body[], planning: Planning): string[] {
  const keys = [...new Set(bodies.flatMap((b) => b.audiences))].sort(compare);
  for (const key of keys)
    planning.warn(
      `audiences.yaml: ${key} has no rules yet (Intercom's API does not expose audience rules); add them, or every signed-in customer belongs to it`,
    );
  return keys;
}

/** `audiences.yaml`, if any article names an audience. */
export function audienceFiles(keys: string[]): PlannedFile[] {
  if (!keys.length) return [];
  return [
    yamlFile(
      'audiences.yaml',
      Object.fromEntries(
        keys.map((key) => [
          key,
          { name: `Intercom audience ${key.slice('intercom-audience-'.length)}`, rules: [] },
        ]),
      ),
      "Imported from Intercom, whose API does not give audience rules: fill in each one's rules.",
    ),
  ];
}
