import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { firstIllFormed } from '../../common/unicode.js';

const illFormed = (where: string) =>
  createGraphQLError(`${where} is not well-formed Unicode (it holds a lone surrogate)`, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });

/**
 * Refuses a request holding a string that is not well-formed Unicode (a lone surrogate) in its document, operation
 * name, variables or extensions, before anything runs: such a name could be sent in a body yet never in a path,
 * leaving an object no one can read or delete. (A `"\uD800"` escape in the document is refused by graphql-js's own
 * lexer.)
 */
export function useWellFormedInput(): Plugin {
  return {
    onParams({ params }) {
      const where = firstIllFormed(params);
      if (where !== null) throw illFormed(`"${where}"`);
    },
  };
}
