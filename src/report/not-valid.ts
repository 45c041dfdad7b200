/** Why a run is not valid, in two words for a heading: camera-load was saturated, late, or both. */
export function notValidLabel(invalidReason: string | undefined): string {
  const late = invalidReason?.includes('client lateness') === true;
  const saturated = invalidReason?.includes('saturated') === true;
  return late && saturated ? 'client saturated and late' : late ? 'client late' : 'client saturated';
}
