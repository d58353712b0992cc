import { createRoute } from '@hono/zod-openapi';
import { authenticate, requireAuth } from '../auth';
import { jsonBody, jsonRequest, problemResponses } from '../../http/openapi';
import { CategoryDeletedSchema, CategoryIdParams, CategoryOverviewSchema, CustomCategoryBody, CustomCategoryListSchema, CustomCategorySchema, MAX_CUSTOM_CATEGORIES } from './schemas';

const tags = ['categories'];
/** Category writes count against the per-user `categories` write limit, in the auth check's round trip. */
const categoryWrite = authenticate({ writeLimit: 'categories' });
const WRITE_RULES = `A key the user already has, or a built-in key, is 409; past ${MAX_CUSTOM_CATEGORIES} categories, 422 on body.name.`;

export const listCategories = createRoute({
  method: 'get',
  path: '/categories',
  tags,
  summary: 'Built-in and custom categories, each with the caller’s memo count (one Neon call)',
  middleware: [requireAuth] as const,
  responses: { 200: jsonBody(CategoryOverviewSchema), ...problemResponses('unauthorized') },
});

export const listCustom = createRoute({
  method: 'get',
  path: '/categories/custom',
  tags,
  summary: 'The caller’s custom categories, oldest first',
  middleware: [requireAuth] as const,
  responses: { 200: jsonBody(CustomCategoryListSchema), ...problemResponses('unauthorized') },
});

export const createCustom = createRoute({
  method: 'post',
  path: '/categories/custom',
  tags,
  summary: 'Create a custom category',
  description: WRITE_RULES,
  middleware: [categoryWrite] as const,
  request: jsonRequest(CustomCategoryBody),
  responses: { 200: jsonBody(CustomCategorySchema), ...problemResponses('unauthorized', 'rate_limited', 'conflict', 'validation_failed') },
});

export const updateCustom = createRoute({
  method: 'put',
  path: '/categories/custom/{id}',
  tags,
  summary: 'Update a custom category; a new key moves its memos with it',
  description: WRITE_RULES,
  middleware: [categoryWrite] as const,
  request: { params: CategoryIdParams, ...jsonRequest(CustomCategoryBody) },
  responses: { 200: jsonBody(CustomCategorySchema), ...problemResponses('unauthorized', 'rate_limited', 'not_found', 'conflict', 'validation_failed') },
});

export const deleteCustom = createRoute({
  method: 'delete',
  path: '/categories/custom/{id}',
  tags,
  summary: 'Delete a custom category; its memos move to uncategorized and are classified again',
  middleware: [categoryWrite] as const,
  request: { params: CategoryIdParams },
  responses: { 200: jsonBody(CategoryDeletedSchema), ...problemResponses('unauthorized', 'rate_limited', 'not_found') },
});
