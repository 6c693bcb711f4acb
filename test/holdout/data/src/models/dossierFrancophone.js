'use strict';

// Cliniques partenaires de Montréal et de Liège : dossier minimal synchronisé (MongoDB).
const mongoose = require('mongoose');

const DossierPartenaire = mongoose.model('DossierPartenaire', {
  // ok: plaintext-health-data
  nomFamille: String,
  // ok: plaintext-health-data
  dateNaiss: Date,
  // ruleid: plaintext-health-data
  noAssuranceMaladie: { type: String, index: true },
  // ruleid: plaintext-health-data
  niss: String,
  // ruleid: plaintext-health-data
  antecedentsMedicaux: [String],
  // ruleid: plaintext-health-data
  groupeSang: String,
  // ruleid: plaintext-health-data
  resultatsLabo: [{ code: String, valeur: Number }],
  // ruleid: plaintext-health-data
  enceinte: Boolean,
  // ok: plaintext-health-data
  langueCorrespondance: { type: String, default: 'fr-CA' },
  // ok: plaintext-health-data
  statutDossier: { type: String, default: 'actif' },
});

module.exports = { DossierPartenaire };
