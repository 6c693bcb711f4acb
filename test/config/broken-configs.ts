/** Broken configurations and the located error each must give (shared by the loader and CLI tests). */
/** A team sink rule; `extra` is its `match` block. */
export const SINK_RULE = (extra: string) => `id: no-phi-to-kafka
title: No health data to Kafka
severity: error
gdpr: ["Art. 32"]
message: Health data must not be sent to Kafka.
docs: ./no-phi-to-kafka.md
kind: sink
${extra}`;

/** Ten (and more) broken configurations: each gives one located error naming file, line, column and key. */
export const BROKEN: [string, Record<string, string>, string][] = [
  [
    'YAML syntax error',
    { '.gdpr-lint.yaml': 'rules:\n  select-star-export: [error\nignore: x\n' },
    '.gdpr-lint.yaml:3:1: (file): invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (expected valid YAML)',
  ],
  [
    'wrong type',
    { '.gdpr-lint.yaml': 'ignore: dist/**\n' },
    '.gdpr-lint.yaml:1:9: ignore: "dist/**" has the wrong type (expected a list)',
  ],
  [
    'unknown key',
    { '.gdpr-lint.yaml': 'vocabulry:\n  add: {}\n' },
    '.gdpr-lint.yaml:1:1: vocabulry: unknown key, did you mean "vocabulary"?',
  ],
  [
    'bad severity',
    { '.gdpr-lint.yaml': 'rules:\n  select-star-export: fatal\n' },
    '.gdpr-lint.yaml:2:23: rules.select-star-export: "fatal" is not allowed (expected one of off, note, warning, error)',
  ],
  [
    'bad severity in an object',
    { '.gdpr-lint.yaml': 'rules:\n  select-star-export:\n    severity: warn\n' },
    '.gdpr-lint.yaml:3:15: rules.select-star-export.severity: "warn" is not allowed, did you mean "warning"? (expected one of off, note, warning, error)',
  ],
  [
    'unknown rule id',
    { '.gdpr-lint.yaml': 'rules:\n  select-star: off\n' },
    '.gdpr-lint.yaml:2:3: rules.select-star: unknown rule, did you mean "select-star-export"?',
  ],
  [
    'missing rule file',
    { '.gdpr-lint.yaml': 'ruleFiles:\n  - ./gdpr-rules/kafka.yaml\n' },
    '.gdpr-lint.yaml:2:5: ruleFiles.0: rule file not found: ./gdpr-rules/kafka.yaml',
  ],
  [
    'rule glob matching nothing',
    { '.gdpr-lint.yaml': 'ruleFiles: [./gdpr-rules/*.yaml]\n' },
    '.gdpr-lint.yaml:1:13: ruleFiles.0: "./gdpr-rules/*.yaml" matches no rule file',
  ],
  [
    'bad ruleFiles pattern',
    { '.gdpr-lint.yaml': 'ruleFiles: ["./gdpr-rules/[a.yaml"]\n' },
    '.gdpr-lint.yaml:1:13: ruleFiles.0: bad pattern "./gdpr-rules/[a.yaml": unclosed "["',
  ],
  [
    'bad ignore glob',
    { '.gdpr-lint.yaml': 'ignore:\n  - "legacy/{a,b"\n' },
    '.gdpr-lint.yaml:2:5: ignore.0: bad glob "legacy/{a,b": unclosed "{"',
  ],
  [
    'regex with a backreference',
    { '.gdpr-lint.yaml': 'vocabulary:\n  identifierPatterns:\n    lab-result: ["^(ana)\\\\1$"]\n' },
    '.gdpr-lint.yaml:3:18: vocabulary.identifierPatterns.lab-result.0: unusable regular expression',
  ],
  [
    'mistyped rule option',
    { '.gdpr-lint.yaml': 'rules:\n  plaintext-health-data:\n    options:\n      typeAwre: false\n' },
    '.gdpr-lint.yaml:4:7: rules.plaintext-health-data.options.typeAwre: unknown key, did you mean "typeAware"?',
  ],
  [
    'wrong-typed rule option',
    { '.gdpr-lint.yaml': 'rules:\n  select-star-export: { options: { personalTables: patients } }\n' },
    '.gdpr-lint.yaml:2:52: rules.select-star-export.options.personalTables: "patients" has the wrong type (expected a list)',
  ],
  [
    'invalid regex',
    { '.gdpr-lint.yaml': 'vocabulary:\n  identifierPatterns:\n    lab-result: ["ana_(["]\n' },
    '.gdpr-lint.yaml:3:18: vocabulary.identifierPatterns.lab-result.0: unusable regular expression /ana_([/',
  ],
  [
    'circular extends',
    {
      '.gdpr-lint.yaml': 'extends: ./shared/base.yaml\n',
      'shared/base.yaml': 'extends: [./team.yaml]\n',
      'shared/team.yaml': 'extends: ../.gdpr-lint.yaml\n',
    },
    'shared/team.yaml:1:10: extends: circular extends: .gdpr-lint.yaml -> base.yaml -> team.yaml -> .gdpr-lint.yaml',
  ],
  [
    'unknown preset',
    { '.gdpr-lint.yaml': 'extends: recomended\n' },
    '.gdpr-lint.yaml:1:10: extends: unknown preset "recomended", did you mean "recommended"?',
  ],
  [
    'JavaScript extends',
    { '.gdpr-lint.yaml': 'extends: [strict, ./shared.js]\n', 'shared.js': 'module.exports = {}' },
    '.gdpr-lint.yaml:1:19: extends.1: "./shared.js" is not a YAML or JSON file',
  ],
  [
    'invalid vocabulary category',
    { '.gdpr-lint.yaml': 'vocabulary:\n  add:\n    symptom: [cephalee]\n' },
    '.gdpr-lint.yaml:3:5: vocabulary.add.symptom: unknown name (expected one of health-condition',
  ],
  [
    'invalid JSON',
    { '.gdpr-lint.json': '{\n  "rules": {\n    "select-star-export": "off",\n  }\n}\n' },
    '.gdpr-lint.json:4:3: (file): invalid JSON',
  ],
  [
    'package.json property',
    { 'package.json': '{\n  "name": "lab",\n  "gdprLint": {\n    "ignores": ["dist"]\n  }\n}\n' },
    'package.json:4:5: ignores: unknown key, did you mean "ignore"?',
  ],
  [
    'team rule without calls',
    {
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\n',
      'rules/kafka.yaml': SINK_RULE('match:\n  sanitizers: [redact]\n'),
    },
    'rules/kafka.yaml:9:3: match.calls: missing required key',
  ],
  [
    'team rule with an unsafe regex',
    {
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\n',
      'rules/anapath.yaml': SINK_RULE('match: { calls: [x.send] }\n')
        .replace('kind: sink', 'kind: field')
        .replace('match: { calls: [x.send] }', 'match:\n  namePatterns: ["(?<=a)b"]'),
    },
    'rules/anapath.yaml:9:18: match.namePatterns.0: unusable regular expression /(?<=a)b/',
  ],
  [
    'team rule with a wrong kind',
    {
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\n',
      'rules/kafka.yaml': SINK_RULE('match: { calls: [x.send] }\n').replace('kind: sink', 'kind: sinks'),
    },
    'rules/kafka.yaml:7:7: kind: "sinks" is not allowed, did you mean "sink"? (expected one of field, sink, sql, route)',
  ],
  [
    'team rule reusing a built-in id',
    {
      '.gdpr-lint.yaml': 'ruleFiles: [rules/*.yaml]\n',
      'rules/kafka.yaml': SINK_RULE('match: { calls: [x.send] }\n').replace(
        'id: no-phi-to-kafka',
        'id: health-data-in-logs',
      ),
    },
    'rules/kafka.yaml:1:5: id: "health-data-in-logs" is a built-in rule',
  ],
  [
    'not a mapping',
    { '.gdpr-lint.yaml': '- rules\n- ignore\n' },
    '.gdpr-lint.yaml:1:1: (root): ["rules","ignore"] has the wrong type (expected a mapping of keys)',
  ],
  [
    'null section',
    { '.gdpr-lint.json': '{ "auth": { "middleware": null } }' },
    '.gdpr-lint.json:1:27: auth.middleware: null has the wrong type (expected a list)',
  ],
  [
    'npm package with JavaScript only',
    {
      '.gdpr-lint.yaml': 'extends: "@acme/gdpr-config"\n',
      'node_modules/@acme/gdpr-config/package.json': '{ "name": "@acme/gdpr-config", "main": "index.js" }',
      'node_modules/@acme/gdpr-config/index.js': 'module.exports = {}',
    },
    '.gdpr-lint.yaml:1:10: extends: the package "@acme/gdpr-config" has no YAML or JSON gdpr-lint config',
  ],
  [
    'YAML alias bomb',
    {
      '.gdpr-lint.yaml':
        'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
    },
    '.gdpr-lint.yaml:1:1: (file): cannot read the YAML: Excessive alias count',
  ],
  ['binary garbage', { '.gdpr-lint.yaml': '\u0000\u0001\u0002\ufffd: [' }, '.gdpr-lint.yaml:1:'],
];

/** The valid Kafka sink rule the loader and command tests use. */
export const TEAM_RULE = SINK_RULE('match:\n  calls: [kafkaProducer.send]\n');
