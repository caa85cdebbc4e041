import { useAnnotationStore } from './stores/annotation.js';
import { useLabelStore } from './stores/labels.js';
import { useLayoutStore } from './stores/layout.js';
import { useProjectStore } from './stores/project.js';
import { useStudyStore } from './stores/study.js';
import { useUiStore } from './stores/ui.js';
import { useViewStore } from './stores/view.js';
import { useNavigation } from './navigation.js';
import { useSupportSet } from './support-set.js';
import type { ViewerAction } from '../../core/contract/keymap.js';

const ZOOM_STEP = 1.25;
const OPACITY_STEP = 0.1;

/** What each action of the keyboard map (and of the desktop menu) does. */
export function useActions(): (action: ViewerAction) => void {
  const study = useStudyStore();
  const view = useViewStore();
  const labels = useLabelStore();
  const ui = useUiStore();
  const nav = useNavigation();
  const annotation = useAnnotationStore();
  const project = useProjectStore();
  const supportSet = useSupportSet();
  const layout = useLayoutStore();

  const handlers: Record<ViewerAction, () => void> = {
    'next-slice': () => nav.step(1),
    'previous-slice': () => nav.step(-1),
    'next-slice-fast': () => nav.step(10),
    'previous-slice-fast': () => nav.step(-10),
    'first-slice': () => nav.goTo(0),
    'last-slice': () => nav.goTo(nav.count.value - 1),
    'next-item': () => void study.stepItem(1),
    'previous-item': () => void study.stepItem(-1),
    'view-axial': () => view.setView('axial'),
    'view-coronal': () => view.setView('coronal'),
    'view-sagittal': () => view.setView('sagittal'),
    'toggle-layout': () => layout.toggleFourUp(),
    'maximise-view': () => layout.toggleMaximised(),
    'zoom-in': () => view.zoomBy(ZOOM_STEP),
    'zoom-out': () => view.zoomBy(1 / ZOOM_STEP),
    'reset-view': () => view.resetView(),
    'tool-navigate': () => (view.tool = 'navigate'),
    'tool-window-level': () => (view.tool = 'window-level'),
    'tool-zoom': () => (view.tool = 'zoom'),
    'tool-pan': () => (view.tool = 'pan'),
    'tool-brush': () => (view.tool = 'brush'),
    'tool-threshold': () => (view.tool = 'threshold'),
    'tool-eraser': () => (view.tool = 'eraser'),
    'tool-polygon': () => (view.tool = 'polygon'),
    'tool-fill': () => (view.tool = 'fill'),
    'brush-smaller': () => annotation.setBrushSize(annotation.brushSize - (annotation.brushSize > 10 ? 2 : 1)),
    'brush-bigger': () => annotation.setBrushSize(annotation.brushSize + (annotation.brushSize >= 10 ? 2 : 1)),
    undo: () => void annotation.undo(),
    redo: () => void annotation.redo(),
    'finish-polygon': () => void annotation.finishPolygon(),
    'toggle-support': () => void project.toggleSupport(),
    'accept-next': () => void supportSet.value.acceptAndNext(),
    'next-review': () => supportSet.value.stepReview(1),
    'previous-review': () => supportSet.value.stepReview(-1),
    propagate: () => void supportSet.value.propagate(),
    'toggle-uncertainty': () => (project.showUncertainty = !project.showUncertainty),
    'toggle-overlay': () => labels.toggleVisible(),
    'toggle-outline': () => labels.toggleOutline(),
    'opacity-up': () => labels.setOpacity(labels.style.opacity + OPACITY_STEP),
    'opacity-down': () => labels.setOpacity(labels.style.opacity - OPACITY_STEP),
    'open-study': () => (study.canPick ? void study.pickAndOpen() : (ui.openDialog = true)),
    'show-help': () => (ui.helpOpen = !ui.helpOpen),
    close: () => {
      ui.helpOpen = false;
      ui.openDialog = false;
      annotation.polygon = [];
    },
  };
  return (action) => handlers[action]();
}
