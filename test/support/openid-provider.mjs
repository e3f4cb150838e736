// A real OpenID provider (the certified `oidc-provider`) for the single sign-on tests, run in a child
// process because it is an ES module with ES module dependencies that Jest's CommonJS cannot load.
// Clients come as JSON in OIDC_CLIENTS; anyone signs in by typing an e-mail address as the login,
// which becomes the account's `sub` and verified `email` ("unverified+…" logins are not verified).
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: JSON.parse(process.env.OIDC_CLIENTS ?? '[]').map((client) => ({ grant_types: ['authorization_code'], response_types: ['code'], ...client })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['openid-provider-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: id.replace(/^unverified\+/, ''), email_verified: !id.startsWith('unverified+'), name: `Person ${id.split('@')[0]}` }),
    }),
    // Consent is given once for all: the tests are about the relying party, not the consent screen.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`issuer ${issuer}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
