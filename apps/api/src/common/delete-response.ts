import { ApiProperty } from '@nestjs/swagger';

/** NeMo's `DeleteResponse`: what a DELETE that answers 200 returns (members, role bindings). */
export class DeleteResponseDto {
  @ApiProperty({ example: 'Resource deleted successfully.' }) message!: string;
  @ApiProperty({ example: 'rb-0f3c9a1b2c3d4e5f6a7b8c9d', description: 'What was deleted.' }) id!: string;
  @ApiProperty({ format: 'date-time' }) deleted_at!: string;
}

export function deleted(id: string, at = new Date()): DeleteResponseDto {
  return { message: 'Resource deleted successfully.', id, deleted_at: at.toISOString() };
}
