import { z } from '@hono/zod-openapi';
import { storableText } from '../../lib/validation';

export const ICONS = ['lightbulb', 'book', 'shopping-cart', 'briefcase', 'heart', 'clock'] as const;
export const MAX_CUSTOM_CATEGORIES = 50;

/** Letters, digits, `_` and `-` in any script: the client derives keys like `운동` and `side_project`. */
export const KEY_PATTERN = /^[\p{L}\p{N}_-]{1,40}$/u;

export const CustomCategoryBody = z
  .object({
    key: z.string().regex(KEY_PATTERN, '1–40 letters, digits, _ or -').optional().openapi({ description: 'Derived from the name when absent, as the client does (lowercased, spaces to `_`).', example: 'side_project' }),
    name: storableText().trim().min(1, 'Name must not be empty').max(40, 'Name has at most 40 characters').openapi({ example: 'Side project' }),
    description: storableText().max(500, 'Description has at most 500 characters').default('').openapi({ example: '사용자 정의 카테고리: Side project' }),
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
