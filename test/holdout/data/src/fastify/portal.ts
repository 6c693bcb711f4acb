import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import mysql from 'mysql2/promise';

const app = Fastify({ logger: false });
void app.register(cookie, { secret: process.env.COOKIE_SECRET });
const lis = mysql.createPool({ host: 'lis-db', database: 'lis' });

app.get<{ Params: { id: string } }>('/portal/patients/:id/blood-type', async (request, reply) => {
  const [rows] = await lis.query<mysql.RowDataPacket[]>('SELECT blood_type FROM patients WHERE id = ?', [request.params.id]);
  // ruleid: plaintext-health-data
  reply.setCookie('bloodType', rows[0].blood_type, { path: '/', httpOnly: true });
  return { bloodType: rows[0].blood_type };
});

app.get<{ Params: { id: string } }>('/portal/patients/:id', async (request, reply) => {
  // ruleid: select-star-export
  const [rows] = await lis.query<mysql.RowDataPacket[]>('SELECT * FROM patients WHERE id = ?', [request.params.id]);
  // ok: plaintext-health-data
  reply.setCookie('lastPatientId', String(rows[0].id), { path: '/', signed: true });
  return rows[0];
});

app.get('/portal/login-success', async (_request, reply) => {
  // ok: plaintext-health-data
  reply.setCookie('sessionId', crypto.randomUUID(), { path: '/', httpOnly: true, secure: true });
  return { ok: true };
});

app.get('/healthz', async () => {
  // ok: select-star-export
  const [rows] = await lis.query('SELECT 1 AS up');
  return { status: 'ok', rows };
});

export default app;
