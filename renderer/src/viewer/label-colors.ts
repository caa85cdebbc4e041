import { labelColor } from '../../../core/contract/label-palette.js';

export { labelColor };

export function labelColorCss(value: number, color: readonly number[] = labelColor(value)): string {
  return `rgb(${color[0]} ${color[1]} ${color[2]})`;
}
