import { main } from './main';

// A reader that stops early (`| head`) closes the pipe: that is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const colour = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);
process.exitCode = main(process.argv.slice(2), process.stdout, process.stderr, colour);
