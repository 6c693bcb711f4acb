'use strict';

const jwt = require('jsonwebtoken');

/** Reads the user from the bearer token of the old desktop client. */
function loadUserFromToken(req, res, next) {
  const token = (req.headers.authorization || '').replace(/^Bearer /, '');
  req.user = jwt.decode(token);
  next();
}

module.exports = { loadUserFromToken };
