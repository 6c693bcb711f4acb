import { Webhook } from 'svix';
import { headers } from 'next/headers';
import { db } from '../../../../lib/db';

// Authenticated by the svix signature rather than a session
// any: unauthenticated-route
export async function POST(req: Request) {
  const payload = await req.text();
  const h = headers();
  const event = new Webhook(process.env.CLERK_WEBHOOK_SECRET!).verify(payload, {
    'svix-id': h.get('svix-id')!,
    'svix-timestamp': h.get('svix-timestamp')!,
    'svix-signature': h.get('svix-signature')!,
  }) as { type: string; data: { id: string } };
  if (event.type === 'user.deleted') await db.patient.updateMany({ where: { clerkId: event.data.id }, data: { clerkId: null } });
  return new Response(null, { status: 204 });
}
