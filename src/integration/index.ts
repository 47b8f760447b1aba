import fs from 'node:fs';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import { getSiteData, invalidateSiteData } from '../routing/store.ts';

const mime: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/** Vite alias under which article images are imported, so Astro's image pipeline can optimise them. */
export const CONTENT_ALIAS = '@signpost-content';

/**
 * Wires Astro to the content folder the CLI chose (`SIGNPOST_CONTENT`): an import alias for
 * article images, and in dev a watcher that reloads the page when content or themes change.
 */
export default function signpost(): AstroIntegration {
  const content = path.resolve(process.env.SIGNPOST_CONTENT ?? 'content');
  return {
    name: 'signpost',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({
          vite: {
            resolve: { alias: { [CONTENT_ALIAS]: content } },
            server: { fs: { allow: [content, path.resolve(content, '..')] } },
          },
        });
      },
      'astro:server:setup': ({ server }) => {
        const onChange = (file: string) => {
          if (!file.startsWith(content) && !file.includes(`${path.sep}themes${path.sep}`)) return;
          invalidateSiteData();
          // Astro caches getStaticPaths per route; this is the event its own content layer sends
          // to clear that cache. Then the browser reloads the page.
          for (const environment of Object.values(server.environments))
            if (environment.name !== 'client') environment.hot.send('astro:content-changed', {});
          server.environments.client?.hot.send({ type: 'full-reload', path: '*' });
        };
        // Brand images are copied next to the pages by `build`; the dev server reads them in place.
        server.middlewares.use((req, res, next) => {
          if (!req.url?.startsWith('/_brand/')) return next();
          getSiteData()
            .then((site) => {
              const file = site.brands[0]?.files[decodeURIComponent(req.url!.split('?')[0]!)];
              if (!file) return next();
              res.setHeader(
                'content-type',
                mime[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
              );
              fs.createReadStream(file).pipe(res);
            })
            .catch(next);
        });
        server.watcher.add([content, path.resolve(content, '../themes')]);
        server.watcher.on('change', onChange);
        server.watcher.on('add', onChange);
        server.watcher.on('unlink', onChange);
      },
    },
  };
}
