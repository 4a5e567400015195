// A real OpenID provider on loopback for the OpenID Connect tests: the certified `oidc-provider`
// package (pinned in package.json / package-lock.json), not a mock. Started by scripts/oidc-provider.
//
// One Node process serves two issuers on 127.0.0.1:$GNV_OIDC_PORT (default 55480):
//   /idp             the test provider, clock right
//   /idp-sen-klocka  the same provider software whose clock runs 10 minutes behind (every
//                    `Date.now()` inside its requests is shifted), so the ID tokens it issues have
//                    already expired when GNV-uppföljning receives them: the expired-token test.
//   /idp-rotera      like /idp; `POST /idp-rotera/gnv-test/rotera` restarts it with new signing
//                    keys: the key-rotation test.
// Both sign with RSA keys generated at start (RS256) and publish them at their JWKS endpoint.
//
// Clients register themselves (open dynamic client registration at /reg, loopback only), so each
// test server registers its own redirect URI on its random port. A registered client also answers
// under its id followed by `-alias`: the provider then issues ID tokens for the client's real id
// (audience) to a relying party configured with the alias id. That is the wrong-audience test.
//
// Test users (user name / password → claims): see USERS below. The log-in and consent pages are
// this script's own small Swedish forms (the package's development pages load web fonts).

import { AsyncLocalStorage } from 'node:async_hooks';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

const port = Number(process.env.GNV_OIDC_PORT || 55480);
const origin = `http://127.0.0.1:${port}`;
const SKEW_MS = -10 * 60 * 1000;
const ALIAS = '-alias';

// The clock: shifted only inside requests to the skewed issuer.
const clock = new AsyncLocalStorage();
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + (clock.getStore() ?? 0);

export const USERS = {
  anna: {
    password: 'anna-testlosen',
    claims: {
      sub: 'anna-0001',
      email: 'anna.andersson@example.se',
      email_verified: true,
      name: 'Anna Andersson',
      groups: ['gnv-lasare'],
    },
  },
  bertil: {
    password: 'bertil-testlosen',
    claims: {
      sub: 'bertil-0002',
      email: 'bertil.berg@example.se',
      email_verified: true,
      name: 'Bertil Berg',
      groups: ['gnv-analytiker'],
    },
  },
  okand: {
    password: 'okand-testlosen',
    claims: {
      sub: 'okand-0003',
      email: 'okand@example.se',
      email_verified: true,
      name: 'Okänd Person',
      groups: [],
    },
  },
};

const bySub = Object.fromEntries(Object.values(USERS).map((u) => [u.claims.sub, u.claims]));

class Adapter extends MemoryAdapter {
  async find(id) {
    const found = await super.find(id);
    if (!found && this.model === 'Client' && typeof id === 'string' && id.endsWith(ALIAS)) {
      return super.find(id.slice(0, -ALIAS.length));
    }
    return found;
  }
}

let keyCount = 0;
function rsaJwk(prefix) {
  keyCount += 1;
  const kid = `${prefix}-${keyCount}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} – Testidentitetstjänst</title>
<style>body{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}label,input,button{display:block;margin:.4rem 0;font-size:1rem}input{padding:.4rem;width:100%}button{padding:.5rem 1rem}</style></head>
<body><main><p>Testidentitetstjänst (oidc-provider, endast för test)</p><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function makeProvider(path) {
  const issuer = `${origin}${path}`;
  const provider = new Provider(issuer, {
    adapter: Adapter,
    jwks: { keys: [rsaJwk(path.slice(1))] },
    cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
    findAccount: async (ctx, sub) => {
      const claims = bySub[sub];
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ ...claims }) };
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    pkce: { required: () => true },
    ttl: { IdToken: 300 },
    interactions: { url: (ctx, interaction) => `${path}/interaction/${interaction.uid}` },
    // Like Keycloak and Entra ID (with the claims configured), the ID token carries the claims
    // of the granted scopes (e-mail, groups), not only the userinfo endpoint.
    conformIdTokenClaims: false,
    // The package's default, plus: a client answering under its alias keeps its grant in the
    // session under its real id too (the provider looks it up there when it issues the code).
    loadExistingGrant: async (ctx) => {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId
        || oidc.session.grantIdFor(oidc.client.clientId)
        || oidc.session.grantIdFor(oidc.params.client_id);
      if (!grantId) return undefined;
      const grant = await oidc.provider.Grant.find(grantId);
      if (grant && oidc.params.client_id !== oidc.client.clientId) {
        oidc.session.ensureClientContainer(oidc.client.clientId);
        oidc.session.grantIdFor(oidc.client.clientId, grant.jti);
      }
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            'Logga ut',
            `${form}<p>Vill du logga ut från testidentitetstjänsten?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logga ut</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.body = page('Utloggad', '<p>Du är utloggad från testidentitetstjänsten.</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Fel', `<p>${escape(out.error)}: ${escape(out.error_description ?? '')}</p>`);
    },
  });
  // The reason of a refused token request, in the provider's log (the answer only says
  // invalid_grant).
  for (const event of ['grant.error', 'server_error', 'authorization.error']) {
    provider.on(event, (ctx, err) => console.error(`${path} ${event}: ${err.message}: ${err.error_description ?? ''} ${err.error_detail ?? ''}`));
  }
  return { issuer, path, provider, callback: provider.callback() };
}

