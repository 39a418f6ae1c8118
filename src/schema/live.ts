import { createGraphQLError } from 'graphql-yoga';
import { SubscriptionLimitError, type Topic } from '../live/hub.js';
import type { View } from '../live/poller.js';
import { type Closing, Failed, Lagging } from '../live/queue.js';
import { UpstreamError } from '../upstream/errors.js';
import type { Context } from './context.js';
import { toGraphQLError } from './errors.js';

/**
 * How subscription fields open their streams. Payload types carry only what the poll read (no relations), so an event
 * costs no upstream call per subscriber: a thousand subscribers cost what one does.
 */

const limitError = (setting: string, message: string) =>
  createGraphQLError(message, { extensions: { code: 'SUBSCRIPTION_LIMIT', setting } });

/** Opens a subscription for the request's caller; a limit refuses it with `SUBSCRIPTION_LIMIT` and the setting. */
export async function stream<S, E>(
  ctx: Context,
  topic: Topic<S>,
  view: View<S, E>,
): Promise<AsyncIterable<E | Closing>> {
  try {
    return await ctx.live.subscribe(topic, view);
  } catch (error) {
    if (error instanceof SubscriptionLimitError) throw limitError(error.setting, error.message);
    throw error;
  }
}

/**
 * A subscription field's `resolve`: the event itself, or the error that ends the stream: the subscriber fell behind,
 * or Openfire refused the credential the topic is polled with.
 */
export function delivered<E>(event: E | Closing): E {
  if (event instanceof Failed) {
    throw event.error instanceof UpstreamError ? toGraphQLError(event.error) : event.error;
  }
  if (event instanceof Lagging) {
    throw limitError(
      'SUBSCRIPTION_BUFFER',
      `This subscriber fell ${event.capacity} events behind (SUBSCRIPTION_BUFFER) and was dropped; subscribe again.`,
    );
  }
  return event;
}
