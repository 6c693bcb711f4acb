import { handlers } from '../../../../auth';

// ok: unauthenticated-route
export const { GET, POST } = handlers;
