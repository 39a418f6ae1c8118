import type { AuthMode } from '../auth/identify.js';
import { type AssetName, graphiqlAssets } from './graphiql-assets.js';
import { CSRF_HEADER } from './plugins/use-csrf.js';

/**
 * `AppDeps.graphiql`: `false` turns GraphiQL off. `defaultHeaders` pre-fill the headers of every tab but "Me", whose
 * headers are `userHeaders` (an end user's token: embedded mode's demo token for jane).
 */
export type GraphiQLOption =
  | false
  | {
      readonly defaultHeaders?: Readonly<Record<string, string>>;
      readonly userHeaders?: Readonly<Record<string, string>>;
    };

const credentialHint: Record<AuthMode['kind'], string> = {
  passthrough:
    '# Put your Openfire credential in the Headers tab below, e.g.\n' +
    '# {"Authorization": "<REST API secret>"} or {"Authorization": "Basic <base64 of user:password>"}\n',
  keys: '# Put your API key in the Headers tab below:\n# {"Authorization": "Bearer <key>"}\n',
};

const userHint = '# Put an end user\'s token in the Headers tab below:\n# {"Authorization": "Bearer <token>"}\n';

/** The tabs GraphiQL opens with; the first one runs as is on any Openfire (and on the emulator's seeds). */
export const exampleOperations = [
  `query UsersWithGroupsAndRosters {
  users(first: 10) {
    totalCount
    nodes {
      username
      name
      email
      online
      groups { name }
      roster { jid nickname subscription user { name } }
    }
  }
}
`,
  `query RoomsWithOwnersAndOccupants($service: String = "conference") {
  chatRooms(service: $service, type: ALL, first: 10) {
    totalCount
    nodes {
      jid
      naturalName
      subject
      owners { jid user { username name } }
      occupants { nickname role user { username } }
    }
  }
}
`,
  `# Creates a room owned by john with jane as a member; DeleteStandup removes it again.
mutation CreateStandup {
  createChatRoom(input: { roomName: "standup", naturalName: "Daily stand-up", owners: ["john"], members: ["jane"] }) {
    jid
    owners { jid user { name } }
    members { jid user { name } }
  }
}

mutation DeleteStandup {
  deleteChatRoom(name: "standup")
}
`,
  `# Live: sessions starting, changing and ending, first those open now (the embedded emulator simulates clients).
subscription LiveSessions {
  sessionEvents(current: true) {
    kind
    session { username resource presenceStatus presenceMessage }
  }
}
`,
  `# The signed-in end user: their own account, roster and groups.
query Me {
  me {
    username
    name
    email
    roster { jid nickname subscription user { name } }
    groups { name }
  }
}
`,
] as const;

/** The tab that runs as an end user, with `userHeaders`. */
const ME_TAB = exampleOperations.length - 1;

/** JSON inside an HTML data block: `<` escaped so no value can close the script element. */
const htmlJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function page(
  url: (name: AssetName) => string,
  options: Exclude<GraphiQLOption, false>,
  auth: AuthMode['kind'],
): string {
  const headers = options.defaultHeaders ? JSON.stringify(options.defaultHeaders, null, 2) : undefined;
  const userHeaders = options.userHeaders ? JSON.stringify(options.userHeaders, null, 2) : undefined;
  const hint = headers ? '# The Headers tab below holds a credential to use.\n' : credentialHint[auth];
  const tab = (query: string, i: number) => {
    if (i === ME_TAB) return { query: userHeaders ? query : userHint + query, headers: userHeaders };
    return { query: i === 0 ? hint + query : query, headers };
  };
  const config = {
    // Monaco's worker labels → URLs (boot.js hands them to Monaco).
    workers: {
      editorWorkerService: url('editor.worker.js'),
      json: url('json.worker.js'),
      graphql: url('graphql.worker.js'),
    },
    // The headers the page hands out, in a fixed order; boot.js refreshes stored tabs still holding older ones.
    handedHeaders: [headers ?? null, userHeaders ?? null],
    options: {
      title: 'Openfire gateway',
      defaultHeaders: headers,
      defaultTabs: exampleOperations.map(tab),
      defaultEditorToolsVisibility: 'headers',
      // Sent with every request, so GET queries pass CSRF prevention too (JSON POSTs need nothing).
      additionalHeaders: { [CSRF_HEADER]: 'graphiql' },
      // A credential typed in is not left in the browser's storage; one the page already holds may be.
      shouldPersistHeaders: headers !== undefined,
    },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Openfire gateway · GraphiQL</title>
<link rel="icon" href="${url('favicon.ico')}">
<link rel="stylesheet" href="${url('graphiql.css')}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script type="application/json" id="graphiql-config">${htmlJson(config)}</script>
<script src="${url('boot.js')}"></script>
<script src="${url('graphiql.js')}"></script>
</body>
</html>
`;
}

/** Same-origin everything: an injected or mistaken external load fails in the browser too. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  // React and Monaco set inline styles; the stylesheet embeds its fonts and images as data URIs.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * GraphiQL: the page at `GET /graphql` when a browser asks for HTML (as yoga decides), its assets under
 * `/graphiql/`. Returns undefined for every other request. Asset URLs are relative, so a path prefix added by a
 * reverse proxy keeps working.
 */
export function createGraphiQL(
  options: Exclude<GraphiQLOption, false>,
  auth: AuthMode['kind'],
): (request: Request, pathname: string) => Promise<Response> | undefined {
  let html: Promise<string> | undefined;
  return (request, pathname) => {
    const read = request.method === 'GET' || request.method === 'HEAD';
    if (read && pathname.startsWith('/graphiql/')) {
      return graphiqlAssets().then((assets) => assets.serve(request, pathname.slice('/graphiql/'.length)));
    }
    const wantsPage =
      pathname === '/graphql' && request.method === 'GET' && request.headers.get('accept')?.includes('text/html');
    if (!wantsPage) return undefined;
    html ??= graphiqlAssets().then((assets) => page(assets.path, options, auth));
    return html.then(
      (body) =>
        new Response(body, {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            // The page may carry a credential and names the current asset hashes.
            'cache-control': 'no-store',
            vary: 'Accept',
            'content-security-policy': contentSecurityPolicy,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
          },
        }),
    );
  };
}
