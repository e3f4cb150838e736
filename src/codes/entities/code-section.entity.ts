import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('code_sections')
export class CodeSection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'code_version_id', type: 'uuid' })
  codeVersionId: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  summary: string | null;
}
