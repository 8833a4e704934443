// The volumes panel: columns, search, sort and details.
import prettyBytes from 'pretty-bytes';
import type {VolumeSummary} from '../engine/types.js';
import type {DetailSection, ResourceIndex, ResourceKind} from './kind.js';
import {labelsSection} from './labels-section.js';

/** A volume's size as text: '…' until sizes are loaded, '-' when the driver does not say. */
export function sizeCell(volume: VolumeSummary, index: ResourceIndex): string {
  if (!index.volumeUsage) {
    return '…';
  }

  const size = index.volumeUsage.get(volume.name)?.size ?? -1;
  return size < 0 ? '-' : prettyBytes(size);
}

/** A volume's size in bytes for sorting; unknown sizes (not loaded, or the driver does not say) after every known one. */
export function sizeSortValue(volume: VolumeSummary, index: ResourceIndex): number {
  const size = index.volumeUsage?.get(volume.name)?.size ?? -1;
  return size < 0 ? Number.POSITIVE_INFINITY : size;
}

function users(volume: VolumeSummary, index: ResourceIndex) {
  return index.containersByVolume.get(volume.name) ?? [];
}

/** True for a volume the engine named itself (an anonymous volume). */
export function isAnonymous(volume: VolumeSummary): boolean {
  return /^[0-9a-f]{64}$/.test(volume.name);
}

function volumeDetails(volume: VolumeSummary, index: ResourceIndex): DetailSection[] {
  const using = users(volume, index);
  const sections: DetailSection[] = [
    {title: volume.name, rows: [
      {label: 'driver', value: `${volume.driver} (${volume.scope})`},
      {label: 'mountpoint', value: volume.mountpoint},
      {label: 'size', value: sizeCell(volume, index)},
      ...(volume.createdAt ? [{label: 'created', value: volume.createdAt}] : []),
      ...(isAnonymous(volume) ? [{label: 'anonymous', value: 'yes: created by the engine for a VOLUME or -v /path', tone: 'dim' as const}] : []),
    ]},
    {title: `Used by (${using.length})`, rows: using.length > 0
      ? using.map(c => ({label: c.name, value: `${c.mounts.find(m => m.name === volume.name)?.destination ?? ''} (${c.state})`}))
      : [{label: '', value: 'no container uses it', tone: 'dim'}]},
  ];
  sections.push(...labelsSection(volume.labels));
  return sections;
}

/** The volumes kind. */
export const volumesKind: ResourceKind<VolumeSummary> = {
  id: 'volumes',
  title: 'Volumes',
  key: volume => volume.name,
  columns: [
    {title: 'NAME', width: 'flex', minWidth: 16, cell: v => (isAnonymous(v) ? `${v.name.slice(0, 12)}… (anon)` : v.name)},
    {title: 'DRIVER', width: 8, cell: v => v.driver},
    {title: 'SIZE', width: 9, cell: (v, index) => sizeCell(v, index), sortValue: sizeSortValue},
    {title: 'CTRS', width: 6, cell: (v, index) => String(users(v, index).length)},
  ],
  searchText: v => `${v.name} ${v.driver}`,
  compare: (a, b) => Number(isAnonymous(a)) - Number(isAnonymous(b)) || a.name.localeCompare(b.name),
  emptyMessage: 'No volumes.',
  details: volumeDetails,
};
