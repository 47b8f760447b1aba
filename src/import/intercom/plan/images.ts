import { compare } from './order.ts';

/**
 * The images the imported files show, and their file names. Each image is saved beside the file
 * that shows it: an article's as `<article id>-<n>.<ext>`, named once across its translations and
 * kept across re-imports; a collection's icon as `icon.<ext>`; an avatar under `avatars/`. Where an
 * image was not saved, the Markdown links its Intercom address instead.
 */

/** One image an imported file shows, to save beside it. */
export interface ImageRequest {
  /** Where it goes, relative to the content folder. */
  path: string;
  /** The address in the export (Intercom's CDN signs it: it changes from one export to the next). */
  url: string;
  /** The address without its query: the same image in the next export. */
  key: string;
  /** The files that show it (content-relative), for the report. */
  usedBy: string[];
}

/** Every image the plan wants saved, by path: two different images for one path keep the first. */
export class WantedImages {
  private readonly byPath = new Map<string, ImageRequest>();
  private readonly warn: (line: string) => void;

  constructor(warn: (line: string) => void) {
    this.warn = warn;
  }

  /** Asks for the image at `url` to be saved as `path`, shown by `file`; the request that path keeps. */
  want(path: string, url: string, file: string): ImageRequest {
    const key = withoutQuery(url);
    const known = this.byPath.get(path);
    if (known && known.key !== key)
      this.warn(`${file}: two images would be saved as ${path} (${known.url} and ${url}); the first is kept`);
    else if (known) known.usedBy.push(file);
    else this.byPath.set(path, { path, url, key, usedBy: [file] });
    return this.byPath.get(path)!;
  }

  /** The requests, by path. */
  list(): ImageRequest[] {
    return [...this.byPath.values()].sort((x, y) => compare(x.path, y.path));
  }
}

/** One name per image across an article's translations, the one it had last time if any. */
export class ImageNames {
  private readonly articleId: string;
  /** Address without query → name. */
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>();
  private next = 1;

  /** `previous`: the last import's images (path → address without signature). */
  constructor(articleId: string, folder: string, previous: Readonly<Record<string, string>>) {
    this.articleId = articleId;
    for (const [file, key] of Object.entries(previous)) {
      const name = file.slice(folder.length + 1);
      if (file.startsWith(`${folder}/`) && name.startsWith(`${articleId}-`) && !name.includes('/')) {
        this.names.set(key, name);
        this.taken.add(name);
      }
    }
  }

  /** The file name of the image at `url`, which the converter called `htmlName`. */
  nameFor(url: string, htmlName: string): string {
    const key = withoutQuery(url);
    let name = this.names.get(key);
    if (name === undefined) {
      const ext = htmlName.slice(htmlName.lastIndexOf('.'));
      while (this.taken.has(`${this.articleId}-${this.next}${ext}`)) this.next++;
      name = `${this.articleId}-${this.next}${ext}`;
      this.names.set(key, name);
      this.taken.add(name);
    }
    return name;
  }
}

/** Where the Markdown shows `./name`, the image's address instead (it was not saved). */
export function linkImage(markdown: string, name: string, url: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return markdown.replace(new RegExp(`\\./${escaped}(?=[)\\s"'>])`, 'g'), () =>
    url.replace(/[()\s]/g, encodeURIComponent),
  );
}

/** `./old` → `./new` for each image the converter named, in one pass (names may swap). */
export function renameImages(markdown: string, renamed: Map<string, string>): string {
  const changed = [...renamed].filter(([from, to]) => from !== to);
  if (!changed.length) return markdown;
  const pattern = changed.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return markdown.replace(
    new RegExp(`\\./(${pattern})(?=[)\\s"'>])`, 'g'),
    (_, from: string) => `./${renamed.get(from)!}`,
  );
}

/** A file extension from the address, if it is one of `allowed`, else the first of them. */
export function extensionOf(url: string, allowed: string[]): string {
  const ext = /\.([a-z0-9]+)$/i.exec(URL.parse(url)?.pathname ?? '')?.[1]?.toLowerCase();
  return ext && allowed.includes(ext) ? ext : allowed[0]!;
}

function withoutQuery(url: string): string {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.origin}${parsed.pathname}` : url.split(/[?#]/)[0]!;
}
