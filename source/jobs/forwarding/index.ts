// IPv4 forwarding: detect it (for the banner and `hawser forwarding`), explain it, fix it, make it last.
export {bannerFor, checkForwardingBanner, detectForwarding, forgetLiveCheck, type DetectOptions, type ForwardingBanner, type ForwardingReport, type ForwardingState, type LiveCheckMode} from './detect.js';
export {consequences, engineKind, fixRisks, infoWarning, switchOffCauses, unreachableHostAdvice, type EngineKind} from './explain.js';
export {defaultSysctlDir, prepareForwardingFix, type FixOptions} from './fix.js';
export {fixForwardingForm, pullHelperImageForm} from './forms.js';
export {defaultPullImage, findHelperImage} from '../helpers/helper-image.js';
export {helperLabel} from '../helpers/leftovers.js';
export {persistFileContent, persistFileName} from './sysctl-files.js';
