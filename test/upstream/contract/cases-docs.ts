import { expect, it } from 'vitest';
import { rejects, unauthorized } from './assertions.js';
import type { Contract } from './target.js';

/** openfire-rest-api.md §5.14: the legacy endpoint as the typed client reaches it, and the OpenAPI documents. */
export function docsCases({ client, cases }: Contract): void {
  // The client sends no `secret` parameter, so the endpoint answers 200 `<error>RequestNotAuthorised</error>` and
  // changes nothing; its replies are not decoded (the legacy facade speaks to it on its own).
  for (const route of ['GET /userservice', 'POST /userservice'] as const) {
    cases(route, () => {
      it('resolves without a result', async () => {
        expect(await client.call(route, {})).toBeUndefined();
      });
    });
  }

  cases('GET /openapi.yaml', () => {
    it('returns the YAML document as text', async () => {
      const yaml = await client.call('GET /openapi.yaml', {});
      expect(yaml).toMatch(/^openapi: /m);
      expect(yaml).toContain('title: Openfire REST API');
    });
  });

  cases('GET /openapi.json', () => {
    it('returns the JSON document as text', async () => {
      const document = JSON.parse(await client.call('GET /openapi.json', {})) as { info: { title: string } };
      expect(document.info.title).toBe('Openfire REST API');
    });

    it('fails with UNAUTHORIZED for a wrong credential, unlike the YAML document', async () => {
      await rejects(client.call('GET /openapi.json', {}, { authorization: 'not-the-secret' }), unauthorized(null));
    });
  });
}
