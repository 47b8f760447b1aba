import { z } from 'zod';
import { relativePath } from './common.ts';

/** One author in `content/authors.yaml`, keyed by the id articles name in `author:`. */
export const authorSchema = z.strictObject({
  /** Name shown on articles. Example: `Jane Doe`. */
  name: z.string().min(1),
  /** Avatar image, relative to `authors.yaml`. Example: `./avatars/jane.png`. */
  avatar: relativePath.optional(),
  /** Job title shown under the name. Example: `Support lead`. */
  title: z.string().optional(),
});

/** Key pattern shared by authors and audiences: lower-case letters, digits and dashes. */
export const keyName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'expected a key of lower-case letters, digits, - and _' });

/** `content/authors.yaml`: `<key>: { name, avatar?, title? }`. */
export const authorsSchema = z.record(keyName, authorSchema);
export type Author = z.infer<typeof authorSchema>;
