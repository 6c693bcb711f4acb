import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';

type Body = { theme?: 'light' | 'dark'; lastDiagnosis?: string; hivTestResult?: string; locale?: string };

export async function POST(request: Request) {
  const body = (await request.json()) as Body;
  const jar = cookies();
  // ok: plaintext-health-data
  jar.set('theme', body.theme ?? 'light', { path: '/', maxAge: 31_536_000 });
  if (body.lastDiagnosis) {
    // ruleid: plaintext-health-data
    jar.set('last_diagnosis', body.lastDiagnosis, { httpOnly: true, secure: true });
  }
  if (body.hivTestResult) {
    // ruleid: plaintext-health-data
    cookies().set({ name: 'hiv_result', value: body.hivTestResult, httpOnly: true, secure: true, sameSite: 'strict' });
  }
  // ok: plaintext-health-data
  cookies().set({ name: 'locale', value: body.locale ?? 'en-GB', path: '/' });
  return NextResponse.json({ ok: true });
}
