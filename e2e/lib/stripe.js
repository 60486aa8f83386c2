// A stand-in for Stripe's Connect OAuth endpoints on loopback: the authorize page consents at once and
// redirects back with a code; token and deauthorize answer in Stripe's documented shapes.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export const STRIPE_ENV = {
  KEYDESK_STRIPE_TEST_CLIENT_ID: 'ca_test_e2e',
  KEYDESK_STRIPE_TEST_SECRET_KEY: 'sk_test_e2e',
  KEYDESK_STRIPE_LIVE_CLIENT_ID: 'ca_live_e2e',
  KEYDESK_STRIPE_LIVE_SECRET_KEY: 'sk_live_e2e',
};

export function startStripe() {
  const codes = new Map();
  const deauthorized = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://stripe.local');
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/oauth/authorize') {
      const code = `ac_${randomUUID().replaceAll('-', '')}`;
      codes.set(code, url.searchParams.get('client_id') === STRIPE_ENV.KEYDESK_STRIPE_LIVE_CLIENT_ID);
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', code);
      back.searchParams.set('scope', 'read_write');
      back.searchParams.set('state', url.searchParams.get('state'));
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/oauth/token' && codes.has(form.get('code'))) {
      const livemode = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      return json(200, { access_token: `sk_test_${randomUUID()}`, refresh_token: `rt_${randomUUID()}`, livemode,
        token_type: 'bearer', stripe_user_id: 'acct_e2e0000000001', scope: 'read_write' });
    }
    if (url.pathname === '/oauth/deauthorize') {
      deauthorized.push(form.get('stripe_user_id'));
      return json(200, { stripe_user_id: form.get('stripe_user_id') });
    }
    return json(400, { error: 'invalid_grant', error_description: 'Authorization code does not exist' });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, deauthorized, close: () => server.close() }));
  });
}
