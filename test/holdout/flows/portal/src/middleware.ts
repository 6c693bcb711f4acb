import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server';

// Only the dashboard pages are forced to sign in; API handlers check the session themselves
const isDashboard = createRouteMatcher(['/dashboard(.*)']);

export default clerkMiddleware(async (auth, req) => {
  if (isDashboard(req)) await auth.protect();
});

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ico|woff2?)).*)', '/(api|trpc)(.*)'],
};
