// Build step (`npm run build`): writes rules/.pack-cache.json for the pack found by packageRoot() (GDPR_LINT_HOME).
import { writePackCache } from './pack-cache.js';
import { packageRoot, parseRulePack } from './rulepack.js';

const root = packageRoot();
writePackCache(root, parseRulePack(root));
