import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';

const t = useEmulator();
const JSON_ACCEPT = { accept: 'application/json' };
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

describe('GET /chatservices', () => {
  it('lists the default conference service as XML without an Accept header', async () => {
    const res = await t.api('GET', '/chatservices');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(res.text).toBe(
      `${XML}<chatServices><chatService><serviceName>conference</serviceName><description>Public Chatrooms</description><hidden>false</hidden></chatService></chatServices>`,
    );
  });

  it('lists services under the singular chatService key in JSON', async () => {
    const res = await t.api('GET', '/chatservices', JSON_ACCEPT);
    expect(res.text).toBe(
      '{"chatService":[{"serviceName":"conference","description":"Public Chatrooms","hidden":false}]}',
    );
  });
});

describe('POST /chatservices', () => {
  it('creates a service from an XML body and answers 201 with an empty body', async () => {
    const body =
      '<chatService><serviceName>events</serviceName><description>Events</description><hidden>true</hidden></chatService>';
    const res = await t.api('POST', '/chatservices', { body });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    const list = await t.api('GET', '/chatservices', JSON_ACCEPT);
    expect(list.json().chatService).toContainEqual({ serviceName: 'events', description: 'Events', hidden: true });
  });

  it('creates a service from a JSON body, omitting an absent description and defaulting hidden to false', async () => {
    expect((await t.api('POST', '/chatservices', { body: { serviceName: 'games' } })).status).toBe(201);
    const list = await t.api('GET', '/chatservices', JSON_ACCEPT);
    expect(list.json().chatService).toContainEqual({ serviceName: 'games', hidden: false });
  });

  it('answers 409 AlreadyExistsException as XML when the service exists', async () => {
    const body = '<chatService><serviceName>conference</serviceName></chatService>';
    const res = await t.api('POST', '/chatservices', { body });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      `${XML}<error><exception>AlreadyExistsException</exception><message>Could not create the chat service</message><resource>conference</resource></error>`,
    );
  });

  it('answers 409 AlreadyExistsException as JSON when the body is JSON', async () => {
    const res = await t.api('POST', '/chatservices', { body: { serviceName: 'conference' } });
    expect(res.status).toBe(409);
    expect(res.text).toBe(
      '{"resource":"conference","message":"Could not create the chat service","exception":"AlreadyExistsException"}',
    );
  });

  it('fails with an unmapped 500 when the service name is missing', async () => {
    const res = await t.api('POST', '/chatservices', { body: { description: 'x' }, ...JSON_ACCEPT });
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ message: 'Request failed.', status: '500' });
  });

  it('fails with an unmapped 500 when the subdomain is invalid', async () => {
    const res = await t.api('POST', '/chatservices', {
      body: '<chatService><serviceName>bad name</serviceName></chatService>',
    });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect((await t.api('GET', '/chatservices', JSON_ACCEPT)).json().chatService).toHaveLength(1);
  });
});
