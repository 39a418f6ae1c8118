// A frontend on its own origin calling the gateway's /graphql as the signed-in end user: the token in the
// Authorization header, no cookie, no framework, no build step (README.md beside this file).

const TOKEN_KEY = 'self-service:token';

const ME = `query Me {
  me { username name email roster { jid nickname user { name } } }
}`;
const ADD_CONTACT = `mutation AddContact($input: AddMyContactInput!) {
  addMyContact(input: $input) { jid }
}`;
const REMOVE_CONTACT = `mutation RemoveContact($jid: String!) {
  deleteMyContact(jid: $jid) { jid }
}`;

// Live: the contacts' presence (only contacts whose presence the user may see) and who is in a room.
const PRESENCE = `subscription ContactsPresence {
  presence { username online presenceStatus presenceMessage }
}`;
const OCCUPANTS = `subscription RoomOccupants($room: String!) {
  roomOccupants(room: $room) { kind occupant { nickname role } }
}`;

const byId = (id) => document.getElementById(id);

/** The gateway refused the token (expired, revoked key…): the user has to sign in again. */
class SignedOut extends Error {}

/** Where the gateway is: `?gateway=` in the page's address, else what the example's server says. */
async function gatewayUrl() {
  const given = new URL(window.location.href).searchParams.get('gateway');
  if (given) return given;
  const response = await fetch('config.json');
  return (await response.json()).gatewayUrl;
}

/** The reason of a Bearer challenge (RFC 6750): `error_description="token expired"`. */
function challengeReason(header) {
  return /error_description="([^"]*)"/.exec(header ?? '')?.[1] ?? null;
}

async function graphql(endpoint, token, query, variables = {}) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  if (response.status === 401) {
    throw new SignedOut(challengeReason(response.headers.get('www-authenticate')) ?? 'the token was refused');
  }
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((error) => error.message).join(' '));
  return body.data;
}

/**
 * A subscription over Server-Sent Events (a POST asking for `text/event-stream`, so the token travels in a header):
 * calls `onData` with each result's data and `onError` with a failure's message. Returns what stops it.
 */
function subscribe(endpoint, token, query, variables, onData, onError) {
  const controller = new AbortController();
  const run = async () => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`the gateway answered ${response.status}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += value;
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        const lines = buffered.slice(0, end).split('\n');
        buffered = buffered.slice(end + 2);
        if (lines[0] !== 'event: next') continue;
        const data = lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5))
          .join('');
        const result = JSON.parse(data);
        if (result.errors?.length) onError(result.errors.map((error) => error.message).join(' '));
        else onData(result.data);
      }
    }
  };
  run().catch((error) => {
    if (error.name !== 'AbortError') onError(error.message);
  });
  return () => controller.abort();
}

/** How a contact's presence reads: "online", "away: at lunch", "offline". */
function presenceText(presence) {
  if (!presence?.online) return 'offline';
  const status = presence.presenceStatus && presence.presenceStatus !== 'Online' ? presence.presenceStatus : 'online';
  return presence.presenceMessage ? `${status.toLowerCase()}: ${presence.presenceMessage}` : status.toLowerCase();
}

function notify(text) {
  const notice = byId('notice');
  notice.textContent = text;
  notice.hidden = text === '';
}

function show(section) {
  byId('sign-in').hidden = section !== 'sign-in';
  byId('account').hidden = section !== 'account';
}

function renderAccount(me, presences, onRemove) {
  byId('name').textContent = me.name ?? me.username;
  byId('username').textContent = me.username;
  byId('email').textContent = me.email ?? '—';
  const list = byId('contacts');
  list.replaceChildren(
    ...me.roster.map((contact) => {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.className = 'contact';
      label.textContent = `${contact.nickname ?? contact.user?.name ?? contact.jid} · ${contact.jid}`;
      const presence = document.createElement('span');
      presence.className = 'presence';
      presence.dataset.username = contact.jid.split('@')[0];
      presence.textContent = presenceText(presences.get(presence.dataset.username));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${contact.jid}`);
      remove.addEventListener('click', () => onRemove(contact.jid));
      item.append(label, presence, remove);
      return item;
    }),
  );
}

