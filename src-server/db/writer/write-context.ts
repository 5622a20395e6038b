/** What a write operation may use besides its transaction and input: logging (a worker forwards it). */
export interface WriteLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface WriteContext {
  log: WriteLog;
}
