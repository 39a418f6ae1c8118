import { builder } from './builder.js';
import './user.js';
import './group.js';
import './user-group.js';
import './roster.js';
import './lockout.js';
import './vcard.js';
import './chat-service.js';
import './chat-room.js';
import './room-affiliation.js';
import './room-occupant.js';
import './room-occupant-events.js';
import './user-room.js';
import './system-property.js';
import './session.js';
import './presence.js';
import './system.js';
import './clustering.js';
import './message.js';
import './security-log.js';
import './me.js';

/** Every type file above is imported for its side effects; the schema is built once here. */
export const schema = builder.toSchema({ sortSchema: true });
