import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedTransformer } from './encryption.transformer';
import { Patient } from './patient.entity';

@Entity({ name: 'samples' })
export class Sample {
  @PrimaryGeneratedColumn('increment') id: number;

  @Column({ name: 'barcode', length: 14 }) barcode: string;

  @ManyToOne(() => Patient, (p) => p.samples) patient: Patient;

  @Column({ name: 'collected_at', type: 'timestamptz' }) collectedAt: Date;

  @Column({ name: 'tube_type', length: 20 }) tubeType: string;

  // Clinical information typed in by the nurse
  @Column({ name: 'clinical_information', type: 'text', nullable: true }) clinicalInformation?: string;

  @Column({ name: 'current_treatment', type: 'text', nullable: true, transformer: encryptedTransformer }) currentTreatment?: string;

  @Column({ name: 'pregnancy_weeks', type: 'smallint', nullable: true }) pregnancyWeeks?: number;

  @Column({ length: 12, default: 'EXPECTED' }) status: string;
}
