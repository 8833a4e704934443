// Links between containers: modern (user-defined network + alias, live) and legacy (--link, by a safe
// recreate of the receiver), unlinking, and checking from inside the receiver that the name resolves.
export {aliasProblem, linkEnvPrefix} from './alias.js';
export {linkForm, parseSourceAlias, prepareLink, unlinkForm, type LinkFormValues} from './forms.js';
export {parseHosts, readHostsFile, type HostsEntry} from './hosts-file.js';
export {injectedEnv, prepareLegacyLink, type LegacyLinkSummary} from './legacy-link.js';
export {defaultNetworkName, prepareModernLink, type LinkRequest, type ModernLinkSummary, type PreparedLink} from './modern-link.js';
export {pingFrom, resolveInContainer, runTool, tcpConnectFrom, type Resolution, type TcpOutcome, type ToolRun} from './probes.js';
export {linksOf, prepareUnlink, type AliasRemoval, type UnlinkSummary} from './unlink.js';
export {verifyName, type VerifyOutcome} from './verify.js';
