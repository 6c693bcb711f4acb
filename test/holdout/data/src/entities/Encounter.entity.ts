import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, ValueTransformer } from 'typeorm';
import { EncryptionTransformer } from 'typeorm-encrypted';
import { createHash } from 'node:crypto';
import { kms } from '../services/crypto';

const fieldKey = new EncryptionTransformer({
  key: process.env.FIELD_KEY ?? '',
  algorithm: 'aes-256-cbc',
  ivLength: 16,
});

/** Trims and upper-cases codes before they are stored. */
const upper: ValueTransformer = {
  to: (v: string | null) => (v == null ? v : v.trim().toUpperCase()),
  from: (v: string | null) => v,
};

/** Deterministic MD5 so the NHS number can be looked up (no key, no salt). */
const md5: ValueTransformer = {
  to: (v: string | null) => (v == null ? v : createHash('md5').update(v).digest('hex')),
  from: (v: string | null) => v,
};

/** Envelope encryption through the cloud KMS. */
const kmsField: ValueTransformer = {
  to: (v: string | null) => (v == null ? v : kms.encrypt(v)),
  from: (v: string | null) => (v == null ? v : kms.decrypt(v)),
};

@Entity('encounters')
export class Encounter {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  // ok: plaintext-health-data
  @Column('uuid', { name: 'patient_id' })
  patientId!: string;

  // ruleid: plaintext-health-data
  @Column('text')
  diagnosis!: string;

  // ruleid: plaintext-health-data
  @Column('varchar', { length: 3, name: 'blood_type', nullable: true })
  bloodType?: string;

  // ruleid: plaintext-health-data
  @Column({ type: 'jsonb', default: () => "'[]'" })
  allergies!: string[];

  // ruleid: plaintext-health-data
  @Column({ type: 'varchar', length: 10, transformer: md5 })
  nhsNumber!: string;

  // ok: plaintext-health-data
  @Column({ type: 'text', nullable: true, transformer: [upper, fieldKey] })
  presentingComplaint?: string;

  // ruleid: plaintext-health-data
  @Column({ type: 'varchar', length: 12, transformer: upper })
  icdCode!: string;

  // ok: plaintext-health-data
  @Column({ type: 'text', transformer: kmsField })
  mentalHealthNotes!: string;

  // ok: plaintext-health-data
  @Column('varchar', { length: 16 })
  status!: string;

  // ok: plaintext-health-data
  @Column('timestamptz', { name: 'admitted_at' })
  admittedAt!: Date;
}

@Entity({ name: 'encounter_medications' })
export class EncounterMedication {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => Encounter)
  @JoinColumn({ name: 'encounter_id' })
  encounter!: Encounter;

  // ruleid: plaintext-health-data
  @Column() drugName!: string;

  // ruleid: plaintext-health-data
  @Column({ nullable: true }) dosage?: string;

  // any: plaintext-health-data
  @Column({ name: 'route_code', length: 8 }) routeCode!: string;
}
