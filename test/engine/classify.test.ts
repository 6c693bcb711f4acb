import { describe, expect, it } from 'vitest';
import { Classifier, classifierFor, type ClassifyContext } from '../../server/src/engine/index.js';
import { MAX_CACHED_NAMES, remember } from '../../server/src/engine/vocabulary/terms.js';
import { segmentCompound, splitWords } from '../../server/src/engine/vocabulary/words.js';
import { testConfig } from '../helpers.js';

const classifier = classifierFor(testConfig());

type Row = [identifier: string, expected: string | undefined, context?: ClassifyContext];

/** [identifier, expected special category (undefined = not special), context] */
const french: Row[] = [
  ['diagnostic', 'health-condition'],
  ['diagnosticPrincipal', 'health-condition'],
  ['numero_securite_sociale', 'health-identifier'],
  ['numSecu', 'health-identifier'],
  ['nss', 'health-identifier'],
  ['NumeroSecu', 'health-identifier'],
  ['nirAssure', 'health-identifier'],
  ['ins_matricule', 'health-identifier'],
  ['carteVitale', 'health-identifier'],
  ['groupeSanguin', 'lab-result'],
  ['groupe-sanguin', 'lab-result'],
  ['groupesanguin', 'lab-result'],
  ['statut_vih', 'health-condition'],
  ['statutvih', 'health-condition'],
  ['statutSérologiqueVIH', 'health-condition'],
  ['antécédents', 'health-condition'],
  ['atcd', 'health-condition'],
  ['renseignementsCliniques', 'health-condition'],
  ['indication_clinique', 'health-condition'],
  ['dateDebutGrossesse', 'health-condition'],
  ['termeGrossesseSA', 'health-condition'],
  ['risqueTrisomie21', 'health-condition'],
  ['codeCim10', 'health-condition'],
  ['traitement_anticoagulant', 'treatment'],
  ['ttt', 'treatment'],
  ['posologie', 'treatment'],
  ['resultat_brut', 'lab-result'],
  ['valeur_resultat', 'lab-result'],
  ['chargeVirale', 'lab-result'],
  ['compte_rendu', 'lab-result'],
  ['cr', 'lab-result', { kind: 'column', container: 'comptes_rendus' }],
  ['ins', 'health-identifier'],
  ['interpretation', 'lab-result'],
  ['caryotype', 'genetic'],
  ['empreinteDigitale', 'biometric'],
  ['origine_ethnique', 'art9-other'],
  ['orientationSexuelle', 'art9-other'],
  // in a container that says what the record is
  ['valeur', 'lab-result', { kind: 'column', container: 'resultats' }],
  ['gabarit', 'biometric', { kind: 'field', container: 'GabaritBiometrique' }],
  ['variants', 'genetic', { kind: 'field', container: 'DossierGenetique' }],
  // not special: identity, contact, professional, metadata
  ['nom', undefined],
  ['dateNaissance', undefined],
  ['ddn', undefined],
  ['telephone', undefined],
  ['rpps', undefined],
  ['num_dossier', undefined],
  ['statut', undefined],
  ['code_loinc', undefined],
  ['codesAnalyses', undefined],
  ['unite', undefined],
  ['bornesReference', undefined],
  ['dateOrdonnance', undefined],
  ['numeroOrdonnance', undefined],
  ['date_resultat', undefined],
  ['nbResultats', undefined],
  ['resultat_id', undefined],
  ['valeur', undefined],
  ['valeur', undefined, { kind: 'column', container: 'parametres_labo' }],
  ['valeur', undefined, { kind: 'column', container: 'sil_config' }],
  ['gabarit', undefined, { kind: 'field', container: 'ModeleCourrier' }],
  ['variant', undefined, { kind: 'prop', container: 'Button' }],
];

