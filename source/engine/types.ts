// Typed records of what hawser reads from the Docker Engine. Only the fields hawser uses are named;
// the adapter maps the engine's JSON onto these so nothing above the engine layer sees dockerode.

/** One network a container is attached to, as the container list reports it. */
export type ContainerNetwork = {
  readonly name: string;
  readonly networkId: string;
  readonly ipv4: string;
  readonly gateway: string;
  readonly mac: string;
  readonly aliases: readonly string[];
  readonly links: readonly string[];
  readonly ipamIpv4?: string;
};

/** A published port of a container. */
export type PortMapping = {
  readonly privatePort: number;
  readonly publicPort?: number;
  readonly hostIp?: string;
  readonly protocol: string;
};

/** A mount of a container (volume, bind, tmpfs). */
export type MountPoint = {
  readonly type: string;
  readonly name?: string;
  readonly source: string;
  readonly destination: string;
  readonly isReadWrite: boolean;
};

/** A row of the container list: everything the containers panel shows without an inspect. */
export type ContainerSummary = {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly state: string;
  readonly status: string;
  readonly created: number;
  readonly networkMode: string;
  readonly networks: readonly ContainerNetwork[];
  readonly ports: readonly PortMapping[];
  readonly mounts: readonly MountPoint[];
  readonly labels: Readonly<Record<string, string>>;
  /** Legacy links to this container, as `receiver/alias` (the list reports them as extra names). */
  readonly linkedFrom: readonly string[];
};

/** The parts of `GET /containers/{id}/json` that hawser shows or needs to recreate a container. */
export type ContainerDetails = ContainerSummary & {
  readonly env: readonly string[];
  readonly cmd: readonly string[];
  readonly entrypoint: readonly string[];
  readonly hostname: string;
  readonly restartPolicy: string;
  readonly restartCount: number;
  readonly isRunning: boolean;
  readonly isRestarting: boolean;
  readonly health?: string;
  readonly legacyLinks: readonly string[];
  readonly imageId: string;
  /** The raw inspect document, for recreating the container without losing anything. */
  readonly raw: Readonly<Record<string, unknown>>;
};

/** An IPAM pool of a network. */
export type IpamPool = {
  readonly subnet: string;
  readonly gateway?: string;
  readonly ipRange?: string;
};

/** A row of the network list. */
export type NetworkSummary = {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly scope: string;
  readonly isInternal: boolean;
  readonly isAttachable: boolean;
  readonly ipam: readonly IpamPool[];
  readonly options: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly created: string;
};

/** A member of a network, from `GET /networks/{id}`. */
export type NetworkMember = {
  readonly containerId: string;
  readonly name: string;
  readonly ipv4: string;
  readonly mac: string;
};

/** A network with its members. */
export type NetworkDetails = NetworkSummary & {
  readonly members: readonly NetworkMember[];
};

/** A row of the volume list. */
export type VolumeSummary = {
  readonly name: string;
  readonly driver: string;
  readonly mountpoint: string;
  readonly scope: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  /** Driver options (`docker volume create -o`); a local volume with options is an nfs/tmpfs/bind mount made only while in use. */
  readonly options?: Readonly<Record<string, string>>;
};

/** A volume's disk usage from `GET /system/df`; -1 when the driver does not report it. */
export type VolumeUsage = {
  readonly name: string;
  readonly size: number;
  readonly refCount: number;
};

/** What `GET /version` and `GET /info` say about the engine. */
export type EngineInfo = {
  /** The engine's own ID (stable for its data root); empty when the engine does not say. */
  readonly id?: string;
  readonly version: string;
  /** The API version hawser speaks with this engine: the lower of the engine's and the newest hawser is tested on. */
  readonly apiVersion: string;
  /** The newest API version the engine speaks. */
  readonly engineApiVersion: string;
  readonly os: string;
  readonly name: string;
  readonly isIpv4ForwardingOn: boolean;
  readonly warnings: readonly string[];
  readonly securityOptions: readonly string[];
  readonly isSwarmManager: boolean;
  readonly operatingSystem: string;
  /** The engine's clock, in seconds: where to start the event stream so nothing between list and stream is missed. */
  readonly systemTime: number;
};

/** One message of the engine's event stream. */
export type EngineEvent = {
  readonly type: string;
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly timeNano: number;
};

/** A local image. */
export type ImageSummary = {
  readonly id: string;
  readonly tags: readonly string[];
  readonly size: number;
};

/** One progress message of an image pull: per layer (`id`), with bytes when the engine reports them. */
export type PullProgress = {
  readonly id?: string;
  readonly status: string;
  readonly current?: number;
  readonly total?: number;
};
