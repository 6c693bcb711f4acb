'use strict';

const passport = require('passport');
const { Strategy: JwtStrategy, ExtractJwt } = require('passport-jwt');
const { Strategy: LocalStrategy } = require('passport-local');
const jwt = require('jsonwebtoken');
const users = require('../users');

passport.use(
  new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: process.env.JWT_PUBLIC_KEY,
      algorithms: ['RS256'],
      issuer: 'https://sso.stbrigids.example',
    },
    (payload, done) => users.findById(payload.sub).then((u) => done(null, u || false), done),
  ),
);

passport.use(new LocalStrategy((username, password, done) => users.verify(username, password).then((u) => done(null, u || false), done)));

const authenticate = passport.authenticate('jwt', { session: false });

function requireRole(role) {
  return (req, res, next) => (req.user && req.user.roles.includes(role) ? next() : res.sendStatus(403));
}

function issueToken(req, res) {
  res.json({ token: jwt.sign({ sub: req.user.id }, process.env.JWT_PRIVATE_KEY, { algorithm: 'RS256', expiresIn: '15m' }) });
}

async function forgotPassword(req, res) {
  await users.sendResetLink(req.body.email);
  res.sendStatus(202);
}

module.exports = { authenticate, requireRole, issueToken, forgotPassword };
