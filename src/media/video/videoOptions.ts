/** What every video operation lets its caller tune. */
export interface VideoOperationOptions {
  /** Per ffmpeg run; the process is killed past it. Each operation has its own default. */
  timeoutMs?: number;
  /** Where the private scratch folder goes; defaults to the OS temp folder. */
  tempParent?: string;
}
