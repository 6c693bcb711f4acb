import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { encryptedTransformer } from './encryption.transformer';
import { Sample } from './sample.entity';

@Entity({ name: 'patients' })
export class Patient {
  @PrimaryGeneratedColumn('uuid') id: string;

  @Column({ length: 80 }) nom: string;

  @Column({ length: 80 }) prenom: string;

  @Column({ name: 'date_naissance', type: 'date' }) dateNaissance: string;

  // Encrypted: the INS matricule (qualified through INSi)
  @Column({ name: 'ins_matricule', type: 'text', transformer: encryptedTransformer }) insMatricule: string;

  // Added in a hurry for third-party payment: stored in clear
  @Column({ name: 'nir_assure', length: 15, nullable: true }) nirAssure?: string;

  @Column({ type: 'text', nullable: true }) antecedents?: string;

  @Column({ name: 'statut_vih', length: 16, nullable: true }) statutVih?: string;

  @Column({ type: 'text', nullable: true, transformer: encryptedTransformer }) allergies?: string;

  @Column({ nullable: true }) telephone?: string;

  @CreateDateColumn({ name: 'cree_le' }) creeLe: Date;

  @OneToMany(() => Sample, (s) => s.patient) samples: Sample[];
}
