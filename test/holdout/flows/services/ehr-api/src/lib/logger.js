'use strict';

const pino = require('pino');

// nhsNumber and dateOfBirth are masked wherever they appear one level down
const logger = pino({
  level: process.env.LOG_LEVEL || 'info',
  redact: { paths: ['*.nhsNumber', '*.dateOfBirth', 'req.headers.authorization'], censor: '[redacted]' },
});

module.exports = logger;
