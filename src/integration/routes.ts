import { routeOf, type RouteKind } from '../routing/layout.ts';
import type { BrandSite, PageData } from '../routing/types.ts';
import { receiveHandoff } from './handoff.ts';

/** What a route hands the page it renders. */
export interface RouteProps {
  brand: BrandSite;
  page: PageData;
  /** Dev: content errors to show over the page. */
  problems: string[];
}

/** `getStaticPaths` of one of the two page routes: the pages of that kind, of every brand. */
export async function staticPaths(kind: RouteKind, param: string) {
  const handoff = receiveHandoff();
  const site = await handoff.site();
  return site.brands.flatMap((brand) =>
    brand.pages.flatMap((page) => {
      const route = routeOf(site.mode, handoff.shared?.treeOf(page) ?? brand.id, page);
      return route.kind === kind
        ? [
            {
              params: { [param]: route.param },
              props: { brand, page, problems: site.problems } satisfies RouteProps,
            },
          ]
        : [];
    }),
  );
}
