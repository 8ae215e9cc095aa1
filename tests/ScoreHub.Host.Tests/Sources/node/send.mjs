// Sends identify, track, page and group calls through the real Segment and RudderStack node clients to a
// ScoreHub host, then flushes both. Usage: node send.mjs <hostUrl> <writeKey>
// Exit code 0 only when both clients delivered everything (any delivery error is printed and fails the run).
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';

const [hostUrl, writeKey] = process.argv.slice(2);
if (!hostUrl || !writeKey) {
  console.error('usage: node send.mjs <hostUrl> <writeKey>');
  process.exit(2);
}

const failures = [];

function calls(client, prefix, userId, email) {
  client.identify({
    messageId: `${prefix}-identify-1`, userId,
    traits: { email, name: 'Ada Lovelace', title: 'CTO', plan: 'trial' },
  });
  client.track({
    messageId: `${prefix}-track-1`, userId, event: 'Order Completed',
    properties: { orderId: `${prefix}-o-1`, revenue: 99.5, currency: 'EUR' },
    context: { traits: { email } },
  });
  client.track({
    messageId: `${prefix}-track-2`, userId, event: 'Demo Requested',
    properties: { plan: 'enterprise', seats: 25 },
  });
  client.page({
    messageId: `${prefix}-page-1`, userId, name: 'Pricing',
    properties: { url: 'https://example.com/pricing?utm_source=news', title: 'Pricing', path: '/pricing', referrer: 'https://news.example.com/' },
    context: { campaign: { name: 'spring-launch', source: 'newsletter', medium: 'email' } },
  });
  client.group({
    messageId: `${prefix}-group-1`, userId, groupId: `${prefix}-acme`,
    traits: { name: 'Acme', industry: 'Software', employees: 240 },
  });
}

const segment = new Analytics({ writeKey, host: hostUrl, flushInterval: 200, maxRetries: 1 });
segment.on('error', (err) => failures.push(`segment: ${err?.reason?.message ?? err?.code ?? err}`));
calls(segment, 'seg', 'seg-user-1', 'ada@segment.example');
await segment.closeAndFlush({ timeout: 20000 });

const rudder = new RudderAnalytics(writeKey, {
  dataPlaneUrl: hostUrl, flushInterval: 200, retryCount: 0, logLevel: 'error',
  errorHandler: (err) => failures.push(`rudderstack: ${err?.message ?? err}`),
});
calls(rudder, 'rs', 'rs-user-1', 'ada@rudder.example');
await new Promise((resolve) => rudder.flush((err) => { if (err) failures.push(`rudderstack flush: ${err?.message ?? err}`); resolve(); }));

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('sent');
