import type { ApiHandlers } from '../contract/index.js';
import { ApiError } from '../contract/errors.js';
import type { EngineParts } from './engine-parts.js';
import { modelInfo } from './model-info.js';

/** Which axis an item's workflow runs along: the view the user paints in (the four-up has three). */
export function axisHandlers(parts: EngineParts): Pick<ApiHandlers, 'setProjectAxis'> {
  const { studies, projects, jobs } = parts;
  return {
    async setProjectAxis({ studyId, itemId, axis }) {
      const { volume } = await studies.load(studyId, itemId);
      if (volume.size[axis] < 2) throw new ApiError('bad-request', `axis ${axis} has one slice: a 2D image is worked on in its own plane`);
      // A running propagation writes its slices along the axis it started on.
      const running = jobs.pending('propagate', studyId, itemId);
      if (running)
        throw new ApiError('bad-request', `a propagation of this image is ${running.state} (${running.jobId}): wait for it or cancel it`);
      const project = await parts.projectFor(studyId, itemId);
      project.setAxis(axis);
      projects.changed(project);
      return project.info(studyId, itemId, modelInfo(project, parts.modelPath));
    },
  };
}
