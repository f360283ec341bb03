import type { Adapter, ModelAdapter } from '#db';
import { joinRef } from '#domain';
import { authorship, compact } from '../common/present.js';
import type { AdapterDto, LoraConfigDto } from './adapter.dto.js';

/** An adapter on the wire: from its own read, or from a model's (whose JSON carries timestamps as text). */
export function presentAdapter(a: Adapter | ModelAdapter): AdapterDto {
  return compact({
    id: a.id,
    name: a.name,
    workspace: a.workspace,
    description: a.description ?? undefined,
    fileset: a.fileset ?? undefined,
    finetuning_type: a.finetuningType,
    enabled: a.enabled,
    lora_config: (a.loraConfig as LoraConfigDto | null) ?? undefined,
    model: joinRef(a.modelWorkspace, a.modelName),
    created_at: new Date(a.createdAt).toISOString(),
    updated_at: new Date(a.updatedAt).toISOString(),
    ...authorship(a),
  });
}
