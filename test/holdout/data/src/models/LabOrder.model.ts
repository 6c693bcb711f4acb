import { BelongsTo, Column, CreatedAt, DataType, ForeignKey, Model, Table } from 'sequelize-typescript';
import { createHash } from 'node:crypto';
import { decrypt, encrypt } from '../services/crypto';
import { Clinician } from './Clinician.model';

@Table({ tableName: 'lab_orders', underscored: true })
export class LabOrder extends Model {
  @Column({ type: DataType.UUID, primaryKey: true, defaultValue: DataType.UUIDV4 })
  declare id: string;

  // ok: plaintext-health-data
  @Column(DataType.STRING(14))
  declare accessionNumber: string;

  @ForeignKey(() => Clinician)
  @Column(DataType.INTEGER)
  declare clinicianId: number;

  @BelongsTo(() => Clinician)
  declare clinician: Clinician;

  // ruleid: plaintext-health-data
  @Column(DataType.TEXT)
  declare clinicalIndication: string | null;

  // ruleid: plaintext-health-data
  @Column({ type: DataType.STRING(8), field: 'icd10_code' })
  declare icd10Code: string | null;

  // ok: plaintext-health-data
  @Column({ type: DataType.ARRAY(DataType.STRING), field: 'test_codes' })
  declare testCodes: string[];

  @Column({
    type: DataType.TEXT,
    set(this: LabOrder, value: string | null) {
      this.setDataValue('anticoagulantTherapy', value == null ? null : encrypt(value));
    },
    get(this: LabOrder) {
      const raw = this.getDataValue('anticoagulantTherapy') as string | null;
      return raw == null ? null : decrypt(raw);
    },
  })
  // ok: plaintext-health-data
  declare anticoagulantTherapy: string | null;

  // Hashed so that the LIS can join on it without "storing" the SSN (unkeyed SHA-256).
  @Column({
    type: DataType.STRING(64),
    set(this: LabOrder, value: string) {
      this.setDataValue('patientSsn', createHash('sha256').update(value).digest('hex'));
    },
  })
  // ruleid: plaintext-health-data
  declare patientSsn: string;

  // ok: plaintext-health-data
  @Column({ type: DataType.ENUM('ordered', 'collected', 'resulted', 'cancelled'), defaultValue: 'ordered' })
  declare status: string;

  // ok: plaintext-health-data
  @Column(DataType.INTEGER)
  declare resultCount: number;

  @CreatedAt
  declare orderedAt: Date;
}
