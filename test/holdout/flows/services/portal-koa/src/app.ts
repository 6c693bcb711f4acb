import Koa from 'koa';
import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import helmet from 'koa-helmet';
import jwt from 'koa-jwt';
import { db } from './db';

/** GP practice portal: requesters follow their patients' samples. */
const app = new Koa();
app.use(helmet());
app.use(bodyParser());

const requireJwt = jwt({ secret: process.env.JWT_SECRET!, algorithms: ['HS256'], audience: 'gp-portal' });

const root = new Router();
const pub = new Router({ prefix: '/pub' });
const api = new Router({ prefix: '/api' });

// ok: unauthenticated-route
root.get('/health', (ctx) => { ctx.body = { status: 'ok' }; });

// ok: unauthenticated-route
root.post('/login', async (ctx) => { ctx.body = await db.sessions.login(ctx.request.body); });

// ok: unauthenticated-route
root.get('/practice/:odsCode/summary', requireJwt, async (ctx) => {
  ctx.body = await db.practices.summary(ctx.params.odsCode);
});

// Results for patients who lost their GP login (reference on the letter)
// ruleid: unauthenticated-route
pub.get('/results/:reference', async (ctx) => {
  ctx.body = await db.results.byLetterReference(ctx.params.reference);
});

// ruleid: unauthenticated-route
pub.get('/cytology/:sampleId/outcome', async (ctx) => {
  ctx.body = await db.cytology.outcome(ctx.params.sampleId);
});

api.use(requireJwt);

const samples = new Router();

// ok: unauthenticated-route
samples.get('/:id', async (ctx) => { ctx.body = await db.samples.find(ctx.params.id); });

// ok: unauthenticated-route
samples.get('/:id/results', async (ctx) => { ctx.body = await db.results.forSample(ctx.params.id); });

api.use('/samples', samples.routes(), samples.allowedMethods());

const referrals = new Router({ prefix: '/referrals' });

// ok: unauthenticated-route
referrals.post('/', async (ctx) => { ctx.body = await db.referrals.create(ctx.state.user.sub, ctx.request.body); });

api.use(referrals.routes());

app.use(root.routes());
// mount of the public router (the positives are its routes)
// any: unauthenticated-route
app.use(pub.routes());
app.use(api.routes()).use(api.allowedMethods());

app.listen(3300);
