/**
 * A circuit breaker for one Openfire: after `failures` transport failures in a row (within `windowMs`) calls fail at
 * once instead of piling up behind a dead server; after `coolDownMs` one call goes through as a probe (half-open)
 * and its success closes the circuit again. What counts as a failure is the client's decision (see client.ts).
 */
export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failures?: number;
  /** The failures must fall within this span; an older run starts over. */
  readonly windowMs?: number;
  /** How long the circuit stays open before one probe call may go through. */
  readonly coolDownMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_BREAKER = { failures: 5, windowMs: 10_000, coolDownMs: 5_000 } as const;

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Handed out by `admit`; the outcome of a probe decides the half-open circuit. */
export interface Ticket {
  readonly probe: boolean;
}

/** Why a call was refused unsent: the circuit is open, or a probe is already under way. */
export interface Refusal {
  readonly failures: number;
  /** Epoch ms at which a call may go through again. */
  readonly retryAt: number;
}

export interface CircuitBreaker {
  /** A ticket for a call that may be sent, or the refusal; `force` (readiness probes, undo steps) is never refused. */
  admit(force?: boolean): Ticket | Refusal;
  /** Openfire answered (any HTTP answer that is not a gateway failure). */
  succeeded(ticket: Ticket): void;
  /** Openfire could not be reached, timed out, or a proxy said it is down (502/503/504). */
  failed(ticket: Ticket): void;
  /** The call ended without telling anything about Openfire (the caller gave up). */
  abandoned(ticket: Ticket): void;
  state(): BreakerState;
}

const CALL: Ticket = { probe: false };
const PROBE: Ticket = { probe: true };

export const isRefusal = (admitted: Ticket | Refusal): admitted is Refusal => 'retryAt' in admitted;

export function createBreaker(options: BreakerOptions = {}): CircuitBreaker {
  const threshold = options.failures ?? DEFAULT_BREAKER.failures;
  const windowMs = options.windowMs ?? DEFAULT_BREAKER.windowMs;
  const coolDownMs = options.coolDownMs ?? DEFAULT_BREAKER.coolDownMs;
  const now = options.now ?? Date.now;
  let state: BreakerState = 'closed';
  let run = 0;
  let runStartedAt = 0;
  let openUntil = 0;
  let probing = false;

  const open = (): void => {
    state = 'open';
    openUntil = now() + coolDownMs;
    probing = false;
  };

  return {
    admit(force = false) {
      if (force || state === 'closed') return CALL;
      if (state === 'open' && now() >= openUntil) state = 'half-open';
      if (state === 'half-open' && !probing) {
        probing = true;
        return PROBE;
      }
      return { failures: run, retryAt: Math.max(openUntil, now()) };
    },
    succeeded() {
      state = 'closed';
      run = 0;
      probing = false;
    },
    failed(ticket) {
      if (state !== 'closed') {
        if (ticket.probe) {
          run++;
          open();
        }
        return;
      }
      const t = now();
      if (run === 0 || t - runStartedAt > windowMs) {
        run = 0;
        runStartedAt = t;
      }
      run++;
      if (run >= threshold) open();
    },
    abandoned(ticket) {
      if (ticket.probe) probing = false;
    },
    state: () => (state === 'open' && now() >= openUntil ? 'half-open' : state),
  };
}
