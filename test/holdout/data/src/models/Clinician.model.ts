import { Column, DataType, Model, Table } from 'sequelize-typescript';

@Table({ tableName: 'clinicians' })
export class Clinician extends Model {
  // ok: plaintext-health-data
  @Column(DataType.STRING(7))
  declare gmcNumber: string;

  @Column(DataType.STRING(120))
  declare displayName: string;

  // ok: plaintext-health-data
  @Column(DataType.STRING(60))
  declare specialty: string;
}
