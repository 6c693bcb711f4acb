import { isSpecial, type Category } from '../vocabulary/classify.js';
import { categoryText } from '../routes/exposure.js';
import { sortCategories } from './context.js';
import type { CategoryCount, Inventory, InventorySummary, Risk, RiskLevel, StoreProtection } from './model.js';

type Sections = Omit<Inventory, 'version' | 'summary' | 'notes'>;

const MAX_RISKS = 10;
const LEVEL: Record<RiskLevel, number> = { high: 0, medium: 1, low: 2 };

export function summarize(s: Sections): InventorySummary {
  const fields = s.stores.flatMap((st) => st.fields);
  const special = fields.filter((f) => f.special);
  const storeStates: Record<StoreProtection, number> = {
    encrypted: 0,
    'partly-encrypted': 0,
    plaintext: 0,
    'no-special-data': 0,
  };
  for (const store of s.stores) storeStates[store.protection]++;
  return {
    counts: {
      stores: s.stores.length,
      storesWithSpecialData: s.stores.filter((st) => st.protection !== 'no-special-data').length,
      personalFields: fields.length,
      specialFields: special.length,
      routes: s.routes.length,
      routesWithoutAuth: s.routes.filter((r) => r.auth !== 'authenticated' && !r.publicReason).length,
      exports: s.exports.length,
      publicExports: s.exports.filter((e) => e.destination.public).length,
      thirdParties: s.thirdParties.length,
      logs: s.logs.length,
      filesNeverDeleted: s.retention.filter((r) => !r.deleted).length,
    },
    categories: categoryCounts(s),
    protection: {
      fields: {
        encrypted: special.filter((f) => f.protection).length,
        plaintext: special.filter((f) => !f.protection).length,
      },
      stores: storeStates,
    },
    risks: risksOf(s),
  };
}

function categoryCounts(s: Sections): CategoryCount[] {
  const rows = new Map<Category, CategoryCount>();
  const row = (category: Category) => {
    let r = rows.get(category);
    if (!r) {
      r = { category, special: isSpecial(category), fields: 0, routes: 0, exports: 0, thirdParties: 0, logs: 0 };
      rows.set(category, r);
    }
    return r;
  };
  for (const f of s.stores.flatMap((st) => st.fields)) row(f.category).fields++;
  for (const r of s.routes) for (const c of r.categories) row(c).routes++;
  for (const e of s.exports) for (const c of e.categories) row(c).exports++;
  for (const t of s.thirdParties) for (const c of t.categories) row(c).thirdParties++;
  for (const l of s.logs) row(l.category).logs++;
  return sortCategories(rows.keys()).map((c) => rows.get(c)!);
}

const list = (names: string[], max = 4) =>
  names.slice(0, max).join(', ') + (names.length > max ? `, +${names.length - max} more` : '');
const specialText = (categories: Category[]) => list(categories.filter(isSpecial).map(categoryText), 3);

/** The risks a DPO reads first: special-category data in clear, reachable, copied out, sent or kept. */
function risksOf(s: Sections): Risk[] {
  const risks: Risk[] = [];
  for (const store of s.stores) {
    const clear = store.fields.filter((f) => f.special && !f.protection);
    if (clear.length === 0) continue;
    risks.push({
      level: 'high',
      section: 'stores',
      target: store.id,
      location: clear[0]!.location,
      title: `${store.name}: ${clear.length} special-category field${clear.length > 1 ? 's' : ''} stored in clear (${list(clear.map((f) => f.name))})`,
    });
  }
  for (const route of s.routes) {
    if (route.auth === 'authenticated' || route.auth === 'unmounted' || route.auth === 'unverified') continue;
    const health = route.categories.some(isSpecial);
    if (route.publicReason && !health) continue;
    risks.push({
      level: health ? 'high' : route.categories.length > 0 ? 'medium' : 'low',
      section: 'routes',
      target: route.id,
      location: route.location,
      title: `${route.method} ${route.path} is reachable without authentication${health ? ` and returns ${specialText(route.categories)}` : ''}`,
    });
  }
  for (const e of s.exports) {
    const health = e.categories.some(isSpecial);
    const where = e.destination.target ? ` ${e.destination.target}` : '';
    if (e.destination.public) {
      risks.push({
        level: health || e.personalColumns.length > 0 ? 'high' : 'medium',
        section: 'exports',
        target: e.id,
        location: e.location,
        title: `${list(e.tables, 2) || e.job} exported to a public place:${where}${health ? ` (${specialText(e.categories)})` : ''}`,
      });
    } else if (e.selectStar && health) {
      risks.push({
        level: 'medium',
        section: 'exports',
        target: e.id,
        location: e.location,
        title: `Every column of ${list(e.tables, 2)} extracted (${e.destination.kind}${where})`,
      });
    }
  }
  for (const t of s.thirdParties) {
    const accepted = t.flows.every((f) => f.accepted);
    if (!t.health && !t.categories.length) continue;
    // A host from the environment may be internal: the rule says warning, the risk says medium.
    risks.push({
      level: t.health && !accepted && t.kind !== 'host-variable' ? 'high' : 'medium',
      section: 'thirdParties',
      target: t.id,
      location: t.flows[0]!.location,
      title: `${t.name} receives ${t.health ? specialText(t.categories) || 'health data' : list(t.categories.map(categoryText), 3)}`,
    });
  }
  for (const l of s.logs) {
    if (l.accepted) continue;
    risks.push({
      level: 'medium',
      section: 'logs',
      target: l.id,
      location: l.location,
      title: `${categoryText(l.category)} written to ${l.sink}${l.path ? ` (${l.path})` : ''}`,
    });
  }
  for (const r of s.retention) {
    if (r.deleted) continue;
    const health = r.categories.length > 0;
    risks.push({
      level: health && r.public ? 'high' : health ? 'medium' : 'low',
      section: 'retention',
      target: r.id,
      location: r.location,
      title: `${r.kind === 'table' ? 'Table copy' : r.kind === 'bucket' ? 'Bucket objects' : 'Export file'} ${r.target} is never deleted by the code`,
    });
  }
  // Within a level, sections take turns: the top ten show every kind of risk, not ten tables.
  const order = ['stores', 'routes', 'exports', 'thirdParties', 'retention', 'logs'];
  const turn = new Map<string, number>();
  return risks
    .map((r, i) => {
      const key = `${r.level}:${r.section}`;
      const n = turn.get(key) ?? 0;
      turn.set(key, n + 1);
      return { r, i, n };
    })
    .sort(
      (a, b) =>
        LEVEL[a.r.level] - LEVEL[b.r.level] ||
        a.n - b.n ||
        order.indexOf(a.r.section) - order.indexOf(b.r.section) ||
        a.i - b.i,
    )
    .slice(0, MAX_RISKS)
    .map(({ r }) => r);
}
