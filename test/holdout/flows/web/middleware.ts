export { auth as middleware } from './auth';

export const config = {
  // Everything except the public API, the auth endpoints and static assets
  matcher: ['/((?!api/public|api/auth|_next/static|_next/image|favicon.ico).*)'],
};
