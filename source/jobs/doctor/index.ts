// `hawser doctor`: can one container reach another, why not, and the hawser action that fixes it.
export {diagnose, type Check, type DoctorOptions, type DoctorReport, type Probes, type Verdict} from './diagnose.js';
export {connectFix, fixForm, forwardingFix, linkFix, startFix, switchModeFix, type Fix, type FixFormRef} from './fixes.js';
export {doctorForm, parsePort, prepareDoctor} from './form.js';
export {namesKnown} from './names.js';
export {startContainerForm} from './start-form.js';
