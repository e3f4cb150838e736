import type { ProviderService } from './entities/provider-service.entity';

export function serviceJson(service: ProviderService) {
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    url: service.url,
    profile: service.profile,
    version: service.version,
    createdAt: service.createdAt,
    updatedAt: service.updatedAt,
  };
}
