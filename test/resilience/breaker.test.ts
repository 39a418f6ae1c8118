import { describe, expect, it } from 'vitest';
import { type CircuitBreaker, createBreaker, isRefusal, type Ticket } from '../../src/upstream/breaker.js';

function clocked(options: { failures?: number; windowMs?: number; coolDownMs?: number } = {}) {
  const clock = { now: 0 };
  const breaker = createBreaker({ failures: 3, windowMs: 1_000, coolDownMs: 500, ...options, now: () => clock.now });
  return { clock, breaker };
}

const ticket = (breaker: CircuitBreaker): Ticket => {
  const admitted = breaker.admit();
  if (isRefusal(admitted)) throw new Error('refused');
  return admitted;
};

const fail = (breaker: CircuitBreaker, times: number): void => {
  for (let i = 0; i < times; i++) breaker.failed(ticket(breaker));
};

describe('the circuit breaker', () => {
  it('opens after the configured number of consecutive failures and refuses until the cool-down ends', () => {
    const { clock, breaker } = clocked();
    fail(breaker, 2);
    expect(breaker.state()).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state()).toBe('open');
    expect(breaker.admit()).toEqual({ failures: 3, retryAt: 500 });
    clock.now = 499;
    expect(isRefusal(breaker.admit())).toBe(true);
  });

  it('counts only failures in a row within the window', () => {
    const { clock, breaker } = clocked();
    fail(breaker, 2);
    breaker.succeeded(ticket(breaker));
    fail(breaker, 2);
    expect(breaker.state()).toBe('closed');
    clock.now = 1_001;
    fail(breaker, 1);
    expect(breaker.state()).toBe('closed');
    fail(breaker, 2);
    expect(breaker.state()).toBe('open');
  });

  it('lets one probe through after the cool-down; its success closes the circuit', () => {
    const { clock, breaker } = clocked();
    fail(breaker, 3);
    clock.now = 500;
    expect(breaker.state()).toBe('half-open');
    const probe = ticket(breaker);
    expect(probe.probe).toBe(true);
    expect(isRefusal(breaker.admit())).toBe(true);
    breaker.succeeded(probe);
    expect(breaker.state()).toBe('closed');
    expect(ticket(breaker).probe).toBe(false);
  });

  it('opens again for another cool-down when the probe fails', () => {
    const { clock, breaker } = clocked();
    fail(breaker, 3);
    clock.now = 600;
    breaker.failed(ticket(breaker));
    expect(breaker.state()).toBe('open');
    expect(breaker.admit()).toEqual({ failures: 4, retryAt: 1_100 });
  });

  it('frees the probe slot when the probe is abandoned by its caller', () => {
    const { clock, breaker } = clocked();
    fail(breaker, 3);
    clock.now = 500;
    breaker.abandoned(ticket(breaker));
    expect(ticket(breaker).probe).toBe(true);
  });

  it('ignores late failures of calls sent before it opened, and admits forced calls (readiness probes) while open', () => {
    const { breaker } = clocked();
    const late = ticket(breaker);
    fail(breaker, 3);
    breaker.failed(late);
    expect(breaker.admit()).toEqual({ failures: 3, retryAt: 500 });
    const forced = breaker.admit(true);
    expect(isRefusal(forced)).toBe(false);
    breaker.succeeded(forced as Ticket);
    expect(breaker.state()).toBe('closed');
  });
});
