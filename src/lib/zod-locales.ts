/**
 * Stands in for zod's `locales` namespace in the bundle (wrangler.toml [alias]): zod exports every
 * language's messages from its index, about 370 KB the Worker never uses, since errors are
 * answered in English. English is the one locale zod itself registers, and the only one kept.
 */
export { default as en } from 'zod/v4/locales/en.js';
