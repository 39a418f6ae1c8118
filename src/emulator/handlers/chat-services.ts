import type { RouteKey } from '../../upstream/routes.js';
import { conflict, UnmappedError } from '../errors.js';
import { empty, entity, type Handler } from '../http/types.js';
import { createService } from './muc.js';

/** openfire-rest-api.md §7.7: list and create MUC services. */
export const chatServiceHandlers = {
  'GET /chatservices': (_req, { store }) =>
    entity('chatServices', {
      chatService: [...store.state.services.values()].map(({ serviceName, description, hidden }) => ({
        serviceName,
        description,
        hidden,
      })),
    }),

  'POST /chatservices': (req, { store }) => {
    const name = req.body?.serviceName;
    if (typeof name !== 'string') throw new UnmappedError('serviceName is null');
    // Openfire looks the subdomain up by its exact name (case-sensitive on the embedded database).
    if (store.state.services.has(name))
      throw conflict('AlreadyExistsException', 'Could not create the chat service', name);
    const description = req.body?.description;
    createService(store, name, typeof description === 'string' ? description : null, req.body?.hidden === true);
    return empty(201);
  },
} satisfies Partial<Record<RouteKey, Handler>>;
