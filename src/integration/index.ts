import fs from 'node:fs';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import { mimeType } from '../output/mime.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { isBrandFileUrl, urls } from '../routing/layout.ts';
import type { SiteData } from '../routing/types.ts';
import { hasHandoff, receiveHandoff } from './handoff.ts';

/** The module the pages import their article images from (see `articleImagesModule`). */
export const IMAGES_MODULE = 'virtual:signpost/images';
const RESOLVED_IMAGES_MODULE = `\0${IMAGES_MODULE}`;

/**
 * Wires Astro to the site the CLI computed (see `handoff.ts`): a module that imports exactly the
 * article images the content loader resolved, so Astro's image pipeline optimises them; and in
 * dev, brand images served from the content folder and a reload when content or themes change.
 */
export default function signpost(): AstroIntegration {
  return {
    name: 'signpost',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        if (!hasHandoff()) return;
        const { content } = receiveHandoff();
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'signpost:images',
                resolveId: (id) => (id === IMAGES_MODULE ? RESOLVED_IMAGES_MODULE : undefined),
                load: async (id) =>
                  id === RESOLVED_IMAGES_MODULE
                    ? articleImagesModule(await receiveHandoff().site())
                    : undefined,
              },
            ],
            // The dev server reads files from the project, the content folder and its themes only.
            server: { fs: { strict: true, allow: [PROJECT_ROOT, content, themesBeside(content)] } },
          },
        });
      },
      'astro:server:setup': ({ server }) => {
        const handoff = receiveHandoff();
        const { content } = handoff;
        const onChange = (file: string) => {
          if (!file.startsWith(content) && !file.includes(`${path.sep}themes${path.sep}`)) return;
          handoff.invalidate();
          const images = server.environments.ssr?.moduleGraph.getModuleById(RESOLVED_IMAGES_MODULE);
          if (images) server.environments.ssr?.moduleGraph.invalidateModule(images);
          // Astro caches getStaticPaths per route; this is the event its own content layer sends
          // to clear that cache. Then the browser reloads the page.
          for (const environment of Object.values(server.environments))
            if (environment.name !== 'client') environment.hot.send('astro:content-changed', {});
          server.environments.client?.hot.send({ type: 'full-reload', path: '*' });
        };
        // Brand images are copied next to the pages by `build`; the dev server reads them in place,
        // and makes the generated ones (favicons, manifest) when a browser asks for them.
        server.middlewares.use((req, res, next) => {
          const url = decodeURIComponent(req.url?.split('?')[0] ?? '');
          if (!isBrandFileUrl(url) && url !== urls.favicon() && url !== urls.webManifest()) return next();
          handoff
            .site()
            .then(async (site) => {
              const make = site.brands[0]?.generated[url];
              const file = isBrandFileUrl(url) ? site.brands[0]?.files[url] : undefined;
              if (!make && !file) return next();
              res.setHeader('content-type', mimeType(url) ?? 'application/octet-stream');
              if (make) res.end(await make());
              else if (file) fs.createReadStream(file).pipe(res);
            })
            .catch(next);
        });
        server.watcher.add([content, themesBeside(content)]);
        server.watcher.on('change', onChange);
        server.watcher.on('add', onChange);
        server.watcher.on('unlink', onChange);
      },
    },
  };
}

/** Themes may sit beside the content folder as well as in the project. */
function themesBeside(content: string): string {
  return path.resolve(content, '..', 'themes');
}

/**
 * Source of the images module: one import per article image the site uses (absolute paths, so no
 * alias and no glob), exported by file. Astro turns each import into image metadata it can optimise.
 */
export function articleImagesModule(site: SiteData): string {
  const list = articleImages(site);
  const imports = list.map((file, i) => `import i${i} from ${JSON.stringify(file)};`).join('\n');
  const entries = list.map((file, i) => `[${JSON.stringify(file)}, i${i}]`).join(',');
  return `${imports}\nexport default new Map([${entries}]);\n`;
}

/** Every article image the pages of `site` show (absolute paths), sorted. */
export function articleImages(site: SiteData): string[] {
  const files = new Set<string>();
  for (const brand of site.brands)
    for (const page of brand.pages)
      if (page.kind === 'article') for (const image of page.images) files.add(image.file);
  return [...files].sort();
}
