/**
 * The ALTCHA widget, loaded only when a captcha form is near: its "external" build (no inline styles, no blob
 * workers, so the strict CSP holds), its stylesheet, and the one worker our challenges need (SHA-256, which
 * altcha-lib's v1 challenges use), served from /assets like any other script.
 */
import 'altcha/external';
import 'altcha/altcha.css';
import ShaWorker from 'altcha/workers/sha?worker';

globalThis.$altcha.algorithms.set('SHA-256', () => new ShaWorker());
