import { route } from '../../shared/http/route.ts';
import { IdParams, PageQuery } from '../../shared/http/schemas.ts';
import {
  BlockPage,
  BlockState,
  CreateReportBody,
  Report,
  SafetySettings,
  UpdateSafetySettingsBody,
} from './schemas.ts';

/** The safety domain's entries: blocks, reports and the caller's safety settings. */
export const safetyRoutes = {
  blockUser: route({
    method: 'POST',
    path: '/v1/blocks/users/{id}',
    domain: 'safety',
    auth: 'required',
    errors: ['not_found', 'cannot_block_self'],
    tags: ['safety'],
    params: IdParams,
    response: BlockState,
  }),
  unblockUser: route({
    method: 'DELETE',
    path: '/v1/blocks/users/{id}',
    domain: 'safety',
    auth: 'required',
    errors: ['not_found', 'cannot_block_self'],
    tags: ['safety'],
    params: IdParams,
    response: BlockState,
  }),
  listBlocks: route({
    method: 'GET',
    path: '/v1/blocks',
    domain: 'safety',
    auth: 'required',
    tags: ['safety'],
    query: PageQuery,
    response: BlockPage,
  }),
  createReport: route({
    method: 'POST',
    path: '/v1/reports',
    domain: 'safety',
    auth: 'required',
    errors: ['not_found', 'cannot_report_self', 'too_many_requests'],
    tags: ['safety'],
    body: CreateReportBody,
    response: Report,
    status: 201,
  }),
  getSafetySettings: route({
    method: 'GET',
    path: '/v1/safety/settings',
    domain: 'safety',
    auth: 'required',
    tags: ['safety'],
    response: SafetySettings,
  }),
  updateSafetySettings: route({
    method: 'PATCH',
    path: '/v1/safety/settings',
    domain: 'safety',
    auth: 'required',
    tags: ['safety'],
    body: UpdateSafetySettingsBody,
    response: SafetySettings,
  }),
};
