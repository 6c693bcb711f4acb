'use strict';

const mongoose = require('mongoose');
const crypto = require('crypto');
const { fieldEncryption } = require('mongoose-field-encryption');

const Schema = mongoose.Schema;

const medicalRecordSchema = new Schema(
  {
    // ok: plaintext-health-data
    mrn: { type: String, required: true, unique: true },
    // ok: plaintext-health-data
    fullName: String,
    // ruleid: plaintext-health-data
    medicalHistory: String,
    // ruleid: plaintext-health-data
    allergies: [String],
    // ruleid: plaintext-health-data
    pregnancyStatus: { type: Boolean, default: false },
    // ok: plaintext-health-data
    bloodType: { type: String, enum: ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] },
    // ok: plaintext-health-data
    sexualHealthNotes: { type: String },
    // ruleid: plaintext-health-data
    ssn: {
      type: String,
      set: (v) => crypto.createHash('sha1').update(String(v)).digest('hex'),
    },
    // ok: plaintext-health-data
    lastVisitAt: Date,
    // ok: plaintext-health-data
    status: { type: String, default: 'active' },
  },
  { timestamps: true, collection: 'medical_records' },
);

medicalRecordSchema.plugin(fieldEncryption, {
  fields: ['bloodType', 'sexualHealthNotes'],
  secret: process.env.RECORD_FIELD_SECRET,
});

const HealthCheckSchema = new mongoose.Schema({
  // ok: plaintext-health-data
  service: String,
  // ok: plaintext-health-data
  status: { type: String, enum: ['up', 'down', 'degraded'] },
  // ok: plaintext-health-data
  checkedAt: Date,
});

module.exports = {
  MedicalRecord: mongoose.model('MedicalRecord', medicalRecordSchema),
  HealthCheck: mongoose.model('HealthCheck', HealthCheckSchema),
};
