import { createDomainHandler } from '../../shared/http/domain-handler.ts';
import { addMusicToVideo } from './add-music.ts';
import { getStudioPreview } from './get-preview.ts';
import { getStudioSelection } from './get-selection.ts';
import { getSoundtrack } from './get-soundtrack.ts';
import { getStudioTimeline } from './get-timeline.ts';
import { studioRoutes } from './routes.ts';
import { selectStudioRange } from './select-range.ts';

export const handler = createDomainHandler(studioRoutes, 'studio', {
  getStudioTimeline,
  getStudioPreview,
  selectStudioRange,
  getStudioSelection,
  addMusicToVideo,
  getSoundtrack,
});
