import path from 'node:path';

/** Content types of the files a site serves that Signpost writes or copies (brand images, feeds). */
const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** The content type of a file by its extension, or undefined when it is not one we know. */
export function mimeType(file: string): string | undefined {
  return TYPES[path.extname(file).toLowerCase()];
}
