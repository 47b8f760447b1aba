/** Every schema, by the file kind it validates. */
export { articleSchema, type ArticleFrontMatter } from './article.ts';
export { audiencesSchema, type Audience } from './audiences.ts';
export { authorsSchema, type Author } from './authors.ts';
export { brandSchema, type BrandConfig, type HomeSection } from './brand.ts';
export { collectionSchema, folderSchema, type CollectionConfig, type FolderConfig } from './collection.ts';
export { directionOf, type AiFlags, type LocalizedText } from './common.ts';
export { themeSchema, type Theme } from './theme.ts';
export { workspaceSchema, type Workspace } from './workspace.ts';