const english: Row[] = [
  ['diagnosis', 'health-condition'],
  ['primaryDiagnosis', 'health-condition'],
  ['dx', 'health-condition'],
  ['hivStatus', 'health-condition'],
  ['medicalHistory', 'health-condition'],
  ['pregnancy_week', 'health-condition'],
  ['ssn', 'health-identifier'],
  ['nhs_number', 'health-identifier'],
  ['socialSecurityNumber', 'health-identifier'],
  ['blood_group', 'lab-result'],
  ['bloodType', 'lab-result'],
  ['viralLoad', 'lab-result'],
  ['labResult', 'lab-result'],
  ['testResult', 'lab-result'],
  ['medications', 'treatment'],
  ['rx', 'treatment'],
  ['genotype', 'genetic'],
  ['dnaSequence', 'genetic'],
  ['fingerprintTemplate', 'biometric'],
  ['religion', 'art9-other'],
  ['value', 'lab-result', { kind: 'column', container: 'lab_results' }],
  ['template', 'biometric', { kind: 'column', container: 'biometric_templates' }],
  ['content', 'health-condition', { kind: 'column', container: 'AllergyIntolerance' }],
  ['notes', 'health-condition', { kind: 'column', container: 'diagnoses' }],
  ['content', undefined, { kind: 'column', container: 'Bundle' }],
  ['notes', undefined],
  // false-positive traps
  ['Diagnostic', undefined, { kind: 'type', container: 'ts' }],
  ['ts.Diagnostic', undefined],
  ['vscode.Diagnostic', undefined],
  ['DiagnosticSeverity', undefined],
  ['diagnosticCollection', undefined],
  ['healthCheck', undefined],
  ['health', undefined],
  ['/health', undefined, { kind: 'route' }],
  ['resultCount', undefined],
  ['result_count', undefined],
  ['results', undefined],
  ['result', undefined],
  ['diagnosis_id', undefined],
  ['diagnosed_at', undefined],
  ['reportUrl', undefined],
  ['report_url', undefined],
  ['testResult', undefined, { kind: 'variable', container: 'TestRunner' }],
  ['testResults', undefined, { kind: 'property', container: 'JestReporter' }],
  ['searchResults', undefined],
  ['queryResult', undefined],
  ['conditions', undefined],
  ['raceCondition', undefined],
  ['insertion', undefined],
  ['sequence', undefined, { kind: 'column', container: 'invoices' }],
  ['mutation', undefined, { kind: 'variable' }],
  ['value', undefined, { kind: 'column', container: 'settings' }],
  ['name', undefined],
  ['email', undefined],
  // short acronyms that mean something else in code
  ['roleArn', undefined],
  ['insCompany', undefined],
  ['prepTime', undefined],
  ['stdDev', undefined],
  ['nfsMount', undefined],
  ['aesCbcMode', undefined],
  ['rxSubject', undefined],
  ['cr_amount', undefined],
  ['hearingAids', undefined],
  ['doctor', undefined],
];

const others: Row[] = [
  ['Befund', 'health-condition'],
  ['Schwangerschaft', 'health-condition'],
  ['Blutgruppe', 'lab-result'],
  ['Versichertennummer', 'health-identifier'],
  ['diagnóstico', 'health-condition'],
  ['embarazo', 'health-condition'],
  ['grupo_sanguineo', 'lab-result'],
  ['tratamiento', 'treatment'],
  ['diagnosi', 'health-condition'],
  ['gruppoSanguigno', 'lab-result'],
  ['codice_fiscale', 'health-identifier'],
  ['referto', 'lab-result'],
];

