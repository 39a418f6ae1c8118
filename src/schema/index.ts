import { builder } from './builder.js';
import './user.js';

/** Every type file above is imported for its side effects; the schema is built once here. */
export const schema = builder.toSchema({ sortSchema: true });
