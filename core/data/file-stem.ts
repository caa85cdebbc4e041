/** A file name without its image extension (two-part ones included), so that `a.png` pairs with `a.nii.gz`. */
export function fileStem(name: string): string {
  return name.replace(/(\.nii\.gz|\.seg\.nrrd|\.[^./\\]+)$/i, '');
}
