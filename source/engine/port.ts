// The one interface between hawser and a Docker engine. Promise-only, abortable, typed; the dockerode
// adapter implements it for real engines and tests implement it with fakes.
import type {Readable} from 'node:stream';
import type {
  ContainerDetails,
  ContainerSummary,
  EngineEvent,
  EngineInfo,
  ImageSummary,
  NetworkDetails,
  NetworkSummary,
  PullProgress,
  VolumeSummary,
  VolumeUsage,
} from './types.js';

/** Options common to every request. */
export type RequestOptions = {readonly signal?: AbortSignal};

/** The body of `POST /containers/create`, as the engine takes it. */
export type CreateContainerSpec = Readonly<Record<string, unknown>> & {readonly name?: string};

/** The body of `POST /networks/create`. */
export type CreateNetworkSpec = {
  readonly name: string;
  readonly driver: string;
  readonly internal?: boolean;
  readonly attachable?: boolean;
  readonly ipam?: readonly {subnet: string; gateway?: string; ipRange?: string}[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly options?: Readonly<Record<string, string>>;
};

/** Connect options: aliases and a static IPv4 address. */
export type ConnectSpec = {
  readonly aliases?: readonly string[];
  readonly ipv4?: string;
  readonly links?: readonly string[];
  /** Endpoint driver options (`EndpointConfig.DriverOpts`). */
  readonly driverOpts?: Readonly<Record<string, string>>;
};

/** The user's terminal, handed to an interactive exec. */
export type InteractiveTerminal = {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly columns: number;
  readonly rows: number;
};

/** Outcome of running a command in a container. */
export type ExecResult = {readonly exitCode: number; readonly stdout: string; readonly stderr: string};

/** Where a followed log starts and what its lines carry. */
export type FollowLogsOptions = RequestOptions & {
  /** The last lines to start from: 500 unless given; 'all' for the whole log. */
  readonly tail?: number | 'all';
  /** Only lines logged at or after this time, in Unix seconds (a fraction counts: milliseconds are kept). */
  readonly since?: number;
  /** Each line starts with the engine's time for it, RFC 3339 with nanoseconds in UTC, and a space. */
  readonly timestamps?: boolean;
};

/** Everything hawser asks of a Docker engine. */
export type EnginePort = {
  /** Where this engine is, for headers and error messages. */
  readonly address: string;
  info(options?: RequestOptions): Promise<EngineInfo>;
  ping(options?: RequestOptions): Promise<void>;

  listContainers(options?: RequestOptions & {readonly ids?: readonly string[]}): Promise<ContainerSummary[]>;
  inspectContainer(id: string, options?: RequestOptions): Promise<ContainerDetails>;
  createContainer(spec: CreateContainerSpec, options?: RequestOptions): Promise<{id: string; warnings: string[]}>;
  startContainer(id: string, options?: RequestOptions): Promise<void>;
  stopContainer(id: string, options?: RequestOptions & {readonly timeoutSeconds?: number}): Promise<void>;
  restartContainer(id: string, options?: RequestOptions): Promise<void>;
  pauseContainer(id: string, options?: RequestOptions): Promise<void>;
  unpauseContainer(id: string, options?: RequestOptions): Promise<void>;
  removeContainer(id: string, options?: RequestOptions & {readonly force?: boolean; readonly volumes?: boolean}): Promise<void>;
  renameContainer(id: string, name: string, options?: RequestOptions): Promise<void>;
  updateContainer(id: string, update: Readonly<Record<string, unknown>>, options?: RequestOptions): Promise<void>;
  waitContainer(id: string, options?: RequestOptions): Promise<{exitCode: number}>;
  /** Standard output then error of a container: its last 200 lines, or all of them with `tail: 'all'`. */
  containerLogs(id: string, options?: RequestOptions & {readonly tail?: 'all'}): Promise<string>;
  exec(id: string, cmd: readonly string[], options?: RequestOptions): Promise<ExecResult>;
  /** Runs a command with a TTY wired to the given streams (a shell for the user); resolves to its exit code. */
  execInteractive(id: string, cmd: readonly string[], terminal: InteractiveTerminal): Promise<number>;
  /** Follows a container's logs (see `FollowLogsOptions` for where it starts), a line at a time, until the signal aborts. */
  followLogs(id: string, options: FollowLogsOptions): AsyncIterable<string>;
  /** The engine's own inspect document, for showing as JSON. */
  inspectRaw(kind: 'container' | 'network' | 'volume', id: string, options?: RequestOptions): Promise<unknown>;
  getArchive(id: string, path: string, options?: RequestOptions): Promise<Readable>;
  putArchive(id: string, path: string, body: Readable, options?: RequestOptions): Promise<void>;

  listNetworks(options?: RequestOptions): Promise<NetworkSummary[]>;
  inspectNetwork(id: string, options?: RequestOptions): Promise<NetworkDetails>;
  createNetwork(spec: CreateNetworkSpec, options?: RequestOptions): Promise<{id: string}>;
  removeNetwork(id: string, options?: RequestOptions): Promise<void>;
  connectNetwork(network: string, container: string, spec?: ConnectSpec, options?: RequestOptions): Promise<void>;
  disconnectNetwork(network: string, container: string, options?: RequestOptions & {readonly force?: boolean}): Promise<void>;
  pruneNetworks(options?: RequestOptions): Promise<string[]>;

  listVolumes(options?: RequestOptions): Promise<VolumeSummary[]>;
  inspectVolume(name: string, options?: RequestOptions): Promise<VolumeSummary>;
  /** `driver` defaults to the engine's (local); `options` are the driver's (`docker volume create -o`). */
  createVolume(spec: {name?: string; labels?: Readonly<Record<string, string>>; driver?: string; options?: Readonly<Record<string, string>>}, options?: RequestOptions): Promise<VolumeSummary>;
  removeVolume(name: string, options?: RequestOptions): Promise<void>;
  volumeUsage(options?: RequestOptions): Promise<VolumeUsage[]>;

  listImages(options?: RequestOptions): Promise<ImageSummary[]>;
  importImage(tar: Readable, reference: string, changes: readonly string[], options?: RequestOptions): Promise<void>;
  /** Pulls an image, yielding the engine's progress messages; throws on failure, also when it arrives in-band. */
  pullImage(reference: string, options?: RequestOptions): AsyncIterable<PullProgress>;

  /** The event stream from `since` (seconds, fractional allowed) on; ends when the signal aborts. */
  events(options: RequestOptions & {readonly since?: number}): AsyncIterable<EngineEvent>;
};
