// node:path/posix is node:path here: functions run on Linux.
export * from '../path.ts'
export { default } from '../path.ts'
