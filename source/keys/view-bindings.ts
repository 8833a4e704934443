// The keys of the full-screen views (logs, inspect, the command palette, wizards), as data: each view
// dispatches through `commandFor` on its layers, so the help lists these keys and the config rebinds them.
// Scrolling and closing reuse the commands of the other layers (down, pageDown, back...): one rebinding
// moves them everywhere. Views where text is typed use commands of their own, so rebinding a navigation
// key (j, say) never stops it being typed there.
import type {KeyBinding, KeyLayer} from './binding.js';

/** The scrolling of a full-screen view (logs, inspect, help, topology): the details pane's keys, plus first and last line. */
export function scrolling(layer: KeyLayer): KeyBinding[] {
  return [
    {command: 'down', keys: ['j', 'down'], description: 'scroll down', layer},
    {command: 'up', keys: ['k', 'up'], description: 'scroll up', layer},
    {command: 'pageDown', keys: ['pagedown', 'ctrl+d', 'space'], description: 'page down', layer},
    {command: 'pageUp', keys: ['pageup', 'ctrl+u'], description: 'page up', layer},
    {command: 'top', keys: ['g', 'home'], description: 'first line', layer},
    {command: 'bottom', keys: ['G', 'end'], description: 'last line', layer},
  ];
}

/** The digits, for the outcome's numbered fixes and a choice list's items. */
const digitKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** The views' bindings, in the order the help lists them within a layer. */
export const viewBindings: readonly KeyBinding[] = [
  {command: 'back', keys: ['escape', 'q', 'ctrl+c'], description: 'close the logs', layer: 'logs'},
  {command: 'search', keys: ['/'], description: 'search the logs (matching lines are highlighted)', layer: 'logs'},
  {command: 'follow', keys: ['f'], description: 'pause or resume following (scrolling to the end follows again)', layer: 'logs'},
  ...scrolling('logs'),
  {command: 'timestamps', keys: ['t'], description: 'show or hide each line\'s time (local, to the millisecond; reloads the log)', layer: 'logs'},
  {command: 'since', keys: ['S'], description: 'since: only the lines from a time on (10m, 2h, 1d, 2026-12-07 10:00; empty: no limit)', layer: 'logs'},
  {command: 'tail', keys: ['L'], description: 'tail: how many of the last lines to start from (500 unless set; all: every line, the last 5000 kept)', layer: 'logs'},
  {command: 'wrap', keys: ['w'], description: 'wrap long lines onto the next rows, or cut them at the edge', layer: 'logs'},
  {command: 'saveLogs', keys: ['s'], description: 'save the lines kept (not only the screen) to a file (~/hawser-logs/ unless changed)', layer: 'logs'},
  {command: 'nextMatch', keys: ['n'], description: 'next match', layer: 'logsMatches'},
  {command: 'previousMatch', keys: ['N'], description: 'previous match', layer: 'logsMatches'},
  {command: 'clearSearch', keys: ['escape'], description: 'clear the search', layer: 'logsMatches'},
  {command: 'searchAccept', keys: ['return'], description: 'search for what was typed (or apply the since, tail or file name typed)', layer: 'logsPrompt'},
  {command: 'searchCancel', keys: ['escape'], description: 'stop typing: nothing changes (the previous search stays)', layer: 'logsPrompt'},
  {command: 'clearAnswer', keys: ['ctrl+u'], description: 'clear what was typed', layer: 'logsPrompt'},
  {command: 'deleteWord', keys: ['ctrl+w'], description: 'remove the last word (or path part) typed', layer: 'logsPrompt'},
  {command: 'back', keys: ['escape', 'q', 'ctrl+c'], description: 'close the JSON', layer: 'inspect'},
  {command: 'inspect', keys: ['i'], description: 'close the JSON (the key that opened it)', layer: 'inspect'},
  {command: 'revealSecrets', keys: ['x'], description: 'reveal or mask secret values', layer: 'inspect'},
  ...scrolling('inspect'),
  {command: 'paletteRun', keys: ['return'], description: 'run the chosen command', layer: 'palette'},
  {command: 'paletteComplete', keys: ['tab'], description: 'complete the chosen name', layer: 'palette'},
  {command: 'paletteNext', keys: ['down'], description: 'choose the next command', layer: 'palette'},
  {command: 'palettePrevious', keys: ['up'], description: 'choose the previous command', layer: 'palette'},
  {command: 'paletteClose', keys: ['escape', 'ctrl+c'], description: 'close the palette', layer: 'palette'},
  {command: 'cancel', keys: ['escape', 'ctrl+c'], description: 'cancel: nothing changes (a running job stops and undoes what it started)', layer: 'wizard'},
  {command: 'previousQuestion', keys: ['shift+tab'], description: 'back to the previous question', layer: 'wizard'},
  // The questions' own keys: the text field (ink-text-input) and the choice list (ink-select-input) read them
  // themselves, so they are listed for the help and the clash check but cannot be rebound (isFixed).
  {command: 'answer', keys: ['return'], description: 'answer: submit the typed text, the highlighted choice or yes/no', layer: 'wizard', isFixed: true},
  {command: 'choiceDown', keys: ['down', 'j'], description: 'choice list: move down', layer: 'wizard', question: 'choice', isFixed: true},
  {command: 'choiceUp', keys: ['up', 'k'], description: 'choice list: move up', layer: 'wizard', question: 'choice', isFixed: true},
  {command: 'choiceNumber', keys: digitKeys, description: 'choice list: pick the Nth item shown (1 is the top one)', layer: 'wizard', question: 'choice', isFixed: true},
  {command: 'clearAnswer', keys: ['ctrl+u'], description: 'clear the typed answer', layer: 'wizard', question: 'text'},
  {command: 'deleteWord', keys: ['ctrl+w'], description: 'remove the last word of the typed answer', layer: 'wizard', question: 'text'},
  {command: 'switchAnswer', keys: ['space', 'left', 'right'], description: 'switch a yes/no answer', layer: 'wizard', question: 'toggle'},
  {command: 'answerYes', keys: ['y'], description: 'answer yes (yes/no questions)', layer: 'wizard', question: 'toggle'},
  {command: 'answerNo', keys: ['n'], description: 'answer no (yes/no questions)', layer: 'wizard', question: 'toggle'},
  {command: 'confirm', keys: ['y', 'return'], description: 'go ahead', layer: 'dialog', isInBar: true},
  {command: 'cancel', keys: ['n', 'escape', 'ctrl+c'], description: 'cancel: nothing changes', layer: 'dialog', isInBar: true},
  {command: 'runFollowUp', keys: digitKeys, description: 'run the suggested fix with that number', layer: 'outcome'},
  {command: 'back', keys: ['return', 'escape', 'q', 'ctrl+c'], description: 'close', layer: 'outcome'},
];
