import { z } from '@hono/zod-openapi';

export const ICONS = ['lightbulb', 'book', 'shopping-cart', 'briefcase', 'heart', 'clock'] as const;
export const MAX_CUSTOM_CATEGORIES = 50;

/**
 * 1–40 characters, none of them whitespace, a control character or ASCII punctuation but `_` and `-`:
 * the client derives keys like `운동` and `side_project` from names in any script. Written without
 * flags or `\p{…}` classes (which need the `u` flag): /openapi.json publishes the pattern's source
 * alone, and it must mean the same to every client generator and validator that reads it.
 */
export const KEY_PATTERN = /^[^\s\u0000-\u002c\u002e\u002f\u003a-\u0040\u005b-\u005e\u0060\u007b-\u007f]{1,40}$/;
export const KEY_RULE = '1–40 characters without spaces or punctuation other than _ and -';

export const CustomCategoryBody = z
  .object({
    key: z.string().regex(KEY_PATTERN, KEY_RULE).optional().openapi({ description: 'Derived from the name when absent, as the client does (lowercased, spaces to `_`).', example: 'side_project' }),
    name: z.string().trim().min(1, 'Name must not be empty').max(40, 'Name has at most 40 characters').openapi({ example: 'Side project' }),
    description: z.string().max(500, 'Description has at most 500 characters').default('').openapi({ example: '사용자 정의 카테고리: Side project' }),
    icon: z.enum(ICONS).openapi({ example: 'lightbulb' }),
    color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'Expected #RRGGBB').openapi({ example: '#F59E0B' }),
  })
  .openapi('CustomCategoryBody');

export const CustomCategorySchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    description: z.string(),
    icon: z.string(),
    color: z.string(),
    user_id: z.string(),
    created_at: z.string().openapi({ example: '2025-08-13T10:00:00.123Z' }),
    updated_at: z.string().openapi({ example: '2025-08-13T10:00:00.123Z' }),
  })
  .openapi('CustomCategory');

export type CustomCategoryResponse = z.infer<typeof CustomCategorySchema>;

export const CustomCategoryListSchema = z.object({ categories: z.array(CustomCategorySchema) }).openapi('CustomCategoryList');

export const CategoryCountSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    builtin: z.boolean(),
    icon: z.string().nullable(),
    color: z.string().nullable(),
    memo_count: z.number().int(),
  })
  .openapi('CategoryCount');

export const CategoryOverviewSchema = z
  .object({
    categories: z.array(CategoryCountSchema).openapi({ description: 'Built-in keys (uncategorized last among them), then custom ones oldest first.' }),
    no_category_count: z.number().int().openapi({ description: 'Memos the classifier found no category for (shown as 카테고리 없음).' }),
  })
  .openapi('CategoryOverview');

export const CategoryIdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });
export const CategoryDeletedSchema = z.object({ message: z.literal('category deleted successfully') }).openapi('CategoryDeleted');
