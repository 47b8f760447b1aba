/** The article images the site uses, by absolute file (see `articleImagesModule`). */
declare module 'virtual:signpost/images' {
  import type { ImageMetadata } from 'astro';

  const images: Map<string, ImageMetadata>;
  export default images;
}