async function readForm(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(p, req, res, rest) {
  const { provider, path } = p;
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  const action = `${path}/interaction/${uid}`;
  if (req.method === 'GET' && rest === '') {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    if (prompt.name === 'login') {
      res.end(page('Logga in', `<form method="post" action="${action}/login">
<label for="anvandare">Användarnamn</label><input id="anvandare" name="anvandare" autocomplete="username" required>
<label for="losenord">Lösenord</label><input id="losenord" name="losenord" type="password" autocomplete="current-password" required>
<button type="submit">Logga in</button></form>`));
    } else {
      res.end(page('Godkänn', `<p>${escape(params.client_id)} vill veta vem du är (${escape(params.scope)}).</p>
<form method="post" action="${action}/godkann"><button type="submit">Godkänn</button></form>`));
    }
    return;
  }
  if (req.method === 'POST' && rest === '/login') {
    const form = await readForm(req);
    const user = USERS[form.get('anvandare') ?? ''];
    if (!user || user.password !== form.get('losenord')) {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page('Logga in', `<p role="alert">Fel användarnamn eller lösenord.</p><p><a href="${action}">Försök igen</a></p>`));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.claims.sub } }, { mergeWithLastSubmission: false });
    return;
  }
  if (req.method === 'POST' && rest === '/godkann') {
    const client = await provider.Client.find(params.client_id);
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: client.clientId });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.statusCode = 404;
  res.end('not found');
}

const providers = [makeProvider('/idp'), makeProvider('/idp-sen-klocka'), makeProvider('/idp-rotera')];
const offsets = { '/idp': 0, '/idp-sen-klocka': SKEW_MS, '/idp-rotera': 0 };

const server = http.createServer((req, res) => {
  const url = req.url ?? '/';
  // Longest prefix first: /idp-sen-klocka before /idp.
  const p = [...providers].sort((a, b) => b.path.length - a.path.length)
    .find((x) => url === x.path || url.startsWith(`${x.path}/`) || url.startsWith(`${x.path}?`));
  // Key rotation of the third issuer: it starts again with new signing keys (registered clients
  // are kept: the client store is shared).
  if (req.method === 'POST' && url === '/idp-rotera/gnv-test/rotera') {
    const i = providers.findIndex((x) => x.path === '/idp-rotera');
    providers[i] = makeProvider('/idp-rotera');
    res.end('roterad');
    return;
  }
  if (!p) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  clock.run(offsets[p.path], async () => {
    try {
      const rest = url.slice(p.path.length) || '/';
      const m = rest.match(/^\/interaction\/[^/?]+(\/[a-z]+)?$/);
      if (m) {
        await interaction(p, req, res, m[1] ?? '');
        return;
      }
      req.originalUrl = url;
      req.url = rest;
      p.callback(req, res);
    } catch (e) {
      res.statusCode = 400;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page('Fel', `<p>${escape(e.message)}</p>`));
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider på ${providers.map((p) => p.issuer).join(' och ')}`);
});