async function main() {
  const endpoint = await gatewayUrl();
  // A token handed over in the address's fragment (never sent to a server) is taken, then removed from it.
  const fragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fragment) {
    sessionStorage.setItem(TOKEN_KEY, fragment);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }

  /** The contacts' presence as the subscription last told it, kept across re-renders of the list. */
  const presences = new Map();
  let stopPresence = null;
  let stopRoom = null;
  const stopLive = () => {
    stopPresence?.();
    stopRoom?.();
    stopPresence = stopRoom = null;
  };

  const signOut = (message) => {
    stopLive();
    presences.clear();
    sessionStorage.removeItem(TOKEN_KEY);
    notify(message);
    show('sign-in');
  };

  /** Runs a call as the signed-in user; a refused token sends them back to the sign-in form. */
  const run = async (query, variables) => {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) throw new SignedOut('not signed in');
    try {
      return await graphql(endpoint, token, query, variables);
    } catch (error) {
      if (!(error instanceof SignedOut)) throw error;
      signOut(
        error.message === 'token expired'
          ? 'Your session has expired. Please sign in again.'
          : `Please sign in again (${error.message}).`,
      );
      return null;
    }
  };

  const refresh = async () => {
    const data = await run(ME);
    if (data === null) return;
    if (data.me === null) return signOut('This token does not belong to an end user.');
    renderAccount(data.me, presences, removeContact);
    show('account');
    stopPresence ??= subscribe(
      endpoint,
      sessionStorage.getItem(TOKEN_KEY),
      PRESENCE,
      {},
      ({ presence }) => {
        presences.set(presence.username, presence);
        for (const element of document.querySelectorAll('#contacts .presence')) {
          if (element.dataset.username === presence.username) element.textContent = presenceText(presence);
        }
      },
      (message) => notify(`Presence: ${message}`),
    );
  };

  /** Lists who is in a room, live: the current occupants first, then who joins and leaves. */
  const watchRoom = (room) => {
    stopRoom?.();
    const occupants = new Map();
    const list = byId('occupants');
    const render = () =>
      list.replaceChildren(
        ...[...occupants.values()].map((occupant) => {
          const item = document.createElement('li');
          item.textContent = `${occupant.nickname} (${occupant.role})`;
          return item;
        }),
      );
    render();
    byId('room-name').textContent = room;
    stopRoom = subscribe(
      endpoint,
      sessionStorage.getItem(TOKEN_KEY),
      OCCUPANTS,
      { room },
      ({ roomOccupants: { kind, occupant } }) => {
        if (kind === 'LEFT') occupants.delete(occupant.nickname);
        else occupants.set(occupant.nickname, occupant);
        render();
      },
      (message) => notify(`Room ${room}: ${message}`),
    );
  };

  /** Reports what failed without leaving the page. */
  const attempt = (action) => action().catch((error) => notify(error.message));

  const removeContact = (jid) =>
    attempt(async () => {
      if ((await run(REMOVE_CONTACT, { jid })) === null) return;
      notify(`${jid} was removed.`);
      await refresh();
    });

  byId('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, byId('token').value.trim());
    byId('token').value = '';
    notify('');
    attempt(refresh);
  });
  byId('sign-out').addEventListener('click', () => signOut('You are signed out.'));
  byId('watch-room').addEventListener('submit', (event) => {
    event.preventDefault();
    const room = event.currentTarget.room.value.trim();
    if (room) watchRoom(room);
  });
  byId('add-contact').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const input = { jid: form.jid.value.trim(), nickname: form.nickname.value.trim() || null };
    attempt(async () => {
      if ((await run(ADD_CONTACT, { input })) === null) return;
      form.reset();
      notify(`${input.jid} was added.`);
      await refresh();
    });
  });

  if (sessionStorage.getItem(TOKEN_KEY)) await attempt(refresh);
  else show('sign-in');
}

main().catch((error) => notify(`The page could not start: ${error.message}`));
