import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import fastifyAuth from '@fastify/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    verifyServiceToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export default fp(async (fastify) => {
  await fastify.register(fastifyJwt, { secret: { public: process.env.JWT_PUBLIC_KEY! }, verify: { algorithms: ['RS256'] } });
  await fastify.register(fastifyAuth);

  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      reply.code(401).send({ error: 'unauthorised' });
    }
  });

  fastify.decorate('verifyServiceToken', async (request: FastifyRequest) => {
    await request.jwtVerify({ allowedAud: 'lis-services' });
  });
});
