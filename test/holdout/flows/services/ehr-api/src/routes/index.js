'use strict';

const express = require('express');

const router = express.Router();

const mounts = [
  { path: '/patients', router: require('./patients') },
  { path: '/results', router: require('./results') },
  { path: '/orders', router: require('./orders') },
];

for (const { path, router: child } of mounts) {
  router.use(path, child);
}

module.exports = router;
