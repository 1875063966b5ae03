// Vite's import suffixes used by the captcha island (src/web/islands/tsconfig.json has no vite/client types).
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
declare module '*.css';