describe('classifier', () => {
  for (const [title, rows] of [
    ['French', french],
    ['English', english],
    ['German, Spanish, Italian', others],
  ] as const) {
    it.each(rows.map((r) => ({ id: r[0], expected: r[1], context: r[2] ?? {} })))(
      `${title}: $id in $context.container -> $expected`,
      ({ id, expected, context }) => {
        const c = classifier.classify(id, context);
        expect(c?.special ? c.category : undefined, c?.why).toBe(expected);
      },
    );
  }

  it('explains every classification', () => {
    expect(classifier.classify('diagnostic')!.why).toBe('matched "diagnostic*" -> health-condition (en, fr)');
    expect(classifier.classify('nss')!.why).toBe(
      'matched "numero securite sociale" (from "nss") -> health-identifier (fr)',
    );
    expect(classifier.classify('valeur', { kind: 'column', container: 'resultats' })!.why).toBe(
      'matched "valeur*" -> lab-result (fr) in "resultats" (lab-result)',
    );
    expect(classifier.classify('statut_vih')!.term).toBe('statut vih');
  });

  it('keeps personal but not special categories apart', () => {
    expect(classifier.classify('dateNaissance')).toMatchObject({ category: 'identity', special: false });
    expect(classifier.classify('telephone')).toMatchObject({ category: 'contact', special: false });
    expect(classifier.classify('prescripteur')).toMatchObject({ category: 'professional', special: false });
  });

  it("reads a name after words that say a thing as the name of that thing, after a person or a role as a person's", () => {
    for (const thing of ['testName', 'itemName', 'serviceName', 'hospital_name', 'companyName', 'panelName'])
      expect(classifier.classify(thing), thing).toBeUndefined();
    for (const person of [
      'patientName',
      'guardianName',
      'middleName',
      'emergencyContactName',
      'userName',
      'name',
      'nom',
      'lastName',
    ]) {
      expect(classifier.classify(person), person).toMatchObject({ category: 'identity' });
    }
  });

  it('takes team additions and removals from the config', () => {
    const team = classifierFor(
      testConfig({ vocabulary: { add: { 'health-condition': ['anapath*'] }, remove: ['interpretation*'] } }),
    );
    expect(team.classify('anapathReport')).toMatchObject({ category: 'health-condition', lang: 'team' });
    expect(team.classify('interpretation')).toBeUndefined();
  });

  it('reads weak and contextual terms only in their containers', () => {
    const c = new Classifier(
      [
        { category: 'lab-result', terms: { en: ['lab result*'] }, weak: { en: ['value'] } },
        { category: 'biometric', terms: { en: ['biometric*'] }, contextual: { en: ['template*'] } },
      ],
      {},
      [],
      { rules: { settingsContainers: ['setting*'] } },
    );
    expect(c.classify('value')).toBeUndefined();
    expect(c.classify('value', { container: 'LabResults' })?.category).toBe('lab-result');
    expect(c.classify('value', { container: 'LabResultSettings' })).toBeUndefined();
    expect(c.classify('template', { container: 'LabResults' })).toBeUndefined();
    expect(c.classify('template', { container: 'BiometricEnrolment' })?.category).toBe('biometric');
  });
});

describe('words', () => {
  it.each([
    ['numeroSecuriteSociale', ['numero', 'securite', 'sociale']],
    ['NUM_SECU', ['num', 'secu']],
    ['groupe-sanguin', ['groupe', 'sanguin']],
    ['HbA1cValue', ['hb', 'a', '1', 'c', 'value']],
    ['codeCim10', ['code', 'cim', '10']],
    ['XMLHttpRequest', ['xml', 'http', 'request']],
    ['résultatBrut', ['resultat', 'brut']],
  ])('splits %s', (id, words) => {
    expect(splitWords(id)).toEqual(words);
  });

  it('segments compounds written without boundaries, only when every part is known', () => {
    const dictionary = new Set(['groupe', 'sanguin', 'statut', 'vih']);
    expect(segmentCompound('groupesanguin', dictionary)).toEqual(['groupe', 'sanguin']);
    expect(segmentCompound('statutvih', dictionary)).toEqual(['statut', 'vih']);
    expect(segmentCompound('insertion', dictionary)).toBeUndefined();
  });
});

describe('classifier caches', () => {
  it('start afresh past their bound, so an editing session cannot grow them forever', () => {
    const cache = new Map<string, number>();
    for (let i = 0; i < MAX_CACHED_NAMES; i++) remember(cache, `name${i}`, i);
    expect(cache.size).toBe(MAX_CACHED_NAMES);
    expect(remember(cache, 'one more', 1)).toBe(1);
    expect(cache.size).toBe(1);
    expect(cache.get('one more')).toBe(1);
  });
});
