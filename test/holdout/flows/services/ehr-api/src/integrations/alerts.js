'use strict';

const axios = require('axios');

const TEAMS_WEBHOOK = 'https://stbrigids.webhook.office.com/webhookb2/4f0c2a1e/IncomingWebhook/91ab/xyz';
const DISCORD_WEBHOOK = 'https://discord.com/api/webhooks/1200000000000000000/labbot-token';

// Ward systems inside the cluster
const wardBoard = axios.create({ baseURL: 'http://ward-board:8080/api' });
const pager = axios.create({ baseURL: 'http://pager.oncall.svc.cluster.local' });

/** Critical (panic) values: tell the duty biochemist and the ward. */
async function notifyCriticalResult(result, user) {
  // ruleid: health-data-to-third-party
  await fetch(TEAMS_WEBHOOK, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ text: `Critical ${result.analyteName}: ${result.value} ${result.units} (acc. ${result.accessionNumber})` }),
  });
  // ok: health-data-to-third-party
  await fetch(TEAMS_WEBHOOK, { method: 'POST', body: JSON.stringify({ text: `A critical result needs phoning (acc. ${result.accessionNumber})` }) });
  // ruleid: health-data-to-third-party
  await fetch(DISCORD_WEBHOOK, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ content: `${user.name} amended ${result.analyteName} to ${result.value}` }) });
  // ok: health-data-to-third-party
  await wardBoard.post('/critical', { resultId: result.id, value: result.value, units: result.units, flag: result.abnormalFlag });
  // ok: health-data-to-third-party
  await pager.post('/page', { rota: 'biochemistry', text: `${result.analyteName} ${result.value}` });
  // ok: health-data-to-third-party
  await fetch('http://10.40.2.17:8088/hl7/critical', { method: 'POST', body: JSON.stringify(result) });
}

module.exports = { notifyCriticalResult };
