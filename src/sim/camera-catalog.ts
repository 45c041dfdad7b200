/** A simulated camera as the NTTA GID API lists it. */
export interface SimCamera {
  id: number;
  name: string;
  status: 0 | 1;
  fr_url: string | null;
  location: string;
  created_at: string;
}

export const API_PATH = '/api/v1/camera/';
export const STREAM_PATH_PATTERN = /^\/fr\/(\d+)\/stream\/?$/;

export function streamPath(id: number): string {
  return `/fr/${id}/stream`;
}

const FIRST_ID = 101;
const SITES = ['North Tollway', 'Sam Rayburn', 'Dallas Parkway', 'Chisholm Trail', 'Addison Tunnel'];

/**
 * `active` cameras with status 1 and `inactive` with status 0, spread evenly through the id order as on a
 * real backend; every other inactive camera has no fr_url.
 */
export function buildCatalog(active: number, inactive: number, origin: string): SimCamera[] {
  const total = active + inactive;
  const cameras: SimCamera[] = [];
  let inactiveSoFar = 0;
  for (let i = 0; i < total; i++) {
    const id = FIRST_ID + i;
    const isInactive = inactive > 0 && Math.floor(((i + 1) * inactive) / total) > Math.floor((i * inactive) / total);
    const hasUrl = !isInactive || inactiveSoFar++ % 2 === 0;
    cameras.push({
      id,
      name: `Sim camera ${id}`,
      status: isInactive ? 0 : 1,
      fr_url: hasUrl ? `${origin}${streamPath(id)}` : null,
      location: SITES[i % SITES.length] ?? 'Unknown',
      created_at: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString(),
    });
  }
  return cameras;
}

export interface CameraPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: SimCamera[];
}

/**
 * Django REST Framework's PageNumberPagination shape; undefined for a page that does not exist. Links are
 * the request URL with its page parameter replaced, as DRF builds them.
 */
export function buildPage(cameras: readonly SimCamera[], page: number, pageSize: number, requestUrl: string): CameraPage | undefined {
  const pages = Math.max(1, Math.ceil(cameras.length / pageSize));
  if (!Number.isInteger(page) || page < 1 || page > pages) return undefined;
  const link = (n: number): string => {
    const url = new URL(requestUrl);
    if (n > 1) url.searchParams.set('page', String(n));
    else url.searchParams.delete('page');
    return url.toString();
  };
  return {
    count: cameras.length,
    next: page < pages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: cameras.slice((page - 1) * pageSize, page * pageSize),
  };
}
