import type { RouteKey } from '../../upstream/routes.js';
import type { Handler } from '../http/types.js';
import { affiliationHandlers } from './affiliations.js';
import { chatRoomHandlers } from './chat-rooms.js';
import { chatServiceHandlers } from './chat-services.js';
import { clusteringHandlers } from './clustering.js';
import { groupHandlers } from './groups.js';
import { healthHandlers } from './health.js';
import { lockoutHandlers } from './lockouts.js';
import { messageHandlers } from './messages.js';
import { openapiHandlers } from './openapi.js';
import { roomOccupantHandlers } from './room-occupants.js';
import { rosterHandlers } from './roster.js';
import { sessionHandlers } from './sessions.js';
import { systemPropertyHandlers } from './system-properties.js';
import { userGroupHandlers } from './user-groups.js';
import { userHandlers } from './users.js';
import { userServiceHandlers } from './userservice.js';
import { vcardHandlers } from './vcard.js';

/** One resource method per route of the shared table; a missing one is a type error. */
export const handlers: Readonly<Record<RouteKey, Handler>> = {
  ...userHandlers,
  ...userGroupHandlers,
  ...lockoutHandlers,
  ...rosterHandlers,
  ...vcardHandlers,
  ...groupHandlers,
  ...chatServiceHandlers,
  ...chatRoomHandlers,
  ...roomOccupantHandlers,
  ...affiliationHandlers,
  ...systemPropertyHandlers,
  ...healthHandlers,
  ...clusteringHandlers,
  ...sessionHandlers,
  ...messageHandlers,
  ...userServiceHandlers,
  ...openapiHandlers,
};
