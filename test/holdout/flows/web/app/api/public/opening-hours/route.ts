import { NextResponse } from 'next/server';

export const revalidate = 3600;

// Phlebotomy opening hours shown on the public website
// any: unauthenticated-route
export async function GET() {
  return NextResponse.json({ weekdays: '08:00-17:30', saturday: '09:00-12:00' });
}
