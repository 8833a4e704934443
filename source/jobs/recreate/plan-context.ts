// Reads from the engine what the pure planner needs beyond the inspect document.
import type {EnginePort, RequestOptions} from '../../engine/port.js';
import type {ContainerDetails} from '../../engine/types.js';
import {containerOfMode, currentMode, factsOf, modeKind, needsNetworkList} from '../../model/network-modes.js';
import type {PlanContext} from './plan.js';

/** `name` → `name:latest`, so tags compare as the engine stores them. */
function withTag(reference: string): string {
  const lastSegment = reference.split('/').pop() ?? reference;
  return lastSegment.includes(':') || reference.includes('@') ? reference : `${reference}:latest`;
}

/** `Config.Image` if it still names the image the container runs, else the image id (the tag may have moved). */
export async function imageToCreateFrom(engine: EnginePort, details: ContainerDetails, options?: RequestOptions): Promise<string> {
  const images = await engine.listImages(options);
  const image = images.find(i => i.id === details.imageId);
  if (image && details.image && (image.tags.includes(withTag(details.image)) || image.id.replace(/^sha256:/, '').startsWith(details.image.replace(/^sha256:/, '')))) {
    return details.image;
  }

  return details.imageId;
}

/** Everything `planRecreate` needs to know about the engine for this container. */
export async function loadPlanContext(engine: EnginePort, details: ContainerDetails, options?: RequestOptions): Promise<PlanContext> {
  // A NetworkMode (or a never-started container's endpoint) naming a network by id prefix: only the list tells which.
  const [info, image, networks] = await Promise.all([
    engine.info(options),
    imageToCreateFrom(engine, details, options),
    needsNetworkList(factsOf(details)) ? engine.listNetworks(options) : undefined,
  ]);
  const mode = currentMode(details, networks);
  let parentHostname: string | undefined;
  if (modeKind(mode) === 'container') {
    parentHostname = await engine.inspectContainer(containerOfMode(mode), options).then(parent => parent.hostname, () => undefined);
  }

  return {apiVersion: info.apiVersion, image, engineHostname: info.name, parentHostname, ...(networks ? {networks} : {})};
}
