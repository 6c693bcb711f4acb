import pino from 'pino';

/** Application log. Result values are masked in structured fields, not in message strings. */
export const logger = pino({
  name: 'biolab-demo',
  redact: { paths: ['*.value', '*.interpretation'], censor: '[masked]' },
});
